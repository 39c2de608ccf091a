"""The policy service's routes an operator's tool calls: logging in and stepping up (SPEC §7), a lost
device's 2FA reset (seed §10), the policy in force, its changes, history, rollback and propagation (seed §8),
the history's backups (seed §15); incidents, their first response and the banners (seed §1, §13); the Kakao
login outages the fleet saw (seed §9.3)."""

from platform_shared.client.endpoint import Endpoint
from platform_shared.client.platform import ServiceClient
from platform_shared.contracts.admin.identity import (
    AccountOut,
    BackupCodesOut,
    EnrolIn,
    EnrolmentOut,
    LoginIn,
    MeOut,
    RefreshIn,
    ResetOut,
    ResetRequestedOut,
    ResetRequestIn,
    SecondFactorIn,
    TokensOut,
)
from platform_shared.contracts.admin.incidents import (
    BannerEndIn,
    BannerIn,
    BannersInForceOut,
    FirstResponseDoneOut,
    FirstResponseIn,
    FirstResponsePreparedOut,
    IncidentDetailOut,
    IncidentIn,
    IncidentOut,
    IncidentPageOut,
    LevelOut,
    NoteIn,
    ResolvedOut,
    StatusIn,
    StoredBannerOut,
    StoredBannerPageOut,
)
from platform_shared.contracts.admin.kakao import KakaoOutageOut, KakaoOutageReportOut
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.policy import (
    BackupFileOut,
    BackupTakenOut,
    ChangeOut,
    ChangePreparedOut,
    ConfirmedOut,
    PolicyOut,
    PropagationOut,
    ProposalIn,
    VersionOut,
)

LOGIN: Endpoint[TokensOut] = Endpoint("POST", "/auth/login", TokensOut, LoginIn)
STEP_UP: Endpoint[TokensOut] = Endpoint("POST", "/auth/step-up", TokensOut, SecondFactorIn)
LOGOUT: Endpoint[None] = Endpoint("POST", "/auth/logout", None)
REFRESH: Endpoint[TokensOut] = Endpoint("POST", "/auth/refresh", TokensOut, RefreshIn)
ME: Endpoint[MeOut] = Endpoint("GET", "/auth/me", MeOut)
REQUEST_RESET: Endpoint[ResetRequestedOut] = Endpoint("POST", "/auth/2fa-resets", ResetRequestedOut, ResetRequestIn)
RESETS: Endpoint[list[ResetOut]] = Endpoint("GET", "/auth/2fa-resets", list[ResetOut])
APPROVE_RESET: Endpoint[ResetOut] = Endpoint("POST", "/auth/2fa-resets/{request_id}/approve", ResetOut, ReasonIn)
ENROL: Endpoint[EnrolmentOut] = Endpoint("POST", "/auth/2fa-resets/{request_id}/enrol", EnrolmentOut, EnrolIn)
BACKUP_CODES: Endpoint[BackupCodesOut] = Endpoint("POST", "/auth/backup-codes", BackupCodesOut)
ACCOUNTS: Endpoint[list[AccountOut]] = Endpoint("GET", "/accounts", list[AccountOut])
POLICY: Endpoint[PolicyOut] = Endpoint("GET", "/policy", PolicyOut)
VERSIONS: Endpoint[list[VersionOut]] = Endpoint("GET", "/policy/versions", list[VersionOut])
DIFF: Endpoint[list[ChangeOut]] = Endpoint("GET", "/policy/diff", list[ChangeOut], query=("from", "to"))
PROPAGATION: Endpoint[PropagationOut] = Endpoint("GET", "/policy/propagation", PropagationOut)
PROPOSE: Endpoint[ChangePreparedOut] = Endpoint("POST", "/policy/changes/prepare", ChangePreparedOut, ProposalIn)
CONFIRM_CHANGE: Endpoint[ConfirmedOut] = Endpoint("POST", "/policy/changes/confirm", ConfirmedOut, TokenIn)
PREPARE_ROLLBACK: Endpoint[ChangePreparedOut] = Endpoint(
    "POST", "/policy/versions/{version}/rollback/prepare", ChangePreparedOut, ReasonIn)
