"""A notice's form (seed §1 `INCIDENT_NOTICE`, §14) read as the lottery's `NoticeIn`: the segment (a campaign's
entrants, or everyone refused in [from, until)), the template's own parameters, the channels. What cannot be a
request is told at its field, and the service's own field errors (`segment.until`, `params.retry`) are moved to
the form field that holds them. Pure: instants typed as KST minutes."""

from collections.abc import Mapping
from datetime import datetime

from pydantic import ValidationError

from console_service.domain.sections import N_
from platform_shared.contracts.admin.notices import CampaignSegmentIn, NoticeIn, RefusedSegmentIn
from platform_shared.contracts.notices import NOTICE_PARAMS
from platform_shared.time.clock import KST

TEMPLATES = tuple(NOTICE_PARAMS)
PARAM_LABELS = {"notice_time": N_("Notice time (KST)"), "affected": N_("Affected features"),
                "period": N_("Period"), "action": N_("What we did"), "retry": N_("How to retry"),
                "campaign_name": N_("Campaign name"), "reason": N_("Reason for the correction"),
                "rolled_back_at": N_("Rolled back at (KST)")}
SEGMENT_FIELDS = {"segment": "segment_kind", "segment.campaign_id": "campaign_id", "segment.from": "refused_from",
                  "segment.until": "refused_until", "segment.reason": "refused_reason"}
NOT_A_TIME = N_("Not a time: pick a date and a time (KST).")


def _moment(text: str) -> datetime | None:
    if not text.strip():
        return None
    moment = datetime.fromisoformat(text.strip())
    return moment.replace(tzinfo=KST) if moment.tzinfo is None else moment


def notice_of(form: Mapping[str, str], channels: list[str]) -> tuple[NoticeIn | None, dict[str, str]]:
    """The request, or the form's errors by field (msgids marked N_ for the page to translate)."""
    template = form.get("template", "")
    errors: dict[str, str] = {}
    segment: dict[str, object]
    if form.get("segment_kind") == "refused":
        segment = {"kind": "refused", "campaign_id": form.get("campaign_id", "").strip() or None,
                   "reason": form.get("refused_reason", "").strip() or None}
        for name, key in (("refused_from", "from"), ("refused_until", "until")):
            try:
                segment[key] = _moment(form.get(name, ""))
            except ValueError:
                errors[name] = NOT_A_TIME
            if segment.get(key) is None and name not in errors:
                errors[name] = N_("Give the window's start and end (KST).")
        start, until = segment.get("from"), segment.get("until")
        if isinstance(start, datetime) and isinstance(until, datetime) and until <= start:
            errors["refused_until"] = N_("The end must be later than the start.")
    else:
        segment = {"kind": "campaign", "campaign_id": form.get("campaign_id", "").strip()}
        if not segment["campaign_id"]:
            errors["campaign_id"] = N_("Name the campaign whose entrants are told.")
    params = {name: form.get(f"params.{name}", "").strip() for name in NOTICE_PARAMS.get(template, ())}
    for name, value in params.items():
        if not value:
            errors[f"params.{name}"] = N_("Fill this in: people read it in the notice.")
    if not channels:
        errors["channels"] = N_("Choose at least one channel.")
    if errors:
        return None, errors
    model = RefusedSegmentIn if segment["kind"] == "refused" else CampaignSegmentIn
    try:
        return NoticeIn.model_validate({"template": template, "segment": model.model_validate(segment),
                                        "params": params, "channels": channels,
                                        "incident_id": form.get("incident_id", "").strip() or None}), {}
    except ValidationError as error:
        prefix = "segment." if error.title == model.__name__ else ""
        return None, form_fields({prefix + ".".join(str(part) for part in e["loc"]): e["msg"]
                                  for e in error.errors()})


def form_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """The service's (or the model's) field names as the form's: `segment.until` → `refused_until`."""
    shown: dict[str, str] = {}
    for name, problem in fields.items():
        field = "channels" if name.startswith("channels.") else SEGMENT_FIELDS.get(name, name)
        shown.setdefault(field, problem)
    return shown
