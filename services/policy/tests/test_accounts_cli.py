from pytest import CaptureFixture

from policy_service.application.create_account import Enrolment
from policy_service.domain.credentials import new_backup_codes, new_totp_secret, provisioning_uri
from policy_service.entrypoints.cli.accounts_cli import _print_enrolment


def test_the_enrolment_is_printed_as_a_terminal_qr_code_a_uri_and_the_backup_codes(
        capsys: CaptureFixture[str]) -> None:
    secret, codes = new_totp_secret(), new_backup_codes()
    _print_enrolment(Enrolment("kim", "admin", secret, provisioning_uri(secret, "kim"), codes))
    shown = capsys.readouterr().out
    assert f"secret={secret}" in shown and "otpauth://totp/" in shown
    assert all(code in shown for code in codes)
    assert sum(line.count("█") > 10 for line in shown.splitlines()) > 10, "a QR code drawn in the terminal"
