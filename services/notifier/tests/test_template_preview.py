"""A template is checked before it is saved (runbook §6.3): rendered by the send's own rules with sample
parameters, and refused by field for a placeholder its messages never carry; a notice template must also say
what runbook §14 asks, in each language (domain/notice_rules.py), or it is refused when saved or previewed."""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

import notifier_service
from notifier_service.domain.notice_rules import check_notice_template, notice_gaps
from notifier_service.domain.template_preview import SAMPLE_PARAMS, preview_template
from platform_shared.contracts.events import TemplateName
from platform_shared.errors import InvalidInputError

_VERSIONS = Path(notifier_service.__file__).parent / "migrations/versions"


def _migration(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, _VERSIONS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shipped_templates() -> dict[str, dict[str, str]]:
    """As the migrations leave them: 0007's texts, INCIDENT_NOTICE as 0008 rewrote it (runbook §14.1)."""
    korean, notices = _migration("0007_korean_templates"), _migration("0008_email_notices").INCIDENT_NOTICE
    return {"ko": {**korean.KOREAN, "INCIDENT_NOTICE": notices["ko"]},
            "en": {**korean.ENGLISH, "INCIDENT_NOTICE": notices["en"]}}


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
        preview_template("WINNER_OFFER", "cost: $5", "ko")
    assert refused.value.field == "body"
    assert preview_template("WINNER_OFFER", "cost: $$5 ${campaign_name}", "ko") == "cost: $5 봄 시즌 초대전"


def test_a_notice_is_previewed_with_its_kst_time_in_the_title() -> None:
    text = preview_template("INCIDENT_NOTICE", _shipped_templates()["ko"]["INCIDENT_NOTICE"], "ko")
    assert text.splitlines()[0] == "[안내] 시스템 점검/장애 안내 (2026년 12월 8일 21:00 (KST))"


def test_a_notice_without_its_sections_is_refused_in_the_preview_too() -> None:
    with pytest.raises(InvalidInputError) as refused:
        preview_template("INCIDENT_NOTICE", "[안내] 시스템 점검/장애 안내 (${notice_time}) ${affected}", "ko")
    assert refused.value.field == "body" and "${period}" in refused.value.message


@pytest.mark.parametrize("locale", ["ko", "en"])
@pytest.mark.parametrize("name", ["INCIDENT_NOTICE", "DRAW_ROLLBACK_NOTICE"])
def test_every_shipped_notice_says_what_section_14_asks(name: str, locale: str) -> None:
    check_notice_template(name, locale, _shipped_templates()[locale][name])


def test_the_korean_incident_notice_reads_as_section_14_1() -> None:
    body = _shipped_templates()["ko"]["INCIDENT_NOTICE"]
    assert body.splitlines()[0] == "[안내] 시스템 점검/장애 안내 (${notice_time})"
    assert [line.split(":")[0] for line in body.splitlines()[2:]] == ["영향 기능", "기간", "조치", "재시도 안내"]


def test_a_missing_placeholder_is_refused_by_field_naming_it() -> None:
    body = _shipped_templates()["ko"]["INCIDENT_NOTICE"].replace("${retry}", "나중에 다시 시도해 주세요")
    with pytest.raises(InvalidInputError) as refused:
        check_notice_template("INCIDENT_NOTICE", "ko", body)
    assert refused.value.field == "body" and "${retry}" in refused.value.message


def test_a_missing_heading_is_refused_in_its_language() -> None:
    body = _shipped_templates()["ko"]["DRAW_ROLLBACK_NOTICE"].replace("이용자 권리", "안내")
    with pytest.raises(InvalidInputError) as refused:
        check_notice_template("DRAW_ROLLBACK_NOTICE", "ko", body)
    assert "'이용자 권리'" in refused.value.message
    english = _shipped_templates()["en"]["DRAW_ROLLBACK_NOTICE"]
    assert notice_gaps("DRAW_ROLLBACK_NOTICE", "ko", english)[1], "an English body is no Korean notice"


def test_a_template_that_is_no_notice_is_left_alone() -> None:
    check_notice_template("WINNER_OFFER", "ko", "${campaign_name}")
    assert notice_gaps("WINNER_OFFER", "en", "anything") == ([], [])


def test_a_notice_about_to_be_sent_is_previewed_with_its_own_values() -> None:
    """seed §14: the operator reads the very text the segment will get (its values, its KST time), not a sample."""
    body = "[안내] 시스템 점검/장애 안내 (${notice_time})\n영향 기능: ${affected}\n기간: ${period}\n조치: ${action}\n" \
           "재시도 안내: ${retry}"
    text = preview_template("INCIDENT_NOTICE", body, "ko", {"notice_time": "2026-12-08T14:00:00+00:00",
                                                           "affected": "로그인"})
    assert "(2026년 12월 8일 23:00 (KST))" in text and "영향 기능: 로그인" in text
    assert "재시도 안내: 21:30 (KST) 이후 다시 응모해 주세요" in text, "what is not given reads as its sample"
