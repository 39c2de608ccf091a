"""The contact book's import, checked before anything is stored: a bad row is named by index and field, the
whole batch refused, and an address never appears in the error (it is personal data)."""

import pytest

from notifier_service.domain.contacts import address_problem, checked_contacts, masked
from platform_shared.errors import InvalidInputError


@pytest.mark.parametrize("address", ["kim@example.com", "lee.min+notice@mail.example.co.kr", "a@xn--3e0b707e.kr",
                                     "o'brien@example.org"])
def test_plain_addresses_are_taken(address: str) -> None:
    assert address_problem(address) is None


@pytest.mark.parametrize("address", ["", "kim", "kim@", "@example.com", "kim@example", "kim@@example.com",
                                     " kim@example.com", "kim lee@example.com", "kim@exa_mple.com",
                                     ".kim@example.com", "kim..lee@example.com", "kim@-example.com",
                                     "kim@example.123", "김@example.com", "x" * 65 + "@example.com",
                                     "kim@" + "a" * 250 + ".com"])
def test_what_no_mail_server_takes_is_refused(address: str) -> None:
    assert address_problem(address) is not None


def test_a_bad_row_refuses_the_batch_by_index_and_field_without_its_value() -> None:
    rows = [("u1", "kim@example.com"), ("u2", "secret-person@@example.com"), ("u3", "lee@example.com"),
            ("u4", "also bad@example.com")]
    with pytest.raises(InvalidInputError) as refused:
        checked_contacts(rows)
    assert refused.value.field == "contacts.1.email"
    assert "2 row(s) refused (1, 3)" in refused.value.message and "secret-person" not in refused.value.message


def test_a_user_twice_in_one_batch_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        checked_contacts([("u1", "kim@example.com"), ("u1", "kim2@example.com")])
    assert refused.value.field == "contacts.1.user_id"


def test_a_good_batch_is_kept_with_its_domain_in_lower_case() -> None:
    assert [(c.user_id, c.email) for c in checked_contacts([("u1", "Kim@Example.COM")])] == [("u1", "Kim@example.com")]


def test_a_log_line_shows_an_address_masked() -> None:
    assert masked("kim.minji@example.com") == "k***@example.com"
    assert masked("broken") == "***"
