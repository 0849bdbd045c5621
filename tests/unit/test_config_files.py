"""docker-compose.yml and .env.example cannot run here, so they are checked against the settings."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from services.ingest.settings import IngestSettings
from services.notifier.settings import NotifierSettings
from services.router.settings import RouterSettings
from services.tracker.settings import TrackerSettings
from shared.secrets_policy import check_value
from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {"ingest": IngestSettings, "router": RouterSettings, "tracker": TrackerSettings,
            "notifier": NotifierSettings}


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_kafka_kraft_mongo_and_the_four_services() -> None:
    services = _compose()["services"]
    assert set(services) == {"kafka", "mongo", *SETTINGS, "prometheus", "grafana",  # + deploy/
                             "kafka2", "kafka3"}  # profile cluster
    assert re.fullmatch(r"apache/kafka:3\.9\.\d+", services["kafka"]["image"])
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["mongo"]["image"] == "mongo:7"
    assert set(_compose()["volumes"]) == {"kafka-data", "mongo-data", "prometheus-data",
                                          "grafana-data", "kafka2-data", "kafka3-data"}
    for name in ("kafka", "mongo", *SETTINGS):
        assert "healthcheck" in services[name], name


def test_each_service_is_configured_with_real_settings_and_its_port() -> None:
    services = _compose()["services"]
    for name, settings_cls in SETTINGS.items():
        service = services[name]
        env = service["environment"]
        unknown = {k for k in env if k.lower() not in settings_cls.model_fields}
        assert not unknown, f"{name}: {unknown} are not settings"
        port = env[f"{name.upper()}_PORT"]
        assert int(port) == settings_cls.model_fields[f"{name}_port"].default
        assert service["ports"] == [f"{port}:{port}"]
        assert f"127.0.0.1:{port}/health" in " ".join(service["healthcheck"]["test"])
        assert service["command"] == [f"vanthu-{name}"]
        assert {d: c["condition"] for d, c in service["depends_on"].items()} == {
            "kafka": "service_healthy", "mongo": "service_healthy"}
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
        assert env["MONGODB_URL"].startswith("mongodb://mongo:27017")


DEMO_CREDENTIALS = {"INGEST_API_KEYS", "TRACKER_UNIT_TOKENS", "TRACKER_LEADERSHIP_TOKENS",
                    "NOTIFIER_ACCESS_TOKENS", "NOTIFIER_WEBHOOK_SECRET"}
"""Settings whose secure default is empty, but which .env.example fills with laptop-only demo values."""


def test_env_example_lists_every_setting_with_its_default() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = dict(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=(.*)$", text, flags=re.M))
    for settings_cls in (ServiceSettings, *SETTINGS.values()):
        for name, field in settings_cls.model_fields.items():
            assert name.upper() in listed, f"{name.upper()} missing from .env.example"
            if name.upper() in DEMO_CREDENTIALS:
                assert field.default == "" and listed[name.upper()], name
                continue
            default = str(field.default).lower() if isinstance(field.default, bool) \
                else str(field.default)
            assert listed[name.upper()] == default, name


def test_compose_has_no_default_secrets_and_requires_each_needed_one() -> None:
    """A secret in compose is either ``${NAME:?message}`` (compose refuses to start without it) or
    a value the secrets policy accepts; every secret a service requires is asked for that way."""
    services = _compose()["services"]
    for name, settings_cls in SETTINGS.items():
        env = services[name]["environment"]
        assert env["VANTHU_ENV"] == "production", name
        for field_name, field in settings_cls.model_fields.items():
            extra = field.json_schema_extra
            if not isinstance(extra, dict) or "secret" not in extra:
                continue
            key = field_name.upper()
            value = env.get(key)
            if extra.get("secret_required"):
                assert value is not None, f"{name}: required secret {key} not asked for"
            if value is None:
                continue
            if not re.fullmatch(rf"\$\{{{key}:\?[^}}]+\}}", value):
                assert check_value(str(extra["secret"]), value, required=False) is None, key


def test_the_image_runs_in_production_mode() -> None:
    assert re.search(r"^ENV .*VANTHU_ENV=production", (ROOT / "Dockerfile").read_text(), re.M)


def test_compose_cluster_profile_is_three_voters_with_replicated_topics() -> None:
    services = _compose()["services"]
    assert "profiles" not in services["kafka"]
    nodes = {name: services[name]["environment"] for name in ("kafka", "kafka2", "kafka3")}
    assert all(services[n]["profiles"] == ["cluster"] for n in ("kafka2", "kafka3"))
    assert [env["KAFKA_NODE_ID"] for env in nodes.values()] == ["1", "2", "3"]
    assert {env["KAFKA_ADVERTISED_LISTENERS"] for env in nodes.values()} == {
        f"PLAINTEXT://{n}:9092" for n in nodes}
    cluster = dict(line.split("=", 1) for line in (ROOT / "deploy/cluster.env").read_text()
                   .splitlines() if line and not line.startswith("#"))
    assert cluster == {"KAFKA_QUORUM_VOTERS": "1@kafka:9093,2@kafka2:9093,3@kafka3:9093",
                       "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092,kafka2:9092,kafka3:9092",
                       "KAFKA_REPLICATION_FACTOR": "3", "KAFKA_MIN_INSYNC_REPLICAS": "2"}
    assert services["mongo"]["environment"]["MONGO_INITDB_ROOT_PASSWORD"].startswith(
        "${MONGODB_PASSWORD:?")
