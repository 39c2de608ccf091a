"""Who may open each console route (SPEC §7): the one place they are classified, like each service's
access.py. A route missing here stops the console from starting (entrypoints/http/guard.py install_guard).

The console classifies for what it offers and refuses early; the service behind each action still decides
with the operator's own token (a forced request is refused there too). `sensitive` marks the actions whose
service asks for a fresh second factor: the console then asks for the code in a dialog (actions.py)."""

from platform_shared.auth.access import EVERYONE, OPERATORS, PUBLIC, Access, Role, role, sensitive

AccessTable = dict[tuple[str, str], Access]

ACCESS: AccessTable = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("GET", "/signin"): PUBLIC,
    ("POST", "/signin"): PUBLIC,
    ("POST", "/language"): PUBLIC,
    ("POST", "/signout"): role(*EVERYONE),
    # 추첨 / Lottery (seed §3, §11)
    ("GET", "/lottery"): role(*EVERYONE),
    # 대기자 / Waitlist (seed §4)
    # 알림 / Notifications (seed §6)
    # 정책 / Policies (seed §5, §8)
    # 컨슈머 / Consumers
    # 감사 / Audit (seed §2)
    # 계정 / Accounts (seed §10)
}

__all__ = ["ACCESS", "OPERATORS", "AccessTable", "Role", "sensitive"]
