"""The two-step confirmation every risky action goes through (platform_shared/application/two_step.py), on a
real PostgreSQL: the second step acts once, a repeated token answers the first outcome without acting, a
failed act leaves the token to be confirmed again, and a token only confirms its own action before it
expires."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from platform_deploy.infra import Infrastructure
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.errors import ConflictError, NotFoundError
from platform_shared.time.clock import Clock, FixedClock
from tests.support import fetch, fresh_database
from waitlist_service.main import MIGRATIONS

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Transfer:
    seats: int
    reason: str


TRANSFER = TwoStep("seats.transfer", Transfer)


@pytest.fixture
async def database(infrastructure: Infrastructure) -> AsyncIterator[str]:
    async with fresh_database(infrastructure, MIGRATIONS, like="waitlist") as url:
        yield url


async def test_the_second_step_acts_once_and_a_repeat_answers_the_first_outcome(database: str, clock: Clock
                                                                                 ) -> None:
    engine = create_engine(database)
    units, acted = UnitsOfWork(session_factory(engine), clock), []

    async def transfer(request: Requested[Transfer]) -> Acted:
        acted.append(request)
        return Acted(outcome={"moved": request.params.seats}, audit_target="campaign:c", reason=request.params.reason,
                     answer={"shown_once": "x"})

    try:
        async with units.begin() as uow:
            prepared = await TRANSFER.request(uow, target="c", params=Transfer(3, "typo"), shown={"seats": 3},
                                              actor="pm")
        async with units.begin() as uow:
            first = await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)
        async with units.begin() as uow:
            again = await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)
    finally:
        await engine.dispose()

    assert prepared["seats"] == 3 and prepared["expires_at"]
    assert acted == [Requested(Transfer(3, "typo"), "pm")], "typed parameters and the requester, once"
    assert (first.answer, first.repeated) == ({"moved": 3, "shown_once": "x"}, False)
    assert (again.answer, again.repeated) == ({"moved": 3}, True), "the stored outcome, without the extra"
    audit = await fetch(database, "SELECT actor, action, target FROM audit_log ORDER BY id")
    assert [tuple(row) for row in audit] == [("admin", "seats.transfer", "campaign:c")]


async def test_a_failed_act_changes_nothing_and_the_token_can_be_confirmed_again(database: str,
                                                                                 clock: Clock) -> None:
    engine = create_engine(database)
    units = UnitsOfWork(session_factory(engine), clock)

    async def refuse(request: Requested[Transfer]) -> Acted:
        raise ConflictError("the seats changed since prepare", field="token")

    async def transfer(request: Requested[Transfer]) -> Acted:
        return Acted(outcome={"moved": request.params.seats}, audit_target="campaign:c")

    try:
        async with units.begin() as uow:
            prepared = await TRANSFER.request(uow, target="c", params=Transfer(2, "r"), shown={}, actor="pm")
        with pytest.raises(ConflictError):
            async with units.begin() as uow:
                await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=refuse)
        assert await fetch(database, "SELECT 1 FROM audit_log") == []
        async with units.begin() as uow:
            done = await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)
    finally:
        await engine.dispose()
    assert done.outcome == {"moved": 2} and not done.repeated


async def test_a_token_confirms_only_its_own_action_on_its_own_target_before_it_expires(database: str,
                                                                                        clock: Clock) -> None:
    engine = create_engine(database)
    sessions = session_factory(engine)
    other = TwoStep("seats.release", Transfer)

    async def transfer(request: Requested[Transfer]) -> Acted:
        raise AssertionError("must not act")

    try:
        async with UnitsOfWork(sessions, clock).begin() as uow:
            prepared = await TRANSFER.request(uow, target="c", params=Transfer(1, "r"), shown={}, actor="pm")
        for step, target in ((other, "c"), (TRANSFER, "d")):
            with pytest.raises(NotFoundError):
                async with UnitsOfWork(sessions, clock).begin() as uow:
                    await step.confirm(uow, target=target, token=prepared["token"], actor="admin", act=transfer)
        later = FixedClock(clock.now() + timedelta(minutes=16))
        with pytest.raises(ConflictError, match="expired"):
            async with UnitsOfWork(sessions, later).begin() as uow:
                await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)
    finally:
        await engine.dispose()
