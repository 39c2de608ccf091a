"""The notifier's delivery rules (SPEC §5), without infrastructure: which answers are retried, how long
a retry waits, and how a template becomes text."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifier_service.domain.delivery import (
    AttemptResult,
    TemplateError,
    Verdict,
    classify,
    next_delay,
    preview,
    render,
    retry_at,
)
from platform_shared.contracts.policy import RetryPolicy

POLICY = RetryPolicy(max_attempts=5, base_delay_seconds=30, max_delay_seconds=600, jitter_ratio=0.2)


@pytest.mark.parametrize(("status", "verdict"), [
    (200, Verdict.SENT), (202, Verdict.SENT),
    (429, Verdict.TRANSIENT), (500, Verdict.TRANSIENT), (503, Verdict.TRANSIENT), (408, Verdict.TRANSIENT),
    (400, Verdict.PERMANENT), (401, Verdict.PERMANENT), (404, Verdict.PERMANENT), (422, Verdict.PERMANENT),
])
def test_only_rate_limits_timeouts_and_server_errors_are_worth_retrying(status: int, verdict: Verdict) -> None:
    assert classify(status, None).verdict == verdict
    assert classify(status, None).http_status == status


def test_a_rate_limit_carries_the_vendors_retry_after_in_seconds_or_as_a_date() -> None:
    assert classify(429, "90").retry_after == timedelta(seconds=90)
    assert classify(429, "-5").retry_after == timedelta(0), "a negative wait is no wait"
    now = datetime(2026, 10, 21, 7, 26, 30, tzinfo=UTC)
    assert classify(429, "Wed, 21 Oct 2026 07:28:00 GMT", now).retry_after == timedelta(seconds=90)
    assert classify(429, "Wed, 21 Oct 2026 07:20:00 GMT", now).retry_after == timedelta(0), "a date gone by"
    assert classify(429, "soon", now).retry_after is None, "neither form: our backoff decides"
    assert classify(429, None).retry_after is None


def test_retries_are_spread_by_the_jitter_not_all_at_the_same_moment() -> None:
    rng = random.Random(7)
    delays = [next_delay(3, POLICY, None, rng).total_seconds() for _ in range(50)]
    assert len(set(delays)) == 50 and max(delays) - min(delays) > 0.2 * 120, "spread over most of ±20 %"


def test_backoff_doubles_per_attempt_within_the_jitter_and_stops_at_the_cap() -> None:
    rng = random.Random(1)
    for attempt, base in [(1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 600), (9, 600)]:
        delay = next_delay(attempt, POLICY, None, rng).total_seconds()
        assert base * 0.8 <= delay <= base * 1.2, (attempt, delay)


def test_no_jitter_means_the_exact_exponential_delay() -> None:
    exact = POLICY.model_copy(update={"jitter_ratio": 0.0})
    assert [next_delay(n, exact, None, random.Random()).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]


@given(attempt=st.integers(1, 30), retry_after=st.floats(0, 10_000), seed=st.integers())
def test_a_retry_never_comes_sooner_than_the_vendor_asked(attempt: int, retry_after: float, seed: int) -> None:
    wait = timedelta(seconds=retry_after)
    assert next_delay(attempt, POLICY, wait, random.Random(seed)) >= wait


def test_a_template_is_filled_from_the_notifications_parameters() -> None:
    body = "Congratulations! Answer offer ${offer_id} by ${respond_by}."
    assert render(body, {"offer_id": "o-1", "respond_by": "12-02 08:00"}) == \
        "Congratulations! Answer offer o-1 by 12-02 08:00."


@pytest.mark.parametrize("body", ["Notice: ${message} (see ${link})", "Broken $"])
def test_a_template_that_cannot_be_filled_is_a_permanent_error(body: str) -> None:
    with pytest.raises(TemplateError):
        render(body, {"message": "maintenance"})


def test_a_transient_failure_is_retried_until_the_attempts_are_spent_and_a_refusal_never() -> None:
    now, rng = datetime(2026, 12, 7, 3, 0, tzinfo=UTC), random.Random(7)
    busy = AttemptResult(Verdict.TRANSIENT, "503 vendor error", retry_after=timedelta(minutes=20))

    retried = retry_at(busy, 4, POLICY, now, rng)
    assert retried is not None and retried >= now + timedelta(minutes=20), "never before the vendor's Retry-After"
    assert retry_at(busy, 5, POLICY, now, rng) is None, "the fifth attempt was the last"
    assert retry_at(AttemptResult(Verdict.PERMANENT, "400 rejected"), 1, POLICY, now, rng) is None


def test_an_operator_reads_a_stored_message_without_the_link_made_at_send_time() -> None:
    body = "$campaign: answer by $deadline at $answer_link"
    shown = preview(body, {"campaign": "Summer", "deadline": "12-08 21:00 KST"})
    assert shown == "Summer: answer by 12-08 21:00 KST at $answer_link"
    assert preview("$$5 off", {}) == "$5 off"
