"""The incident and banner pages' refusals without a browser (tests/browser has the flow): Data reads them but is
not offered an action and is refused when it forges one; a banner over 200 characters and an unknown SEV are told
next to their fields, and nothing is stored."""

import httpx
import pytest

from tests.console_support import ConsoleClient, console_account

pytestmark = pytest.mark.integration


def _incidents(fleet) -> int:
    answer = httpx.get(f"{fleet['policy'].base_url}/incidents", auth=fleet.operator(), timeout=30)
    answer.raise_for_status()
    return int(answer.json()["total"])


def _stored_banners(fleet) -> int:
    answer = httpx.get(f"{fleet['policy'].base_url}/banners/all", auth=fleet.operator(), timeout=30)
    answer.raise_for_status()
    return int(answer.json()["total"])


def test_data_reads_incidents_and_banners_but_may_not_act(fleet):
    console = ConsoleClient(fleet)
    console.sign_in(console_account(fleet, "data"))
    before = _incidents(fleet), _stored_banners(fleet)
    listed = console.get("/incidents")
    assert listed.status_code == 200 and 'action="/incidents"' not in listed.text
    banners = console.get("/incidents/banners")
    assert banners.status_code == 200 and 'action="/incidents/banners"' not in banners.text
    assert console.post("/incidents", {"sev": "2", "title": "데이터가 열어 봄"}).status_code == 403
    assert console.post("/incidents/banners", {"text": "데이터 배너", "reason": "시험 삼아"}).status_code == 403
    assert console.post("/incidents/1/status", {"status": "resolved", "note": "데이터가 닫음"}).status_code == 403
    assert (_incidents(fleet), _stored_banners(fleet)) == before


def test_an_unknown_sev_and_a_banner_too_long_are_told_at_their_fields(fleet):
    console = ConsoleClient(fleet)
    console.sign_in(console_account(fleet, "admin"))
    console.get("/incidents")
    before = _incidents(fleet), _stored_banners(fleet)
    refused = console.post("/incidents", {"sev": "7", "title": "알 수 없는 등급"})
    assert refused.status_code == 422 and 'id="e-sev"' in refused.text
    assert 'value="알 수 없는 등급"' in refused.text  # what was typed stays
    console.get("/incidents/banners")
    refused = console.post("/incidents/banners", {"text": "가" * 201, "reason": "너무 긴 배너"})
    assert refused.status_code == 422 and 'id="banner-text-error"' in refused.text
    assert (_incidents(fleet), _stored_banners(fleet)) == before
