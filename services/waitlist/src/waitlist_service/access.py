"""Who may call each waitlist route (SPEC §7, §9): the one place they are classified. A route missing here
stops the service from starting."""

from platform_shared.web.access import (
    EDGE,
    ENTRANT,
    EVERYONE,
    OPERATORS,
    AccessTable,
    Role,
    role,
    shared_routes,
)
from platform_shared.web.entrants_api import entrant_routes

ACCESS: AccessTable = {
    **shared_routes(),
    **entrant_routes(),  # Kakao login, GET /me (SPEC §9)
    ("GET", "/runs/{run_id}/offers"): role(*OPERATORS, Role.DATA),
    ("GET", "/runs/{run_id}/status"): role(*EVERYONE),
    ("POST", "/runs/{run_id}/promote"): role(*OPERATORS),
    # Offers are answered by their owner only: logged in with Kakao, the token's `sub` is the
    # owner, and nobody names one in a request...
    ("GET", "/me/offers"): ENTRANT,
    ("POST", "/me/offers/{offer_id}/accept"): ENTRANT,
    ("POST", "/me/offers/{offer_id}/decline"): ENTRANT,
    # ...or holding the signed link of their notification: the signature is the proof (checked by the
    # route, against the offer's own person), so no login; the link shows the offer, the POST answers it.
    ("GET", "/offers/{offer_id}/link"): EDGE,
    ("POST", "/offers/{offer_id}/answer"): EDGE,
}
