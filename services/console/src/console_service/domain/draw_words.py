"""The names a draw's and a run's states, and the public commitment log's kinds, go by on the pages (their stored
values are ids, not words)."""

from console_service.domain.sections import N_

STATUS_NAMES = {
    "open": N_("status:open"), "closed": N_("status:closed"), "drawing_ready": N_("status:drawing_ready"),
    "drawing_done": N_("status:drawing_done"), "correcting": N_("status:correcting"),
    "completed": N_("status:completed"), "rolled_back": N_("status:rolled_back"),
}

LOG_KIND_NAMES = {
    "closed": N_("log:closed"), "reopened": N_("log:reopened"), "reclosed": N_("log:reclosed"),
    "places_changed": N_("log:places_changed"), "run": N_("log:run"), "rolled_back": N_("log:rolled_back"),
}
"""The kinds of the public commitment log's entries (docs/draw-algorithm.md §8.5)."""


def log_kind_name(kind: str) -> str:
    """The msgid of a commitment log entry's kind; an unknown kind shows as it is stored."""
    return LOG_KIND_NAMES.get(kind, kind)


def status_name(status: str) -> str:
    """The msgid of a status's name; an unknown status shows as it is stored."""
    return STATUS_NAMES.get(status, status)
