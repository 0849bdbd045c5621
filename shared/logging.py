"""structlog set-up: console lines on a terminal, one JSON object per line elsewhere.

Bind ``dispatch_id`` and ``event_id`` with :func:`structlog.contextvars.bound_contextvars` while a
message is handled, so every line carries them. Never log a document's body.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

_FORBIDDEN_KEYS = frozenset({"body", "text", "content"})


def _drop_bodies(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Remove any document body that slipped into a log call."""
    for key in _FORBIDDEN_KEYS & event_dict.keys():
        event_dict[key] = "<omitted>"
    return event_dict


def configure_logging(service: str, level: str = "INFO", fmt: str = "auto") -> None:
    """Configure structlog and the standard library's logging for ``service``.

    ``fmt`` is ``auto`` (console on a TTY, JSON elsewhere), ``json`` or ``console``.
    """
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if use_json
        else structlog.dev.ConsoleRenderer()
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_bodies,
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(processor=renderer, foreign_pre_chain=shared)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """Return a structlog logger."""
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
