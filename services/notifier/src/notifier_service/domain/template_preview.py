"""A template checked before it is saved (runbook §6.3: fix the template, then resend), pure: its body rendered
by the very rules a send uses (wording.shown_params + delivery.render) with sample parameters of the kind its
messages carry. A placeholder no message of that template carries is refused by field, so a fix cannot turn
every send of the template into a failure."""

import string
from collections.abc import Mapping

from notifier_service.domain.delivery import TemplateError, render
from notifier_service.domain.notice_rules import check_notice_template
from notifier_service.domain.wording import shown_params
from platform_shared.errors import InvalidInputError
from platform_shared.i18n import Locale

_OFFER = {"campaign_id": "spring-2026", "campaign_name": "봄 시즌 초대전",
          "offer_id": "0d4c7d0e-5b1a-4a8e-9c51-2f0e6a1b9c01",
          "respond_by": "2026-12-08T12:02:00+00:00",
          "answer_link": "https://lottery.example/offers/sample"}
_CORRECTION = {"reason": "가중치 계산 오류", "rolled_back_run_id": "7f1e2a3b-8c4d-4e5f-a6b7-c8d9e0f1a2b3"}
SAMPLE_PARAMS: dict[str, dict[str, str]] = {
    # What the waitlist puts in each template's messages (waitlist domain/offers.py, corrections.py); the
    # answer link is made at send time (links.py), shown here as a sample.
    "WINNER_OFFER": _OFFER,
    "WAITLIST_PROMOTION": _OFFER,
    "SEAT_CONFIRMED": {**_OFFER, **_CORRECTION},
    "DRAW_ROLLBACK_NOTICE": {"campaign_id": "spring-2026", "campaign_name": "봄 시즌 초대전",
                             "rolled_back_at": "2026-12-08T11:30:00+00:00", **_CORRECTION},
    "INCIDENT_NOTICE": {"notice_time": "2026-12-08T12:00:00+00:00", "affected": "응모, 당첨 확인",
                        "period": "2026년 12월 8일 21:00–21:30 (KST)", "action": "서버를 교체했습니다",
                        "retry": "21:30 (KST) 이후 다시 응모해 주세요"},
}


def sample_params(name: str) -> dict[str, str]:
    return dict(SAMPLE_PARAMS.get(name, {}))


def preview_template(name: str, body: str, locale: Locale, given: Mapping[str, str] | None = None) -> str:
    """The text a message of `name` would read with this body, with the `given` values where there are (a notice
    shown before it is sent), samples elsewhere; or InvalidInputError on `body` naming what no message of it
    carries (or a `$` that starts no placeholder)."""
    template = string.Template(body)
    if not template.is_valid():
        raise InvalidInputError("a `$` that starts no placeholder: write `$$` for a dollar sign, `${name}` for a "
                                "parameter", field="body")
    params = sample_params(name)
    unknown = sorted(set(template.get_identifiers()) - set(params))
    if unknown:
        raise InvalidInputError(f"no {name} message carries {', '.join('${' + u + '}' for u in unknown)}; "
                                f"it may use {', '.join('${' + p + '}' for p in sorted(params))}", field="body")
    check_notice_template(name, locale, body)
    try:
        return render(body, shown_params({**params, **(given or {})}, locale))
    except TemplateError as error:  # unreachable after the checks above; kept as the send's own rule
        raise InvalidInputError(str(error), field="body") from error
