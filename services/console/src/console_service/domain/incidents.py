"""장애 / Incidents and banners (seed §1, §13) as the console shows and asks them: the words for each status,
timeline step and `#ops-incident` delivery state (a symbol and a word, never colour alone), the features an
incident can affect, and the form's text read as the policy service takes it. Pure."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from console_service.domain.sections import N_
from platform_shared.time.clock import KST

FEATURES = {"login": N_("feature:login"), "entry": N_("feature:entry"), "adgate": N_("feature:adgate"),
            "draw": N_("feature:draw"), "waitlist": N_("feature:waitlist"),
            "notifications": N_("feature:notifications"), "console": N_("feature:console"),
            "intro": N_("feature:intro"), "other": N_("feature:other")}
"""The policy service's features (policy_service/domain/incidents.py FEATURES), in the console's words."""

STATUSES = {"open": N_("● Open"), "mitigated": N_("◐ Mitigated"), "resolved": N_("✓ Resolved")}
STEPS = {"opened": N_("Incident opened"), "note": N_("Note"), "status": N_("Status changed"),
         "first_response": N_("First response"), "banner_set": N_("Banner set"), "banner_ended": N_("Banner ended"),
         "notice_asked": N_("Notice asked"), "alert_linked": N_("Alert linked")}
POST_STATES = {"sent": N_("✓ Sent"), "pending": N_("⟳ Retrying"), "failed": N_("✗ Failed"),
               "not_configured": N_("– No webhook configured")}
POST_KINDS = {"opened": N_("Incident opened"), "updated": N_("Update"), "status": N_("Status changed"),
              "resolved": N_("Resolved"), "first_response": N_("First response")}
BANNER_KINDS = {"incident": N_("Incident"), "general": N_("General"), "adgate_bypass": N_("AdGate bypass"),
                "adgate_exception": N_("AdGate exception"), "kakao_outage": N_("Kakao outage"),
                "kakao_retry": N_("Kakao: please retry")}
QUEUE_FIGURES = ("counts", "held_for_quiet_hours", "release_backlog", "top_failure_reasons", "enqueue_success_rate")
"""What a SEV3 first response records from the notifier's dashboard (seed §6.1), as `lottery-ops incident
respond` sends it."""


def listed(text: str) -> list[str]:
    """Campaigns typed separated by commas or spaces."""
    return [name for name in text.replace(",", " ").split() if name]


def kst_moment(text: str) -> datetime | None:
    """A `datetime-local` field (`2026-12-08T10:00`) read as KST, the operator's zone; empty: none.
    Raises ValueError for text that is not a date and time."""
    if not text.strip():
        return None
    return datetime.fromisoformat(text.strip()).replace(tzinfo=KST)


def queue_figures(dashboard: Mapping[str, Any]) -> dict[str, Any]:
    """The dashboard's figures a SEV3 queue check records, and whether sending is paused (seed §6.1)."""
    figures = {key: dashboard[key] for key in QUEUE_FIGURES if key in dashboard}
    figures["sending_paused"] = (dashboard.get("sending") or {}).get("paused")
    return figures


def at_fields(fields: Mapping[str, str], known: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The service's field errors split into those a form field shows (`campaigns.0` at `campaigns`) and the
    rest, shown above the form."""
    names = set(known)
    at_field: dict[str, str] = {}
    other: dict[str, str] = {}
    for name, problem in fields.items():
        head = name.split(".", 1)[0]
        if head in names:
            at_field.setdefault(head, problem)
        else:
            other[name] = problem
    return at_field, other
