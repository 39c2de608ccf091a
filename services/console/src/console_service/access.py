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
    ("POST", "/lottery/draws"): role(*OPERATORS),
    ("GET", "/lottery/draws/{campaign_id}"): role(*EVERYONE),
    ("GET", "/lottery/draws/{campaign_id}/weights.svg"): role(*EVERYONE),
    ("GET", "/lottery/draws/{campaign_id}/entries"): role(*OPERATORS, Role.DATA),  # as the service's
    ("POST", "/lottery/draws/{campaign_id}/entries"): role(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/close"): role(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/duplicates"): role(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/recalculate/prepare"): role(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/recalculate/confirm"): sensitive(*OPERATORS),
    # The seat count (seed §3.5): while open the service's one sensitive step; after the close its first step,
    # and the confirmation — by a second operator — sensitive, as the lottery's places/confirm.
    ("POST", "/lottery/draws/{campaign_id}/places"): sensitive(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/places/confirm"): sensitive(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/reopen/prepare"): role(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/reopen/confirm"): sensitive(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/precheck"): role(*OPERATORS),  # the service's dry run: operators'
    ("POST", "/lottery/draws/{campaign_id}/dry-run"): role(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/run/prepare"): role(*OPERATORS),
    ("POST", "/lottery/draws/{campaign_id}/run/execute"): sensitive(*OPERATORS),
    ("GET", "/lottery/runs/{run_id}"): role(*EVERYONE),
    ("GET", "/lottery/runs/{run_id}/verify"): role(*EVERYONE),
    ("GET", "/lottery/runs/{run_id}/export.csv"): role(*OPERATORS, Role.DATA),
    ("POST", "/lottery/runs/{run_id}/rollback/prepare"): role(*OPERATORS),
    ("POST", "/lottery/runs/{run_id}/rollback/confirm"): sensitive(*OPERATORS),
    # 대기자 / Waitlist (seed §4)
    ("GET", "/waitlist"): role(*EVERYONE),  # the run's status for all; its offers to OPERATORS and Data
    ("POST", "/waitlist/runs/{run_id}/promote"): role(*OPERATORS),
    # 알림 / Notifications (seed §6)
    ("GET", "/notifications"): role(*OPERATORS, Role.DATA),
    ("POST", "/notifications/pause"): sensitive(*OPERATORS),
    ("POST", "/notifications/resume"): sensitive(*OPERATORS),
    ("GET", "/notifications/templates"): role(*OPERATORS),
    ("GET", "/notifications/templates/{name}/{locale}"): role(*OPERATORS),
    ("POST", "/notifications/templates/{name}/{locale}/preview"): role(*OPERATORS),  # stores nothing
    ("POST", "/notifications/templates/{name}/{locale}"): sensitive(*OPERATORS),
    ("GET", "/notifications/resend"): role(*OPERATORS),
    ("POST", "/notifications/resend/prepare"): role(*OPERATORS),
    ("POST", "/notifications/resend/confirm"): sensitive(*OPERATORS),
    ("GET", "/notifications/dead-letters"): role(*OPERATORS, Role.DATA),
    ("GET", "/notifications/dead-letters/{service}/{letter_id}"): role(*OPERATORS, Role.DATA),
    ("POST", "/notifications/dead-letters/{service}/tag"): sensitive(*OPERATORS),
    ("POST", "/notifications/dead-letters/{service}/redrive"): sensitive(*OPERATORS),
    ("GET", "/notifications/redrives/{service}/{redrive_id}"): role(*OPERATORS, Role.DATA),
    ("GET", "/notifications/redrives/{service}/{redrive_id}/progress"): role(*OPERATORS, Role.DATA),
    ("POST", "/notifications/redrives/{service}/{redrive_id}/cancel"): sensitive(*OPERATORS),
    # 공지 (seed §1, §14): the lottery's /notices are the operators'; its confirmation is sensitive.
    ("GET", "/notifications/notices"): role(*OPERATORS),
    ("POST", "/notifications/notices/prepare"): role(*OPERATORS),
    ("POST", "/notifications/notices/confirm"): sensitive(*OPERATORS),
    # 정책 / Policies (seed §5, §8): reads for every role; a change's first step for the operators, its
    # confirmation sensitive, as the policy service's own table has them; the impact report is the lottery's.
    ("GET", "/policies"): role(*EVERYONE),
    ("GET", "/policies/history"): role(*EVERYONE),
    ("GET", "/policies/adgate"): role(*EVERYONE),
    ("GET", "/policies/propagation"): role(*EVERYONE),
    ("GET", "/policies/propagation/table"): role(*EVERYONE),
    ("POST", "/policies/changes/prepare"): role(*OPERATORS),
    ("POST", "/policies/adgate/exceptions"): role(*OPERATORS),
    ("POST", "/policies/adgate/exceptions/end"): role(*OPERATORS),
    ("POST", "/policies/adgate/bypass"): role(*OPERATORS),
    ("POST", "/policies/changes/confirm"): sensitive(*OPERATORS),
    ("POST", "/policies/rollback/prepare"): role(*OPERATORS),
    ("POST", "/policies/rollback/confirm"): sensitive(*OPERATORS),
    # Kakao login outages (seed §9.3): the policy service's /kakao/outages are admin, pm and data.
    ("GET", "/policies/kakao-outages"): role(Role.ADMIN, Role.PM, Role.DATA),
    ("GET", "/policies/kakao-outages/{outage_id}"): role(Role.ADMIN, Role.PM, Role.DATA),
    # 컨슈머 / Consumers: every service's GET /consumers and its sensitive pause and resume.
    ("GET", "/consumers"): role(*OPERATORS, Role.DATA),
    ("POST", "/consumers/pause"): sensitive(*OPERATORS),
    ("POST", "/consumers/resume"): sensitive(*OPERATORS),
    # 감사 / Audit (seed §2): the services' GET /audit and /audit/verify are admin, pm and data.
    ("GET", "/audit"): role(Role.ADMIN, Role.PM, Role.DATA),
    ("GET", "/audit/verify"): role(Role.ADMIN, Role.PM, Role.DATA),
    # 장애 / Incidents and banners (seed §1, §13): reads for every role, steps for the operators, the first
    # response's confirmation and the banners sensitive, as the policy service's own table has them.
    ("GET", "/incidents"): role(*EVERYONE),
    ("POST", "/incidents"): role(*OPERATORS),
    ("GET", "/incidents/{incident_id}"): role(*EVERYONE),
    ("POST", "/incidents/{incident_id}/notes"): role(*OPERATORS),
    ("POST", "/incidents/{incident_id}/status"): role(*OPERATORS),
    ("POST", "/incidents/{incident_id}/first-response/prepare"): role(*OPERATORS),
    ("POST", "/incidents/{incident_id}/first-response/confirm"): sensitive(*OPERATORS),
    ("GET", "/incidents/banners"): role(*EVERYONE),
    ("POST", "/incidents/banners"): sensitive(*OPERATORS),
    ("POST", "/incidents/banners/{banner_id}/end"): sensitive(*OPERATORS),
    # 계정 / Accounts (seed §10): the page for every role (its lists for the operators, as GET /accounts);
    # new backup codes are sensitive for any role, approving a reset the PM's (sensitive); the holder's half of
    # a reset is public, as POST /auth/2fa-resets and its enrol are: the holder has lost the second factor.
    ("GET", "/accounts"): role(*EVERYONE),
    ("POST", "/accounts/backup-codes"): sensitive(*EVERYONE),
    ("POST", "/accounts/resets/{request_id}/approve"): sensitive(Role.PM),
    ("GET", "/accounts/reset"): PUBLIC,
    ("POST", "/accounts/reset"): PUBLIC,
    ("GET", "/accounts/reset/enrol"): PUBLIC,
    ("POST", "/accounts/reset/enrol"): PUBLIC,
}

__all__ = ["ACCESS", "OPERATORS", "AccessTable", "Role", "sensitive"]
