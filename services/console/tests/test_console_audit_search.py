"""The audit page's search across four chains (domain/audit_search.py): newest first, a keyset cursor per
service, a service that ran out not asked again; and every filter asked of the service itself."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from console_service.application.audit_search import _asked
from console_service.domain.audit_search import DONE, AuditQuery, cursor_of, kst_input, merge_newest

T0 = datetime(2026, 12, 24, 11, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Rec:
    seq: int
    at: datetime
    actor: str = "admin"
    action: str = "draw.run"
    target: str = "draw:c1"


def newest_first(*minutes_and_ids: tuple[int, int]) -> list[Rec]:
    return sorted((Rec(i, T0 + timedelta(minutes=m)) for m, i in minutes_and_ids), key=lambda r: r.seq, reverse=True)


def test_a_page_is_the_newest_across_services_and_each_cursor_is_the_last_it_gave():
    lottery = newest_first((9, 30), (7, 29), (1, 28))
    policy = newest_first((8, 5), (2, 4))

    page = merge_newest({"lottery": lottery, "policy": policy}, {}, size=3)

    assert [(s, r.seq) for s, r in page.rows] == [("lottery", 30), ("policy", 5), ("lottery", 29)]
    assert page.cursor == {"lottery": 29, "policy": 5} and page.more


def test_the_older_page_goes_on_from_the_cursors_and_the_last_one_says_no_more():
    lottery, policy = newest_first((1, 28)), newest_first((2, 4))

    page = merge_newest({"lottery": lottery, "policy": policy}, {"lottery": 29, "policy": 5}, size=3)

    assert [(s, r.seq) for s, r in page.rows] == [("policy", 4), ("lottery", 28)]
    assert page.cursor == {"lottery": DONE, "policy": DONE} and not page.more


def test_a_service_with_nothing_on_this_page_keeps_its_cursor_and_one_that_ran_out_stays_out():
    lottery = newest_first((9, 30), (8, 29), (7, 28), (6, 27))  # a page and one more: more remain
    waitlist = newest_first((1, 3))

    page = merge_newest({"lottery": lottery, "waitlist": waitlist}, {"waitlist": 4, "notifier": DONE}, size=3)

    assert [r.seq for _, r in page.rows] == [30, 29, 28]
    assert page.cursor == {"lottery": 28, "waitlist": 4, "notifier": DONE} and page.more


def test_the_query_matches_every_field_and_the_time_range_is_half_open():
    record = Rec(1, T0, actor="pm-kim", action="auth.2fa_reset", target="account:lee")
    assert AuditQuery(actor="pm-kim", action="auth.2fa_reset", target="account:lee", since=T0,
                      until=T0 + timedelta(minutes=1)).matches(record)
    assert not AuditQuery(actor="admin").matches(record)
    assert not AuditQuery(until=T0).matches(record)
    assert AuditQuery(service="policy").services() == ("policy",)
    assert AuditQuery(service="nope").services() == ("lottery", "waitlist", "notifier", "policy")


def test_a_time_typed_on_the_page_is_kst():
    assert kst_input("2026-12-24T20:00") == datetime(2026, 12, 24, 11, 0, tzinfo=UTC)
    assert kst_input("") is None
    with pytest.raises(ValueError):
        kst_input("yesterday")


def test_the_cursors_of_the_link_and_a_bad_one_counted_as_none():
    assert cursor_of({"before_lottery": "29", "before_policy": "x"}) == {
        "lottery": 29, "waitlist": None, "notifier": None, "policy": None}


def test_every_filter_and_the_cursor_are_asked_of_the_service_itself():
    assert _asked(AuditQuery(target="draw:c1"), None, 51) == ({"target": "draw:c1", "limit": 51}, False)
    assert _asked(AuditQuery(actor="pm-kim"), None, 51) == ({"actor": "pm-kim", "limit": 51}, False)
    assert _asked(AuditQuery(action="draw.run", since=T0), 40, 51) == (
        {"action": "draw.run", "since": T0, "before": 40, "limit": 51}, False)
