"""`lottery-ops notifications status` says how the messaging vendor is (runbook §6.3) in one line: Korean first,
since when in KST to the minute, the last problem kept after recovery."""

from collections.abc import Iterator

import pytest

from platform_deploy.ops.notices import vendor_line
from platform_deploy.ops.words import choose


@pytest.fixture(autouse=True)
def korean() -> Iterator[None]:
    choose("ko")
    yield
    choose(None)


def test_a_vendor_down_reads_as_jangae_since_kst_with_the_problem() -> None:
    line = vendor_line({"up": False, "since": "2026-12-08T12:02:30+00:00", "last_problem": "status check answered 503",
                        "checked_at": None, "probe_failures": 3})
    assert line == "벤더 상태: 장애 — 2026년 12월 8일 21:02 (KST)부터 — status check answered 503"


def test_a_vendor_up_again_keeps_its_last_problem_and_english_on_request() -> None:
    vendor = {"up": True, "since": "2026-12-08T12:10:00+00:00", "last_problem": "status check timed out"}
    assert vendor_line(vendor) == ("벤더 상태: 정상 — 2026년 12월 8일 21:10 (KST)부터 "
                                   "(마지막 문제: status check timed out)")
    choose("en")
    assert vendor_line(vendor) == "vendor: up since 8 Dec 2026, 21:10 (KST) (last problem: status check timed out)"
    assert vendor_line(None) == "vendor: not probed yet"
