"""The backup rules (seed §15): a cron schedule in Asia/Seoul, file names, kept days, and a restore that
accepts only an intact file this installation signed."""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from platform_shared.auth.tokens import SigningKey, jwks_json
from platform_shared.contracts.policy import PolicyDocument
from platform_shared.time.clock import KST
from policy_service.domain.backups import (
    BackupRefused,
    VersionRecord,
    expired_files,
    next_fire,
    on_demand_file_name,
    parse_schedule,
    scheduled_file_name,
    signed_history,
    slot_at,
    trusted_keys,
    verify_history,
)

DAILY = "0 3 * * *"
KEY = SigningKey.generate("k-ours")
KEYS = trusted_keys(jwks_json(KEY))
SLOT = datetime(2026, 11, 27, 3, 0, tzinfo=KST)


def kst(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
        microsecond: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=KST)


def test_the_next_fire_time_is_strictly_later_and_crosses_the_korean_day() -> None:
    assert next_fire(DAILY, kst(2026, 11, 27, 2, 59, 59)) == kst(2026, 11, 27, 3, 0)
    assert next_fire(DAILY, kst(2026, 11, 27, 2, 59, 59, 999999)) == kst(2026, 11, 27, 3, 0)
    assert next_fire(DAILY, kst(2026, 11, 27, 3, 0)) == kst(2026, 11, 28, 3, 0), "03:00:00 itself is past"
    # 17:59:59 UTC on the 26th is 02:59:59 KST on the 27th: the UTC date does not decide.
    fire = next_fire(DAILY, datetime(2026, 11, 26, 17, 59, 59, tzinfo=UTC))
    assert fire == kst(2026, 11, 27, 3, 0) and fire.utcoffset() == timedelta(hours=9)
    assert next_fire(DAILY, kst(2026, 12, 31, 23, 0)) == kst(2027, 1, 1, 3, 0)


def test_a_run_belongs_to_the_newest_fire_time_at_or_before_it() -> None:
    assert slot_at(DAILY, kst(2026, 11, 27, 3, 0)) == kst(2026, 11, 27, 3, 0)
    assert slot_at(DAILY, kst(2026, 11, 27, 3, 0, 0, 500000)) == kst(2026, 11, 27, 3, 0)
    assert slot_at(DAILY, kst(2026, 11, 27, 2, 59, 59)) == kst(2026, 11, 26, 3, 0)
    assert slot_at("30 */6 * * *", kst(2026, 11, 27, 13, 0)) == kst(2026, 11, 27, 12, 30)


@pytest.mark.parametrize("expression", ["61 3 * * *", "0 3 * *", "* * * * * *", "every night", "@reboot", ""])
def test_a_schedule_must_be_a_five_field_cron_expression(expression: str) -> None:
    with pytest.raises(ValueError, match="cron"):
        parse_schedule(expression)


def test_a_valid_schedule_is_kept_with_its_spaces_normalised() -> None:
    assert parse_schedule(" 0  3 * * * ") == DAILY
    assert parse_schedule("@daily") == "@daily"


def test_file_names_carry_the_korean_date_and_time() -> None:
    assert scheduled_file_name(datetime(2026, 11, 26, 18, 0, tzinfo=UTC)) == "policy-history-20261127-0300.json"
    assert on_demand_file_name(kst(2026, 11, 27, 14, 5, 9)) == "policy-history-20261127-140509-on-demand.json"


def test_scheduled_files_older_than_the_kept_days_expire_and_nothing_else_does() -> None:
    names = [scheduled_file_name(SLOT - timedelta(days=n)) for n in range(5)]
    others = ["policy-history-20200101-120000-on-demand.json", "notes.txt", ".policy-history-20200101-0300.json.x.tmp",
              "policy-history-20200101.json"]
    assert expired_files(names + others, date(2026, 11, 27), keep_days=3) == [
        "policy-history-20261123-0300.json", "policy-history-20261124-0300.json"]
    assert expired_files(names, date(2026, 11, 27), keep_days=1) == sorted(names[1:])
    assert expired_files(names, date(2026, 11, 27), keep_days=30) == []


