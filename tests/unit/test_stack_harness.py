"""The stack harness's pure parts: credentials and the services' shared settings."""

from __future__ import annotations

from pathlib import Path

from shared.tokens import TokenRegistry
from tools.stack_harness import (
    UNITS,
    Credentials,
    Endpoints,
    Sink,
    Stack,
    fresh_database,
    stack_env,
)

ENDPOINTS = Endpoints("127.0.0.1:19092", "mongodb://127.0.0.1:27018/")


def test_generated_credentials_are_fresh_and_cover_every_unit() -> None:
    first, second = Credentials.generate("portal"), Credentials.generate("portal")
    assert set(first.unit_tokens) == set(UNITS)
    assert list(first.api_keys) == ["portal"]
    secrets = [first.api_key, first.leader_token, first.webhook_secret, *first.unit_tokens.values()]
    assert len(set(secrets)) == len(secrets) and all(s and len(s) >= 20 for s in secrets)
    assert first.api_key != second.api_key and first.leader_token != second.leader_token


def test_the_services_get_hashes_that_identify_the_plain_secrets() -> None:
    creds = Credentials.generate("portal")
    env = creds.env()
    assert TokenRegistry.parse(env["INGEST_API_KEYS"]).identify(creds.api_key) == "portal"
    units = TokenRegistry.parse(env["TRACKER_UNIT_TOKENS"])
    assert all(units.identify(token) == unit for unit, token in creds.unit_tokens.items())
    for setting in ("TRACKER_LEADERSHIP_TOKENS", "NOTIFIER_ACCESS_TOKENS"):
        assert TokenRegistry.parse(env[setting]).identify(creds.leader_token) == "director"
    plain = [creds.api_key, creds.leader_token, *creds.unit_tokens.values()]
    assert not any(p and p in value for p in plain for value in env.values())
    assert creds.unit_auth("VP") == {"Authorization": f"Bearer {creds.unit_tokens['VP']}"}


def test_credentials_only_set_what_they_hold() -> None:
    assert Credentials().env() == {}
    assert set(Credentials(api_keys={"a": "k1", "b": "k2"}).env()) == {"INGEST_API_KEYS"}
    assert Credentials(api_keys={"a": "k1", "b": "k2"}).env()["INGEST_API_KEYS"].count(",") == 1


def test_stack_env_assembles_endpoints_database_smtp_credentials_and_lets_extra_win() -> None:
    env = stack_env(ENDPOINTS, database="db1", smtp_port=2600,
                    credentials=Credentials(api_keys={"s": "k"}),
                    extra={"LOG_FORMAT": "console", "X": "1"})
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == ENDPOINTS.kafka_bootstrap
    assert env["MONGODB_URL"] == ENDPOINTS.mongodb_url
    assert env["MONGODB_DATABASE"] == "db1" and env["NOTIFIER_SMTP_PORT"] == "2600"
    assert env["LOG_FORMAT"] == "console" and env["X"] == "1" and "INGEST_API_KEYS" in env


def test_stack_env_leaves_out_what_the_caller_leaves_to_the_environment() -> None:
    assert stack_env(None, log_format=None) == {}
    assert stack_env(None) == {"LOG_FORMAT": "json"}


def test_endpoints_come_from_the_environment_only_when_both_are_set() -> None:
    assert Endpoints.from_env({"KAFKA_BOOTSTRAP_SERVERS": "k:1", "MONGODB_URL": "m"}) == \
        Endpoints("k:1", "m")
    assert Endpoints.from_env({"KAFKA_BOOTSTRAP_SERVERS": "k:1"}) is None
    assert Endpoints.from_env({"KAFKA_BOOTSTRAP_SERVERS": "k:1", "MONGODB_URL": ""}) is None


def test_a_stack_on_given_endpoints_runs_no_infrastructure_and_wires_its_sink(tmp_path: Path) -> None:
    creds = Credentials.generate()
    stack = Stack(tmp_path, endpoints=ENDPOINTS, credentials=creds, database="d",
                  sink=Sink(smtp_port=2601, webhook_port=8766), ports={"tracker": 18002},
                  env={"EXTRA": "yes"})
    assert stack.infra is None and stack.endpoints == ENDPOINTS
    assert stack.sink_dir == tmp_path / "sink" and stack.fleet.log_dir == tmp_path / "logs"
    assert stack.url("tracker") == "http://127.0.0.1:18002"
    env = stack.env()
    assert env["NOTIFIER_SMTP_PORT"] == "2601" and env["EXTRA"] == "yes"
    assert env["MONGODB_DATABASE"] == "d" and env["INGEST_API_KEYS"] == creds.env()["INGEST_API_KEYS"]
    unwired = Stack(tmp_path, endpoints=ENDPOINTS, sink=Sink(smtp_port=2601, wire=False),
                    ports={"tracker": 18002})
    assert "NOTIFIER_SMTP_PORT" not in unwired.env()


def test_a_stack_without_endpoints_owns_its_infrastructure_under_its_directory(tmp_path: Path) -> None:
    stack = Stack(tmp_path, ports={"tracker": 18002})
    assert stack.infra is not None and stack.infra.data_dir == tmp_path / "infra"
    assert stack.endpoints.mongodb_url == stack.infra.mongodb_url


def test_fresh_databases_do_not_repeat() -> None:
    names = {fresh_database("it") for _ in range(50)}
    assert len(names) == 50 and all(n.startswith("it_") for n in names)
