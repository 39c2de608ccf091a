"""The console's pages in the runbook's order and words (seed §3–§13): what the navigation shows, and to whom."""

from dataclasses import dataclass

from platform_shared.auth.access import EVERYONE, OPERATORS, Role


def N_(message: str) -> str:
    """Marks a message for the catalogs (tools/console_messages.py) without translating it here: the page
    translates it when it shows it (gettext's `gettext_noop`)."""
    return message


ROLE_NAMES = {Role.ADMIN: N_("role:admin"), Role.PM: N_("role:pm"), Role.DATA: N_("role:data"),
              Role.PARTNER_OPS: N_("role:partner_ops")}


@dataclass(frozen=True)
class Section:
    path: str
    title: str
    """The English msgid; the page shows its Korean (or English) translation."""
    runbook: str
    roles: tuple[Role, ...]


SECTIONS = (
    Section("/lottery", N_("Lottery"), "§3, §11", EVERYONE),
    Section("/waitlist", N_("Waitlist"), "§4", EVERYONE),
    Section("/notifications", N_("Notifications"), "§6", (*OPERATORS, Role.DATA)),
    Section("/policies", N_("Policies"), "§5, §8", EVERYONE),
    Section("/consumers", N_("Consumers"), "§6.2", (*OPERATORS, Role.DATA)),
    Section("/audit", N_("Audit"), "§2", (*OPERATORS, Role.DATA)),
    Section("/accounts", N_("Accounts"), "§10", EVERYONE),
    Section("/incidents", N_("Incidents"), "§1, §13", EVERYONE),
)


def sections_for(role: Role) -> list[Section]:
    return [section for section in SECTIONS if role in section.roles]
