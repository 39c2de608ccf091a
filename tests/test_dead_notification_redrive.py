"""The notifier's dead notifications redrive through the dead-letter lever (issue 14): listed with the
service's dead letters, redriven at a rate with progress, sent once when the cause is fixed, and counted up
when they die again until the maximum refuses them (no loops)."""

from datetime import datetime

import pytest
from faststream.kafka import KafkaBroker

from notifier_service.adapters.dead_notifications import SENDER_GROUP, DeadNotifications
from platform_deploy.infra import Infrastructure
from platform_deploy.services import ServiceProcess
from platform_shared.application.redrive import Redrives
from platform_shared.errors import InvalidStateError
from platform_shared.messaging.dead_letter_store import DeadLetterStore, LetterFilter
from platform_shared.messaging.tables import Redrive
from platform_shared.time.clock import KST
from tests.notifier_harness import Harness, notifier_harness
from tests.test_notifier_failures import drain

pytestmark = pytest.mark.integration

DAYTIME = datetime(2026, 12, 2, 11, 0, tzinfo=KST)
SENDER_LETTERS = LetterFilter(group=SENDER_GROUP, redriven=False)


async def letters(h: Harness) -> dict[str, int]:
    """dedupe key → dead-letter count of the sender's letters not yet redriven."""
    async with h.sessions() as session:
        found = await DeadLetterStore(session).letters(SENDER_LETTERS, limit=100)
    return {letter.original_key or "": letter.dead_letter_count for letter in found}


async def redrive(h: Harness, redrives: Redrives) -> Redrive:
    started = await redrives.start(None, SENDER_LETTERS, rate_per_second=200, reason="vendor fixed", actor="ops")
    await redrives.one_round()
    async with h.sessions() as session:
        return await DeadLetterStore(session).redrive(started.id)


async def test_dead_notifications_redrive_once_fixed_and_stop_at_the_maximum(
        infrastructure: Infrastructure, vendor: ServiceProcess) -> None:
    async with notifier_harness(infrastructure, vendor, DAYTIME) as h:
        redrives = Redrives(h.sessions, KafkaBroker("127.0.0.1:9"), h.clock, "test-replica", max_redrives=2)
        redrives.return_to_queue(SENDER_GROUP, DeadNotifications(h.sessions, h.clock).requeue)
        await h.vendor_behaves(reject_recipients=["fixed-later", "stubborn"])
        fixed, stubborn = await h.request("fixed-later"), await h.request("stubborn")
        await drain(h)
        assert await letters(h) == {fixed: 1, stubborn: 1}, "each dead notification is a dead letter"

        await h.vendor_behaves(reject_recipients=["stubborn"])  # the cause of one is fixed
        first = await redrive(h, redrives)
        assert (first.status, first.redriven, first.position) == ("done", 2, 2)
        await drain(h)
        assert await h.status_of(fixed) == "sent" and await h.status_of(stubborn) == "dead"
        assert (await h.vendor_report())["accepted"].get(fixed) == 1, "sent once"
        assert await letters(h) == {stubborn: 2}, "dead again: its new letter counts one more"

        second = await redrive(h, redrives)
        assert second.redriven == 1
        await drain(h)
        assert await letters(h) == {stubborn: 3}
        with pytest.raises(InvalidStateError, match="maximum of 2 redrives"):
            await redrives.start(None, SENDER_LETTERS, rate_per_second=200, reason="again", actor="ops")
        rows = await h.rows("SELECT count(*) AS n FROM notification_attempts a JOIN notifications n "
                            "ON n.id = a.notification_id WHERE n.dedupe_key = $1", stubborn)
        assert rows[0]["n"] == 3, "tried once per life, never in a loop"
