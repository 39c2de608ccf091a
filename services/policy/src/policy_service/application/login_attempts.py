"""Who is asking, and what a failed attempt costs (SPEC §7, seed §2 "admin whitelist + 2FA"): the password
check of a named account, the lock after repeated failures, and the failure kept (counted and audited) even
though the request fails. Logging in, stepping up and a 2FA reset's requests all go through here.

The password is checked before the unit of work that acts on it (`password_match`): argon2 waits for a worker
thread (adapters/hashing.py) holding no database connection, so a flood of logins cannot take the pool that
`/health` and every other request need; the unit then confirms, under the account's row lock, that the
password it matched is still the account's."""

from datetime import datetime

from platform_shared.application.unit_of_work import SqlUnitOfWork, UnitsOfWork
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import matches
from policy_service.adapters.models import AdminAccount
from policy_service.application.login_throttle import LoginThrottle, locked
from policy_service.domain.credentials import lock_after, lockout

REFUSED = "account, password or code is wrong"
"""One message for every failure, so a caller cannot tell which part was wrong or whether the account exists."""


async def password_match(units: UnitsOfWork[None], throttle: LoginThrottle, name: str,
                         password: str) -> str | None:
    """The stored hash `password` matches (None: wrong password, or no such account — which costs the same
    argon2 work); refused (429) while the name or the account is locked, before any argon2 work."""
    async with units.begin() as uow:
        throttle.refuse_while_locked(name, uow.now)
        account = await AccountStore(uow.session).find(name)
        refuse_while_locked(account, uow.now)
        stored = account.password_hash if account is not None else None
    return stored if await matches(stored, password) else None


async def holder_of(store: AccountStore, name: str, matched_hash: str | None,
                    now: datetime) -> tuple[AdminAccount | None, bool]:
    """The named account, locked, and whether the password matched before (`password_match`) is still its
    password; refused (429) while the account is locked."""
    account = await store.lock(name)
    refuse_while_locked(account, now)
    return account, account is not None and matched_hash is not None and account.password_hash == matched_hash


def refuse_while_locked(account: AdminAccount | None, now: datetime) -> None:
    lock = lockout(account.locked_until, now) if account else None
    if lock is not None:
        raise locked(lock, now)


def clear_failures(account: AdminAccount) -> None:
    """A second factor accepted: the count starts again, and the lock ends."""
    account.failed_logins, account.locked_until = 0, None


async def count_failure(uow: SqlUnitOfWork[None], account: AdminAccount | None, name: str, action: str) -> None:
    """Kept although the request fails: the count drives the lock, the audit shows the attempt."""
    after: dict[str, object] = {"known_account": account is not None}
    if account is not None:
        account.failed_logins += 1
        lock = lock_after(account.failed_logins)
        account.locked_until = uow.now + lock if lock else None
        after |= {"failed_logins": account.failed_logins, "locked_until": account.locked_until}
    # An unknown name is not recorded: people type their password into the account field.
    named = name if account is not None else "<unknown account>"
    await uow.audit(actor=named, action=action, target=f"account:{named}", after=after)


async def refuse_replay(uow: SqlUnitOfWork[None], account: AdminAccount, action: str) -> None:
    """A TOTP code of a step already used, with the right password: refused and audited, not counted — a
    replay is not a guess, and counting it would let anyone who saw one code lock its holder out."""
    await uow.audit(actor=account.name, action=action, target=f"account:{account.name}",
                    after={"known_account": True, "replayed_code": True, "failed_logins": account.failed_logins})
