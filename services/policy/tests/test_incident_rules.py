"""The incident rules (seed §13), the banner rules (seed §1, §5.3) and the `#ops-incident` post (seed §1): pure."""

from datetime import UTC, date, datetime, timedelta

import pytest

from platform_shared.contracts.banners import BANNER_MAX_CHARS
from platform_shared.contracts.policy import AdGateException, PolicyDocument
from platform_shared.errors import DomainError, InvalidStateError
from policy_service.domain.banners import BYPASS_BANNER, checked_banner, document_banners
from policy_service.domain.first_response import Ask, plan
from policy_service.domain.incident_posts import IncidentFacts, Retry, incident_post
from policy_service.domain.incidents import LEVELS, checked_incident, level_of, next_status

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # 10:00 KST
TODAY = date(2026, 12, 8)


def test_the_table_is_the_runbooks_three_levels_with_a_checklist_each() -> None:
    assert [(lv.sev, lv.name, lv.first_response_name) for lv in LEVELS.values()] == [
        (1, "전면 중단", "배너+우회"), (2, "주요 기능 저하", "예외 플래그"), (3, "일부 오류/지연", "큐 점검")]
    assert all(lv.checklist and all(step.ko and step.en for step in lv.checklist) for lv in LEVELS.values())
    assert "로그인/응모 불가" not in LEVELS[1].examples and "로그인 불가" in LEVELS[1].examples
    assert LEVELS[2].default_banner == BYPASS_BANNER


@pytest.mark.parametrize("current, wanted", [("open", "mitigated"), ("open", "resolved"), ("mitigated", "resolved")])
def test_status_moves_forward_and_mitigated_may_be_skipped(current: str, wanted: str) -> None:
    assert next_status(current, wanted) == wanted


@pytest.mark.parametrize("current, wanted", [("resolved", "mitigated"), ("resolved", "resolved"),
                                             ("mitigated", "mitigated"), ("mitigated", "open"), ("open", "open")])
def test_no_going_back_and_resolved_is_final(current: str, wanted: str) -> None:
    with pytest.raises(InvalidStateError) as refused:
        next_status(current, wanted)
    assert refused.value.field == "status"


@pytest.mark.parametrize("sev, title, campaigns, features, field", [
    (4, "x", [], [], "sev"), (0, "x", [], [], "sev"), (2, "  ", [], [], "title"), (2, "t" * 201, [], [], "title"),
    (2, "x", [], ["teleport"], "features"), (2, "x", ["not a campaign"], [], "campaigns"),
])
def test_a_bad_incident_names_its_field(sev: int, title: str, campaigns: list[str], features: list[str],
                                        field: str) -> None:
    with pytest.raises(DomainError) as refused:
        checked_incident(sev, title, "", campaigns, features)
    assert refused.value.field == field


def test_a_good_incident_is_trimmed_and_deduplicated() -> None:
    new = checked_incident(2, " AdGate 실패 ", "", ["c1", "c1"], ["adgate", "entry", "adgate"])
    assert (new.title, new.campaigns, new.features) == ("AdGate 실패", ("c1",), ("adgate", "entry"))


@pytest.mark.parametrize("kwargs, field", [
    ({"text": ""}, "text"), ({"text": "가" * (BANNER_MAX_CHARS + 1)}, "text"),
    ({"text_en": "a" * (BANNER_MAX_CHARS + 1)}, "text_en"), ({"campaign_id": "a b"}, "campaign_id"),
    ({"starts_at": NOW - timedelta(minutes=2)}, "starts_at"),
    ({"ends_at": NOW}, "ends_at"), ({"ends_at": NOW - timedelta(hours=1)}, "ends_at"), ({"reason": " "}, "reason"),
])
def test_a_bad_banner_names_its_field(kwargs: dict[str, object], field: str) -> None:
    given: dict[str, object] = {"text": "점검 안내", "text_en": None, "campaign_id": None, "starts_at": None,
                                "ends_at": None, "reason": "maintenance", **kwargs}
    with pytest.raises(DomainError) as refused:
        checked_banner(now=NOW, **given)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_banner_may_start_a_moment_ago_or_later() -> None:
    late = checked_banner("점검", None, None, NOW - timedelta(seconds=30), None, "why", NOW)
    assert late.starts_at == NOW - timedelta(seconds=30)
    assert checked_banner("점검", None, "c1", None, NOW + timedelta(hours=1), "why", NOW).starts_at == NOW


