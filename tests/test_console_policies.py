"""The policy and consumer pages' refusals without a browser (tests/browser has the flows): a role that may not
change the policy or pause a group is not offered the form and is refused when it forges the POST; a POST
without the page's CSRF secret changes nothing; a reason too short is told by field, nothing proposed."""

import httpx
import pytest

from tests.console_support import ConsoleClient, console_account

pytestmark = pytest.mark.integration


def _version(fleet) -> int:
    answer = httpx.get(f"{fleet['policy'].base_url}/policy", auth=fleet.operator(), timeout=30)
    answer.raise_for_status()
    return int(answer.json()["version"])


def test_data_reads_the_policy_and_the_consumers_but_may_not_change_or_pause(fleet):
    console = ConsoleClient(fleet)
    console.sign_in(console_account(fleet, "data"))
    version = _version(fleet)

    document = console.get("/policies")
    assert document.status_code == 200 and 'action="/policies/changes/prepare"' not in document.text
    consumers = console.get("/consumers")
    assert consumers.status_code == 200 and 'action="/consumers/pause"' not in consumers.text

    forged = console.post("/policies/changes/prepare", {"reason": "데이터가 바꿔 봄", "weight_cap": "99"})
    assert forged.status_code == 403
    assert console.post("/policies/rollback/prepare", {"version": "1", "reason": "데이터 롤백"}).status_code == 403
    assert console.post("/consumers/pause", {"target": "lottery|x", "reason": "데이터 중지"}).status_code == 403
    assert _version(fleet) == version


def test_without_the_csrf_secret_or_with_a_short_reason_nothing_is_proposed(fleet):
    console = ConsoleClient(fleet)
    console.sign_in(console_account(fleet, "admin"))
    console.get("/policies")
    version = _version(fleet)

    forged = console.post("/policies/changes/prepare", {"reason": "위조된 변경", "weight_cap": "11"}, with_csrf=False)
    assert forged.status_code == 403

    short = console.post("/policies/changes/prepare", {"reason": "x", "weight_cap": "11"})
    assert short.status_code == 422 and 'id="e-reason"' in short.text and "<dialog" not in short.text
    paused = console.post("/consumers/pause", {"target": "nowhere|x", "reason": "없는 서비스"})
    assert paused.status_code == 422 and 'id="pause-target-error"' in paused.text
    assert _version(fleet) == version
