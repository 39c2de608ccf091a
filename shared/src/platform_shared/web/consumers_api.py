"""Ops' consumer levers (SPEC §2, seed §6): the state of every consumer group of this service on
every replica, and pause / resume of one group, the groups of one topic, or all of them, fleet-wide and
optionally until a time. Sensitive (a fresh second factor) and audited."""

from datetime import datetime

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.contracts.admin.platform import ConsumerOut, DesiredOut, PauseIn, ReplicaOut, ResumeIn
from platform_shared.messaging.consumer_control_store import ConsumerControlStore
from platform_shared.messaging.consumer_controls import ConsumerControls
from platform_shared.messaging.consumer_pause import DesiredState, chosen_groups, refuse_past_until
from platform_shared.time.clock import Clock
from platform_shared.web.access import AdminId


def consumers_router(sessions: async_sessionmaker[AsyncSession], controls: ConsumerControls,
                     clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/consumers", tags=["consumers"])
    units = UnitsOfWork(sessions, clock)

    async def status() -> list[ConsumerOut]:
        async with sessions() as session:
            store = ConsumerControlStore(session)
            desired, reports = await store.desired(), await store.replicas(clock.now() - controls.silent_after())
        now = clock.now()
        return [ConsumerOut(
            group_id=group, topic=topic, desired_paused=group in desired and desired[group].holds(now),
            desired=DesiredOut(**vars(desired[group])) if group in desired else None,
            replicas=[ReplicaOut(replica=r.replica, assigned=r.assigned, paused_partitions=r.paused_partitions,
                                 paused=bool(r.assigned) and set(r.assigned) <= set(r.paused_partitions),
                                 lag=r.lag, reported_at=r.reported_at)
                      for r in reports if r.group_id == group])
            for group, topic in sorted(controls.consumers.items())]

    async def change(body: ResumeIn, paused: bool, until: datetime | None, actor: str,
                     action: str) -> list[ConsumerOut]:
        groups = chosen_groups(controls.consumers, groups=body.groups, topic=body.topic)
        async with units.begin() as uow:
            refuse_past_until(until, uow.now)
            state = DesiredState(paused, until, body.reason, actor, uow.now)  # one instant: the row and its audit
            await ConsumerControlStore(uow.session).set_desired(groups, state)
            await uow.audit(actor=state.actor, action=action, target="consumers", reason=state.reason,
                            params={"groups": groups, "until": state.until.isoformat() if state.until else None})
        controls.change(groups, state)
        return await status()

    @router.get("")
    async def consumer_status() -> list[ConsumerOut]:
        """Every consumer group: ops' desired state, and per replica what it holds, has paused, and the lag."""
        return await status()

    @router.post("/pause")
    async def pause_consumers(body: PauseIn, admin: AdminId) -> list[ConsumerOut]:
        """Hold intake in Kafka for the named groups on every replica (within a few seconds), across restarts
        and rebalances; nothing is skipped."""
        return await change(body, True, body.until, admin, "consumers.pause")

    @router.post("/resume")
    async def resume_consumers(body: ResumeIn, admin: AdminId) -> list[ConsumerOut]:
        """Continue from the committed offsets: every held event is applied, once."""
        return await change(body, False, None, admin, "consumers.resume")

    return router
