"""Production refuses demo secrets: a service started exposed with a public or placeholder secret
exits before serving, naming the setting; with real secrets it starts (docs off in production)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from shared.tokens import hash_secret
from tests.integration.service_process import credentials_env, running_services
from tools.fleet import ServiceFleet
from tools.infra.paths import free_port

DEMO_KEY = f"demo:{hash_secret('demo-key')}"
DEMO_TOKENS = f"VP:{hash_secret('demo-vp-token')}"


def _start_alone(service: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run a service with only ``settings`` (no .env, unreachable Kafka): it must exit by itself."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
           "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9", "MONGODB_URL": "mongodb://127.0.0.1:9/",
           f"{service.upper()}_PORT": str(free_port()), **credentials_env(), **settings}
    try:
        return subprocess.run([sys.executable, "-m", f"services.{service}.main"], env=env,
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as exc:  # it served instead of refusing
        raise AssertionError(f"{service} did not refuse: {str(exc.stderr)[-500:]}") from exc


@pytest.mark.parametrize(("service", "settings", "setting"), [
    ("ingest", {"VANTHU_ENV": "production", "INGEST_API_KEYS": DEMO_KEY}, "INGEST_API_KEYS"),
    ("tracker", {"HTTP_HOST": "0.0.0.0", "TRACKER_UNIT_TOKENS": DEMO_TOKENS},
     "TRACKER_UNIT_TOKENS"),
    ("tracker", {"VANTHU_ENV": "production", "TRACKER_LEADERSHIP_TOKENS": ""},
     "TRACKER_LEADERSHIP_TOKENS"),
    ("notifier", {"HTTP_HOST": "0.0.0.0", "NOTIFIER_WEBHOOK_SECRET": "change-me"},
     "NOTIFIER_WEBHOOK_SECRET"),
    ("router", {"VANTHU_ENV": "production", "MONGODB_URL": "mongodb://v:password@127.0.0.1:9/"},
     "MONGODB_URL"),
])
def test_an_exposed_service_with_a_demo_or_placeholder_secret_exits_naming_it(
        service: str, settings: dict[str, str], setting: str) -> None:
    result = _start_alone(service, **settings)
    assert result.returncode == 78, result.stderr[-1000:]
    assert f"Vanthu {service} KHÔNG khởi động" in result.stderr
    assert f"  - {setting}: " in result.stderr


def test_demo_secrets_on_a_laptop_address_are_allowed() -> None:
    """The same demo key on 127.0.0.1 outside production is the laptop demo: no refusal."""
    from services.ingest.settings import IngestSettings
    from shared.secrets_policy import refusal

    assert refusal("ingest", IngestSettings(_env_file=None, ingest_api_keys=DEMO_KEY)) is None


@pytest.fixture(scope="module")
def production(infra: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceFleet]:
    with running_services(infra, tmp_path_factory.mktemp("prod-logs"), ("tracker", "ingest"),
                          VANTHU_ENV="production", HTTP_HOST="0.0.0.0") as fleet:
        yield fleet


@pytest.mark.infra
@pytest.mark.parametrize("service", ["tracker", "ingest"])
def test_with_real_secrets_an_exposed_production_service_starts_without_docs(
        production: ServiceFleet, service: str) -> None:
    assert httpx.get(f"{production.url(service)}/ready", timeout=5).status_code == 200
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert httpx.get(f"{production.url(service)}{path}", timeout=5).status_code == 404, path
