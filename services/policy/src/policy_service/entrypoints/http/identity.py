"""Admin identity over HTTP (SPEC §7): log in, refresh, step up, log out; who am I; backup codes; the
account list; and the public token keys every service verifies with."""

from fastapi import APIRouter, status

from platform_shared.auth.access import STEP_UP_WINDOW
from platform_shared.contracts.admin.identity import (
    AccountOut,
    BackupCodesOut,
    EnrolIn,
    EnrolmentOut,
    JwksOut,
    LoginIn,
    MeOut,
    RefreshIn,
    ResetOut,
    ResetRequestedOut,
    ResetRequestIn,
    SecondFactorIn,
    TokensOut,
)
from platform_shared.contracts.admin.models import ReasonIn
from platform_shared.web.access import Caller
from policy_service.application.accounts import AccountService
from policy_service.application.logins import LoginService, SecondFactor, Tokens
from policy_service.application.resets import ResetService


def second_factor(body: SecondFactorIn) -> SecondFactor:
    return SecondFactor(totp=body.totp, backup_code=body.backup_code)


def identity_router(logins: LoginService, accounts: AccountService, jwks: str) -> APIRouter:
    router = APIRouter(tags=["identity"])
    public_keys = JwksOut.model_validate_json(jwks) if jwks else JwksOut(keys=[])

    def out(tokens: Tokens) -> TokensOut:
        return TokensOut(access_token=tokens.access_token, refresh_token=tokens.refresh_token,
                         token_type=tokens.token_type, expires_in=tokens.expires_in)

    @router.post("/auth/login")
    async def login(body: LoginIn) -> TokensOut:
        """Password and a second factor (TOTP, or a one-time backup code). Wrong five times in a row locks
        the account, for longer after each further failure (429 with Retry-After)."""
        return out(await logins.login(body.account, body.password, second_factor(body)))

    @router.post("/auth/refresh")
    async def refresh(body: RefreshIn) -> TokensOut:
        """A new access token for a login still valid; the refresh token is good once (a new one is returned)."""
        return out(await logins.refresh(body.refresh_token))

    @router.post("/auth/step-up")
    async def step_up(body: SecondFactorIn, caller: Caller) -> TokensOut:
        """Enter the second factor again: the returned token may do sensitive actions for five minutes."""
        return out(await logins.step_up(caller, second_factor(body)))

    @router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
    async def logout(caller: Caller) -> None:
        await logins.logout(caller)

    @router.get("/auth/me")
    async def me(caller: Caller) -> MeOut:
        return MeOut(account=caller.account, role=caller.role, amr=list(caller.amr), auth_time=caller.auth_time,
                     step_up_valid_until=caller.auth_time + STEP_UP_WINDOW)

    @router.post("/auth/backup-codes")
    async def regenerate_backup_codes(caller: Caller) -> BackupCodesOut:
        """Ten new one-time codes, shown this once; the old ones stop working."""
        return BackupCodesOut(backup_codes=await accounts.regenerate_backup_codes(caller))

    @router.get("/accounts")
    async def list_accounts() -> list[AccountOut]:
        return [AccountOut.model_validate(a, from_attributes=True) for a in await accounts.accounts()]

    # The configured document as it is: a member a key does not carry is not sent as null.
    @router.get("/.well-known/jwks.json", response_model_exclude_unset=True)
    async def token_keys() -> JwksOut:
        """The public keys admin access tokens are signed with."""
        return public_keys

    return router


def reset_router(resets: ResetService) -> APIRouter:
    """Seed §10: a lost device's 2FA reset, asked by the holder and approved by a different PM."""
    router = APIRouter(prefix="/auth/2fa-resets", tags=["identity"])

    @router.post("", status_code=status.HTTP_201_CREATED)
    async def request_reset(body: ResetRequestIn) -> ResetRequestedOut:
        """The holder asks, with their password (the lost device was the second factor)."""
        return ResetRequestedOut(request_id=await resets.request(body.account, body.password, body.reason))

    @router.get("")
    async def open_requests() -> list[ResetOut]:
        return [ResetOut.model_validate(r, from_attributes=True) for r in await resets.open_requests()]

    @router.post("/{request_id}/approve")
    async def approve(request_id: str, body: ReasonIn, caller: Caller) -> ResetOut:
        """A PM other than the holder approves with a fresh second factor: the old secret, backup codes and
        every login of the account stop working."""
        return ResetOut.model_validate(await resets.approve(request_id, caller, body.reason), from_attributes=True)

    @router.post("/{request_id}/enrol")
    async def enrol(request_id: str, body: EnrolIn) -> EnrolmentOut:
        """The holder takes the new TOTP secret (as a provisioning URI) and backup codes, once."""
        enrolment = await resets.enrol(request_id, body.account, body.password)
        return EnrolmentOut(provisioning_uri=enrolment.provisioning_uri, backup_codes=enrolment.backup_codes)

    return router
