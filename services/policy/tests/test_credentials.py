from datetime import UTC, datetime, timedelta

import pyotp

from policy_service.domain.credentials import (
    accepted_step,
    lock_after,
    new_backup_codes,
    new_totp_secret,
    normalise_backup_code,
)

NOW = datetime(2026, 12, 1, 3, 0, 10, tzinfo=UTC)


def test_a_totp_code_of_the_current_step_or_one_either_side_is_accepted_once() -> None:
    secret = new_totp_secret()
    totp = pyotp.TOTP(secret)
    current = totp.timecode(NOW)
    for drift in (-30, 0, 30):
        code = totp.at(NOW + timedelta(seconds=drift))
        assert accepted_step(secret, code, NOW, last_step=None) == current + drift // 30
    code = totp.at(NOW)
    assert accepted_step(secret, code, NOW, last_step=current) is None, "the same step twice is a replay"
    assert accepted_step(secret, totp.at(NOW - timedelta(seconds=30)), NOW, last_step=current) is None, \
        "a step older than the last accepted one is a replay too"
    assert accepted_step(secret, totp.at(NOW - timedelta(seconds=90)), NOW, last_step=None) is None, "too old"
    assert accepted_step(secret, "000000" if code != "000000" else "111111", NOW, last_step=None) is None


def test_failed_logins_lock_the_account_for_longer_and_longer_up_to_an_hour() -> None:
    assert [lock_after(n) for n in range(5)] == [None] * 5
    assert [lock_after(n) for n in (5, 6, 7)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert lock_after(50) == timedelta(hours=1)


def test_backup_codes_are_ten_distinct_codes_typed_forgivingly() -> None:
    codes = new_backup_codes()
    assert len(set(codes)) == 10
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)
    assert normalise_backup_code(f"  {codes[0].upper()} ") == codes[0]
