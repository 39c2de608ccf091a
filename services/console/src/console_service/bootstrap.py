"""The composition root: the console's app from its settings — pages, words, the guard, the headers, the
routers and the static files (htmx shipped here, never from a CDN)."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from console_service.access import ACCESS
from console_service.adapters.session_cookie import SessionCookie
from console_service.entrypoints.http import (
    account_reset,
    accounts,
    audit,
    banners,
    consumers,
    incident,
    incident_response,
    incidents,
    lottery,
    lottery_entries,
    lottery_entry_list,
    lottery_places,
    lottery_runs,
    notifications,
    notifications_letters,
    notifications_notices,
    notifications_resend,
    notifications_templates,
    policies,
    policies_adgate,
    policies_history,
    policies_kakao,
    policies_propagation,
    signin,
    waitlist,
)
from console_service.entrypoints.http.errors import install_error_pages
from console_service.entrypoints.http.guard import Console, guard, install_guard
from console_service.entrypoints.http.headers import ConsoleHeaders
from console_service.entrypoints.http.rendering import Pages
from console_service.settings import ConsoleSettings
from platform_shared.time.clock import Clock, process_clock

STATIC = Path(__file__).parent / "entrypoints" / "http" / "static"
ROUTERS = (signin.router, lottery.router, lottery_entries.router, lottery_places.router, lottery_entry_list.router,
           lottery_runs.router, waitlist.router, notifications.router, notifications_templates.router,
           notifications_resend.router, notifications_letters.router, policies.router, policies_history.router,
           policies_adgate.router, policies_propagation.router, consumers.router, audit.router, accounts.router,
           account_reset.router, notifications_notices.router, policies_kakao.router, banners.router,
           incidents.router, incident.router, incident_response.router)
"""`banners` before `incident`: /incidents/banners is not an incident's id."""


def build_app(settings: ConsoleSettings, clock: Clock | None = None) -> FastAPI:
    console = Console(settings, clock or process_clock(settings.clock_offset_seconds, settings.clock_file),
                      SessionCookie(settings.session_key.get_secret_value()), dict(ACCESS))
    app = FastAPI(title="Lottery console", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[guard(console)])
    app.state.console, app.state.pages = console, Pages()
    for router in ROUTERS:
        app.include_router(router)
    install_guard(app, console)
    install_error_pages(app, console, app.state.pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(ConsoleHeaders, secure_cookies=settings.secure_cookies)
    return app