def test_the_policy_documents_banners_in_the_one_shape_with_their_kst_day_period() -> None:
    exception = AdGateException(campaign_id="c1", reason="sponsor down", valid_from=TODAY, valid_until=TODAY,
                                banner_text=BYPASS_BANNER)
    document = PolicyDocument(banners=("점검 공지",), adgate_global_bypass=True,
                              adgate_global_bypass_banner=BYPASS_BANNER, adgate_exceptions=(exception,))
    shown = document_banners(document, version=7, set_by="admin", reason="r", since=NOW, campaign_id=None, now=NOW)
    assert [(b.kind, b.campaign_id) for b in shown] == [("general", None), ("adgate_bypass", None),
                                                         ("adgate_exception", "c1")]
    assert shown[2].starts_at == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # 00:00 KST
    assert shown[2].ends_at == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)  # the next KST midnight
    assert {b.source for b in shown} == {"policy:v7"}
    other = document_banners(document, version=7, set_by="a", reason="r", since=NOW, campaign_id="c2", now=NOW)
    assert [b.kind for b in other] == ["general", "adgate_bypass"]
    tomorrow = NOW + timedelta(days=1)
    assert [b.kind for b in document_banners(document, version=7, set_by="a", reason="r", since=NOW,
                                             campaign_id="c1", now=tomorrow)] == ["general", "adgate_bypass"]


def test_sev2_first_response_flags_each_campaign_and_sev3_needs_the_figures() -> None:
    done = plan(level_of(2), ["c1", "c2"], PolicyDocument(), Ask("sponsor landing down"), TODAY)
    assert done.document is not None
    assert [(e.campaign_id, e.valid_from, e.banner_text) for e in done.document.adgate_exceptions] == [
        ("c1", TODAY, BYPASS_BANNER), ("c2", TODAY, BYPASS_BANNER)]
    with pytest.raises(DomainError) as refused:
        plan(level_of(2), [], PolicyDocument(), Ask("r"), TODAY)
    assert refused.value.field == "campaigns"
    with pytest.raises(DomainError) as refused:
        plan(level_of(3), [], PolicyDocument(), Ask("r"), TODAY)
    assert refused.value.field == "queue_check"
    sev1 = plan(level_of(1), [], PolicyDocument(), Ask("r", detour=True), TODAY)
    assert sev1.banner == {"text": LEVELS[1].default_banner, "text_en": LEVELS[1].default_banner_en}
    assert sev1.document is not None and sev1.document.adgate_global_bypass


def test_the_post_is_korean_with_the_kst_minute_and_the_checklist() -> None:
    facts = IncidentFacts(3, 2, "AdGate 대량 실패", "open", ["c1"], ["adgate"])
    post = incident_post("opened", facts, at=NOW, actor="admin", checklist=True)
    assert post["text"] == "[SEV2] AdGate 대량 실패 — 열림 (2026년 12월 8일 10:00 (KST)) · 담당 admin"
    every = str(post["blocks"])
    assert "영향 캠페인*: c1" in every and "예외 플래그" in every and "☐" in every


def test_a_failing_post_waits_longer_each_time_then_fails() -> None:
    retry = Retry(timedelta(seconds=2), attempts=3)
    assert retry.after_failure(1, NOW) == ("pending", NOW + timedelta(seconds=2))
    assert retry.after_failure(2, NOW) == ("pending", NOW + timedelta(seconds=4))
    assert retry.after_failure(3, NOW) == ("failed", None)
