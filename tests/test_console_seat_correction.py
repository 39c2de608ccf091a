"""A seat correction after the close through the console on the real fleet, over HTTP (seed §3.5,
docs/draw-algorithm.md §8.6): the draw's page shows its public commitment; one operator asks and is shown the
token, their own confirmation is refused in words and changes nothing; a second operator confirms it and the new
commitment is public, with its `places_changed` entry on the page."""

import re

import httpx
import pytest

from platform_deploy.services import Fleet
from tests.console_support import ConsoleClient, console_account
from tests.support import ok, prepare_closed_draw, unique_campaign

pytestmark = pytest.mark.integration
TOKEN = re.compile(r'id="second-operator-token">([^<]+)<')


def committed_seats(fleet: Fleet, campaign: str) -> int:
    shown = ok(httpx.get(f"{fleet['lottery'].base_url}/draws/{campaign}/commitment", timeout=30))
    return int(shown["committed"]["seats"])


def test_a_second_operator_confirms_a_seat_correction_after_the_close(fleet: Fleet) -> None:
    campaign = unique_campaign("cseats")
    prepare_closed_draw(fleet["lottery"].base_url, campaign, entrants=8, seats=3, waitlist_size=2)
    page = f"/lottery/draws/{campaign}"
    asker = ConsoleClient(fleet)
    asker.sign_in(console_account(fleet, "pm"))
    shown = asker.get(page)
    assert shown.status_code == 200 and "공개 약속값" in shown.text and "<td>마감(closed)</td>" in shown.text
    assert re.search(r"라운드 공개 시각</dt><dd>\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} \(KST\)", shown.text)

    asked = asker.post(f"{page}/places", {"seats": "5", "waitlist_size": "2", "reason": "후원사가 5석을 주었습니다"})
    assert asked.status_code == 200 and "3 → 5" in asked.text, asked.text
    found = TOKEN.search(asked.text)
    assert found is not None, "the dialog shows the token to hand over"
    alone = asker.post(f"{page}/places/confirm", {"token": found.group(1)})
    assert alone.status_code == 403 and "이 정정을 요청한 운영자는 직접 확인할 수 없습니다" in alone.text
    assert committed_seats(fleet, campaign) == 3, "refused: nothing changed"

    second = ConsoleClient(fleet)
    second.sign_in(console_account(fleet, "admin"))
    second.get(page)
    confirmed = second.post(f"{page}/places/confirm", {"token": found.group(1)})
    assert confirmed.status_code == 200 and "좌석 5석, 대기자 2명" in confirmed.text, confirmed.text
    assert "<td>인원 정정(places_changed)</td>" in confirmed.text
    assert committed_seats(fleet, campaign) == 5
