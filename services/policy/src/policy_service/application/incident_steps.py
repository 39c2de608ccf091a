"""One step of an incident, recorded three ways in the step's own transaction (seed §1, §2 "감사 로그 ON"): its
timeline entry, its audit record (before/after), and its `#ops-incident` post — written with the change, so a
post is never lost, and sent later by the relay (incident_post_relay.py), so it never blocks the action."""

from dataclasses import dataclass
from typing import Any

from platform_shared.application.unit_of_work import UnitOfWork
from platform_shared.errors import NotFoundError
from policy_service.adapters.incident_models import Incident, IncidentPost, TimelineEntry
from policy_service.adapters.incident_store import IncidentStores
from policy_service.domain.incident_posts import IncidentFacts, PostKind, incident_post


@dataclass(frozen=True)
class Posting:
    """Whether `#ops-incident` has a webhook: without one, posts are kept as `not_configured` (visible)."""

    configured: bool


def snapshot(incident: Incident) -> dict[str, Any]:
    return {"sev": incident.sev, "title": incident.title, "status": incident.status,
            "campaigns": list(incident.campaigns), "features": list(incident.features)}


def facts(incident: Incident) -> IncidentFacts:
    return IncidentFacts(incident.id, incident.sev, incident.title, incident.status, incident.campaigns,
                         incident.features)


async def load(stores: IncidentStores, incident_id: int, *, lock: bool = False) -> Incident:
    incident = await stores.incidents.incident(incident_id, lock=lock)
    if incident is None:
        raise NotFoundError(f"no incident {incident_id}", field="incident_id")
    return incident


@dataclass(frozen=True)
class Step:
    kind: str
    """opened | note | status | first_response | banner_set | banner_ended | notice_asked | alert_linked"""
    actor: str
    text: str
    evidence: dict[str, Any]
    post: PostKind | None = None
    """The `#ops-incident` post this step makes, if any."""
    checklist: bool = False


async def record(uow: UnitOfWork[IncidentStores], posting: Posting, incident: Incident, step: Step, *,
                 before: object = None, audit: bool = True) -> TimelineEntry:
    """The timeline entry, the post (pending, or `not_configured`) and, unless the caller's two-step audits it,
    the audit record."""
    stores = uow.stores
    entry = TimelineEntry(incident_id=incident.id, kind=step.kind, at=uow.now, actor=step.actor, text=step.text,
                          evidence=step.evidence)
    await stores.incidents.add(entry)
    if step.post is not None:
        body = incident_post(step.post, facts(incident), at=uow.now, actor=step.actor, detail=step.text,
                             checklist=step.checklist)
        await stores.incidents.add(IncidentPost(
            incident_id=incident.id, kind=step.post, body=body, attempts=0, created_at=uow.now,
            status="pending" if posting.configured else "not_configured",
            next_attempt_at=uow.now if posting.configured else None))
    if audit:
        await uow.audit(actor=step.actor, action=f"incident.{step.kind}", target=f"incident:{incident.id}",
                        reason=step.text[:1000], before=before,
                        after={**snapshot(incident), "evidence": step.evidence})
    return entry
