"""What the policy service's routes answer where a use case composes the answer (stored rows have their
models beside their routes): one model per answer, with the fields the routes have always sent."""

from typing import Any

from pydantic import ConfigDict

from platform_shared.web.models import ConfirmationToken, IsoMoment, ResponseModel


class ChangeOut(ResponseModel):
    path: str
    """Dotted path of the field, e.g. `quiet_hours.start`."""
    # Any: a field's value is whatever the policy document holds at that path (a number, a time, a list of
    # banners, a whole section), so its type is the document's, not this answer's.
    before: Any
    after: Any


class ChangePreparedOut(ResponseModel):
    """Step one of a change or a rollback (seed §8): the field-by-field diff against the version in force."""

    proposed_against: int
    """The version in force when prepared: confirming after another version came in is refused."""
    changes: list[ChangeOut]
    reason: str
    impact_memo: str
    scope: list[str] | None
    """The campaigns a partial change is for; null for the whole platform."""
    restored_from: int | None
    """For a rollback, the version whose content it returns to."""
    token: ConfirmationToken
    expires_at: IsoMoment


class BannersOut(ResponseModel):
    banners: list[str]


class BackupCodesOut(ResponseModel):
    backup_codes: list[str]
    """Shown this once."""


class ResetRequestedOut(ResponseModel):
    request_id: str


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
