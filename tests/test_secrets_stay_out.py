"""Secrets never reach logs, errors or dead letters (SPEC §7): a failing statement's error text carries no
parameter value, and login attempts leave no password or code in the audit log."""

from uuid import uuid4

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from platform_deploy.infra import Infrastructure
from platform_deploy.operators import create_account
from platform_deploy.services import Fleet
from platform_shared.db.engine import create_engine, session_factory
from tests.support import fetch

pytestmark = pytest.mark.integration


async def test_a_failing_statement_never_carries_its_parameters_into_the_error(infrastructure: Infrastructure) -> None:
    secret = f"seed-{uuid4().hex}"
    engine = create_engine(infrastructure.database_urls["lottery"])
    try:
        with pytest.raises(DBAPIError) as caught:
            async with session_factory(engine).begin() as session:
                await session.execute(text("SELECT CAST(:seed AS text), 1 / 0"), {"seed": secret})
    finally:
        await engine.dispose()
    assert "division by zero" in str(caught.value)
    assert secret not in str(caught.value) and secret not in repr(caught.value)


async def test_refused_logins_are_audited_without_the_password_or_code(fleet: Fleet) -> None:
    account = create_account(fleet["policy"].base_env, f"secrets-{uuid4().hex[:8]}", "data").name
    password, code = f"pw-{uuid4().hex}", "123456"
    async with httpx.AsyncClient(base_url=fleet["policy"].base_url) as policy:
        refused = await policy.post("/auth/login", json={"account": account, "password": password, "totp": code})
        too_long = await policy.post("/auth/login", json={"account": account, "password": password * 100,
                                                          "totp": code})
    assert refused.status_code == 401 and password not in refused.text
    assert too_long.status_code == 422 and password not in too_long.text, "validation errors never echo a secret"
    rows = await fetch(fleet.infrastructure.database_urls["policy"],
                       "SELECT actor, target, record FROM audit_log"
                       " WHERE action = 'auth.login_refused' AND target = $1", f"account:{account}")
    assert rows, "the refused attempt is audited"
    assert not [r for r in rows if password in str(dict(r)) or f'"{code}"' in str(dict(r))]
