"""Enrolling the new secret after a 2FA reset (seed §10): the secret read from the provisioning URI for typing
in by hand, and the QR code drawn as an SVG data URI the page's Content Security Policy allows (img-src data:)."""

from console_service.adapters.qr import qr_data_uri
from console_service.domain.enrolment import grouped, secret_of

URI = "otpauth://totp/Lottery%20platform%20admin:kim?secret=JBSWY3DPEHPK3PXP&issuer=Lottery%20platform%20admin"


def test_the_secret_for_manual_entry_comes_from_the_uri_in_groups_of_four():
    assert secret_of(URI) == "JBSWY3DPEHPK3PXP"
    assert grouped(secret_of(URI)) == "JBSW Y3DP EHPK 3PXP"
    assert secret_of("otpauth://totp/x") == ""


def test_the_qr_code_is_an_svg_data_uri():
    drawn = qr_data_uri(URI)
    assert drawn.startswith("data:image/svg+xml") and "svg" in drawn
    assert qr_data_uri(URI) == drawn  # the same URI, the same picture
