"""Hostile HTTP input that Schemathesis found turning into server errors (issue 15; `make faults` runs it against
every route as every identity): numbers past their column's range and NUL characters are the caller's mistake,
a 422 that names no value, never a 500."""

import httpx
import pytest

from platform_deploy.services import Fleet

pytestmark = pytest.mark.integration


def test_out_of_range_numbers_and_nul_characters_are_422_not_500(fleet: Fleet) -> None:
    with httpx.Client(base_url=fleet["policy"].base_url, auth=fleet.operator(), timeout=30) as policy:
        diff = policy.get("/policy/diff", params={"from": 1, "to": 2**70})
        assert diff.status_code == 422 and diff.json()["detail"][0]["loc"] == ["query", "to"]
        rollback = policy.post(f"/policy/versions/{2**33}/rollback/prepare", json={"reason": "far too new"})
        assert rollback.status_code == 422 and rollback.json()["detail"][0]["loc"] == ["path", "version"]
        tags = policy.post("/dead-letters/tags", json={"tag": "sampled", "ids": [1, 2**64]})
        assert tags.status_code == 422 and tags.json()["detail"][0]["loc"][:2] == ["body", "ids"]
        token = policy.post("/policy/rollback/confirm", json={"token": "not-a-token\u0000-at-all"})
        assert token.status_code == 422 and token.json()["detail"][0]["loc"] == ["body", "token"]
        # Valid by its schema, refused by PostgreSQL: the safety net's answer, without the value; nothing stored.
        def newest_audit() -> object:
            return policy.get("/audit", params={"limit": 1}).json()[0]["id"]

        before = newest_audit()
        nul = policy.post("/policy/changes/prepare", json={"reason": "weights", "impact_memo": "secret-ish\u0000",
                                                            "patch": {"weight_cap": 6}})
        assert nul.status_code == 422, nul.text
        assert nul.json()["error"] == "InvalidInputError" and "secret-ish" not in nul.text
        assert newest_audit() == before, "nothing was recorded"
