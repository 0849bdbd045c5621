"""Rendering of dashboard pages and of their self-refreshing fragment (Jinja2, autoescaped).

Every page template extends ``base.html.j2`` and puts what changes in the block ``live``; a request
with ``?fragment=1`` gets that block alone, which ``static/refresh.js`` swaps into the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.tracker.dashboard.labels import urgency_badge

HERE = Path(__file__).resolve().parent
STATIC = {"dashboard.css": "text/css; charset=utf-8", "refresh.js": "text/javascript; charset=utf-8"}
"""The vendored static files (no CDN), with their content types."""
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
"""Every template is autoescaped, whatever its name: document text can never become markup."""
_env.filters["urgency_badge"] = urgency_badge  # độ khẩn → 'HỎA TỐC' (issue 19)


def render(template: str, context: dict[str, Any], *, fragment: bool = False,
           status_code: int = 200) -> HTMLResponse:
    """The page, or only its ``live`` block when ``fragment`` is set."""
    tpl = _env.get_template(template)
    html = "".join(tpl.blocks["live"](tpl.new_context(context))) if fragment \
        else tpl.render(context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def static_file(name: str) -> tuple[bytes, str] | None:
    """Bytes and content type of a vendored static file, or None if it is not one."""
    if name not in STATIC:
        return None
    return (HERE / "static" / name).read_bytes(), STATIC[name]
