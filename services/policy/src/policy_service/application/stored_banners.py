"""Banners set by hand (seed §1 "공지 배너"): set one (Korean text, English alongside, a campaign or all, a start
and an end or none, why), end one, list them all with the scheduled and ended ones. Bad input is refused field
by field before anything is stored (domain/banners.py); each step is audited, and an incident's banner joins
its timeline."""

from platform_shared.application.unit_of_work import Units
from platform_shared.contracts.admin.incidents import BannerEndIn, BannerIn, StoredBannerOut, StoredBannerPageOut
from platform_shared.errors import InvalidStateError, NotFoundError
from policy_service.adapters.incident_models import StoredBanner
from policy_service.adapters.incident_store import IncidentStores
from policy_service.application.incident_steps import Posting, Step, load, record
from policy_service.domain.banners import checked_banner


def banner_out(banner: StoredBanner) -> StoredBannerOut:
    return StoredBannerOut.model_validate(banner, from_attributes=True)


class StoredBanners:
    def __init__(self, units: Units[IncidentStores], posting: Posting) -> None:
        self._units = units
        self._posting = posting

    async def set(self, actor: str, body: BannerIn) -> StoredBannerOut:
        async with self._units.begin() as uow:
            new = checked_banner(body.text, body.text_en, body.campaign_id, body.starts_at, body.ends_at,
                                 body.reason, uow.now)
            incident = None if body.incident_id is None else await load(uow.stores, body.incident_id, lock=True)
            if incident is not None and incident.status == "resolved":
                raise InvalidStateError(f"incident {incident.id} is resolved", field="incident_id")
            banner = StoredBanner(kind="general" if incident is None else "incident", text=new.text,
                                  text_en=new.text_en, campaign_id=new.campaign_id, starts_at=new.starts_at,
                                  ends_at=new.ends_at, set_by=actor, reason=new.reason,
                                  incident_id=None if incident is None else incident.id, created_at=uow.now)
            await uow.stores.incidents.add(banner)
            shown = banner_out(banner)
            await uow.audit(actor=actor, action="banner.set", target=f"banner:{banner.id}", reason=new.reason,
                            after=shown.model_dump(mode="json"))
            if incident is not None:
                await record(uow, self._posting, incident, Step("banner_set", actor, new.text,
                                                                {"banner_id": banner.id}), audit=False)
            return shown

    async def end(self, actor: str, banner_id: int, body: BannerEndIn) -> StoredBannerOut:
        async with self._units.begin() as uow:
            banner = await uow.stores.incidents.banner(banner_id, lock=True)
            if banner is None:
                raise NotFoundError(f"no banner {banner_id}", field="banner_id")
            if banner.ended_at is not None:
                raise InvalidStateError(f"banner {banner_id} ended already", field="banner_id")
            before = banner_out(banner).model_dump(mode="json")
            banner.ended_at, banner.ended_by = uow.now, actor
            shown = banner_out(banner)
            await uow.audit(actor=actor, action="banner.end", target=f"banner:{banner.id}", reason=body.reason,
                            before=before, after=shown.model_dump(mode="json"))
            if banner.incident_id is not None:
                incident = await load(uow.stores, banner.incident_id, lock=True)
                await record(uow, self._posting, incident, Step("banner_ended", actor, body.reason,
                                                                {"banner_id": banner.id}), audit=False)
            return shown

    async def all(self, offset: int, limit: int) -> StoredBannerPageOut:
        async with self._units.begin() as uow:
            total, rows = await uow.stores.incidents.all_banners(offset, limit)
            return StoredBannerPageOut(total=total, rows=[banner_out(row) for row in rows])
