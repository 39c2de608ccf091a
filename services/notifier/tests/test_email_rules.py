"""A notice as an e-mail (domain/email.py): the subject is the template's first line, the body the rest, plain
UTF-8 text, a Message-ID of the dedupe key (stable across retries, not revealing it), the Date from the clock;
and what an SMTP reply means: 2xx sent, 4xx retried, 5xx dead."""

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from notifier_service.domain.delivery import Verdict
from notifier_service.domain.email import Envelope, compose, message_id, smtp_verdict, subject_and_body, unreachable

NOW = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
TEXT = "[안내] 시스템 점검/장애 안내 (2026년 12월 8일 21:00 (KST))\n영향 기능: 응모\n기간: 21:00–21:30 (KST)"


def test_the_first_line_is_the_subject_and_the_rest_the_body() -> None:
    assert subject_and_body(TEXT) == ("[안내] 시스템 점검/장애 안내 (2026년 12월 8일 21:00 (KST))",
                                      "영향 기능: 응모\n기간: 21:00–21:30 (KST)")
    assert subject_and_body("one line only") == ("one line only", "")


def test_the_message_reads_back_as_written_in_utf_8() -> None:
    message = compose(Envelope("notice:k1:u1", "kim@example.com", TEXT), "no-reply@lottery.example", NOW)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == "[안내] 시스템 점검/장애 안내 (2026년 12월 8일 21:00 (KST))"
    assert parsed.get_content_type() == "text/plain" and parsed.get_content_charset() == "utf-8"
    assert parsed.get_content().strip() == "영향 기능: 응모\n기간: 21:00–21:30 (KST)"
    assert parsed["Date"] == "Tue, 08 Dec 2026 21:00:00 +0900", "the process clock's instant, in KST"
    assert parsed["To"] == "kim@example.com" and parsed["From"] == "no-reply@lottery.example"


def test_the_message_id_is_the_dedupe_keys_and_hides_it() -> None:
    first = message_id("notice:k1:u1", "no-reply@lottery.example")
    assert first == message_id("notice:k1:u1", "no-reply@lottery.example") != message_id("notice:k1:u2",
                                                                                         "no-reply@lottery.example")
    assert first.startswith("<") and first.endswith("@lottery.example>") and "u1" not in first


@pytest.mark.parametrize(("code", "verdict"), [(250, Verdict.SENT), (421, Verdict.TRANSIENT),
                                               (451, Verdict.TRANSIENT), (452, Verdict.TRANSIENT),
                                               (550, Verdict.PERMANENT), (554, Verdict.PERMANENT)])
def test_smtp_replies_map_to_verdicts(code: int, verdict: Verdict) -> None:
    result = smtp_verdict(code)
    assert result.verdict == verdict and result.http_status == code


def test_an_unreachable_server_is_worth_a_retry() -> None:
    assert unreachable("SMTPConnectError").verdict == Verdict.TRANSIENT
