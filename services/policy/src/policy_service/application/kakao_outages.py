"""Kakao login outages as the fleet saw them (seed §9.2, §9.3): the list, the report of one (its refused logins
by time window, every replica of every service added up), and the banners they set: the policy's outage banner
from the outage's start while it lasts, then the retry banner for the policy's time from its end."""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.contracts.admin.kakao import FailureWindowOut, KakaoOutageOut, KakaoOutageReportOut
from platform_shared.contracts.banners import BANNER_MAX_CHARS, SYSTEM, Banner
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import NotFoundError
from platform_shared.time.clock import Clock
from policy_service.adapters.kakao_store import SqlKakaoStore, outage_of
from policy_service.adapters.models import KakaoOutageRow
from policy_service.application.policy_in_force import PolicyService
from policy_service.domain.kakao_outages import banner_at, failures_by_window

REPORT_WINDOW = timedelta(minutes=1)
"""The report's time windows: the replicas' own (KAKAO_WINDOW_SECONDS, a minute by default) or wider."""
LISTED = 100


class KakaoOutages:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions, self._clock = sessions, clock

    async def list(self) -> list[KakaoOutageOut]:
        """Newest first."""
        async with self._sessions() as session:
            return [_outage(row) for row in await SqlKakaoStore(session).outages(LISTED)]

    async def report(self, outage_id: int) -> KakaoOutageReportOut:
        async with self._sessions() as session:
            store = SqlKakaoStore(session)
            row = await store.outage(outage_id)
            if row is None:
                raise NotFoundError(f"no Kakao outage {outage_id}")
            windows = await store.windows(row.started_at, row.ended_at or self._clock.now())
        buckets = failures_by_window(windows, REPORT_WINDOW)
        totals: dict[str, int] = {}
        for bucket in buckets:
            for reason, count in bucket.failures.items():
                totals[reason] = totals.get(reason, 0) + count
        return KakaoOutageReportOut(
            outage=_outage(row), totals=dict(sorted(totals.items())),
            replicas=sorted({window.replica for window in windows}),
            windows=[FailureWindowOut(window_start=b.start, window_end=b.end, failures=b.failures, total=b.total)
                     for b in buckets])

    async def latest(self) -> KakaoOutageRow | None:
        async with self._sessions() as session:
            return await SqlKakaoStore(session).latest_outage()


class KakaoOutageBanners:
    """A banner source: the Kakao outage's banners in force at `now` (on every campaign's pages)."""

    def __init__(self, outages: KakaoOutages, policies: PolicyService) -> None:
        self._outages, self._policies = outages, policies

    async def banners_in_force(self, now: datetime, campaign_id: str | None) -> list[Banner]:
        latest = await self._outages.latest()
        if latest is None:
            return []
        policy = PolicyDocument.model_validate((await self._policies.current()).document)
        period = banner_at(outage_of(latest), timedelta(minutes=policy.kakao_retry_banner_minutes), now)
        if period is None:
            return []
        field, reason = ("kakao_outage_banner", "카카오 로그인 장애 (runbook §9.2)") if period.kind == "kakao_outage" \
            else ("kakao_retry_banner", "카카오 로그인 복구 후 재시도 안내 (runbook §9.3)")
        return [Banner(kind=period.kind, text=_one_line(getattr(policy, field)), text_en=_english(policy, field),
                       starts_at=period.starts_at, ends_at=period.ends_at, set_by=SYSTEM, reason=reason,
                       source=f"kakao-outage:{latest.id}")]


ENGLISH = {"kakao_outage_banner": "Kakao login is having problems: entries may be delayed",
           "kakao_retry_banner": "Kakao login is back. If your entry failed, please try again"}


def _english(policy: PolicyDocument, field: str) -> str | None:
    """The English beside the default text; a text ops wrote themselves is shown as written."""
    return ENGLISH[field] if getattr(policy, field) == PolicyDocument.model_fields[field].default else None


def _one_line(text: str) -> str:
    """The outage banner is also the 503's text, which may be longer than a banner (up to 500 characters)."""
    return text if len(text) <= BANNER_MAX_CHARS else text[:BANNER_MAX_CHARS - 1] + "…"


def _outage(row: KakaoOutageRow) -> KakaoOutageOut:
    return KakaoOutageOut(id=row.id, started_at=row.started_at, ended_at=row.ended_at,
                          replicas_down=list(row.down_replicas))
