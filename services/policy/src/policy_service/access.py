"""Who may call each policy route (SPEC §7): the one place they are classified. A route missing here
stops the service from starting."""

from platform_shared.web.access import (
    EDGE,
    EVERYONE,
    OPERATORS,
    PUBLIC,
    AccessTable,
    Role,
    role,
    sensitive,
    shared_routes,
)

ACCESS: AccessTable = {
    **shared_routes(),
    ("GET", "/policy"): role(*EVERYONE),
    # Policy changes (seed §8): two steps, the confirming one sensitive; history for every role.
    ("POST", "/policy/changes/prepare"): role(*OPERATORS),
    ("POST", "/policy/changes/confirm"): sensitive(*OPERATORS),
    ("GET", "/policy/versions"): role(*EVERYONE),
    ("GET", "/policy/propagation"): role(*EVERYONE),
    ("GET", "/policy/banners"): EDGE,  # the entrant-facing pages read them (seed §5.3 notice)
    ("GET", "/policy/diff"): role(*EVERYONE),
    ("POST", "/policy/versions/{version}/rollback/prepare"): role(*OPERATORS),
    ("POST", "/policy/rollback/confirm"): sensitive(*OPERATORS),
    # Kakao login outages (seed §9.3): the report for those who run and analyse; the banners for the entrant pages.
    ("GET", "/kakao/outages"): role(Role.ADMIN, Role.PM, Role.DATA),
    ("GET", "/kakao/outages/{outage_id}"): role(Role.ADMIN, Role.PM, Role.DATA),
    ("GET", "/kakao/banners"): EDGE,
    # Backups of the history (seed §15): the files are the whole history, signed; taking one is audited.
    ("GET", "/policy/backups"): role(*OPERATORS),
    ("GET", "/policy/backups/{file}"): role(*OPERATORS),
    ("POST", "/policy/backups"): sensitive(*OPERATORS),
    # Incidents (seed §13): reads for every role, steps for operators; the first response and banners change
    # what entrants see, so their acting steps need a fresh second factor.
    ("GET", "/incidents/levels"): role(*EVERYONE),
    ("GET", "/incidents"): role(*EVERYONE),
    ("GET", "/incidents/{incident_id}"): role(*EVERYONE),
    ("POST", "/incidents"): role(*OPERATORS),
    ("POST", "/incidents/{incident_id}/notes"): role(*OPERATORS),
    ("POST", "/incidents/{incident_id}/status"): role(*OPERATORS),
    ("POST", "/incidents/{incident_id}/first-response/prepare"): role(*OPERATORS),
    ("POST", "/incidents/{incident_id}/first-response/confirm"): sensitive(*OPERATORS),
    ("GET", "/banners"): EDGE,  # the entrant app reads every banner in force (seed §1 "공지 배너")
    ("GET", "/banners/all"): role(*EVERYONE),
    ("POST", "/banners"): sensitive(*OPERATORS),
    ("POST", "/banners/{banner_id}/end"): sensitive(*OPERATORS),
    # Identity: logging in is the way to a token, so it is public (and throttled); the refresh token is
    # itself the credential of /auth/refresh.
    ("POST", "/auth/login"): PUBLIC,
    ("POST", "/auth/refresh"): PUBLIC,
    ("GET", "/.well-known/jwks.json"): PUBLIC,
    ("POST", "/auth/step-up"): role(*EVERYONE),
    ("POST", "/auth/logout"): role(*EVERYONE),
    ("GET", "/auth/me"): role(*EVERYONE),
    ("POST", "/auth/backup-codes"): sensitive(*EVERYONE),
    ("GET", "/accounts"): role(*OPERATORS),
    # 2FA reset (seed §10): the holder has only a password left; approval is the PM's, with step-up.
    ("POST", "/auth/2fa-resets"): PUBLIC,
    ("GET", "/auth/2fa-resets"): role(*OPERATORS),
    ("POST", "/auth/2fa-resets/{request_id}/approve"): sensitive(Role.PM),
    ("POST", "/auth/2fa-resets/{request_id}/enrol"): PUBLIC,
}
