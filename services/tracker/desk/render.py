"""Rendering of the desk's pages (Jinja2, autoescaped), with the dashboard's security headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.tracker.dashboard.labels import urgency_badge
from services.tracker.dashboard.render import SECURITY_HEADERS

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "static" / "desk.css"

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
"""Every template is autoescaped, whatever its name: document text can never become markup."""
_env.filters["urgency_badge"] = urgency_badge  # độ khẩn → 'HỎA TỐC' (issue 19)


def render(template: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """The page."""
    html = _env.get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def stylesheet() -> bytes:
    """The desk's own styles (added to the dashboard's)."""
    return STYLESHEET.read_bytes()
