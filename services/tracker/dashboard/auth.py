"""Who may see the dashboard: leadership only, by the same tokens as the JSON API.

A browser signs in once on ``/dashboard/login`` with the leadership token; the token is then kept in
an HttpOnly, SameSite=Strict cookie scoped to ``/dashboard`` (never readable by scripts). Scripts
and tests may send ``Authorization: Bearer <token>`` instead. Pages redirect to the login page when
neither is valid; page fragments (the self-refresh) answer 401 so the script reloads into the login.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import HTTPException, Request

from services.tracker.access import AccessControl, Caller

COOKIE = "vanthu_dashboard"
COOKIE_MAX_AGE_S = 8 * 3600
"""One working day."""
PREFIX = "/dashboard"


def leader_for(access: AccessControl, authorization: str | None) -> Caller | None:
    """The leadership caller behind an ``Authorization`` value, or None."""
    try:
        caller = access.caller(authorization)
    except HTTPException:
        return None
    return caller if caller.leadership else None


def caller_of(access: AccessControl, request: Request) -> Caller | None:
    """The leadership caller of a request (header first, then the cookie), or None."""
    header = request.headers.get("authorization")
    if header:
        return leader_for(access, header)
    token = request.cookies.get(COOKIE)
    return leader_for(access, f"Bearer {token}") if token else None


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a dashboard path only (no open redirect)."""
    if value and value.startswith(PREFIX) and not value.startswith("//") and "\\" not in value:
        return value
    return PREFIX


def login_url(next_path: str) -> str:
    """The login page, remembering the page asked for."""
    return f"{PREFIX}/login?next={quote(next_path, safe='/')}"
