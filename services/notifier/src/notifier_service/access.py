"""Who may call each notifier route (SPEC §7): the one place they are classified. A route missing here
stops the service from starting."""

from platform_shared.web.access import EVERYONE, OPERATORS, AccessTable, Role, role, sensitive, shared_routes

ACCESS: AccessTable = {
    **shared_routes(),
    ("GET", "/notifications"): role(*OPERATORS, Role.DATA),
    ("GET", "/notifications/texts"): role(*OPERATORS),  # the words said to each person: operators only
    ("GET", "/dashboard"): role(*EVERYONE),
    ("GET", "/sending"): role(*EVERYONE),
    ("POST", "/sending/pause"): sensitive(*OPERATORS),
    ("POST", "/sending/resume"): sensitive(*OPERATORS),
    ("GET", "/templates"): role(*OPERATORS),
    ("PUT", "/templates/{name}"): sensitive(*OPERATORS),
    ("POST", "/templates/{name}/preview"): role(*OPERATORS),  # stores nothing
    ("POST", "/notifications/resend/prepare"): role(*OPERATORS),
    ("POST", "/notifications/resend/confirm"): sensitive(*OPERATORS),
    ("PUT", "/contacts"): sensitive(*OPERATORS),  # personal data in: audited, second factor fresh
    ("DELETE", "/contacts/{user_id}"): sensitive(*OPERATORS),
    ("GET", "/contacts/summary"): role(*OPERATORS),  # counts only
}
