"""The console's session against the real fleet (seed §10, SPEC §7): sign-in with password and TOTP, the
sealed HttpOnly cookie, CSRF on every state-changing request, and a sign-out that ends the login everywhere."""

import pytest

from tests.console_support import ConsoleClient, console_account

pytestmark = pytest.mark.integration


def test_sign_in_keeps_the_token_out_of_reach_and_sign_out_ends_the_login(fleet):
    operator = console_account(fleet, "admin")
    console = ConsoleClient(fleet)

    signed_in = console.sign_in(operator)

    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/lottery"
    flags = console.cookie_flags("console_session")
    assert "HttpOnly" in flags and "SameSite=Strict" in flags and "Secure" in flags
    assert "eyJ" not in flags  # the access token (a JWT) is sealed, not carried in the clear
    page = console.get("/lottery")
    assert page.status_code == 200 and "추첨" in page.text and operator.name in page.text
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # every script is a file of this origin

    sealed = console.cookies["console_session"]
    forged = console.post("/signout", with_csrf=False)
    assert forged.status_code == 403 and "console_session" in console.cookies
    assert console.get("/lottery").status_code == 200  # the forged sign-out changed nothing

    assert console.post("/signout").headers["location"] == "/signin"
    assert "console_session" not in console.cookies
    console.cookies["console_session"] = sealed  # the old cookie, replayed: its login has ended
    assert console.get("/lottery").headers["location"] == "/signin?next=/lottery"


def test_a_wrong_code_is_told_in_words_and_nothing_is_signed_in(fleet):
    operator = console_account(fleet, "pm")
    console = ConsoleClient(fleet)
    console.get("/signin")

    refused = console.post("/signin", {"account": operator.name, "password": operator.credentials.password,
                                       "code": "000000" if operator.totp() != "000000" else "111111"})

    assert refused.status_code == 401 and "로그인하지 못했습니다" in refused.text
    assert "console_session" not in console.cookies
