"""The rules of a notice to a segment (seed §1, §14) and of a refused entry, pure: a request is whole before
anything is counted, each failure names its field, and a notice's key names exactly what it says to whom."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from lottery_service.domain.entrant_entry import Progress
from lottery_service.domain.entry_refusals import REFUSAL_REASONS, EntryRefusal, entry_refusal
from lottery_service.domain.notices import dedupe_prefix, notice_key, refuse_empty, refuse_incomplete
from platform_shared.contracts.admin.notices import NoticeIn
from platform_shared.contracts.events import NotificationRequested
from platform_shared.errors import InvalidInputError

START = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
INCIDENT = {"notice_time": "2026-12-01T22:10:00+09:00", "affected": "응모", "period": "21:00–21:40 (KST)",
            "action": "AdGate 예외 적용", "retry": "지금 다시 응모해 주세요"}


def notice(**changes: Any) -> NoticeIn:
    request: dict[str, Any] = {"template": "INCIDENT_NOTICE", "params": INCIDENT, "channels": ["message", "email"],
                               "segment": {"kind": "refused", "from": START.isoformat(),
                                           "until": (START + timedelta(hours=1)).isoformat()}}
    return NoticeIn.model_validate({**request, **changes})


def refused_field(request: NoticeIn) -> str | None:
    with pytest.raises(InvalidInputError) as refused:
        refuse_incomplete(request, REFUSAL_REASONS)
    return refused.value.field


def test_a_whole_request_passes_and_each_missing_or_unknown_parameter_is_named() -> None:
    refuse_incomplete(notice(), REFUSAL_REASONS)
    for name in INCIDENT:
        assert refused_field(notice(params={k: v for k, v in INCIDENT.items() if k != name})) == f"params.{name}"
    assert refused_field(notice(params={**INCIDENT, "message": "x"})) == "params.message"
    rollback = {"campaign_name": "봄 초대전", "reason": "가중치 오류", "rolled_back_at": START.isoformat()}
    refuse_incomplete(notice(template="DRAW_ROLLBACK_NOTICE", params=rollback), REFUSAL_REASONS)
    assert refused_field(notice(template="DRAW_ROLLBACK_NOTICE", params=INCIDENT)) == "params.campaign_name"


def test_a_window_ends_after_it_starts_and_a_reason_is_one_the_service_records() -> None:
    window = {"kind": "refused", "from": START.isoformat()}
    assert refused_field(notice(segment={**window, "until": START.isoformat()})) == "segment.until"
    assert refused_field(notice(segment={**window, "until": (START - timedelta(minutes=1)).isoformat()})) == \
        "segment.until"
    assert refused_field(notice(segment={**window, "until": (START + timedelta(hours=1)).isoformat(),
                                         "reason": "bored"})) == "segment.reason"
    for reason in ("adgate", "bad_signature", "not_open"):
        refuse_incomplete(notice(segment={**window, "until": (START + timedelta(hours=1)).isoformat(),
                                          "reason": reason}), REFUSAL_REASONS)


def test_channels_are_named_once_and_the_shape_is_checked_by_field() -> None:
    assert refused_field(notice(channels=["email", "email"])) == "channels"
    bad: dict[str, Any]
    for bad in ({"channels": []}, {"channels": ["fax"]}, {"template": "WINNER_OFFER"},
                {"segment": {"kind": "campaign"}}, {"segment": {"kind": "everyone"}},
                {"segment": {"kind": "refused", "from": "2026-12-01T13:00:00", "until": START.isoformat()}},
                {"params": {**INCIDENT, "affected": ""}}):
        with pytest.raises(ValidationError):
            notice(**bad)


def test_a_segment_that_matches_nobody_is_refused() -> None:
    with pytest.raises(InvalidInputError) as empty:
        refuse_empty(0, notice())
    assert empty.value.field == "segment" and "matches nobody" in empty.value.message
    refuse_empty(1, notice())


def test_the_same_notice_has_the_same_key_whatever_the_channels_language_or_offset() -> None:
    key = notice_key(notice())
    kst = timezone(timedelta(hours=9))
    same_window = {"kind": "refused", "from": START.astimezone(kst).isoformat(),
                   "until": (START + timedelta(hours=1)).astimezone(kst).isoformat()}
    assert notice_key(notice(segment=same_window, channels=["email"], locale="en")) == key
    assert notice_key(notice(incident_id="INC-7")) != key
    assert notice_key(notice(params={**INCIDENT, "retry": "다시"})) != key
    assert notice_key(notice(segment={"kind": "campaign", "campaign_id": "spring"})) != key
    dedupe = f"{dedupe_prefix(key)}email:{2**63 - 1}"
    NotificationRequested(occurred_at=START, user_id="1", dedupe_key=dedupe, template="INCIDENT_NOTICE")


def test_an_entry_is_refused_for_the_first_rule_it_breaks_with_the_answer_it_always_had() -> None:
    def refusal(status: str = "open", intro: bool = True, adgate: bool = True,
                exemption: str | None = None) -> EntryRefusal | None:
        refused = entry_refusal("spring", status=status, requires_intro=True, requires_adgate=True,
                                progress=Progress(intro, adgate), adgate_exemption=exemption)
        return None if refused is None else refused.reason

    assert refusal() is None
    assert refusal(status="closed", intro=False) == EntryRefusal.NOT_OPEN
    assert refusal(intro=False, adgate=False) == EntryRefusal.INTRO
    assert refusal(adgate=False) == EntryRefusal.ADGATE
    assert refusal(adgate=False, exemption="AdGate global bypass") is None
    refused = entry_refusal("spring", status="open", requires_intro=True, requires_adgate=False,
                            progress=Progress(False, False), adgate_exemption=None)
    assert refused is not None and refused.error.field == "intro" and refused.error.status_code == 409
