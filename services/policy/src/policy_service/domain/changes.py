"""The rules of a policy change (SPEC §6, seed §8): a proposal is new values or a JSON merge patch
(RFC 7386) on the version it was made against; it becomes a new version only if it validates as a whole
document and that version is still the current one. Pure: what changes, field by field, and whether a
confirmation may still go through."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from platform_shared.contracts.policy import CampaignPolicy, PolicyDocument
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
                      patch: Mapping[str, Json] | None, scope: Sequence[str] | None = None) -> PolicyDocument:
    """The whole document a proposal describes; pydantic refuses a bad one field by field. A removed key
    (merge patch `null`) falls back to its default. A scoped proposal (seed §8.1, a partial change) is a
    patch of the per-campaign values, applied to each named campaign and to nothing else."""
    if (values is None) == (patch is None):
        raise ValueError("give either the new values (document) or a JSON merge patch (patch)")
    body = values if values is not None else merge_patch(current.model_dump(mode="json"), patch)
    if scope is not None:
        body = _scoped(current, patch, scope)
    return PolicyDocument.model_validate(body)


def _scoped(current: PolicyDocument, patch: Mapping[str, Json] | None, scope: Sequence[str]) -> Json:
    if patch is None:
        raise ValueError("a change scoped to campaigns is a patch of their values, not a whole document")
    if not scope:
        raise ValueError("name at least one campaign, or leave the scope out for a platform-wide change")
    unknown = sorted(set(patch) - set(CampaignPolicy.model_fields))
    if unknown:
        raise ValueError(f"{unknown[0]} cannot be set per campaign (only {', '.join(CampaignPolicy.model_fields)})")
    body = current.model_dump(mode="json")
    for campaign in scope:
        merged = merge_patch(body["campaigns"].get(campaign, {}), patch)
        body["campaigns"][campaign] = merged
        if not {key: value for key, value in merged.items() if value is not None}:
            del body["campaigns"][campaign]  # nothing of its own left: it runs on the platform's values
    return body


def diff(before: PolicyDocument, after: PolicyDocument) -> list[FieldChange]:
    return list(_diff(before.model_dump(mode="json"), after.model_dump(mode="json"), ""))


def _diff(before: Json, after: Json, path: str) -> list[FieldChange]:
    # An object that appears or disappears (a campaign's own values) is shown field by field too.
    if isinstance(before, dict) and after is None:
        after = {}
    if isinstance(after, dict) and before is None:
        before = {}
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
