"""Answer links in offer messages (SPEC §9), pure: a WINNER_OFFER or WAITLIST_PROMOTION message carries the
one-time signed link its person answers with (`${answer_link}` in the template). The link is computed from
the notification's offer id and user when the message is rendered, and kept nowhere: not in the queue's
params, not in an attempt, an event or a dead letter (SPEC §7). The signing rule is the waitlist's own,
from platform_shared/auth/offer_links.py."""

from dataclasses import dataclass, field
from uuid import UUID

from notifier_service.domain.delivery import TemplateError
from notifier_service.domain.notifications import OFFER_TEMPLATES
from platform_shared.auth.offer_links import offer_link


@dataclass(frozen=True)
class AnswerLinks:
    base_url: str
    """The public URL of the waitlist's offers (`NOTIFIER_OFFER_LINK_BASE`), e.g. https://lottery.example/offers."""
    secret: str = field(repr=False)
    """`OFFER_LINK_SECRET`, the same as the waitlist's."""

    def params_for(self, template: str, user_id: str, params: dict[str, str]) -> dict[str, str]:
        """What a message is rendered with: its stored params, plus `answer_link` for an offer."""
        if template not in OFFER_TEMPLATES or "offer_id" not in params:
            return params
        try:
            offer_id = UUID(params["offer_id"])
        except ValueError as error:
            raise TemplateError("the offer_id parameter is not an offer id") from error
        return {**params, "answer_link": offer_link(self.base_url, self.secret, offer_id, user_id)}
