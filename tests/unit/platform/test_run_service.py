"""``run_service``: settings from the environment -> logging -> the app built from them -> serve."""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterator

import pytest
import structlog
from fastapi import FastAPI
from pydantic import ValidationError

from services.router.settings import RouterSettings
from shared.logging import get_logger
from shared.runtime import run_service


class Served:
    """A stand-in for uvicorn: remembers what it was asked to serve."""

    def __init__(self) -> None:
        self.calls: list[tuple[FastAPI, str, int]] = []

    def __call__(self, app: FastAPI, host: str, port: int) -> None:
        self.calls.append((app, host, port))


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    saved = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    structlog.configure(**saved)
    structlog.contextvars.clear_contextvars()
    root.handlers[:], root.level = handlers, level


def test_serves_the_app_built_from_the_environment_s_settings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTER_PORT", "18001")
    monkeypatch.setenv("HTTP_HOST", "127.0.0.2")
    monkeypatch.setenv("ROUTER_RULES_FILE", "rules-from-env.yaml")
    built: list[RouterSettings] = []
    serve = Served()

    def build_app(settings: RouterSettings) -> FastAPI:
        built.append(settings)
        return FastAPI(title=settings.router_rules_file)

    run_service("router", RouterSettings, build_app, lambda s: s.router_port, serve=serve)

    assert [s.router_rules_file for s in built] == ["rules-from-env.yaml"]
    [(app, host, port)] = serve.calls
    assert (app.title, host, port) == ("rules-from-env.yaml", "127.0.0.2", 18001)


def test_logging_is_configured_before_the_app_is_built(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    def build_app(_: RouterSettings) -> FastAPI:
        get_logger("test").info("not shown: below LOG_LEVEL")
        get_logger("test").warning("building")
        return FastAPI()

    run_service("router", RouterSettings, build_app, lambda s: s.router_port, serve=Served())

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["event"], line["service"], line["level"]) for line in lines] == [
        ("building", "router", "warning")]


def test_bad_settings_stop_before_anything_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTER_PORT", "tám nghìn")
    serve = Served()
    with pytest.raises(ValidationError, match="router_port"):
        run_service("router", RouterSettings, lambda s: FastAPI(), lambda s: s.router_port,
                    serve=serve)
    assert serve.calls == []


@pytest.mark.parametrize(("service", "port_setting"), [
    ("ingest", "INGEST_PORT"), ("router", "ROUTER_PORT"), ("tracker", "TRACKER_PORT"),
    ("notifier", "NOTIFIER_PORT")])
def test_each_entry_point_serves_its_own_app_on_its_own_port(
        monkeypatch: pytest.MonkeyPatch, service: str, port_setting: str) -> None:
    """``vanthu-<service>`` (``services.<service>.main:run``) wires the real app; nothing starts."""
    monkeypatch.setenv(port_setting, "18123")
    main = importlib.import_module(f"services.{service}.main")
    serve = Served()
    monkeypatch.setattr(main, "run_service",
                        lambda *args: run_service(*args, serve=serve))

    main.run()

    [(app, host, port)] = serve.calls
    assert (app.title, host, port) == (f"Vanthu {service}", "127.0.0.1", 18123)
