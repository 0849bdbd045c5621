"""Session fixtures: the real Kafka and MongoDB-compatible servers the integration tests talk to.

Resolution order:
1. ``KAFKA_BOOTSTRAP_SERVERS`` and ``MONGODB_URL`` both set: use those servers.
2. ``VANTHU_TEST_INFRA=containers`` and a Docker engine answers: testcontainers (Kafka, mongo:7).
3. Otherwise (the default, always available): local Kafka and FerretDB processes on free ports with
   throwaway data, provisioned into ``~/.cache/vanthu`` on first use.
Unit tests never request these fixtures, so they run without any server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.infra.stack import LocalInfra
from tools.stack_harness import Endpoints, Stack, fresh_database, stack_env


@dataclass
class InfraEndpoints:
    """Where the test servers listen; ``local`` is set when we run them ourselves."""

    kafka_bootstrap: str
    mongodb_url: str
    local: LocalInfra | None = None


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env().ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InfraEndpoints]:
    """Real Kafka and FerretDB (or MongoDB) for the whole test session."""
    given = Endpoints.from_env()
    if given is not None:
        yield InfraEndpoints(given.kafka_bootstrap, given.mongodb_url)
        return
    if os.environ.get("VANTHU_TEST_INFRA") == "containers" and _docker_answers():
        from testcontainers.kafka import KafkaContainer
        from testcontainers.mongodb import MongoDbContainer

        with KafkaContainer("apache/kafka:3.9.1").with_kraft() as kafka, MongoDbContainer(
            "mongo:7"
        ) as mongo:
            yield InfraEndpoints(kafka.get_bootstrap_server(), mongo.get_connection_url())
        return
    with Stack(tmp_path_factory.mktemp("infra"), services=()) as local:
        assert local.infra is not None
        yield InfraEndpoints(local.infra.kafka_bootstrap, local.infra.mongodb_url, local.infra)


@pytest.fixture
def service_env(infra: InfraEndpoints) -> dict[str, str]:
    """Environment for services under test: the session's servers and a fresh database."""
    return stack_env(Endpoints(infra.kafka_bootstrap, infra.mongodb_url),
                     database=fresh_database("test"))


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave logs and screenshots for a human to look at."""
    path = Path(__file__).resolve().parents[1] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
