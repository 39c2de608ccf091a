"""The draw's units of work on PostgreSQL: one transaction each, with the SQL stores of `ports.DrawStores`
built on its session (tests/memory_lottery.py builds the memory ones)."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.commitment_log_store import CommitmentLogStore
from lottery_service.adapters.draw_store import DrawStore
from lottery_service.adapters.entry_set_store import EntrySetStore
from lottery_service.adapters.frozen_set_store import FrozenSetStore
from lottery_service.adapters.policy_in_force import SqlPolicyInForce
from lottery_service.adapters.reopening_store import ReopeningStore
from lottery_service.adapters.run_store import RunStore
from lottery_service.application.ports import DrawStores
from platform_shared.application.unit_of_work import Units, UnitsOfWork
from platform_shared.time.clock import Clock


def sql_stores(session: AsyncSession) -> DrawStores:
    return DrawStores(draws=DrawStore(session), entry_sets=EntrySetStore(session),
                      frozen_sets=FrozenSetStore(session), reopenings=ReopeningStore(session),
                      runs=RunStore(session), policy=SqlPolicyInForce(session),
                      log=CommitmentLogStore(session))


def sql_units(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> Units[DrawStores]:
    return UnitsOfWork(sessions, clock, sql_stores)
