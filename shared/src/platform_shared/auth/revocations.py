"""Which access tokens were voided before their expiry: a 2FA reset voids every login of the account, a
logout the tokens of its one login. Each process keeps the latest `tokens_valid_after` per account, read from
the compacted `admin_accounts` topic, and the ended logins, read from `admin_sessions`, so a revocation
reaches every service within moments, with no call per request."""

from datetime import datetime, timedelta

from platform_shared.auth.tokens import Principal
from platform_shared.contracts.events import AdminAccountChanged, AdminSessionEnded


class Revocations:
    def __init__(self) -> None:
        self._valid_after: dict[str, datetime] = {}
        self._ended: set[str] = set()
        """Sessions logged out: a few a day, each a key on a topic that keeps them a day."""

    def end_session(self, ended: AdminSessionEnded) -> None:
        self._ended.add(ended.session_id)

    def apply(self, change: AdminAccountChanged) -> None:
        """Never backwards: a late-arriving older state cannot revive tokens a reset voided."""
        known = self._valid_after.get(change.account)
        if change.tokens_valid_after is not None and (known is None or change.tokens_valid_after > known):
            self._valid_after[change.account] = change.tokens_valid_after

    def revoked(self, caller: Principal) -> bool:
        """Token times are whole seconds: a token of the revocation's own second counts as before it."""
        if caller.session_id in self._ended:
            return True
        valid_after = self._valid_after.get(caller.account)
        return valid_after is not None and caller.issued_at < valid_after.replace(microsecond=0) + timedelta(seconds=1)
