"""The nightly backup of the policy history (seed §15 "정책 변경 이력 백업 매일 03:00 Ops"). Pure: when a
backup is due (a cron schedule read in Asia/Seoul), what its file is called and holds, which files fall
out of the kept days, and what a restore must refuse — a corrupt file, or one this installation did not sign.

The file is JSON: every policy version with all its columns, signed with Ed25519 (the policy service's
token signing key) over the canonical JSON of everything but the signature."""

import base64
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

import jwt
from croniter import croniter
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from platform_shared.auth.tokens import SigningKey
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import DomainError
from platform_shared.time.clock import KST

FORMAT = "lottery-policy-history"
FORMAT_VERSION = 1
CRON_ALIASES = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_SCHEDULED_NAME = re.compile(r"^policy-history-(\d{8})-\d{4}\.json$")
_BACKUP_NAME = re.compile(r"^policy-history-\d{8}-(\d{4}|\d{6}-on-demand)\.json$")


def parse_schedule(expression: str) -> str:
    """A standard five-field cron expression (or an @alias); refused at start-up when it is not one.
    Minutes are its finest unit, so no two slots share a file name."""
    expression = " ".join(expression.split())
    if not (len(expression.split(" ")) == 5 or expression in CRON_ALIASES) or not croniter.is_valid(expression):
        raise ValueError(f"not a five-field cron expression: {expression!r}")
    return expression


def next_fire(schedule: str, after: datetime) -> datetime:
    """The schedule's first fire time strictly after `after`, read as wall-clock time in Asia/Seoul."""
    fire = croniter(schedule, after.astimezone(KST)).get_next(datetime)
    assert isinstance(fire, datetime)
    return fire.astimezone(KST)


def slot_at(schedule: str, now: datetime) -> datetime:
    """The newest fire time at or before `now`: the slot a backup taken at `now` belongs to."""
    previous = croniter(schedule, now.astimezone(KST)).get_prev(datetime)
    assert isinstance(previous, datetime)
    following = next_fire(schedule, previous)
    return following if following <= now else previous.astimezone(KST)


def scheduled_file_name(slot: datetime) -> str:
    return f"policy-history-{slot.astimezone(KST):%Y%m%d-%H%M}.json"


def on_demand_file_name(at: datetime) -> str:
    """Outside the scheduled names, so the kept-days rule never deletes an operator's own copy."""
    return f"policy-history-{at.astimezone(KST):%Y%m%d-%H%M%S}-on-demand.json"


def is_backup_file(name: str) -> bool:
    """A scheduled or an on-demand backup's name: what ops may list and download from the directory."""
    return _BACKUP_NAME.match(name) is not None


def expired_files(names: Sequence[str], today: date, keep_days: int) -> list[str]:
    """Scheduled backups dated (KST) before the last `keep_days` days, `today` included. Any other file in
    the directory is not ours to delete."""
    oldest_kept = today - timedelta(days=keep_days - 1)
    dated = ((name, _SCHEDULED_NAME.match(name)) for name in names)
    return sorted(name for name, match in dated
                  if match and datetime.strptime(match.group(1), "%Y%m%d").date() < oldest_kept)


class VersionRecord(BaseModel):
    """One row of policy_versions, every column, as the file holds it."""

    model_config = ConfigDict(frozen=True, extra="forbid", from_attributes=True)

    version: int
    document: dict[str, Any]
    created_by: str
    created_at: AwareDatetime
    reason: str
    impact_memo: str
    proposed_against: int | None
    restored_from: int | None
    scope: list[str] | None


class _Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["lottery-policy-history"]
    format_version: Literal[1]
    slot: AwareDatetime
    created_at: AwareDatetime
    key_id: str
    versions: list[VersionRecord]
    signature: str


@dataclass(frozen=True)
class History:
    """A verified backup: signed by this installation, versions 1..n, each a valid policy."""

    slot: datetime
    created_at: datetime
    key_id: str
    versions: list[VersionRecord]


