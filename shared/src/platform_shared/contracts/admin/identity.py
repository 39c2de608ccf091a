"""What the policy service's identity routes take and answer (SPEC §7): log in, refresh, step up, who am I,
backup codes, accounts, the public token keys, and a lost device's 2FA reset (seed §10)."""

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from platform_shared.contracts.admin.models import ResponseModel


class SecretsIn(BaseModel):
    """A body carrying credentials: unknown fields refused, and no validation error ever echoes a value."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class SecondFactorIn(SecretsIn):
    # [0-9], not \d: other scripts' digits would pass, then fail the constant-time comparison (a 500
    # that told a right password from a wrong one).
    totp: str | None = Field(default=None, pattern=r"^[0-9]{6}$", description="The authenticator app's 6 digits")
    backup_code: str | None = Field(default=None, min_length=8, max_length=40, description="A one-time backup code")

    @model_validator(mode="after")
    def one_factor(self) -> Self:
        if (self.totp is None) == (self.backup_code is None):
            raise ValueError("give either a TOTP code (totp) or a backup code (backup_code)")
        return self



class LoginIn(SecondFactorIn):
    account: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class RefreshIn(SecretsIn):
    refresh_token: str = Field(min_length=20, max_length=200)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str | None
    token_type: str
    expires_in: int


class MeOut(BaseModel):
    account: str
    role: str
    amr: list[str]
    auth_time: datetime
    step_up_valid_until: datetime


class AccountOut(BaseModel):
    name: str
    role: str
    created_by: str
    created_at: datetime
    locked_until: datetime | None


class BackupCodesOut(ResponseModel):
    backup_codes: list[str]
    """Shown this once."""


class JwkOut(ResponseModel):
    """One public key (RFC 7517). Only `kty` is required by the RFC; the members an Ed25519 key of this
    platform carries are named, and any other member of a configured key passes through unchanged."""

    # Open: the key set is configuration (ADMIN_TOKEN_JWKS), and a JWK's members depend on its key
    # type; the answer must be the configured document itself, whatever members its keys have.
    model_config = ConfigDict(extra="allow")

    kty: str
    kid: str | None = None
    use: str | None = None
    alg: str | None = None
    crv: str | None = None
    x: str | None = None


class JwksOut(ResponseModel):
    model_config = ConfigDict(extra="allow")  # as a key's members: the configured document, passed through

    keys: list[JwkOut]


class ResetRequestIn(SecretsIn):
    account: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)
    reason: str = Field(min_length=3, max_length=1000)


class ResetRequestedOut(ResponseModel):
    request_id: str


class EnrolIn(SecretsIn):
    account: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class ResetOut(BaseModel):
    id: str
    account: str
    reason: str
    status: str
    requested_at: datetime
    approved_by: str | None
    approved_at: datetime | None


class EnrolmentOut(BaseModel):
    provisioning_uri: str
    backup_codes: list[str]
