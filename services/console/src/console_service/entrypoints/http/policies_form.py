"""The policy change form (seed §8.2 "변경값 입력"): the document's settings grouped as its sections, each
shown with the value in force, and what the operator changed turned into a JSON merge patch (RFC 7386) of
only those fields. Values go to the policy service as typed; a value it cannot take comes back as its 422
`error.fields`, named by the field's dotted path, and is shown next to that field."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from console_service.domain.sections import N_

Kind = Literal["number", "text", "time", "lines", "yes_no"]
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Setting:
    path: str
    """The field's dotted path in the policy document, also the form field's name."""
    label: str
    kind: Kind = "number"


@dataclass(frozen=True)
class Group:
    title: str
    settings: tuple[Setting, ...]


GROUPS = (
    Group(N_("Draws and weights (seed §3, §7.3)"), (
        Setting("weight_cap", N_("Weight cap")),
        Setting("weight_rule.base", N_("Base weight")),
        Setting("weight_rule.intro_bonus", N_("Bonus for viewing the Intro")),
        Setting("weight_rule.adgate_bonus", N_("Bonus for a verified sponsor visit")))),
    Group(N_("Waitlist (seed §4)"), (
        Setting("response_timeout_hours", N_("Hours to answer an offer")),
        Setting("promotion_interval_minutes", N_("Minutes between promotion passes")))),
    Group(N_("Notifications (seed §6)"), (
        Setting("quiet_hours.start", N_("Quiet hours start"), "time"),
        Setting("quiet_hours.end", N_("Quiet hours end"), "time"),
        Setting("quiet_hours.time_zone", N_("Quiet hours time zone"), "text"),
        Setting("retry.max_attempts", N_("Attempts before a notice is dead")),
        Setting("retry.base_delay_seconds", N_("First retry delay (seconds)")),
        Setting("retry.max_delay_seconds", N_("Longest retry delay (seconds)")),
        Setting("retry.jitter_ratio", N_("Retry jitter ratio")),
        Setting("release_rate_per_second", N_("Notices released per second")))),
    Group(N_("Event review bounds (seed §7.3)"), (
        Setting("event_bounds.min_cooldown_hours", N_("Shortest cooldown an event may set (hours)")),
        Setting("event_bounds.adgate_required", N_("Every event asks for a sponsor visit"), "yes_no"))),
    Group(N_("Banners (seed §5, §9.2)"), (
        Setting("banners", N_("Banners on entrant pages (one per line)"), "lines"),
        Setting("kakao_outage_banner", N_("Banner during a Kakao outage"), "text"),
        Setting("kakao_retry_banner", N_("Banner after a Kakao outage: try again"), "text"),
        Setting("kakao_retry_banner_minutes", N_("Minutes the try-again banner stays")))),
)
SETTINGS = tuple(setting for group in GROUPS for setting in group.settings)


def value_at(document: Mapping[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def shown(value: Any, kind: Kind) -> str:
    """A value as its form field holds it."""
    if kind == "lines":
        return "\n".join(str(line) for line in value or ())
    if kind == "yes_no":
        return "yes" if value else "no"
    return "" if value is None else str(value)


def form_values(document: Mapping[str, Any]) -> dict[str, str]:
    return {setting.path: shown(value_at(document, setting.path), setting.kind) for setting in SETTINGS}


def merge_patch(document: Mapping[str, Any], submitted: Mapping[str, str]) -> dict[str, Any]:
    """Only the fields whose submitted text differs from the one in force, nested as the document is."""
    patch: dict[str, Any] = {}
    for setting in SETTINGS:
        given = submitted.get(setting.path)
        if given is None or _same(given, shown(value_at(document, setting.path), setting.kind), setting.kind):
            continue
        *parents, leaf = setting.path.split(".")
        node = patch
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = _typed(given, setting.kind)
    return patch


def _same(given: str, current: str, kind: Kind) -> bool:
    if kind == "lines":
        return _lines(given) == _lines(current)
    return given.strip() == current.strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _typed(given: str, kind: Kind) -> Any:
    """Numbers as numbers when they read as one; anything else as typed, for the service to refuse by field."""
    text = given.strip()
    if kind == "lines":
        return _lines(given)
    if kind == "yes_no":
        return text == "yes"
    if kind == "number":
        for parse in (int, float):
            try:
                return parse(text)
            except ValueError:
                continue
    return text


def campaigns(text: str) -> list[str] | None:
    """`scope`: campaigns separated by commas or spaces; none means the whole platform (seed §8.1 전면/부분)."""
    named = [name for name in text.replace(",", " ").split() if name]
    return named or None


def field_errors(fields: Mapping[str, str], known: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The service's field errors split into those a form field shows and the rest (shown above the form).
    A field inside a list (`adgate_exceptions.2.valid_until`) is shown at its own name (`valid_until`); an
    exception's own check (its period in order) at the period's end."""
    names = set(known)
    at_field: dict[str, str] = {}
    other: dict[str, str] = {}
    for name, problem in fields.items():
        short = name.rsplit(".", 1)[-1]
        if name in names:
            at_field[name] = problem
        elif name.split(".", 1)[0] == "adgate_exceptions" and (short in names or short.isdigit()):
            at_field[short if short in names else "valid_until"] = problem
        else:
            other[name] = problem
    return at_field, other


def validated(model: type[Model], **values: Any) -> tuple[Model | None, dict[str, str]]:
    """A request body built here, or its fields' errors (a reason too short is told by the form, not a 500)."""
    try:
        return model(**values), {}
    except ValidationError as error:
        return None, {".".join(str(part) for part in e["loc"]) or "form": e["msg"] for e in error.errors()}
