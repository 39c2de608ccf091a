"""Running an incident (seed §13): open it with a SEV, add notes, move its status (resolving ends its banners),
read it with its timeline, banners and posts. Each step: load → decide (domain/incidents.py) → store, with its
timeline entry, audit record and `#ops-incident` post in one transaction (incident_steps.py)."""

from dataclasses import asdict
from typing import Any

from platform_shared.application.unit_of_work import Units
from platform_shared.contracts.admin.incidents import (
    IncidentDetailOut,
    IncidentIn,
    IncidentOut,
    IncidentPageOut,
    LevelOut,
    NoteIn,
    PostOut,
    ResolvedOut,
    StatusIn,
    StoredBannerOut,
    TimelineEntryOut,
)
from policy_service.adapters.incident_models import Incident
from policy_service.adapters.incident_store import IncidentStores
from policy_service.application.incident_steps import Posting, Step, load, record, snapshot
from policy_service.application.policy_versions import current_version, document_of
from policy_service.domain.adgate import GLOBAL
from policy_service.domain.incidents import LEVELS, STATUS_WORDS, checked_incident, checked_note, next_status


def incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut.model_validate(incident, from_attributes=True)


def levels() -> list[LevelOut]:
    return [LevelOut.model_validate(asdict(level)) for level in LEVELS.values()]


class Incidents:
    def __init__(self, units: Units[IncidentStores], posting: Posting) -> None:
        self._units = units
        self._posting = posting

    async def open(self, actor: str, body: IncidentIn) -> IncidentOut:
        new = checked_incident(body.sev, body.title, body.summary, body.campaigns, body.features)
        async with self._units.begin() as uow:
            incident = Incident(sev=new.sev, title=new.title, summary=new.summary, status="open",
                                campaigns=list(new.campaigns), features=list(new.features), opened_by=actor,
                                opened_at=uow.now)
            await uow.stores.incidents.add(incident)
            await record(uow, self._posting, incident, Step("opened", actor, new.summary, snapshot(incident),
                                                            post="opened", checklist=True))
            return incident_out(incident)

    async def note(self, actor: str, incident_id: int, body: NoteIn) -> IncidentOut:
        text = checked_note(body.text)
        async with self._units.begin() as uow:
            incident = await load(uow.stores, incident_id, lock=True)
            await record(uow, self._posting, incident,
                         Step(body.kind, actor, text, body.evidence or {}, post="updated"))
            return incident_out(incident)

    async def set_status(self, actor: str, incident_id: int, body: StatusIn) -> ResolvedOut:
        """Mitigated or resolved, with a note; resolving ends the incident's stored banners at this instant and
        names the AdGate exemptions still in the policy (they end with a policy change, seed §5.4)."""
        note = checked_note(body.note)
        async with self._units.begin() as uow:
            stores = uow.stores
            incident = await load(stores, incident_id, lock=True)
            before = snapshot(incident)
            incident.status = next_status(incident.status, body.status)
            ended: list[int] = []
            still: list[str] = []
            if incident.status == "resolved":
                incident.resolved_at = uow.now
                ended = await stores.incidents.end_banners_of(incident.id, uow.now, actor)
                still = _still_exempt(document_of(await current_version(stores.versions)), incident.campaigns)
            else:
                incident.mitigated_at = uow.now
            evidence: dict[str, Any] = {"from": before["status"], "to": incident.status, "banners_ended": ended,
                                        "adgate_still_exempt": still}
            words = f"{STATUS_WORDS[before['status']][0]} → {STATUS_WORDS[incident.status][0]}: {note}"
            await record(uow, self._posting, incident,
                         Step("status", actor, words, evidence,
                              post="resolved" if incident.status == "resolved" else "status"), before=before)
            for banner_id in ended:
                await record(uow, self._posting, incident, Step("banner_ended", actor, "해결로 배너 종료",
                                                                {"banner_id": banner_id}), audit=False)
            return ResolvedOut(**incident_out(incident).model_dump(), banners_ended=ended, adgate_still_exempt=still)

    async def page(self, status: str | None, offset: int, limit: int) -> IncidentPageOut:
        async with self._units.begin() as uow:
            total, rows = await uow.stores.incidents.page(status, offset, limit)
            return IncidentPageOut(total=total, rows=[incident_out(row) for row in rows])

    async def show(self, incident_id: int) -> IncidentDetailOut:
        async with self._units.begin() as uow:
            stores = uow.stores.incidents
            incident = await load(uow.stores, incident_id)
            timeline = [TimelineEntryOut.model_validate(e, from_attributes=True)
                        for e in await stores.timeline(incident_id)]
            banners = [StoredBannerOut.model_validate(b, from_attributes=True)
                       for b in await stores.banners_of(incident_id)]
            posts = [PostOut.model_validate({**{c: getattr(p, c) for c in PostOut.model_fields if c != "text"},
                                             "text": p.body.get("text", "")})
                     for p in await stores.posts_of(incident_id)]
            return IncidentDetailOut(**incident_out(incident).model_dump(), timeline=timeline, banners=banners,
                                     posts=posts)


def _still_exempt(document: Any, campaigns: list[str]) -> list[str]:
    still = [GLOBAL] if document.adgate_global_bypass else []
    return still + sorted({e.campaign_id for e in document.adgate_exceptions if e.campaign_id in campaigns})
