"""A template is checked before it is saved (runbook §6.3): rendered by the send's own rules with sample
parameters, and refused by field for a placeholder its messages never carry."""

import importlib.util
from pathlib import Path

import pytest

import notifier_service
from notifier_service.domain.template_preview import SAMPLE_PARAMS, preview_template
from platform_shared.contracts.events import TemplateName
from platform_shared.errors import InvalidInputError

_SHIPPED = Path(notifier_service.__file__).parent / "migrations/versions/0007_korean_templates.py"


def _shipped_templates() -> dict[str, dict[str, str]]:
    spec = importlib.util.spec_from_file_location("shipped_templates", _SHIPPED)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {"ko": module.KOREAN, "en": module.ENGLISH}


def test_every_template_name_has_sample_parameters() -> None:
    assert set(SAMPLE_PARAMS) == set(TemplateName.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_every_shipped_template_previews_cleanly(locale: str) -> None:
    for name, body in _shipped_templates()[locale].items():
        assert "$" not in preview_template(name, body, locale)  # type: ignore[arg-type]


def test_instants_read_in_kst_to_the_minute_with_the_zone_named() -> None:
    text = preview_template("WINNER_OFFER", "${campaign_name}: ${respond_by}", "ko")
    assert text == "봄 시즌 초대전: 2026년 12월 8일 21:02 (KST)"


def test_an_unknown_placeholder_is_refused_by_field_naming_it() -> None:
    with pytest.raises(InvalidInputError) as refused:
        preview_template("WINNER_OFFER", "${campaign_name} ${winner_name}", "ko")
    assert refused.value.field == "body" and "${winner_name}" in refused.value.message
    assert "${respond_by}" in refused.value.message  # what it may use instead


def test_a_dollar_that_starts_no_placeholder_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        preview_template("INCIDENT_NOTICE", "cost: $5", "ko")
    assert refused.value.field == "body"
    assert preview_template("INCIDENT_NOTICE", "cost: $$5 ${message}", "ko").startswith("cost: $5 ")
