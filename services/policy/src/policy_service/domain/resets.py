"""A lost device's 2FA reset (seed §10) moves one way: requested → approved → enrolled. Pure."""

from enum import StrEnum

from platform_shared.errors import InvalidStateError


class ResetStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    ENROLLED = "enrolled"


def approved(status: str) -> ResetStatus:
    """A PM approves a request still open, once."""
    if status != ResetStatus.REQUESTED:
        raise InvalidStateError(f"this request is already {status}")
    return ResetStatus.APPROVED


def enrolled(status: str) -> ResetStatus:
    """The holder enrols an approved reset, once."""
    if status != ResetStatus.APPROVED:
        raise InvalidStateError(f"this request is {status}; only an approved reset can be enrolled")
    return ResetStatus.ENROLLED
