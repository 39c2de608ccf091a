"""What routes receive by type: the Console (settings, clock, cookie seal) and the Pages (templates, words),
set on the app by the composition root."""

from typing import Annotated

from fastapi import Depends, Request

from console_service.entrypoints.http.guard import Console
from console_service.entrypoints.http.rendering import Pages


async def _console(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


async def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


ConsoleDep = Annotated[Console, Depends(_console)]
PagesDep = Annotated[Pages, Depends(_pages)]
