"""The lottery pages' pure parts and templates without a fleet: the CSV rows checked before anything is sent,
the §3.1 checklist from a dry run, every lottery template rendered in Korean (no missing variable, no English
left where a translation exists), and every route classified (the app builds)."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import Response

from console_service.adapters.lottery_pages import ResultRows
from console_service.bootstrap import build_app
from console_service.domain.draw_words import status_name
from console_service.domain.entry_rows import read_entries
from console_service.domain.paging import Page
from console_service.domain.precheck import precheck
from console_service.entrypoints.http.rendering import Pages
from console_service.settings import ConsoleSettings
from platform_shared.contracts.admin.lottery import DryRunOut
from platform_shared.contracts.admin.lottery_rows import DrawOut, ResultOut, RunOut

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def test_one_wrong_row_is_reported_by_line_and_field_and_nothing_is_kept():
    read = read_entries("kakao_user_id,weight\n1,2\n2,heavy\n\n1,3\n")
    assert read.entries == []
    assert [(e.row, e.field) for e in read.errors] == [(3, "weight"), (5, "kakao_user_id")]
    fixed = read_entries("\ufeffkakao_user_id,weight\n1,2\n2,1.5\n")
    assert not fixed.errors and [e.kakao_user_id for e in fixed.entries] == [1, 2]
    assert read_entries("user,weight\n1,2\n").errors[0].field == "user"


def dry_run(**changes: object) -> DryRunOut:
    report = {"campaign_id": "c", "status": "closed", "seats": 3, "waitlist_size": 2,
              "draw_at_kst": "2026-01-05T12:00:00+09:00", "draw_at_reached": False, "seed_display": "ab12",
              "policy_version": 4, "weight_cap": 5.0, "entries_above_cap": 0, "eligible": 12, "total_entries": 12,
              "excluded": {"invalid_duplicates": 0, "blacklisted": 0, "suspicious": 0, "unmet_preconditions": 0},
              "pass_rates": {"intro_first": None, "adgate": 0.5}, "adgate_exempt": 0,
              "histogram": {"edges": [1.0, 2.0], "counts": [12]}, "sample": [1, 2, 3, 4, 5], "sample_is_final": False}
    return DryRunOut.model_validate({**report, **changes})


def test_the_checklist_fails_the_time_item_until_the_draw_time():
    checks = precheck(dry_run())
    assert [check.ok for check in checks] == [True, False, True, True, True, True, True]
    assert all(check.ok for check in precheck(dry_run(draw_at_reached=True)))


def request(path: str = "/lottery") -> Request:
    scope: dict[str, Any] = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b"",
                             "state": {}, "app": None, "root_path": "", "scheme": "https", "server": ("console", 443)}
    found = Request(scope)
    found.state.locale, found.state.csrf, found.state.session = "ko", "secret", None
    return found


def draw(status: str) -> DrawOut:
    return DrawOut(campaign_id="winter", display_name="겨울 추첨", seats=3, waitlist_size=2, draw_at=NOW,
                   requires_intro=False, requires_adgate=True, weight_cap=None, cooldown_hours=0, status=status,
                   commitment="c0ffee", frozen_set_hash=None, algorithm=None)


def text_of(response: Response) -> str:
    return bytes(response.body).decode()


def test_every_lottery_template_renders_in_korean():
    pages = Pages()
    allowed = dict.fromkeys(("entries", "close", "precheck", "dry-run", "run/prepare", "places", "reopen/prepare",
                             "duplicates", "recalculate/prepare"), True)
    listed = pages.render(request(), "pages/lottery/list.html", draws=[draw("open")], page=Page.of(1, 50, 1),
                          may_create=True, errors={"seats": "too few"}, values={}, status_name=status_name)
    assert "추첨 만들기" in text_of(listed) and "too few" in text_of(listed)
    for status in ("open", "closed", "drawing_done"):
        shown = pages.render(request(), "pages/lottery/draw.html", draw=draw(status), base="/lottery/draws/winter",
                             runs=[], allowed=allowed, status_name=status_name, errors={}, checks=precheck(dry_run()),
                             dry_run=dry_run(), row_errors=read_entries("kakao_user_id,weight\n1,x\n").errors,
                             upload_name="a.csv", dialog={"title": "Execute the draw?", "facts": [("Seats (K)", "3")],
                                                          "token": "t" * 20, "action": "/x", "button": "Execute"})
        text = text_of(shown)
        assert "data-modal" in text and "좌석 수(K)" in text
        if status == "closed":
            assert "최종 결과 아님" in text and "weights.svg" in text and "✗" in text
    run = RunOut(id=uuid4(), campaign_id="winter", previous_run_id=None, status="completed", seats=1,
                 waitlist_size=1, eligible_count=2, entry_set_hash="h", commitment="c", policy_version=1,
                 weight_cap=5, executed_by="admin", created_at=NOW, rolled_back_at=None, rollback_reason=None)
    found = ResultRows(run, False, 1, 1, [ResultOut(rank=1, kakao_user_id=7, outcome="winner", weight=1, key=0.5)])
    shown = pages.render(request(), "pages/lottery/run.html", found=found, run=run, place="winner",
                         page=Page.of(1, 50, 1), base=f"/lottery/runs/{run.id}", draw_url="/lottery/draws/winter",
                         may_export=True, may_roll_back=True, errors={}, status_name=status_name)
    assert "당첨자" in text_of(shown) and "export.csv" in text_of(shown)


def test_every_route_is_classified():
    settings = ConsoleSettings(session_key=SecretStr("0" * 64), policy_url="http://p", lottery_url="http://l",
                               waitlist_url="http://w", notifier_url="http://n")
    paths = build_app(settings).openapi()["paths"]  # build_app refuses an unclassified route
    assert "/lottery/draws/{campaign_id}/run/execute" in paths
