"""2FA resets when a device is lost (seed §10) on one database: the holder asks (request_reset.py), a different
PM approves (approve_reset.py), the holder enrols the new secret (enrol_after_reset.py); operators list the
open requests. All audited."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.tokens import Principal
from platform_shared.time.clock import Clock
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.models import TwoFactorReset
from policy_service.application.approve_reset import ApproveReset, approve_reset
from policy_service.application.create_account import Enrolment
from policy_service.application.enrol_after_reset import EnrolAfterReset, enrol_after_reset
from policy_service.application.login_throttle import LoginThrottle
from policy_service.application.request_reset import RequestReset, request_reset


class ResetService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, throttle: LoginThrottle) -> None:
        self._sessions, self._throttle = sessions, throttle
        self._units = UnitsOfWork(sessions, clock)

    async def request(self, name: str, password: str, reason: str) -> str:
        return await request_reset(self._units, self._throttle, RequestReset(name, password, reason))

    async def open_requests(self) -> Sequence[TwoFactorReset]:
        async with self._sessions() as session:
            return await AccountStore(session).open_resets()

    async def approve(self, reset_id: str, approver: Principal, reason: str) -> TwoFactorReset:
        return await approve_reset(self._units, ApproveReset(reset_id, approver, reason))

    async def enrol(self, reset_id: str, name: str, password: str) -> Enrolment:
        return await enrol_after_reset(self._units, self._throttle, EnrolAfterReset(reset_id, name, password))
