"""Lists the operator console opens a page at a time, against the real fleet: a run's results by place, a draw's
entries, the draws, and the audit log searched by actor, action, target and time. Every walk covers each row
once, in order, with the totals right; filters narrow; a limit out of bounds is refused by field."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from platform_deploy.scenario import admin_client, admin_http, prepare_and_execute
from platform_deploy.services import Fleet
from platform_shared.client.lottery import LotteryClient
from platform_shared.client.platform import ServiceClient
from platform_shared.contracts.admin.lottery_requests import DrawIn, EntriesIn
from platform_shared.contracts.admin.models import ReasonIn, TokenIn
from platform_shared.contracts.admin.platform import AuditRecordOut
from tests.support import ok, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration

Page = Callable[[int], list[Any]]


def walk(page: Page, limit: int) -> list[Any]:
    """Every row, page after page of `limit` (offset paging), until a short page."""
    rows: list[Any] = []
    while True:
        chunk = page(len(rows))
        assert len(chunk) <= limit
        rows += chunk
        if len(chunk) < limit:
            return rows


def refused_field(response: httpx.Response) -> tuple[str, ...]:
    """The field a 422 names: a query parameter FastAPI refused, or the one a rule named."""
    assert response.status_code == 422, response.text
    body = response.json()
    return tuple(body["detail"][0]["loc"]) if "detail" in body else ("field", body["field"])


def typed(fleet: Fleet, operator: str = "admin") -> LotteryClient:
    return LotteryClient(admin_http(fleet["lottery"].base_url, fleet.operator(operator)))


def test_a_runs_results_page_by_place_in_rank_order_with_both_totals(fleet: Fleet, lottery: httpx.Client) -> None:
    campaign = unique_campaign("results-pages")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=300, seats=120, waitlist_size=70)
    run_id = prepare_and_execute(lottery, campaign)[1]["id"]
    client = typed(fleet, "analyst")  # Data reads results as it reads the run

    def pages(place: str) -> list[Any]:
        def page(offset: int) -> list[Any]:
            answer = client.run_results(run_id, place, offset, 50)
            assert (answer.total_winners, answer.total_waitlist, answer.place) == (120, 70, place)
            assert (answer.offset, answer.limit, answer.results_void) == (offset, 50, False)
            return answer.rows
        return walk(page, 50)

    winners, waitlist = pages("winner"), pages("waitlist")
    assert [r.rank for r in winners] == list(range(1, 121)), "every winner once, in rank order"
    assert [r.rank for r in waitlist] == list(range(121, 191)), "the waitlist after them, from its own first rank"
    assert {r.outcome for r in winners} == {"winner"} and {r.outcome for r in waitlist} == {"waitlist"}
    assert winners + waitlist == client.run(run_id).results, "the pages are the run's results, row for row"
    default = ok(lottery.get(f"/runs/{run_id}/results"))
    assert (default["place"], default["limit"], len(default["rows"])) == ("winner", 50, 50)
    assert client.run_results(run_id, "waitlist", 70, 50).rows == [], "past the end: an empty page, totals kept"

    for params, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset"),
                          ({"place": "loser"}, "place")):
        assert refused_field(lottery.get(f"/runs/{run_id}/results", params=params)) == ("query", field)
    assert lottery.get("/runs/00000000-0000-0000-0000-000000000000/results").status_code == 404

    token = typed(fleet).prepare_rollback(run_id, ReasonIn(reason="checking the void flag")).token
    typed(fleet).confirm_rollback(run_id, TokenIn(token=token))
    voided = client.run_results(run_id, "winner", 0, 10)
    assert voided.results_void and voided.run.status == "rolled_back" and len(voided.rows) == 10


def test_a_draws_entries_page_by_user_with_their_total(fleet: Fleet, lottery: httpx.Client) -> None:
    campaign = unique_campaign("entry-pages")
    admin = typed(fleet)
    admin.create_draw(DrawIn(campaign_id=campaign, seats=5, waitlist_size=0,
                             draw_at=datetime.now(UTC) + timedelta(days=1)))
    users = [5_000_000 + (n * 7919) % 1000 for n in range(130)]  # entered out of user order
    admin.add_entries(campaign, EntriesIn.model_validate(
        {"entries": [{"kakao_user_id": user, "weight": 1 + user % 4} for user in users]}))
    data = typed(fleet, "analyst")

    def page(offset: int) -> list[Any]:
        answer = data.entries(campaign, offset, 50)
        assert (answer.total, answer.offset, answer.limit) == (130, offset, 50)
        return answer.rows

    rows = walk(page, 50)
    assert [r.kakao_user_id for r in rows] == sorted(users), "every entry once, by user id"
    assert all(r.weight == 1 + r.kakao_user_id % 4 and r.invalid_reason is None for r in rows)
    assert len({r.id for r in rows}) == 130

    for params, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset")):
        assert refused_field(lottery.get(f"/draws/{campaign}/entries", params=params)) == ("query", field)
    assert lottery.get(f"/draws/{unique_campaign('none')}/entries").status_code == 404
    with admin_client(fleet["lottery"].base_url, fleet.operator("partner")) as partner:
        assert partner.get(f"/draws/{campaign}/entries").status_code == 403, "classified as the export is"


def test_the_draws_list_pages_with_its_total_and_answers_every_draw_without_a_limit(
        fleet: Fleet, lottery: httpx.Client) -> None:
    for n in range(3):
        typed(fleet).create_draw(DrawIn(campaign_id=unique_campaign(f"listed-{n}"), seats=1,
                                                  waitlist_size=0, draw_at=datetime.now(UTC) + timedelta(days=1)))
    everything = lottery.get("/draws")
    every_id = [draw["campaign_id"] for draw in ok(everything)]
    assert int(everything.headers["X-Total-Count"]) == len(every_id) >= 3
    assert every_id == sorted(every_id), "by campaign id, as before"

    def page(offset: int) -> list[Any]:
        answer = typed(fleet, "analyst").draw_page(offset, 4)
        assert answer.total == len(every_id)
        return [draw.campaign_id for draw in answer.rows]

    assert walk(page, 4) == every_id, "the pages are the whole list, in its order"
    assert [d["campaign_id"] for d in ok(lottery.get("/draws", params={"offset": 2}))] == every_id[2:]
    for params, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset")):
        assert refused_field(lottery.get("/draws", params=params)) == ("query", field)


def test_the_audit_log_is_searched_by_actor_action_target_and_time_a_page_at_a_time(
        fleet: Fleet, lottery: httpx.Client) -> None:
    campaign = unique_campaign("audit-search")
    target = f"draw:{campaign}"
    with admin_client(fleet["lottery"].base_url, fleet.operator("pm")) as pm:
        ok(pm.post("/draws", json={"campaign_id": campaign, "seats": 1, "waitlist_size": 0,
                                   "draw_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()}))
        ok(pm.post(f"/draws/{campaign}/entries", json={"entries": [{"kakao_user_id": 7_000_001, "weight": 1}]}))
        ok(pm.post(f"/draws/{campaign}/close"))
        for _ in range(3):
            ok(pm.post(f"/draws/{campaign}/dry-run"))
    for _ in range(4):
        ok(lottery.post(f"/draws/{campaign}/dry-run"))
    audit = ServiceClient(admin_http(fleet["lottery"].base_url, fleet.operator("analyst")))

    of_target = audit.audit(target=target, limit=200)
    assert [r.actor for r in of_target] == ["admin"] * 4 + ["pm"] * 6, "newest first"
    assert [r.action for r in of_target] == ["draw.dry_run"] * 7 + ["draw.close_entries", "entries.import",
                                                                    "draw.create"]
    assert [r.seq for r in of_target] == sorted((r.seq for r in of_target), reverse=True)
    assert list(audit.audit_records(page=3, target=target)) == of_target, "pages of three: every record once"

    def narrowed(**filters: Any) -> list[AuditRecordOut]:
        return audit.audit(target=target, **filters, limit=200)

    assert narrowed(actor="pm") == [r for r in of_target if r.actor == "pm"]
    assert narrowed(actor="pm", action="draw.dry_run") == of_target[4:7]
    assert narrowed(action="draw.create") == of_target[-1:]
    middle = of_target[3]
    assert narrowed(since=middle.at) == [r for r in of_target if r.at >= middle.at]
    assert narrowed(until=middle.at) == [r for r in of_target if r.at < middle.at]
    assert narrowed(before=middle.seq) == of_target[4:]
    assert {r.actor for r in audit.audit(actor="pm", limit=200)} == {"pm"}, "a filter alone, across the log"
    assert {r.action for r in audit.audit(action="draw.create", limit=200)} == {"draw.create"}

    # Unfiltered, the pages are the chain itself: every number from the newest down to 1, once each.
    walked = [r.seq for r in audit.audit_records()]
    assert walked == list(range(walked[0], 0, -1)) and walked[0] >= of_target[0].seq
    assert len(audit.audit()) == min(50, walked[0]), "50 by default"

    at = middle.at.isoformat()
    for params, field in (({"limit": 0}, ("query", "limit")), ({"limit": 201}, ("query", "limit")),
                          ({"before": 0}, ("query", "before")), ({"since": "2026-12-01T10:00:00"}, ("query", "since")),
                          ({"actor": ""}, ("query", "actor")), ({"target": "x" * 201}, ("query", "target")),
                          ({"since": at, "until": at}, ("field", "until"))):
        assert refused_field(lottery.get("/audit", params=params)) == field, params


@pytest.mark.parametrize("service", ["waitlist", "notifier", "policy"])
def test_every_service_answers_the_same_search(fleet: Fleet, service: str) -> None:
    audit = ServiceClient(admin_http(fleet[service].base_url))
    every = list(audit.audit_records(page=200))
    assert [r.seq for r in every] == list(range(len(every), 0, -1)), "the chain, newest first, each record once"
    if every:
        assert audit.audit(actor=every[0].actor, before=every[0].seq + 1, limit=1) == every[:1]
