"""Who may call each waitlist route (SPEC §7): the one place they are classified. A route missing here
stops the service from starting."""

from platform_shared.web.access import EVERYONE, OPERATORS, AccessTable, Role, role, sensitive, shared_routes
from platform_shared.web.entrants_api import entrant_routes

ACCESS: AccessTable = {
    **shared_routes(),
    **entrant_routes(),  # Kakao login, GET /me (SPEC §9)
    ("GET", "/runs/{run_id}/offers"): role(*OPERATORS, Role.DATA),
    ("GET", "/runs/{run_id}/status"): role(*EVERYONE),
    ("POST", "/runs/{run_id}/promote"): role(*OPERATORS),
    # An entrant answers their own offer once they log in with Kakao (issue 12); until then only an
    # operator, with a fresh second factor, answers on someone's behalf: each decline moves a seat.
    ("POST", "/offers/{offer_id}/accept"): sensitive(*OPERATORS),
    ("POST", "/offers/{offer_id}/decline"): sensitive(*OPERATORS),
}
