"""What a notice template must say (runbook §14), pure: a notice's text is what people affected by an incident
or a draw correction read, so a body that drops the KST time, a section or a parameter the request gives is
refused when it is saved — a fix can then never turn every send of the notice into a half-message.

The required words come from the shared contract (platform_shared/contracts/notices.py): the §14.1 title and
영향 기능 / 기간 / 조치 / 재시도 안내, the §14.2 title and 정정 사유 / 되돌리기 조치 / 이용자 권리; in English their
twins."""

import string

from platform_shared.contracts.notices import NOTICE_HEADINGS, NOTICE_PARAMS
from platform_shared.errors import InvalidInputError


def notice_gaps(name: str, locale: str, body: str) -> tuple[list[str], list[str]]:
    """(placeholders, headings) the body lacks; both empty for a template that is no notice."""
    required = NOTICE_PARAMS.get(name, ())
    used = set(string.Template(body).get_identifiers())
    missing_params = [param for param in required if param not in used]
    missing_words = [word for word in NOTICE_HEADINGS.get((name, locale), ()) if word not in body]
    return missing_params, missing_words


def check_notice_template(name: str, locale: str, body: str) -> None:
    """InvalidInputError on `body` naming every placeholder and heading a notice template lacks."""
    missing_params, missing_words = notice_gaps(name, locale, body)
    if not missing_params and not missing_words:
        return
    parts = []
    if missing_params:
        parts.append("placeholders " + ", ".join("${" + p + "}" for p in missing_params))
    if missing_words:
        parts.append("headings " + ", ".join(f"'{w}'" for w in missing_words))
    raise InvalidInputError(f"{name} ({locale}) must keep what runbook §14 requires; missing: "
                            + "; ".join(parts), field="body")
