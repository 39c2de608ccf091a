"""Who is calling the admin API. Mutating routes require `X-Admin-Id` naming a whitelisted admin;
the name goes into the audit log. (The second factor, SPEC §7, is not built yet.)"""

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status


def _require_admin(request: Request, x_admin_id: Annotated[str | None, Header()] = None) -> str:
    allowed: frozenset[str] = request.app.state.admin_ids
    if not x_admin_id:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "X-Admin-Id header required for admin actions")
    if x_admin_id not in allowed:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"{x_admin_id!r} is not a whitelisted admin")
    return x_admin_id


AdminId = Annotated[str, Depends(_require_admin)]
