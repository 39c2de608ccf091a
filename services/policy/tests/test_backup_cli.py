"""`policy-admin restore` refuses before it reaches the database: the file is checked first, so a refused
file leaves even the schema alone (the database URL here leads nowhere)."""

from pathlib import Path

import pytest

from platform_shared.auth.tokens import SigningKey, jwks_json
from policy_service.entrypoints.cli.accounts_cli import main

NOWHERE = "postgresql+asyncpg://nobody:nothing@127.0.0.1:1/none"


def refusal(monkeypatch: pytest.MonkeyPatch, jwks: str, *argv: str) -> str:
    monkeypatch.setenv("POLICY_DATABASE_URL", NOWHERE)
    monkeypatch.setenv("ADMIN_TOKEN_JWKS", jwks)
    monkeypatch.setenv("POLICY_AUDIT_KEY", "k" * 32)
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    return str(exited.value.code)


def test_a_corrupt_file_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    file = tmp_path / "policy-history-20261127-0300.json"
    file.write_text('{"format": "lottery-policy-his')
    reason = refusal(monkeypatch, jwks_json(SigningKey.generate()), "restore", str(file))
    assert reason.startswith("refused: corrupt: not JSON") and "\n" not in reason


def test_without_the_installations_keys_nothing_can_be_verified(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    reason = refusal(monkeypatch, "", "restore", str(tmp_path / "any.json"))
    assert reason == "refused: ADMIN_TOKEN_JWKS holds no usable Ed25519 key, so no backup can be verified"


def test_a_missing_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    reason = refusal(monkeypatch, jwks_json(SigningKey.generate()), "restore", str(tmp_path / "gone.json"))
    assert reason.startswith("refused: cannot read") and "gone.json" in reason
