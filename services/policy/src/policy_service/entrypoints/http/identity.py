"""Admin identity over HTTP (SPEC §7): log in, refresh, step up, log out; who am I; backup codes; the
account list; and the public token keys every service verifies with."""

from typing import Annotated

from fastapi import APIRouter, FastAPI, Request, status

from platform_shared.auth.access import STEP_UP_WINDOW
from platform_shared.contracts.admin.identity import (
    AccountOut,
    BackupCodesOut,
    JwksOut,
    LoginIn,
    MeOut,
    RefreshIn,
    SecondFactorIn,
    TokensOut,
)
from platform_shared.contracts.events import AdminSessionEnded
from platform_shared.web.access import Caller
from platform_shared.web.use_cases import use_case
from policy_service.application import step_up as stepping_up
from policy_service.application.accounts import AccountService
from policy_service.application.log_in import LogIn, log_in
from policy_service.application.log_out import LogOut, log_out
from policy_service.application.login_sessions import Logins, SecondFactor, Tokens
from policy_service.application.refresh_login import RefreshLogin, refresh_login


def provide_keys(app: FastAPI, jwks: str) -> None:
    """The public token keys `/.well-known/jwks.json` serves, given by the composition root (bootstrap.py)."""
    app.state.public_keys = JwksOut.model_validate_json(jwks) if jwks else JwksOut(keys=[])


LoginsDep = Annotated[Logins, use_case(Logins)]
Accounts = Annotated[AccountService, use_case(AccountService)]

router = APIRouter(tags=["identity"])


def second_factor(body: SecondFactorIn) -> SecondFactor:
    return SecondFactor(totp=body.totp, backup_code=body.backup_code)


def _address(request: Request) -> str | None:
    """The TCP peer, as the server saw it (forwarding headers count only from the proxies uvicorn trusts)."""
    return request.client.host if request.client else None


def _tokens(tokens: Tokens) -> TokensOut:
    return TokensOut(access_token=tokens.access_token, refresh_token=tokens.refresh_token,
                     token_type=tokens.token_type, expires_in=tokens.expires_in)


@router.post("/auth/login")
async def login(body: LoginIn, request: Request, logins: LoginsDep) -> TokensOut:
    """Password and a second factor (TOTP, or a one-time backup code). Wrong five times in a row locks
    the account, for longer after each further failure (429 with Retry-After); attempts per address and per
    name are limited too (429 with Retry-After), whether the account exists or not."""
    return _tokens(await log_in(logins, LogIn(body.account, body.password, second_factor(body), _address(request))))


@router.post("/auth/refresh")
async def refresh(body: RefreshIn, logins: LoginsDep) -> TokensOut:
    """A new access token for a login still valid; the refresh token is good once (a new one is returned)."""
    return _tokens(await refresh_login(logins, RefreshLogin(body.refresh_token)))


@router.post("/auth/step-up")
async def step_up(body: SecondFactorIn, request: Request, caller: Caller, logins: LoginsDep) -> TokensOut:
    """Enter the second factor again: the returned token may do sensitive actions for five minutes."""
    command = stepping_up.StepUp(caller, second_factor(body), _address(request))
    return _tokens(await stepping_up.step_up(logins, command))


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(request: Request, caller: Caller, logins: LoginsDep) -> None:
    await log_out(logins, LogOut(caller))
    # This process refuses the session's tokens at once (its own /auth/me included: the console asks it on every
    # request); every other process learns it from `admin_sessions` within moments.
    request.app.state.runtime.revocations.end_session(AdminSessionEnded(
        occurred_at=logins.clock.now(), session_id=caller.session_id, account=caller.account))


@router.get("/auth/me")
async def me(caller: Caller) -> MeOut:
    return MeOut(account=caller.account, role=caller.role, amr=list(caller.amr), auth_time=caller.auth_time,
                 step_up_valid_until=caller.auth_time + STEP_UP_WINDOW)


@router.post("/auth/backup-codes")
async def regenerate_backup_codes(caller: Caller, accounts: Accounts) -> BackupCodesOut:
    """Ten new one-time codes, shown this once; the old ones stop working."""
    return BackupCodesOut(backup_codes=await accounts.regenerate_backup_codes(caller))


@router.get("/accounts")
async def list_accounts(accounts: Accounts) -> list[AccountOut]:
    return [AccountOut.model_validate(a, from_attributes=True) for a in await accounts.accounts()]


# The configured document as it is: a member a key does not carry is not sent as null.
@router.get("/.well-known/jwks.json", response_model_exclude_unset=True)
async def token_keys(request: Request) -> JwksOut:
    """The public keys admin access tokens are signed with."""
    public_keys: JwksOut = request.app.state.public_keys
    return public_keys
