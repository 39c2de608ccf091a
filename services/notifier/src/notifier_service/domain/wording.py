"""How a queued notification becomes the text a person reads (SPEC §5), pure: Korean first, English for a
message that asks for it (its `locale`), instants in KST to the minute with the zone named, the campaign by its
display name (seed: `timezone: Asia/Seoul`; runbook §14: every notice names its KST time).

The queue keeps parameters as machine values (an ISO-8601 instant, the campaign's id) so an operator's list and
a resend see what was requested; the words people read are made here, at send time."""

from collections.abc import Mapping

from notifier_service.domain.delivery import TemplateError, preview, render
from platform_shared.i18n import DEFAULT_LOCALE, Locale, kst_minute_of_text

Templates = Mapping[tuple[str, str], str]
"""(template name, locale) → body."""

INSTANT_PARAMS = frozenset({"respond_by", "rolled_back_at", "notice_time"})
"""The parameters that carry an instant: shown as `2026년 12월 8일 21:02 (KST)`."""


def shown_params(params: Mapping[str, str], locale: Locale) -> dict[str, str]:
    """The parameters as people read them. A request from before campaigns had display names (no
    `campaign_name`) names the campaign by its id."""
    shown = {key: kst_minute_of_text(value, locale) if key in INSTANT_PARAMS else value
             for key, value in params.items()}
    if "campaign_id" in shown:
        shown.setdefault("campaign_name", shown["campaign_id"])
    return shown


def message_text(templates: Templates, template: str, locale: str | None, params: Mapping[str, str]) -> str:
    """The text in the message's locale; a locale without its own body of this template gets the Korean one."""
    found = _body(templates, template, locale)
    if found is None:
        raise TemplateError(f"no template {template!r}")
    body, chosen = found
    return render(body, shown_params(params, chosen))


def message_preview(templates: Templates, template: str, locale: str | None, params: Mapping[str, str]) -> str | None:
    """A stored message as an operator reads it, in its language; what is made only at send time and never
    stored (an offer's answer link) stays a placeholder. None when there is no such template."""
    found = _body(templates, template, locale)
    return None if found is None else preview(found[0], shown_params(params, found[1]))


def _body(templates: Templates, template: str, locale: str | None) -> tuple[str, Locale] | None:
    wanted: Locale = "en" if locale == "en" else DEFAULT_LOCALE
    for chosen in dict.fromkeys((wanted, DEFAULT_LOCALE)):
        body = templates.get((template, chosen))
        if body is not None:
            return body, chosen
    return None
