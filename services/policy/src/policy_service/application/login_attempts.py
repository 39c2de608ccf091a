"""Who is asking, and what a failed attempt costs (SPEC §7, seed §2 "admin whitelist + 2FA"): the password
check of a named account, the lock after repeated failures, and the failure kept (counted and audited) even
though the request fails. Logging in, stepping up and a 2FA reset's requests all go through here."""

from datetime import datetime

from platform_shared.application.unit_of_work import SqlUnitOfWork
from platform_shared.errors import TooManyAttemptsError
from policy_service.adapters.account_store import AccountStore
from policy_service.adapters.hashing import secret_matches
from policy_service.adapters.models import AdminAccount
from policy_service.domain.credentials import lock_after, lockout

REFUSED = "account, password or code is wrong"
"""One message for every failure, so a caller cannot tell which part was wrong or whether the account exists."""


async def holder_of(store: AccountStore, name: str, password: str, now: datetime) -> tuple[AdminAccount | None, bool]:
    """The named account, locked, and whether `password` is its password; refused (429) while the account
    is locked. An unknown name costs the same argon2 time as a wrong password."""
    account = await store.lock(name)
    refuse_while_locked(account, now)
    return account, secret_matches(account.password_hash if account else None, password) and account is not None


def refuse_while_locked(account: AdminAccount | None, now: datetime) -> None:
    locked = lockout(account.locked_until, now) if account else None
    if locked is not None:
        raise TooManyAttemptsError("too many failed attempts: this account is locked for now",
                                   retry_after_seconds=locked.seconds_left(now))


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
