"""A notice template must say what runbook §14 asks, in each language: refused when saved (and in the preview)
if it drops a required placeholder or heading; other templates are free."""

import importlib.util
from pathlib import Path

import pytest

import notifier_service
from notifier_service.domain.notice_rules import check_notice_template, notice_gaps
from platform_shared.errors import InvalidInputError

_VERSIONS = Path(notifier_service.__file__).parent / "migrations/versions"


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, _VERSIONS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHIPPED_NOTICES = {
    ("INCIDENT_NOTICE", locale): body for locale, body in _load("0008_email_notices").INCIDENT_NOTICE.items()  # type: ignore[attr-defined]
} | {("DRAW_ROLLBACK_NOTICE", "ko"): _load("0007_korean_templates").KOREAN["DRAW_ROLLBACK_NOTICE"],  # type: ignore[attr-defined]
     ("DRAW_ROLLBACK_NOTICE", "en"): _load("0007_korean_templates").ENGLISH["DRAW_ROLLBACK_NOTICE"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "locale"), sorted(SHIPPED_NOTICES))
def test_every_shipped_notice_says_what_section_14_asks(name: str, locale: str) -> None:
    check_notice_template(name, locale, SHIPPED_NOTICES[(name, locale)])


def test_the_korean_incident_notice_reads_as_section_14_1() -> None:
    body = SHIPPED_NOTICES[("INCIDENT_NOTICE", "ko")]
    assert body.splitlines()[0] == "[안내] 시스템 점검/장애 안내 (${notice_time})"
    assert [line.split(":")[0] for line in body.splitlines()[2:]] == ["영향 기능", "기간", "조치", "재시도 안내"]


def test_a_missing_placeholder_is_refused_by_field_naming_it() -> None:
    body = SHIPPED_NOTICES[("INCIDENT_NOTICE", "ko")].replace("${retry}", "나중에 다시 시도해 주세요")
    with pytest.raises(InvalidInputError) as refused:
        check_notice_template("INCIDENT_NOTICE", "ko", body)
    assert refused.value.field == "body" and "${retry}" in refused.value.message


def test_a_missing_heading_is_refused_in_its_language() -> None:
    body = SHIPPED_NOTICES[("DRAW_ROLLBACK_NOTICE", "ko")].replace("이용자 권리", "안내")
    with pytest.raises(InvalidInputError) as refused:
        check_notice_template("DRAW_ROLLBACK_NOTICE", "ko", body)
    assert "'이용자 권리'" in refused.value.message
    english = SHIPPED_NOTICES[("DRAW_ROLLBACK_NOTICE", "en")]
    assert notice_gaps("DRAW_ROLLBACK_NOTICE", "ko", english)[1], "an English body is no Korean notice"


def test_a_template_that_is_no_notice_is_left_alone() -> None:
    check_notice_template("WINNER_OFFER", "ko", "${campaign_name}")
    assert notice_gaps("WINNER_OFFER", "en", "anything") == ([], [])
