from datetime import date

import numpy as np

from lottery_service.domain.adgate import adgate_exemption
from lottery_service.domain.eligibility import EntryColumns, Requirements, screen
from platform_shared.contracts.policy import AdGateException, PolicyDocument

#            user weight intro  adgate exempt suspicious invalid blacklisted
ROWS = [(1, 1.0, True, True, False, False, False, False),    # eligible
        (2, 2.0, False, True, False, False, False, False),   # no intro
        (3, 3.0, True, False, True, False, False, False),    # exempt from AdGate: eligible
        (4, 4.0, True, False, False, False, False, False),   # no AdGate
        (5, 5.0, True, True, False, True, False, False),     # suspicious
        (6, 6.0, True, True, False, False, True, False),     # invalid duplicate
        (7, 7.0, True, True, False, False, False, True),     # blacklisted
        (8, 8.0, False, False, False, True, True, True)]     # everything: counted once, as invalid


def test_each_excluded_entry_is_counted_under_its_first_reason() -> None:
    result = screen(EntryColumns.from_rows(ROWS), Requirements(requires_intro=True, requires_adgate=True))

    assert result.eligible.user_ids.tolist() == [1, 3]
    assert (result.excluded_invalid, result.excluded_blacklisted, result.excluded_suspicious,
            result.excluded_preconditions) == (2, 1, 1, 2)
    assert result.total_entries == 8 and result.adgate_exempt == 1
    assert result.intro_pass_rate == 5 / 6 and result.adgate_pass_rate == 5 / 6


def test_preconditions_a_draw_does_not_require_filter_nobody() -> None:
    result = screen(EntryColumns.from_rows(ROWS), Requirements(requires_intro=False, requires_adgate=False))
    assert result.eligible.user_ids.tolist() == [1, 2, 3, 4]
    assert result.intro_pass_rate is None and result.adgate_pass_rate is None


def test_no_entries_screen_to_nothing() -> None:
    result = screen(EntryColumns.from_rows([]), Requirements(True, True))
    assert len(result.eligible.user_ids) == 0 and result.eligible.user_ids.dtype == np.uint64


def test_adgate_exemption_comes_from_the_global_bypass_or_a_campaign_exception_in_its_period() -> None:
    exception = AdGateException(campaign_id="c1", reason="sponsor site down", valid_from=date(2026, 11, 25),
                                valid_until=date(2026, 11, 27))
    policy = PolicyDocument(adgate_exceptions=(exception,))
    assert adgate_exemption(policy, "c1", date(2026, 11, 26)) == "AdGate exception: sponsor site down"
    assert adgate_exemption(policy, "c1", date(2026, 11, 28)) is None
    assert adgate_exemption(policy, "c2", date(2026, 11, 26)) is None
    assert adgate_exemption(PolicyDocument(adgate_global_bypass=True), "c2", date(2026, 11, 26)) == \
        "AdGate global bypass"


def test_a_user_with_two_valid_entries_is_refused_until_corrected_but_an_invalidated_copy_is_fine() -> None:
    import pytest

    from platform_shared.errors import InvalidStateError

    twice = [*ROWS, (1, 1.5, True, True, False, False, False, False)]
    with pytest.raises(InvalidStateError, match=r"1 users hold more than one valid entry.*e\.g\. 1"):
        screen(EntryColumns.from_rows(twice), Requirements(requires_intro=True, requires_adgate=True))
    corrected = [*ROWS, (1, 1.5, True, True, False, False, True, False)]
    assert screen(EntryColumns.from_rows(corrected), Requirements(True, True)).eligible.user_ids.tolist() == [1, 3]
