"""An incident's first response as one two-step action (seed §13, §2 "2단계"): prepare shows exactly what will
happen (domain/first_response.py) under a token; confirm does it once — the banner, the policy change (a new
version through the policy-change machinery, published, the one before it the rollback point, seed §8.2) —
and records it in the timeline, the audit chain and `#ops-incident`."""

from dataclasses import dataclass
from typing import Any

from platform_shared.application.two_step import Acted, Requested, TwoStep
from platform_shared.application.unit_of_work import Units
from platform_shared.contracts.admin.incidents import FirstResponseDoneOut, FirstResponseIn
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.time.clock import to_kst
from policy_service.adapters.incident_models import StoredBanner
from policy_service.adapters.incident_store import IncidentStores
from policy_service.application.incident_steps import Posting, Step, load, record
from policy_service.application.policy_versions import add_next_version, current_version, document_of
from policy_service.domain.changes import diff, refuse_if_stale
from policy_service.domain.first_response import Ask, plan
from policy_service.domain.incidents import level_of


@dataclass(frozen=True)
class Planned:
    """The first step's plan, as the second step carries it out."""

    incident_id: int
    reason: str
    actions: list[str]
    banner: dict[str, Any] | None
    document: dict[str, Any] | None
    proposed_against: int | None
    evidence: dict[str, Any] | None


FIRST_RESPONSE = TwoStep("incident.first_response", Planned)


class FirstResponses:
    def __init__(self, units: Units[IncidentStores], posting: Posting) -> None:
        self._units = units
        self._posting = posting

    async def prepare(self, actor: str, incident_id: int, body: FirstResponseIn) -> dict[str, Any]:
        async with self._units.begin() as uow:
            stores = uow.stores
            incident = await load(stores, incident_id)
            level = level_of(incident.sev)
            current = await current_version(stores.versions)
            ask = Ask(body.reason, body.banner_text, body.banner_text_en, body.detour, body.valid_from,
                      body.valid_until, body.queue_check)
            shown_plan = plan(level, incident.campaigns, document_of(current), ask, to_kst(uow.now).date())
            after = shown_plan.document
            changes = [] if after is None else [c.__dict__ for c in diff(document_of(current), after)]
            planned = Planned(incident_id, body.reason, shown_plan.actions, shown_plan.banner,
                              None if after is None else after.model_dump(mode="json"),
                              None if after is None else current.version, shown_plan.evidence)
            shown = {"incident_id": incident_id, "sev": incident.sev, "first_response": level.first_response,
                     "actions": shown_plan.actions, "banner": shown_plan.banner, "policy_changes": changes,
                     "proposed_against": planned.proposed_against, "evidence": shown_plan.evidence,
                     "reason": body.reason}
            answer = await FIRST_RESPONSE.request(uow, target=f"incident:{incident_id}", params=planned, shown=shown,
                                                  actor=actor)
            await uow.audit(actor=actor, action="incident.first_response.prepare", target=f"incident:{incident_id}",
                            reason=body.reason, params=shown)
            return answer

    async def confirm(self, actor: str, incident_id: int, token: str) -> FirstResponseDoneOut:
        async with self._units.begin() as uow:
            stores = uow.stores

            async def act(request: Requested[Planned]) -> Acted:
                planned = request.params
                incident = await load(stores, planned.incident_id, lock=True)
                level = level_of(incident.sev)
                banner_id = version = None
                if planned.document is not None:
                    await stores.versions.lock()
                    current = await current_version(stores.versions)
                    refuse_if_stale(planned.proposed_against or 0, current.version)
                    added = await add_next_version(
                        uow, stores.versions, current, PolicyDocument.model_validate(planned.document), actor=actor,
                        reason=planned.reason, impact_memo=f"incident {incident.id} first response (seed §13)")
                    version = added.version
                if planned.banner is not None:
                    banner = StoredBanner(kind="incident", text=planned.banner["text"],
                                          text_en=planned.banner["text_en"], campaign_id=None, starts_at=uow.now,
                                          set_by=actor, reason=planned.reason[:500], incident_id=incident.id,
                                          created_at=uow.now)
                    await stores.incidents.add(banner)
                    banner_id = banner.id
                incident.first_response_at = uow.now
                outcome = {"incident_id": incident.id, "first_response": level.first_response,
                           "banner_id": banner_id, "policy_version": version}
                await record(uow, self._posting, incident, Step(
                    "first_response", actor, "\n".join(planned.actions),
                    {**outcome, "evidence": planned.evidence, "reason": planned.reason}, post="first_response"),
                    audit=False)
                if planned.banner is not None:
                    await record(uow, self._posting, incident, Step("banner_set", actor, planned.banner["text"],
                                                                    {"banner_id": banner_id}), audit=False)
                return Acted(outcome=outcome, audit_target=f"incident:{incident.id}", reason=planned.reason,
                             before={"status": incident.status},
                             after={**outcome, "actions": planned.actions, "evidence": planned.evidence})

            done = await FIRST_RESPONSE.confirm(uow, target=f"incident:{incident_id}", token=token, actor=actor,
                                                act=act)
            return FirstResponseDoneOut(**done.outcome, repeated=done.repeated)