CONFIRM_ROLLBACK: Endpoint[ConfirmedOut] = Endpoint("POST", "/policy/rollback/confirm", ConfirmedOut, TokenIn)
BACKUPS: Endpoint[list[BackupFileOut]] = Endpoint("GET", "/policy/backups", list[BackupFileOut])
TAKE_BACKUP: Endpoint[BackupTakenOut] = Endpoint("POST", "/policy/backups", BackupTakenOut)
BACKUP_FILE: Endpoint[None] = Endpoint("GET", "/policy/backups/{file}", None)
LEVELS: Endpoint[list[LevelOut]] = Endpoint("GET", "/incidents/levels", list[LevelOut])
INCIDENTS: Endpoint[IncidentPageOut] = Endpoint("GET", "/incidents", IncidentPageOut,
                                                query=("status", "offset", "limit"))
INCIDENT: Endpoint[IncidentDetailOut] = Endpoint("GET", "/incidents/{incident_id}", IncidentDetailOut)
OPEN_INCIDENT: Endpoint[IncidentOut] = Endpoint("POST", "/incidents", IncidentOut, IncidentIn)
NOTE: Endpoint[IncidentOut] = Endpoint("POST", "/incidents/{incident_id}/notes", IncidentOut, NoteIn)
STATUS: Endpoint[ResolvedOut] = Endpoint("POST", "/incidents/{incident_id}/status", ResolvedOut, StatusIn)
PREPARE_FIRST_RESPONSE: Endpoint[FirstResponsePreparedOut] = Endpoint(
    "POST", "/incidents/{incident_id}/first-response/prepare", FirstResponsePreparedOut, FirstResponseIn)
CONFIRM_FIRST_RESPONSE: Endpoint[FirstResponseDoneOut] = Endpoint(
    "POST", "/incidents/{incident_id}/first-response/confirm", FirstResponseDoneOut, TokenIn)
BANNERS: Endpoint[BannersInForceOut] = Endpoint("GET", "/banners", BannersInForceOut, query=("campaign_id",))
ALL_BANNERS: Endpoint[StoredBannerPageOut] = Endpoint("GET", "/banners/all", StoredBannerPageOut,
                                                      query=("offset", "limit"))
SET_BANNER: Endpoint[StoredBannerOut] = Endpoint("POST", "/banners", StoredBannerOut, BannerIn)
END_BANNER: Endpoint[StoredBannerOut] = Endpoint("POST", "/banners/{banner_id}/end", StoredBannerOut, BannerEndIn)
KAKAO_OUTAGES: Endpoint[list[KakaoOutageOut]] = Endpoint("GET", "/kakao/outages", list[KakaoOutageOut])
KAKAO_OUTAGE: Endpoint[KakaoOutageReportOut] = Endpoint("GET", "/kakao/outages/{outage_id}", KakaoOutageReportOut)


