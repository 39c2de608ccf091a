"""Storage of admin identity: accounts, their backup codes and login sessions (SQL lives here). Every
change to an account's credentials happens under the account's row lock (`lock`), so two logins racing
with the same TOTP code or backup code cannot both succeed."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from policy_service.adapters.models import AdminAccount, AdminSession, BackupCode, TwoFactorReset
from policy_service.domain.resets import ResetStatus


class AccountStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(self, name: str) -> AdminAccount | None:
        """Without the row lock: for reading what a check outside the transaction needs (a password hash)."""
        return await self._session.get(AdminAccount, name)

    async def lock(self, name: str) -> AdminAccount | None:
        return await self._session.get(AdminAccount, name, with_for_update=True)

    async def accounts(self) -> Sequence[AdminAccount]:
        return (await self._session.scalars(select(AdminAccount).order_by(AdminAccount.name))).all()

    async def add(self, account: AdminAccount, backup_code_hashes: Sequence[str]) -> None:
        self._session.add(account)
        await self._session.flush()
        await self.replace_backup_codes(account.name, backup_code_hashes)

    async def replace_backup_codes(self, account: str, hashes: Sequence[str]) -> None:
        """Old codes stop working the moment new ones exist (used or not, they are deleted)."""
        await self._session.execute(delete(BackupCode).where(BackupCode.account == account))
        self._session.add_all(BackupCode(account=account, code_hash=code_hash) for code_hash in hashes)

    async def unused_backup_codes(self, account: str) -> Sequence[BackupCode]:
        return (await self._session.scalars(select(BackupCode).where(
            BackupCode.account == account, BackupCode.used_at.is_(None)))).all()

    async def start_session(self, login: AdminSession) -> None:
        self._session.add(login)

    async def session_by_refresh(self, refresh_hash: str, *, lock: bool = True) -> AdminSession | None:
        query = select(AdminSession).where(AdminSession.refresh_hash == refresh_hash)
        return await self._session.scalar(query.with_for_update() if lock else query)

    async def lock_session(self, session_id: str) -> AdminSession | None:
        return await self._session.get(AdminSession, session_id, with_for_update=True)

    async def end_sessions(self, account: str, at: datetime) -> None:
        await self._session.execute(update(AdminSession).where(
            AdminSession.account == account, AdminSession.ended_at.is_(None)).values(ended_at=at))

    async def add_reset(self, reset: TwoFactorReset) -> None:
        self._session.add(reset)

    async def lock_reset(self, reset_id: str) -> TwoFactorReset | None:
        return await self._session.get(TwoFactorReset, reset_id, with_for_update=True)

    async def open_resets(self) -> Sequence[TwoFactorReset]:
        return (await self._session.scalars(select(TwoFactorReset).where(TwoFactorReset.status != ResetStatus.ENROLLED)
                                            .order_by(TwoFactorReset.requested_at))).all()
