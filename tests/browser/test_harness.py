"""The browser harness itself, on small pages of its own served from a thread: Debian's Chromium opens a Korean page at
desk and phone size in KST, axe-core finds a critical violation put there on purpose and passes a clean page under a
strict Content Security Policy, console errors and uncaught errors fail the test, a screenshot is written, and async
tests run before and after the browser in the same session."""

import asyncio
import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser.support import (
    FORMS,
    Form,
    OpenPage,
    assert_accessible,
    assert_no_page_problems,
    outside_the_browser_loop,
    problems_of,
    screenshot,
)

pytestmark = pytest.mark.integration

# The console's own policy will be at least this strict: no inline script.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'"
# Without the viewport line a phone lays the page out 980 px wide and shrinks it.
HEAD = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/style.css">"""
CLEAN = HEAD + """<title>추첨 — 운영 콘솔</title></head>
<body><main><h1>추첨</h1><p>추첨 시각 2026-12-24 20:00 KST</p><button type="button">추첨 만들기</button>
<div class="tall"></div></main></body></html>"""
BROKEN = HEAD + """<title>깨진 페이지</title></head>
<body><main><h1>깨진 페이지</h1><img src="/pixel.gif"><button type="button"></button></main></body></html>"""
NOISY = HEAD + """<title>시끄러운 페이지</title></head>
<body><main><h1>시끄러운 페이지</h1><script>document.title = "inline";</script><script src="/throws.js"></script>
</main></body></html>"""
PAGES = {
    "/": ("text/html; charset=utf-8", CLEAN.encode()),
    "/broken": ("text/html; charset=utf-8", BROKEN.encode()),
    "/noisy": ("text/html; charset=utf-8", NOISY.encode()),
    "/style.css": ("text/css", b".tall { height: 1600px; }"),
    "/favicon.ico": ("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    "/throws.js": ("text/javascript", b"throw new Error('deliberate');"),
    "/pixel.gif": ("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
}


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        content_type, body = PAGES.get(self.path, ("text/plain", b"not found"))
        self.send_response(200 if self.path in PAGES else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_an_async_test_runs_before_the_browser() -> None:
    assert (await asyncio.sleep(0, "ran")) == "ran"


@pytest.mark.parametrize("form", list(FORMS))
def test_a_korean_page_opens_at_desk_and_phone_size_in_kst(open_page: OpenPage, site: str, form: Form) -> None:
    page = open_page(form)
    page.goto(site)
    assert page.locator("h1").inner_text() == "추첨"
    seen = page.evaluate("() => ({width: innerWidth, touch: navigator.maxTouchPoints > 0, language: navigator.language,"
                         " zone: Intl.DateTimeFormat().resolvedOptions().timeZone})")
    assert seen == {"width": FORMS[form]["viewport"]["width"], "touch": form == "phone", "language": "ko-KR",
                    "zone": "Asia/Seoul"}
    assert_accessible(page)


def test_a_critical_violation_fails_naming_its_rule_and_elements(open_page: OpenPage, site: str) -> None:
    page = open_page()
    page.goto(f"{site}/broken")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    report = str(failure.value)
    assert "2 accessibility violation(s) of impact critical" in report
    assert "- image-alt (critical): Images must have alternative text; at img" in report
    assert "- button-name (critical): Buttons must have discernible text; at button" in report


def test_console_errors_csp_violations_and_uncaught_errors_are_caught(open_page: OpenPage, site: str) -> None:
    page = open_page("phone")
    page.goto(f"{site}/noisy")
    page.wait_for_function("() => document.readyState === 'complete'")
    problems = problems_of(page)
    assert any("Content Security Policy" in problem and "script-src" in problem for problem in problems), problems
    assert any(problem == "uncaught Error: deliberate" for problem in problems), problems
    with pytest.raises(AssertionError, match="reported 2 problem"):
        assert_no_page_problems(page)
    problems.clear()  # seen and checked: the fixture's own check at the end of the test passes


def test_a_screenshot_holds_the_whole_page(open_page: OpenPage, site: str, tmp_path: Path) -> None:
    page = open_page("phone")
    page.goto(site)
    path = screenshot(page, "lottery", tmp_path)
    png = path.read_bytes()
    assert path.name == "lottery-phone.png" and png.startswith(b"\x89PNG")
    # The phone is 390 px wide; the page is taller than its 844 px screen, and all of it is in the picture.
    width, height = struct.unpack(">II", png[16:24])
    assert width == 390 and height > 1600


def test_a_browser_test_can_run_async_code_of_its_own(open_page: OpenPage, site: str) -> None:
    page = open_page()
    page.goto(site)
    with outside_the_browser_loop():
        assert asyncio.run(asyncio.sleep(0, "awaited")) == "awaited"
    assert page.title() == "추첨 — 운영 콘솔"


async def test_an_async_test_runs_after_the_browser() -> None:
    assert (await asyncio.sleep(0, "ran")) == "ran"
