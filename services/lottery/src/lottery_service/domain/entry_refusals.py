"""Why an entrant's entry is refused (SPEC §9, seed §3.1, §5), pure: the draw is not open, the intro was not
read, or the sponsor visit was not verified (without an AdGate exemption in force). A refusal is kept with its
reason, so a notice can reach everyone refused during an incident (seed §1, §14: the `refused` segment); the
answer is the one the rules always gave."""

from dataclasses import dataclass
from enum import StrEnum

from lottery_service.domain.draw_lifecycle import refuse_unless_open_for_entries
from lottery_service.domain.entrant_entry import Progress, refuse_unmet_preconditions
from lottery_service.domain.sponsor_return import VerifyFailure
from platform_shared.errors import InvalidStateError


class EntryRefusal(StrEnum):
    NOT_OPEN = "not_open"
    INTRO = "intro"
    ADGATE = "adgate"


REFUSAL_REASONS = frozenset(EntryRefusal) | frozenset(VerifyFailure)
"""Every reason a refusal is recorded with: an entry's (entry_refusals) or a sponsor return's (adgate_failures)."""


@dataclass(frozen=True)
class Refused:
    reason: EntryRefusal
    error: InvalidStateError
    """The answer the entrant gets."""


def entry_refusal(campaign_id: str, *, status: str, requires_intro: bool, requires_adgate: bool,
                  progress: Progress, adgate_exemption: str | None) -> Refused | None:
    """The first rule the entry breaks, with its reason and answer; None when it may go in."""
    try:
        refuse_unless_open_for_entries(campaign_id, status)
    except InvalidStateError as error:
        return Refused(EntryRefusal.NOT_OPEN, error)
    try:
        refuse_unmet_preconditions(requires_intro=requires_intro, requires_adgate=requires_adgate,
                                   progress=progress, adgate_exemption=adgate_exemption)
    except InvalidStateError as error:
        return Refused(EntryRefusal.INTRO if error.field == "intro" else EntryRefusal.ADGATE, error)
    return None
