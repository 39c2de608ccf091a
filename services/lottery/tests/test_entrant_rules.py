from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from lottery_service.domain.entrant_entry import Progress, entrant_weight, in_cooldown, refuse_unmet_preconditions
from lottery_service.domain.sponsor_return import VerifyFailure, check
from platform_shared.contracts.policy import WeightRule
from platform_shared.contracts.sponsor_return import SponsorReturn, sign
from platform_shared.errors import InvalidStateError

SECRET = b"shared-with-the-sponsor-landing"
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
VISIT = SponsorReturn("spring", 42, int(NOW.timestamp()) - 60, "sponsor", "landing", "spring", "n0nce-abcdef")
VALID = timedelta(minutes=10)


def verdict(visit: SponsorReturn = VISIT, signature: str | None = None, *, entrant: int = 42,
            campaign: str = "spring", now: datetime = NOW, secret: bytes = SECRET) -> VerifyFailure | None:
    return check(secret, visit, signature or sign(SECRET, visit), entrant=entrant, campaign_id=campaign, now=now,
                 validity=VALID)


def test_a_fresh_return_signed_by_the_landing_for_this_entrant_and_campaign_holds() -> None:
    assert verdict() is None


CHANGED = SponsorReturn(**{**VISIT.__dict__, "kakao_user_id": 43})


@pytest.mark.parametrize("failing, expected", [
    (lambda: verdict(signature=sign(b"another-landing-secret!", VISIT)), VerifyFailure.BAD_SIGNATURE),
    (lambda: verdict(CHANGED, sign(SECRET, VISIT)), VerifyFailure.BAD_SIGNATURE),  # a field changed after signing
    (lambda: verdict(entrant=7), VerifyFailure.OTHER_USER),
    (lambda: verdict(campaign="autumn"), VerifyFailure.OTHER_CAMPAIGN),
    (lambda: verdict(now=NOW + timedelta(minutes=11)), VerifyFailure.EXPIRED),
    (lambda: verdict(now=NOW - timedelta(minutes=5)), VerifyFailure.FROM_THE_FUTURE),
])
def test_each_way_a_return_fails_is_named(failing: Callable[[], VerifyFailure | None],
                                          expected: VerifyFailure) -> None:
    assert failing() == expected


RULE = WeightRule(base=1, intro_bonus=0.5, adgate_bonus=2)


def test_the_weight_is_base_plus_the_bonuses_earned_and_base_only_in_the_cooldown() -> None:
    both, intro_only = Progress(True, True), Progress(True, False)
    assert entrant_weight(RULE, both, cap=10, in_cooldown=False).raw == 3.5
    assert entrant_weight(RULE, intro_only, cap=10, in_cooldown=False).raw == 1.5
    assert entrant_weight(RULE, both, cap=10, in_cooldown=True).raw == 1.0, "a recent winner gets the base"
    assert entrant_weight(RULE, both, cap=2, in_cooldown=False).cap == 2


def test_intro_first_then_the_sponsor_visit_unless_an_exemption_is_in_force() -> None:
    with pytest.raises(InvalidStateError) as intro:
        refuse_unmet_preconditions(requires_intro=True, requires_adgate=True, progress=Progress(False, True),
                                   adgate_exemption=None)
    assert intro.value.field == "intro"
    with pytest.raises(InvalidStateError) as adgate:
        refuse_unmet_preconditions(requires_intro=True, requires_adgate=True, progress=Progress(True, False),
                                   adgate_exemption=None)
    assert adgate.value.field == "adgate"
    refuse_unmet_preconditions(requires_intro=True, requires_adgate=True, progress=Progress(True, False),
                               adgate_exemption="AdGate exception: landing down")


def test_a_win_within_the_cooldown_before_now_counts_and_an_older_one_does_not() -> None:
    now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)

    assert in_cooldown(now - timedelta(hours=24), 24, now), "the window's first instant still counts"
    assert not in_cooldown(now - timedelta(hours=24, seconds=1), 24, now)
    assert not in_cooldown(now - timedelta(hours=1), 0, now), "no cooldown configured"
    assert not in_cooldown(None, 24, now), "never won"
