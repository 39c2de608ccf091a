"""Admin accounts (SPEC §7) on one database: created (create_account.py), listed for operators, and their
backup codes regenerated (regenerate_backup_codes.py), as `policy-admin` and the HTTP routes call them."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.tokens import Principal
from platform_shared.time.clock import Clock
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.models import AdminAccount
from policy_service.application.create_account import CreateAccount, Enrolment, create_account
from policy_service.application.regenerate_backup_codes import RegenerateBackupCodes, regenerate_backup_codes


class AccountService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)

    async def create(self, name: str, role: str, password: str, created_by: str) -> Enrolment:
        return await create_account(self._units, CreateAccount(name, role, password, created_by))

    async def accounts(self) -> Sequence[AdminAccount]:
        async with self._sessions() as session:
            return await AccountStore(session).accounts()

    async def regenerate_backup_codes(self, caller: Principal) -> list[str]:
        return await regenerate_backup_codes(self._units, RegenerateBackupCodes(caller))