def record(version: int, **changes: Any) -> VersionRecord:
    document = PolicyDocument(weight_cap=5.0 + version).model_dump(mode="json")
    fields: dict[str, Any] = {
        "version": version, "document": document, "created_by": "kim", "reason": f"change {version} — 정책",
        "created_at": datetime(2026, 11, 20, 9, 0, 0, 123456, tzinfo=UTC) + timedelta(hours=version),
        "impact_memo": "fewer heavy entrants", "proposed_against": version - 1 or None, "restored_from": None,
        "scope": ["campaign-a"] if version == 2 else None}
    return VersionRecord.model_validate(fields | changes)


HISTORY = [record(1), record(2), record(3, restored_from=1)]


def backup(versions: list[VersionRecord] = HISTORY, key: SigningKey = KEY) -> bytes:
    return signed_history(versions, slot=SLOT, created_at=SLOT + timedelta(seconds=1), key=key)


def test_a_good_file_gives_back_every_version_as_it_was() -> None:
    history = verify_history(backup(), KEYS)
    assert history.versions == HISTORY
    assert (history.slot, history.key_id) == (SLOT, "k-ours")


def refusal(content: bytes, keys: Any = KEYS) -> BackupRefused:
    with pytest.raises(BackupRefused) as refused:
        verify_history(content, keys)
    return refused.value


def test_one_byte_changed_in_a_version_is_corrupt() -> None:
    content = backup()
    at = content.index(b"change 2")
    flipped = content[:at] + b"X" + content[at + 1:]
    assert json.loads(flipped), "still JSON: only the signature can tell"
    refused = refusal(flipped)
    assert refused.kind == "corrupt" and "signature" in refused.message


@pytest.mark.parametrize("content, reason", [
    (backup()[:-40], "not JSON"),
    (b"\xff\xfe not even text", "not JSON"),
    (b"[1, 2, 3]", "not a lottery-policy-history file"),
    (json.dumps({"format": "someone-elses-backup", "key_id": "k-ours"}).encode(), "not a lottery-policy-history"),
    (json.dumps(json.loads(backup()) | {"format_version": 2}).encode(), "format version 2"),
    (json.dumps({k: v for k, v in json.loads(backup()).items() if k != "signature"}).encode(), "signature"),
])
def test_an_unreadable_or_unsigned_file_is_corrupt(content: bytes, reason: str) -> None:
    refused = refusal(content)
    assert refused.kind == "corrupt" and reason in refused.message


@pytest.mark.parametrize("versions, reason", [
    ([record(1), record(3, proposed_against=1)], "without a gap"),
    ([record(2)], "without a gap"),
    ([], "without a gap"),
    ([record(1), record(2, restored_from=2)], "restored_from is 2"),
    ([record(1), record(2, document={"weight_cap": -1})], "version 2 is not a valid policy"),
])
def test_a_signed_file_with_an_inconsistent_history_is_corrupt(versions: list[VersionRecord], reason: str) -> None:
    refused = refusal(backup(versions))
    assert refused.kind == "corrupt" and reason in refused.message


def test_a_file_signed_by_another_installation_is_foreign() -> None:
    refused = refusal(backup(key=SigningKey.generate("k-theirs")))
    assert refused.kind == "foreign" and "k-theirs" in refused.message and "k-ours" in refused.message
    assert refusal(backup(), keys={}).kind == "foreign", "no key configured: nothing is ours"


def test_another_key_under_our_key_id_does_not_pass_the_signature() -> None:
    impostor = SigningKey.generate("k-ours")
    refused = refusal(backup(key=impostor))
    assert refused.kind == "corrupt" and "signature" in refused.message


def test_the_installations_keys_come_from_its_jwks() -> None:
    assert set(trusted_keys(jwks_json(KEY, SigningKey.generate("k-next")))) == {"k-ours", "k-next"}
    assert trusted_keys("") == trusted_keys("not json") == trusted_keys('{"keys": []}') == {}
