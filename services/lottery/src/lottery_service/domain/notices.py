"""Notices to a segment of users (seed §1 `INCIDENT_NOTICE`, §14), pure: a request is whole before anything is
counted (the template's parameters exactly, each channel once, a window that ends after it starts), a segment
that matches nobody is refused, and every notice has a key of its own — the same template, parameters, segment
and incident give the same key, so a notice asked twice reaches each person once per channel (the notifier
stores each dedupe key once). Quiet hours are the notifier's (seed §6.2): nothing here reads the time of day."""

import hashlib
import json

from platform_shared.contracts.admin.notices import CampaignSegmentIn, NoticeIn, RefusedSegmentIn
from platform_shared.contracts.notices import NOTICE_PARAMS
from platform_shared.errors import InvalidInputError

NOTICE_KEY_HEX = 32
"""128 bits of the request's digest: `notice:{key}:{channel}:{user}` stays far below a dedupe key's 300."""


def refuse_incomplete(notice: NoticeIn, refusal_reasons: frozenset[str]) -> None:
    """Every parameter the template needs and no other; each channel once; a window that ends after it starts;
    a refusal reason the service records. Each failure names its field."""
    needed = NOTICE_PARAMS[notice.template]
    missing = [name for name in needed if name not in notice.params]
    if missing:
        raise InvalidInputError(f"{notice.template} needs the parameter {missing[0]!r} "
                                f"(it takes {', '.join(needed)})", field=f"params.{missing[0]}")
    unknown = sorted(set(notice.params) - set(needed))
    if unknown:
        raise InvalidInputError(f"{notice.template} has no parameter {unknown[0]!r} "
                                f"(it takes {', '.join(needed)})", field=f"params.{unknown[0]}")
    if len(set(notice.channels)) != len(notice.channels):
        raise InvalidInputError("a channel is named twice", field="channels")
    segment = notice.segment
    if isinstance(segment, RefusedSegmentIn):
        if segment.until <= segment.start:
            raise InvalidInputError("the window must end after it starts ([from, until))", field="segment.until")
        if segment.reason is not None and segment.reason not in refusal_reasons:
            raise InvalidInputError(f"no refusal is recorded with the reason {segment.reason!r} "
                                    f"(one of {', '.join(sorted(refusal_reasons))})", field="segment.reason")


def refuse_empty(recipients: int, notice: NoticeIn) -> None:
    """A notice to nobody is a mistake in its segment, not a notice."""
    if recipients == 0:
        raise InvalidInputError(f"the segment {describe(notice)} matches nobody", field="segment")


def describe(notice: NoticeIn) -> str:
    segment = notice.segment
    if isinstance(segment, CampaignSegmentIn):
        return f"entrants of {segment.campaign_id!r}"
    scope = f" in {segment.campaign_id!r}" if segment.campaign_id else ""
    why = f" for {segment.reason!r}" if segment.reason else ""
    return f"refused{scope}{why} from {segment.start.isoformat()} until {segment.until.isoformat()}"


def notice_key(notice: NoticeIn) -> str:
    """The notice's name: a digest of its template, parameters, segment (instants as UTC) and incident. The
    channels and the language are left out: each channel has its own dedupe key, and a person told in one
    language is told."""
    segment = notice.segment.model_dump(mode="json", by_alias=True)
    if isinstance(notice.segment, RefusedSegmentIn):
        segment |= {"from": notice.segment.start.timestamp(), "until": notice.segment.until.timestamp()}
    named = {"template": notice.template, "params": notice.params, "segment": segment,
             "incident_id": notice.incident_id}
    canonical = json.dumps(named, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:NOTICE_KEY_HEX]


def dedupe_prefix(key: str) -> str:
    """A notice's dedupe keys are `notice:{key}:{channel}:{user_id}`: this prefix, then the channel and the user
    (joined in SQL, one statement for the whole segment: adapters/notice_store.py)."""
    return f"notice:{key}:"