class PolicyClient(ServiceClient):
    def login(self, body: LoginIn) -> TokensOut:
        return self.http.call(LOGIN, body)

    def step_up(self, body: SecondFactorIn) -> TokensOut:
        return self.http.call(STEP_UP, body)

    def logout(self) -> None:
        self.http.call(LOGOUT)

    def refresh(self, body: RefreshIn) -> TokensOut:
        """A new access token for the refresh token's login (which rotates); refused once the login ended."""
        return self.http.call(REFRESH, body)

    def me(self) -> MeOut:
        return self.http.call(ME)

    def request_reset(self, body: ResetRequestIn) -> ResetRequestedOut:
        """The holder, with their password: no session needed."""
        return self.http.call(REQUEST_RESET, body)

    def resets(self) -> list[ResetOut]:
        return self.http.call(RESETS)

    def approve_reset(self, request_id: str, body: ReasonIn) -> ResetOut:
        return self.http.call(APPROVE_RESET, body, request_id=request_id)

    def enrol(self, request_id: str, body: EnrolIn) -> EnrolmentOut:
        """The holder, with their password, once: the new TOTP secret and backup codes."""
        return self.http.call(ENROL, body, request_id=request_id)

    def regenerate_backup_codes(self) -> BackupCodesOut:
        """Ten new one-time codes for the caller's own account, shown this once; the old ones stop working."""
        return self.http.call(BACKUP_CODES)

    def accounts(self) -> list[AccountOut]:
        return self.http.call(ACCOUNTS)

    def policy(self) -> PolicyOut:
        return self.http.call(POLICY)

    def versions(self) -> list[VersionOut]:
        return self.http.call(VERSIONS)

    def diff(self, from_version: int, to_version: int) -> list[ChangeOut]:
        return self.http.call(DIFF, query={"from": from_version, "to": to_version})

    def propagation(self) -> PropagationOut:
        return self.http.call(PROPAGATION)

    def propose(self, body: ProposalIn) -> ChangePreparedOut:
        return self.http.call(PROPOSE, body)

    def confirm_change(self, body: TokenIn) -> ConfirmedOut:
        return self.http.call(CONFIRM_CHANGE, body)

    def prepare_rollback(self, version: int, body: ReasonIn) -> ChangePreparedOut:
        return self.http.call(PREPARE_ROLLBACK, body, version=version)

    def confirm_rollback(self, body: TokenIn) -> ConfirmedOut:
        return self.http.call(CONFIRM_ROLLBACK, body)

    def backups(self) -> list[BackupFileOut]:
        return self.http.call(BACKUPS)

    def take_backup(self) -> BackupTakenOut:
        return self.http.call(TAKE_BACKUP)

    def incident_levels(self) -> list[LevelOut]:
        return self.http.call(LEVELS)

    def incidents(self, status: str | None = None, offset: int = 0, limit: int = 50) -> IncidentPageOut:
        return self.http.call(INCIDENTS, query={"status": status, "offset": offset, "limit": limit})

    def incident(self, incident_id: int) -> IncidentDetailOut:
        return self.http.call(INCIDENT, incident_id=incident_id)

    def open_incident(self, body: IncidentIn) -> IncidentOut:
        return self.http.call(OPEN_INCIDENT, body)

    def note_incident(self, incident_id: int, body: NoteIn) -> IncidentOut:
        return self.http.call(NOTE, body, incident_id=incident_id)

    def incident_status(self, incident_id: int, body: StatusIn) -> ResolvedOut:
        return self.http.call(STATUS, body, incident_id=incident_id)

    def prepare_first_response(self, incident_id: int, body: FirstResponseIn) -> FirstResponsePreparedOut:
        return self.http.call(PREPARE_FIRST_RESPONSE, body, incident_id=incident_id)

    def confirm_first_response(self, incident_id: int, body: TokenIn) -> FirstResponseDoneOut:
        return self.http.call(CONFIRM_FIRST_RESPONSE, body, incident_id=incident_id)

    def banners_in_force(self, campaign_id: str | None = None) -> BannersInForceOut:
        return self.http.call(BANNERS, query={"campaign_id": campaign_id})

    def all_banners(self, offset: int = 0, limit: int = 50) -> StoredBannerPageOut:
        return self.http.call(ALL_BANNERS, query={"offset": offset, "limit": limit})

    def set_banner(self, body: BannerIn) -> StoredBannerOut:
        return self.http.call(SET_BANNER, body)

    def end_banner(self, banner_id: int, body: BannerEndIn) -> StoredBannerOut:
        return self.http.call(END_BANNER, body, banner_id=banner_id)
    def kakao_outages(self) -> list[KakaoOutageOut]:
        """Newest first."""
        return self.http.call(KAKAO_OUTAGES)

    def kakao_outage(self, outage_id: int) -> KakaoOutageReportOut:
        """The outage's refused logins by time window, every replica added up (seed §9.3)."""
        return self.http.call(KAKAO_OUTAGE, outage_id=outage_id)
