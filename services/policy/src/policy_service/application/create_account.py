"""Creating an admin account (SPEC §7, seed §2 "admin whitelist"): only the `policy-admin create` command does
it (no default account exists anywhere); audited and announced on `admin_accounts`."""

from dataclasses import dataclass

from platform_shared.application.unit_of_work import UnitsOfWork
from platform_shared.auth.access import Role
from platform_shared.contracts import topics
from platform_shared.contracts.events import AdminAccountChanged
from platform_shared.errors import ConflictError, DomainError
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import hashed, hashed_all
from policy_service.adapters.models import AdminAccount
from policy_service.domain.credentials import (
    MIN_PASSWORD_LENGTH,
    new_backup_codes,
    new_totp_secret,
    provisioning_uri,
)


@dataclass(frozen=True)
class Enrolment:
    """What the new account's person needs once, and never again from the system: the TOTP secret (as a
    provisioning URI for an authenticator app) and the backup codes."""

    name: str
    role: str
    totp_secret: str
    provisioning_uri: str
    backup_codes: list[str]


@dataclass(frozen=True)
class CreateAccount:
    name: str
    role: str
    password: str
    created_by: str


async def create_account(units: UnitsOfWork[None], command: CreateAccount) -> Enrolment:
    name, role = command.name, command.role
    if role not in set(Role):
        raise DomainError(f"role must be one of {', '.join(Role)}", field="role")
    if len(command.password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters", field="password")
    secret, codes = new_totp_secret(), new_backup_codes()
    password_hash, code_hashes = await hashed(command.password), await hashed_all(codes)
    async with units.begin() as uow:
        store = AccountStore(uow.session)
        if await store.lock(name) is not None:
            raise ConflictError(f"account {name!r} exists", field="name")
        await store.add(AdminAccount(name=name, role=role, password_hash=password_hash,
                                     totp_secret=secret, created_by=command.created_by, created_at=uow.now),
                        code_hashes)
        await uow.audit(actor=command.created_by, action="account.create", target=f"account:{name}",
                        after={"role": role})
        await uow.publish(topics.ADMIN_ACCOUNTS, [AdminAccountChanged(occurred_at=uow.now, account=name, role=role)])
    return Enrolment(name, role, secret, provisioning_uri(secret, name), codes)
