"""Who may call each lottery route (SPEC §7): the one place they are classified. A route missing here
stops the service from starting."""

from platform_shared.web.access import (
    EDGE,
    ENTRANT,
    EVERYONE,
    OPERATORS,
    AccessTable,
    Role,
    role,
    sensitive,
    shared_routes,
)
from platform_shared.web.entrants_api import entrant_routes

ACCESS: AccessTable = {
    **shared_routes(),
    **entrant_routes(),  # Kakao login, GET /me (SPEC §9)
    # The entrant edge (SPEC §9): pages anyone browses; what an entrant does needs their Kakao login.
    ("GET", "/campaigns/{campaign_id}"): EDGE,
    ("GET", "/campaigns/{campaign_id}/intro"): ENTRANT,
    ("POST", "/campaigns/{campaign_id}/adgate/return"): ENTRANT,
    ("POST", "/campaigns/{campaign_id}/entry"): ENTRANT,
    ("GET", "/campaigns/{campaign_id}/entry"): ENTRANT,
    # Draws and their entries (seed §3.1, §11)
    ("POST", "/draws"): role(*OPERATORS),
    ("GET", "/draws"): role(*EVERYONE),  # with each event's review against the policy (seed §7.3)
    ("GET", "/draws/{campaign_id}"): role(*EVERYONE),
    ("POST", "/draws/{campaign_id}/close"): role(*OPERATORS),
    ("PUT", "/draws/{campaign_id}/places"): sensitive(*OPERATORS),  # who wins changes: a fresh second factor
    # After the close the counts are committed (docs/draw-algorithm.md §8.6): a second operator confirms.
    ("POST", "/draws/{campaign_id}/places/prepare"): role(*OPERATORS),
    ("GET", "/draws/{campaign_id}/places/requests"): role(*OPERATORS),  # what a second operator approves
    ("POST", "/draws/{campaign_id}/places/confirm"): sensitive(*OPERATORS),
    # The public commitment (§8.3) and log (§8.5): anyone checks them before the draw, without a login.
    ("GET", "/draws/{campaign_id}/commitment"): EDGE,
    ("GET", "/commitments"): EDGE,
    ("GET", "/commitments/head"): EDGE,
    # An eligibility correction after close (seed §3.5): two steps, the second sensitive.
    ("POST", "/draws/{campaign_id}/reopen/prepare"): role(*OPERATORS),
    ("GET", "/draws/{campaign_id}/reopenings"): role(*EVERYONE),
    ("POST", "/draws/{campaign_id}/reopen/confirm"): sensitive(*OPERATORS),
    ("POST", "/draws/{campaign_id}/dry-run"): role(*OPERATORS),
    ("GET", "/draws/{campaign_id}/weights.svg"): role(*EVERYONE),
    # The admin bulk import (audited); entrants enter through /campaigns/{campaign_id}/entry.
    ("POST", "/draws/{campaign_id}/entries"): role(*OPERATORS),
    ("GET", "/draws/{campaign_id}/entries"): role(*OPERATORS, Role.DATA),  # Kakao user ids, as the export shows them
    ("POST", "/draws/{campaign_id}/entries/legacy-import"): role(*OPERATORS),
    ("POST", "/draws/{campaign_id}/entries/correct-duplicates"): role(*OPERATORS),
    ("PUT", "/draws/{campaign_id}/entries/{kakao_user_id}/suspicious"): role(*OPERATORS, Role.PARTNER_OPS),
    ("PUT", "/blacklist/{kakao_user_id}"): role(*OPERATORS),
    ("DELETE", "/blacklist/{kakao_user_id}"): role(*OPERATORS),
    ("POST", "/draws/{campaign_id}/weights/recalculate/prepare"): role(*OPERATORS),
    ("POST", "/draws/{campaign_id}/weights/recalculate/confirm"): sensitive(*OPERATORS),
    # Running a draw (seed §3.3–3.5): the confirming step of each two-step action is sensitive.
    ("POST", "/draws/{campaign_id}/runs/prepare"): role(*OPERATORS),
    ("POST", "/draws/{campaign_id}/runs/execute"): sensitive(*OPERATORS),
    ("GET", "/runs/{run_id}"): role(*EVERYONE),
    ("GET", "/runs/{run_id}/results"): role(*EVERYONE),  # the same results, a page at a time
    ("GET", "/runs/{run_id}/verify"): role(*EVERYONE),
    ("GET", "/runs/{run_id}/reveal"): role(*EVERYONE),
    ("GET", "/runs/{run_id}/export.csv"): role(*OPERATORS, Role.DATA),
    # For anyone to verify: pseudonyms only, and the seed of a run already drawn.
    ("GET", "/runs/{run_id}/bundle.json"): EDGE,
    ("POST", "/runs/{run_id}/rollback/prepare"): role(*OPERATORS),
    ("POST", "/runs/{run_id}/rollback/confirm"): sensitive(*OPERATORS),
    # Notices to a segment of users (seed §1, §14): two steps, the second sensitive (it reaches people).
    ("POST", "/notices/prepare"): role(*OPERATORS),
    ("POST", "/notices/confirm"): sensitive(*OPERATORS),
    ("GET", "/notices"): role(*OPERATORS),
    # AdGate emergency stop (seed §5.4): what entered without a sponsor visit.
    ("GET", "/adgate/exemptions"): role(*OPERATORS, Role.DATA, Role.PARTNER_OPS),
    ("GET", "/adgate/exemptions.csv"): role(*OPERATORS, Role.DATA, Role.PARTNER_OPS),
}
