"""The bulk weight recalculation (seed §11.2), two steps: prepare counts the entries the current policy's cap
would change and gives the token; confirm applies it, once, and only under the policy it was prepared
against."""

from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.adapters.draw_store import DrawStore
from lottery_service.domain.draw_lifecycle import refuse_after_close
from lottery_service.domain.event_review import entry_weight_cap
from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.errors import ConflictError
from platform_shared.messaging.policy_cache import current_policy
from platform_shared.time.clock import Clock


@dataclass(frozen=True)
class Recalculation:
    """The command: what a weight recalculation was prepared against; confirming it under another policy is
    refused."""

    policy_version: int
    weight_cap: float
    reason: str


RECALCULATE = TwoStep("entries.recalculate_weights", Recalculation)


class RecalculateWeights:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._units = UnitsOfWork(sessions, clock)

    async def prepare_weight_recalculation(self, campaign_id: str, actor: str, reason: str) -> dict[str, object]:
        """Step one: how many entries the current policy's cap would change; nothing changes yet."""
        async with self._units.begin() as uow:
            store = DrawStore(uow.session)
            draw = await store.get(campaign_id)
            refuse_after_close(campaign_id, draw.status, "a weight recalculation")
            policy_version, policy = await current_policy(uow.session)
            cap = entry_weight_cap(draw.settings, policy)
            changed = await store.count_weights_off_cap(campaign_id, cap)
            summary = {"entries_changing": changed, "policy_version": policy_version, "weight_cap": cap,
                       "reason": reason}
            return await RECALCULATE.request(uow, target=campaign_id, params=Recalculation(policy_version, cap, reason),
                                             shown=summary, actor=actor)

    async def confirm_weight_recalculation(self, campaign_id: str, token: str, actor: str) -> dict[str, object]:
        """Step two: apply it (audited). The same token twice applies it once."""
        async with self._units.begin() as uow:

            async def recalculate(request: Requested[Recalculation]) -> Acted:
                store = DrawStore(uow.session)
                draw = await store.lock(campaign_id)
                refuse_after_close(campaign_id, draw.status, "a weight recalculation")
                policy_version, policy = await current_policy(uow.session)
                if policy_version != request.params.policy_version:
                    raise ConflictError("the policy changed since this recalculation was prepared; prepare again",
                                        field="token")
                changed = await store.cap_weights(campaign_id, entry_weight_cap(draw.settings, policy), policy_version)
                return Acted(outcome={"entries_changed": changed, "policy_version": policy_version},
                             audit_target=f"draw:{campaign_id}", reason=request.params.reason,
                             params=asdict(request.params))

            confirmed = await RECALCULATE.confirm(uow, target=campaign_id, token=token, actor=actor, act=recalculate)
        return confirmed.outcome
