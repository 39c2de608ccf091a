"""The pre-check looks at the time (seed §3.1), against the real service and database: before its draw time a
draw is shown ✗ and refused; an operator's override with a reason runs it, and the audit log keeps why."""

from datetime import timedelta

import httpx
import pytest

from platform_deploy.scenario import as_lottery
from platform_shared.client.errors import Refused
from platform_shared.contracts.admin.lottery_requests import DrawIn, EntriesIn, PrepareRunIn
from platform_shared.contracts.admin.models import TokenIn
from platform_shared.time.clock import OffsetClock
from tests.support import ok, unique_campaign

pytestmark = pytest.mark.integration

OVERRIDE = "the sponsor moved the broadcast up by an hour"


def test_a_draw_before_its_time_is_refused_until_an_operator_overrides_with_a_reason(
        lottery: httpx.Client, clock: OffsetClock) -> None:
    campaign = unique_campaign("early")
    typed = as_lottery(lottery)
    typed.create_draw(DrawIn(campaign_id=campaign, seats=2, waitlist_size=1, draw_at=clock.now() + timedelta(hours=1)))
    typed.add_entries(campaign, EntriesIn.model_validate(
        {"entries": [{"kakao_user_id": 3_000_000 + n, "weight": 1} for n in range(6)]}))
    typed.close_entries(campaign)

    assert typed.dry_run(campaign).draw_at_reached is False, "the pre-check's time item is ✗ an hour ahead"
    with pytest.raises(Refused) as refused:
        typed.prepare_run(campaign)
    assert refused.value.status == 409 and "[early_reason]" in refused.value.message
    assert "KST" in refused.value.message, "the draw time is named, in KST"
    too_short = lottery.post(f"/draws/{campaign}/runs/prepare", json={"early_reason": ""})
    assert too_short.status_code == 422, "an empty reason is no reason"
    assert ok(lottery.get(f"/draws/{campaign}"))["status"] == "closed", "a refused prepare changes nothing"

    prepared = typed.prepare_run(campaign, PrepareRunIn(early_reason=OVERRIDE))
    assert prepared.early_reason == OVERRIDE
    run = typed.execute_run(campaign, TokenIn(token=prepared.token))
    assert run.status == "completed"

    audit = ok(lottery.get("/audit", params={"target": f"draw:{campaign}", "limit": 100}))
    by_action = {record["action"]: record for record in audit}
    for action in ("draw.prepare", "draw.execute"):
        details = by_action[action]["details"]
        assert details["reason"] == OVERRIDE, f"{action} keeps why it ran early"
        assert details["params"]["early_reason"] == OVERRIDE


def test_a_draw_whose_time_has_come_runs_without_an_override(lottery: httpx.Client, clock: OffsetClock) -> None:
    campaign = unique_campaign("due")
    typed = as_lottery(lottery)
    typed.create_draw(DrawIn(campaign_id=campaign, seats=1, waitlist_size=0, draw_at=clock.now()))
    typed.add_entries(campaign, EntriesIn.model_validate({"entries": [{"kakao_user_id": 3_100_000, "weight": 1}]}))
    typed.close_entries(campaign)
    assert typed.dry_run(campaign).draw_at_reached is True
    prepared = typed.prepare_run(campaign, PrepareRunIn(early_reason="not needed, and not kept"))
    assert prepared.early_reason is None, "on time there is nothing to override"
    assert typed.execute_run(campaign, TokenIn(token=prepared.token)).status == "completed"
