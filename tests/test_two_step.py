"""The two-step confirmation every risky action goes through (platform_shared/application/two_step.py): the
second step acts once, a repeated token answers the first outcome without acting, a failed act leaves the
token to be confirmed again, and a token only confirms its own action before it expires. Each test runs
twice: on memory units of work (tests/memory_units.py) and on a real PostgreSQL."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import pytest

from platform_deploy.infra import Infrastructure
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import Units, UnitsOfWork
from platform_shared.db.engine import create_engine, session_factory
from platform_shared.errors import ConflictError, NotFoundError
from platform_shared.time.clock import Clock, FixedClock
from tests.memory_units import Ledger, MemoryUnitsOfWork
from tests.support import fetch, fresh_database
from waitlist_service.main import MIGRATIONS


@dataclass(frozen=True)
class Transfer:
    seats: int
    reason: str


TRANSFER = TwoStep("seats.transfer", Transfer)


class World(Protocol):
    units: Callable[[Clock], Units[object]]
    """Units of work on this world's storage, with the given clock."""

    async def audited(self) -> list[tuple[str, str, str]]:
        """(actor, action, target) of every audit record, in order."""
        ...


class InMemory:
    def __init__(self) -> None:
        self._ledger = Ledger()
        self.units: Callable[[Clock], Units[object]] = lambda clock: MemoryUnitsOfWork(self._ledger, clock,
                                                                                          lambda _: None)

    async def audited(self) -> list[tuple[str, str, str]]:
        return [(record.actor, record.action, record.target) for record in self._ledger.audited]


class OnPostgreSQL:
    def __init__(self, database: str, units: Callable[[Clock], Units[object]]) -> None:
        self._database, self.units = database, units

    async def audited(self) -> list[tuple[str, str, str]]:
        return [tuple(row) for row in await fetch(self._database, "SELECT actor, action, target FROM audit_log"
                                                                  " ORDER BY id")]


@pytest.fixture(params=["memory", pytest.param("postgresql", marks=pytest.mark.integration)])
def infrastructure_if_needed(request: pytest.FixtureRequest) -> Infrastructure | None:
    """The infrastructure only for the PostgreSQL run (requested here, outside the event loop: starting it
    runs a loop of its own)."""
    return request.getfixturevalue("infrastructure") if request.param == "postgresql" else None


@pytest.fixture
async def world(infrastructure_if_needed: Infrastructure | None) -> AsyncIterator[World]:
    infrastructure = infrastructure_if_needed
    if infrastructure is None:
        yield InMemory()
        return
    async with fresh_database(infrastructure, MIGRATIONS, like="waitlist") as database:
        engine = create_engine(database)
        try:
            sessions = session_factory(engine)
            yield OnPostgreSQL(database, lambda clock: UnitsOfWork(sessions, clock))
        finally:
            await engine.dispose()


async def test_the_second_step_acts_once_and_a_repeat_answers_the_first_outcome(world: World, clock: Clock) -> None:
    units, acted = world.units(clock), []

    async def transfer(request: Requested[Transfer]) -> Acted:
        acted.append(request)
        return Acted(outcome={"moved": request.params.seats}, audit_target="campaign:c", reason=request.params.reason,
                     answer={"shown_once": "x"})

    async with units.begin() as uow:
        prepared = await TRANSFER.request(uow, target="c", params=Transfer(3, "typo"), shown={"seats": 3}, actor="pm")
    async with units.begin() as uow:
        first = await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)
    async with units.begin() as uow:
        again = await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)

    assert prepared["seats"] == 3 and prepared["expires_at"]
    assert acted == [Requested(Transfer(3, "typo"), "pm")], "typed parameters and the requester, once"
    assert (first.answer, first.repeated) == ({"moved": 3, "shown_once": "x"}, False)
    assert (again.answer, again.repeated) == ({"moved": 3}, True), "the stored outcome, without the extra"
    assert await world.audited() == [("admin", "seats.transfer", "campaign:c")]


async def test_a_failed_act_changes_nothing_and_the_token_can_be_confirmed_again(world: World, clock: Clock) -> None:
    units = world.units(clock)

    async def refuse(request: Requested[Transfer]) -> Acted:
        raise ConflictError("the seats changed since prepare", field="token")

    async def transfer(request: Requested[Transfer]) -> Acted:
        return Acted(outcome={"moved": request.params.seats}, audit_target="campaign:c")

    async with units.begin() as uow:
        prepared = await TRANSFER.request(uow, target="c", params=Transfer(2, "r"), shown={}, actor="pm")
    with pytest.raises(ConflictError):
        async with units.begin() as uow:
            await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=refuse)
    assert await world.audited() == []
    async with units.begin() as uow:
        done = await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)
    assert done.outcome == {"moved": 2} and not done.repeated


async def test_a_token_confirms_only_its_own_action_on_its_own_target_before_it_expires(world: World,
                                                                                        clock: Clock) -> None:
    other = TwoStep("seats.release", Transfer)

    async def transfer(request: Requested[Transfer]) -> Acted:
        raise AssertionError("must not act")

    async with world.units(clock).begin() as uow:
        prepared = await TRANSFER.request(uow, target="c", params=Transfer(1, "r"), shown={}, actor="pm")
    for step, target in ((other, "c"), (TRANSFER, "d")):
        with pytest.raises(NotFoundError):
            async with world.units(clock).begin() as uow:
                await step.confirm(uow, target=target, token=prepared["token"], actor="admin", act=transfer)
    later = FixedClock(clock.now() + timedelta(minutes=16))
    with pytest.raises(ConflictError, match="expired"):
        async with world.units(later).begin() as uow:
            await TRANSFER.confirm(uow, target="c", token=prepared["token"], actor="admin", act=transfer)
