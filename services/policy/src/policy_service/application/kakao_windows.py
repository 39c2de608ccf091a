"""Every Kakao edge replica's login windows, kept, and the fleet's outages derived from them as they arrive
(seed §9.2, §9.3). The consumer's handler: load → decide (domain/kakao_outages.py) → store."""

from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.contracts.kakao_health import KakaoLoginWindow
from policy_service.adapters.kakao_store import SqlKakaoStore, outage_of
from policy_service.domain.kakao_outages import ReplicaWindow, next_outage


async def record_login_window(window: KakaoLoginWindow, session: AsyncSession) -> None:
    store = SqlKakaoStore(session)
    if not await store.keep_window(window):
        return  # a revision already kept, or overtaken by a later one
    await store.lock_outages()
    row = await store.latest_outage()
    change = next_outage(None if row is None else outage_of(row), ReplicaWindow(
        f"{window.service}/{window.instance}", window.window_start, window.window_end, window.failures,
        window.issuer_down, window.issuer_up, window.recovered_at, window.occurred_at))
    if change is not None:
        await store.save_outage(None if change.new else row, change.outage)
