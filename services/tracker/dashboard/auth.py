"""Who may see the dashboard, and the rules of its cookies and forms.

A browser signs in on ``/dashboard/login`` with a leadership token and gets a server-side session
(``services.tracker.dashboard.sessions``): its random id travels in an HttpOnly, SameSite=Strict
cookie scoped to ``/dashboard``, marked Secure when the request came over TLS (directly, or through a
proxy that says ``X-Forwarded-Proto: https``, believed only when ``TRACKER_TRUSTED_PROXY`` is on).
Every state-changing form carries a CSRF token: the login form a pre-session token that must match
its cookie (double submit), every other form the session's own token. Scripts and tests may send
``Authorization: Bearer <leadership token>`` instead (no cookie, so no CSRF). Pages redirect to the
login page when neither is valid; page fragments (the self-refresh) answer 401.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote

from fastapi import HTTPException, Request

from services.tracker.access import AccessControl, Caller

COOKIE = "vanthu_session"
CSRF_COOKIE = "vanthu_login_csrf"
PREFIX = "/dashboard"


def leader_for(access: AccessControl, authorization: str | None) -> Caller | None:
    """The leadership caller behind an ``Authorization`` value, or None."""
    try:
        caller = access.caller(authorization)
    except HTTPException:
        return None
    return caller if caller.leadership else None


def over_tls(request: Request, trusted_proxy: bool) -> bool:
    """Whether the browser reached us over TLS (a proxy's word counts only if it is trusted)."""
    if request.url.scheme == "https":
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return trusted_proxy and forwarded == "https"


def client_address(request: Request, trusted_proxy: bool) -> str:
    """The client's address: the one the trusted proxy saw (last X-Forwarded-For), else the peer."""
    if trusted_proxy:
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
        if hops[-1]:
            return hops[-1][:100]
    return request.client.host if request.client else "unknown"


def same_secret(expected: str | None, presented: str | None) -> bool:
    """Constant-time comparison of two secrets; False when either is missing."""
    if not expected or not presented:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())


def safe_next(value: str | None, prefix: str = PREFIX) -> str:
    """Where to go after signing in: a path under ``prefix`` (the dashboard's, or the desk's) only
    (no open redirect)."""
    if value and value.startswith(prefix) and not value.startswith("//") and "\\" not in value:
        return value
    return prefix


def login_url(next_path: str, prefix: str = PREFIX) -> str:
    """The login page under ``prefix``, remembering the page asked for."""
    return f"{prefix}/login?next={quote(next_path, safe='/')}"