class BackupRefused(DomainError):
    """`kind` is "corrupt" (unreadable, altered, inconsistent) or "foreign" (signed by a key this
    installation does not know)."""

    def __init__(self, kind: Literal["corrupt", "foreign"], reason: str) -> None:
        super().__init__(f"{kind}: {reason}", field="file")
        self.kind = kind


def signed_history(versions: Sequence[VersionRecord], *, slot: datetime, created_at: datetime,
                   key: SigningKey) -> bytes:
    """The backup file's bytes."""
    unsigned = {"format": FORMAT, "format_version": FORMAT_VERSION, "slot": slot.isoformat(),
                "created_at": created_at.isoformat(), "key_id": key.key_id,
                "versions": [v.model_dump(mode="json") for v in versions]}
    private = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("the policy service's signing key is not an Ed25519 key")
    signature = base64.urlsafe_b64encode(private.sign(signed_bytes(unsigned))).rstrip(b"=").decode()
    return json.dumps({**unsigned, "signature": signature}, indent=1, ensure_ascii=False).encode()


def signed_bytes(document: Mapping[str, Any]) -> bytes:
    """What the signature covers: the canonical JSON (sorted keys, compact, UTF-8) of all but the signature."""
    unsigned = {key: value for key, value in document.items() if key != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def trusted_keys(jwks: str) -> dict[str, Ed25519PublicKey]:
    """This installation's Ed25519 public keys by key id (ADMIN_TOKEN_JWKS); empty when none is usable."""
    try:
        keys = jwt.PyJWKSet.from_json(jwks).keys
    except (jwt.PyJWKSetError, ValueError):  # unset, not JSON, or no key PyJWT can use
        return {}
    return {str(k.key_id): k.key for k in keys if k.key_id and isinstance(k.key, Ed25519PublicKey)}


def verify_history(content: bytes, keys: Mapping[str, Ed25519PublicKey]) -> History:
    """Every check a restore makes before it writes anything; a refusal names the first problem."""
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupRefused("corrupt", f"not JSON ({error})") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupRefused("corrupt", f"not a {FORMAT} file")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupRefused("corrupt", f"format version {document.get('format_version')!r}, expected "
                                       f"{FORMAT_VERSION}")
    key_id = document.get("key_id")
    if not isinstance(key_id, str) or key_id not in keys:
        raise BackupRefused("foreign", f"signed with key {key_id!r}, which is not one of this installation's "
                                       f"(ADMIN_TOKEN_JWKS: {', '.join(sorted(keys)) or 'none'})")
    _check_signature(document, keys[key_id])
    try:
        envelope = _Envelope.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        raise BackupRefused("corrupt", f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from error
    _check_versions(envelope.versions)
    return History(envelope.slot, envelope.created_at, envelope.key_id, envelope.versions)


def _check_signature(document: dict[str, Any], key: Ed25519PublicKey) -> None:
    signature = document.get("signature")
    try:
        if not isinstance(signature, str):
            raise ValueError("no signature")
        key.verify(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), signed_bytes(document))
    except (InvalidSignature, ValueError) as error:
        raise BackupRefused("corrupt", "the signature does not match the content (altered, or signed by "
                                       "another key of the same id)") from error


def _check_versions(versions: Sequence[VersionRecord]) -> None:
    numbers = [v.version for v in versions]
    if numbers != list(range(1, len(numbers) + 1)) or not numbers:
        raise BackupRefused("corrupt", f"versions must run 1..n without a gap; found {numbers}")
    for v in versions:
        for column, earlier in (("proposed_against", v.proposed_against), ("restored_from", v.restored_from)):
            if earlier is not None and not 1 <= earlier < v.version:
                raise BackupRefused("corrupt", f"version {v.version}'s {column} is {earlier}, not an earlier version")
        try:
            PolicyDocument.model_validate(v.document)
        except ValidationError as error:
            raise BackupRefused("corrupt", f"version {v.version} is not a valid policy: "
                                           f"{error.errors()[0]['msg']}") from error
