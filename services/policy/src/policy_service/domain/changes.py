"""The rules of a policy change (SPEC §6, seed §8): a proposal is new values or a JSON merge patch
(RFC 7386) on the version it was made against; it becomes a new version only if it validates as a whole
document and that version is still the current one. Pure: what changes, field by field, and whether a
confirmation may still go through."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from platform_shared.contracts.policy import PolicyDocument
from platform_shared.errors import ConflictError

Json = Any


@dataclass(frozen=True)
class FieldChange:
    path: str
    """Dotted path of the field, e.g. `quiet_hours.start`."""
    before: Json
    after: Json


def merge_patch(target: Json, patch: Json) -> Json:
    """RFC 7386: objects merge key by key, `null` removes a key, anything else replaces."""
    if not isinstance(patch, Mapping):
        return patch
    merged = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def proposed_document(current: PolicyDocument, *, values: Mapping[str, Json] | None,
                      patch: Mapping[str, Json] | None) -> PolicyDocument:
    """The whole document a proposal describes; pydantic refuses a bad one field by field. A removed key
    (merge patch `null`) falls back to its default."""
    if (values is None) == (patch is None):
        raise ValueError("give either the new values (document) or a JSON merge patch (patch)")
    body = values if values is not None else merge_patch(current.model_dump(mode="json"), patch)
    return PolicyDocument.model_validate(body)


def diff(before: PolicyDocument, after: PolicyDocument) -> list[FieldChange]:
    return list(_diff(before.model_dump(mode="json"), after.model_dump(mode="json"), ""))


def _diff(before: Json, after: Json, path: str) -> list[FieldChange]:
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[FieldChange] = []
        for key in sorted(before.keys() | after.keys()):
            changes += _diff(before.get(key), after.get(key), f"{path}.{key}" if path else key)
        return changes
    return [] if before == after else [FieldChange(path, before, after)]


def refuse_if_stale(proposed_against: int, current: int) -> None:
    """No silent overwrite: a proposal confirms only onto the version it was made against."""
    if proposed_against != current:
        raise ConflictError(f"this change was proposed against version {proposed_against}, but version {current} "
                            "is now in force; propose it again against the current version", field="token")
