"""What people read, Korean first (seed front matter: `timezone: Asia/Seoul`; every notice names its KST time,
runbook §14): the locale a reader asked for, instants in KST to the minute with the zone named, and the
error answers' words. Pure: no framework, no I/O; the web edge (web/errors.py) and the notifier's rendering
use it.

Korean is the default everywhere; English is there for whoever asks (`Accept-Language: en`, or a message's
own locale)."""

from datetime import datetime
from typing import Literal, get_args

from platform_shared.time.clock import KST

Locale = Literal["ko", "en"]
LOCALES: tuple[Locale, ...] = get_args(Locale)
DEFAULT_LOCALE: Locale = "ko"


def negotiate(accept_language: str | None) -> Locale:
    """The best of our locales for an `Accept-Language` header (RFC 9110 §12.5.4): highest weight first, the
    header's order among equals; a region (`ko-KR`, `en-US`) counts as its language; nothing we have (or no
    header, or one we cannot read) → Korean."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        language, _, parameters = part.strip().partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if language and weight > 0:
            ranked.append((-weight, position, language.strip().lower().split("-")[0]))
    for _, _, language in sorted(ranked):
        if language in LOCALES:
            return language
        if language == "*":
            return DEFAULT_LOCALE
    return DEFAULT_LOCALE


def kst_minute(instant: datetime, locale: Locale = DEFAULT_LOCALE) -> str:
    """An instant as people read it: in KST, to the minute, the zone named — `2026년 12월 8일 21:02 (KST)`,
    or `8 Dec 2026, 21:02 (KST)` in English. Never UTC, never microseconds."""
    if instant.tzinfo is None:
        raise ValueError("an instant shown to people must be timezone-aware")
    local = instant.astimezone(KST)
    if locale == "en":
        return f"{local.day} {local:%b %Y, %H:%M} (KST)"
    return f"{local.year}년 {local.month}월 {local.day}일 {local:%H:%M} (KST)"


def kst_minute_of_text(value: str, locale: Locale = DEFAULT_LOCALE) -> str:
    """An ISO-8601 instant carried as text (an event's or a message's parameter) shown as `kst_minute`; text
    that is not an aware instant is left as it is (it was written for people already)."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return value
    return kst_minute(instant, locale) if instant.tzinfo is not None else value


ERROR_SUMMARIES: dict[str, dict[Locale, str]] = {
    "InvalidInputError": {"ko": "입력값이 올바르지 않습니다", "en": "The input is not valid"},
    "NotFoundError": {"ko": "찾을 수 없습니다", "en": "Not found"},
    "ConflictError": {"ko": "저장된 내용과 충돌합니다", "en": "This conflicts with what is stored"},
    "InvalidStateError": {"ko": "지금 상태에서는 할 수 없는 작업입니다", "en": "Not possible in the current state"},
    "UnauthenticatedError": {"ko": "로그인이 필요하거나 인증이 유효하지 않습니다",
                             "en": "Not signed in, or the credential is not valid"},
    "ForbiddenError": {"ko": "이 작업을 할 권한이 없습니다", "en": "Not allowed"},
    "TooManyAttemptsError": {"ko": "시도 횟수가 너무 많습니다. 잠시 후 다시 시도해 주세요",
                             "en": "Too many attempts; try again later"},
    "IssuerUnavailableError": {"ko": "로그인 서비스가 일시적으로 응답하지 않습니다",
                               "en": "The login service is not answering"},
    "BeaconRoundPending": {"ko": "추첨에 쓸 공개 난수(비콘) 라운드가 아직 공개되지 않았습니다. 공개 후 다시 실행하세요",
                           "en": "The draw's public randomness round is not published yet"},
    "BeaconUnavailable": {"ko": "공개 난수 비콘에 연결할 수 없어 추첨이 대기 중입니다(대체 난수 없음)",
                          "en": "The public randomness beacon cannot be reached; the draw waits"},
    "BeaconInvalid": {"ko": "공개 난수 비콘의 응답이 서명 검증에 실패했습니다. 추첨을 실행하지 않습니다",
                      "en": "The public randomness beacon's answer does not verify; the draw does not run"},
    "ValidationError": {"ko": "입력값이 올바르지 않습니다. 항목을 확인해 주세요", "en": "Some fields are not valid"},
    "UnstorableValue": {"ko": "저장할 수 없는 값이 있습니다(범위를 벗어난 값 또는 NUL 문자)",
                        "en": "A value is out of range for what it names, or holds a character that cannot be "
                              "stored (NUL)"},
}
"""One sentence per error code (the answer's `error`, unchanged for clients), in each locale."""

_GENERIC: dict[Locale, str] = {"ko": "요청을 처리할 수 없습니다", "en": "The request cannot be processed"}


def error_message(code: str, detail: str, locale: Locale, ancestors: tuple[str, ...] = ()) -> str:
    """The `message` of an error answer. English: the detail as the code wrote it. Korean: the code's Korean
    sentence first, the detail kept alongside (it names the values and fields at fault, and clients may match
    on it) — until the detail itself has a Korean text, the reader still learns what went wrong in Korean.
    `ancestors`: the code's parent classes' names, nearest first, for a code that has no sentence of its own."""
    if locale == "en":
        return detail
    summary = next((ERROR_SUMMARIES[name]["ko"] for name in (code, *ancestors) if name in ERROR_SUMMARIES),
                   _GENERIC["ko"])
    return f"{summary}: {detail}" if detail else summary


def summary(code: str, locale: Locale) -> str:
    """The code's sentence alone (an answer without a detail of its own)."""
    return ERROR_SUMMARIES.get(code, _GENERIC)[locale]
