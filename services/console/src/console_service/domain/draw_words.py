"""The names a draw's and a run's states go by on the pages (their stored values are ids, not words)."""

from console_service.domain.sections import N_

STATUS_NAMES = {
    "open": N_("status:open"), "closed": N_("status:closed"), "drawing_ready": N_("status:drawing_ready"),
    "drawing_done": N_("status:drawing_done"), "correcting": N_("status:correcting"),
    "completed": N_("status:completed"), "rolled_back": N_("status:rolled_back"),
}


def status_name(status: str) -> str:
    """The msgid of a status's name; an unknown status shows as it is stored."""
    return STATUS_NAMES.get(status, status)
