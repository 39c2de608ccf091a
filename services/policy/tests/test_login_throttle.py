"""The pure parts of throttling logins (SPEC §7, seed §2): a replayed TOTP code told from a guess, every typed
name locking on the account's schedule, and the rates per address and per name answered alike."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from platform_shared.errors import TooManyAttemptsError
from policy_service.adapters.hashing import hash_secret, matches
from policy_service.application.login_throttle import LOCKED, LoginThrottle
from policy_service.domain.credentials import FREE_FAILURES, lock_after, new_totp_secret, replayed_step
from policy_service.domain.failed_names import FailedNames

NOW = datetime(2026, 12, 1, 3, 0, 10, tzinfo=UTC)


def test_a_used_code_is_a_replay_and_a_wrong_or_fresh_one_is_not() -> None:
    secret = new_totp_secret()
    totp = pyotp.TOTP(secret)
    current = totp.timecode(NOW)
    assert replayed_step(secret, totp.at(NOW), NOW, last_step=current)
    assert replayed_step(secret, totp.at(NOW - timedelta(seconds=30)), NOW, last_step=current), \
        "an older step of the holder's device"
    assert not replayed_step(secret, totp.at(NOW + timedelta(seconds=30)), NOW, last_step=current), "not used yet"
    assert not replayed_step(secret, totp.at(NOW), NOW, last_step=None), "nothing used yet"
    wrong = "000000" if totp.at(NOW) != "000000" else "111111"
    assert not replayed_step(secret, wrong, NOW, last_step=current), "a wrong code is a guess"
    assert not replayed_step(secret, totp.at(NOW - timedelta(seconds=90)), NOW, last_step=current), "too old"


def test_any_name_locks_on_the_account_schedule_and_a_success_clears_it() -> None:
    names = FailedNames()
    for _ in range(FREE_FAILURES):
        names.count_failure("nobody", NOW)
    assert names.lockout("nobody", NOW) is None
    names.count_failure("nobody", NOW)
    lock = names.lockout("nobody", NOW)
    assert lock is not None and lock.until == NOW + lock_after(FREE_FAILURES + 1)  # type: ignore[operator]
    assert names.lockout("nobody", lock.until) is None, "over when the lock ends"
    names.count_failure("nobody", lock.until)
    again = names.lockout("nobody", lock.until)
    assert again is not None and again.until - lock.until == 2 * (lock.until - NOW), "each further failure doubles"
    names.clear("nobody")
    assert names.lockout("nobody", NOW) is None
    assert names.lockout("somebody", NOW) is None, "names are counted apart"


def test_the_least_recently_failed_names_are_forgotten_first() -> None:
    names = FailedNames(capacity=2)
    for name in ("a", "b", "a", "c"):
        for _ in range(FREE_FAILURES + 1):
            names.count_failure(name, NOW)
    assert [names.lockout(n, NOW) is not None for n in ("a", "b", "c")] == [True, False, True]


async def refusal(throttle: LoginThrottle, address: str, name: str) -> TooManyAttemptsError:
    with pytest.raises(TooManyAttemptsError) as refused:
        await throttle.admit(address, name)
    return refused.value


async def test_past_the_rate_per_name_or_per_address_every_name_gets_the_same_429() -> None:
    throttle = LoginThrottle(per_address="5/minute", per_name="2/minute")
    for name, address in (("kim", "10.0.0.1"), ("nobody", "10.0.0.2")):
        for _ in range(2):
            await throttle.admit(address, name)
    by_name = [await refusal(throttle, address, name) for name, address in (("kim", "10.0.0.3"),
                                                                            ("nobody", "10.0.0.4"))]
    assert by_name[0].message == by_name[1].message and "this account" in by_name[0].message
    assert all(1 <= r.retry_after_seconds <= 60 for r in by_name)
    for n in range(4):  # 10.0.0.3's try refused by name counts for the address: this is its fifth
        await throttle.admit("10.0.0.3", f"other-{n}")
    by_address = await refusal(throttle, "10.0.0.3", "kim-again")
    assert "this address" in by_address.message and 1 <= by_address.retry_after_seconds <= 60


def test_a_locked_name_answers_as_a_locked_account() -> None:
    throttle = LoginThrottle(per_address="5/minute", per_name="5/minute")
    for _ in range(FREE_FAILURES + 1):
        throttle.count_failure("nobody", NOW)
    with pytest.raises(TooManyAttemptsError) as refused:
        throttle.refuse_while_locked("nobody", NOW)
    assert (refused.value.message, refused.value.retry_after_seconds) == (LOCKED, 60)
    throttle.clear_failures("nobody")
    throttle.refuse_while_locked("nobody", NOW)


async def test_argon2_checks_run_off_the_event_loop_and_an_unknown_account_never_matches() -> None:
    stored = hash_secret("correct horse battery")
    assert await matches(stored, "correct horse battery")
    assert not await matches(stored, "wrong")
    assert not await matches(None, "decoy password never matched"), "the decoy's own password opens nothing"
