"""Admin accounts (SPEC §7): created only by the `policy-admin create` command (no default account exists
anywhere), listed for operators, and their backup codes regenerated (audited)."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.access import Role
from platform_shared.auth.tokens import Principal
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminAccountChanged
from platform_shared.errors import ConflictError, DomainError
from platform_shared.time.clock import Clock
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import hash_secret
from policy_service.domain.credentials import (
    MIN_PASSWORD_LENGTH,
    new_backup_codes,
    new_totp_secret,
    provisioning_uri,
)
from policy_service.adapters.models import AdminAccount


@dataclass(frozen=True)
class Enrolment:
    """What the new account's person needs once, and never again from the system: the TOTP secret (as a
    provisioning URI for an authenticator app) and the backup codes."""

    name: str
    role: str
    totp_secret: str
    provisioning_uri: str
    backup_codes: list[str]


class AccountService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._units = UnitsOfWork(sessions, clock)

    async def create(self, name: str, role: str, password: str, created_by: str) -> Enrolment:
        if role not in set(Role):
            raise DomainError(f"role must be one of {', '.join(Role)}", field="role")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise DomainError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password")
        secret, codes = new_totp_secret(), new_backup_codes()
        async with self._units.begin() as uow:
            store = AccountStore(uow.session)
            if await store.lock(name) is not None:
                raise ConflictError(f"account {name!r} exists", field="name")
            await store.add(AdminAccount(name=name, role=role, password_hash=hash_secret(password),
                                         totp_secret=secret, created_by=created_by, created_at=uow.now),
                            [hash_secret(code) for code in codes])
            await uow.audit(actor=created_by, action="account.create", target=f"account:{name}", after={"role": role})
            await uow.publish(topics.ADMIN_ACCOUNTS, [AdminAccountChanged(
                occurred_at=uow.now, account=name, role=role)])
        return Enrolment(name, role, secret, provisioning_uri(secret, name), codes)

    async def accounts(self) -> Sequence[AdminAccount]:
        async with self._sessions() as session:
            return await AccountStore(session).accounts()

    async def regenerate_backup_codes(self, caller: Principal) -> list[str]:
        """Ten new codes; every old one stops working."""
        codes = new_backup_codes()
        async with self._units.begin() as uow:
            await AccountStore(uow.session).replace_backup_codes(caller.account, [hash_secret(code) for code in codes])
            await uow.audit(actor=caller.account, action="account.backup_codes_regenerated",
                            target=f"account:{caller.account}", after={"codes": len(codes)})
        return codes
