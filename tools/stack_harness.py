"""One way to run the system: ``vanthu up``, ``vanthu demo``, the bench and every test fixture.

A :class:`Stack` starts local Kafka and FerretDB (or uses given :class:`Endpoints`), the mail and
webhook catchers if asked (:class:`Sink`), and a chosen subset of the four services with one
environment (:func:`stack_env`); it stops them in the reverse order. :class:`Credentials` holds the
plain API keys and tokens a caller presents and gives the services only their hashes.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from shared.secrets_policy import DEMO_UNITS
from shared.tokens import hash_secret
from tools.fleet import SERVICES, ServiceFleet
from tools.infra.paths import free_port
from tools.infra.stack import InfraPorts, LocalInfra

UNITS: tuple[str, ...] = DEMO_UNITS
"""The units of the sample organisation, each given a token by :meth:`Credentials.generate`."""

QUICK_NOTIFIER: dict[str, str] = {"NOTIFIER_FOLD_WINDOW_MINUTES": "0",
                                  "NOTIFIER_RETRY_BASE_DELAY_S": "0.05"}
"""Notifier settings for tests: every signal mailed at once, retries without waiting."""


@dataclass(frozen=True)
class Endpoints:
    """Where Kafka and the MongoDB-compatible store listen."""

    kafka_bootstrap: str
    mongodb_url: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Endpoints | None:
        """The servers named by ``KAFKA_BOOTSTRAP_SERVERS`` and ``MONGODB_URL``, if both are set."""
        environ = os.environ if environ is None else environ
        kafka, mongodb = environ.get("KAFKA_BOOTSTRAP_SERVERS"), environ.get("MONGODB_URL")
        return cls(kafka, mongodb) if kafka and mongodb else None


@dataclass(frozen=True)
class Credentials:
    """Plain secrets for the caller; :meth:`env` gives the services their hashes."""

    api_keys: dict[str, str] = field(default_factory=dict)
    """Upstream system → API key (``X-API-Key`` at ingest)."""
    leader_token: str | None = None
    """Leadership token of the tracker and the notifier (identity ``director``)."""
    unit_tokens: dict[str, str] = field(default_factory=dict)
    """Unit code → bearer token at the tracker."""
    webhook_secret: str | None = None

    @classmethod
    def generate(cls, system: str = "test", units: tuple[str, ...] = UNITS) -> Credentials:
        """Fresh random secrets: one API key for ``system``, a leader token, a token per unit."""
        def secret() -> str:
            return secrets.token_urlsafe(18)
        return cls({system: secret()}, secret(), {u: secret() for u in units}, secret())

    @property
    def api_key(self) -> str:
        """The (first) API key."""
        return next(iter(self.api_keys.values()))

    def unit_auth(self, unit: str) -> dict[str, str]:
        """The bearer header of ``unit``."""
        return {"Authorization": f"Bearer {self.unit_tokens[unit]}"}

    @property
    def leader_auth(self) -> dict[str, str]:
        """The bearer header of the leadership."""
        return {"Authorization": f"Bearer {self.leader_token}"}

    def env(self) -> dict[str, str]:
        """The services' credential settings: ``name:sha256`` pairs, never a plain secret."""
        env: dict[str, str] = {}
        if self.api_keys:
            env["INGEST_API_KEYS"] = ",".join(f"{s}:{hash_secret(k)}" for s, k in self.api_keys.items())
        if self.leader_token:
            env["TRACKER_LEADERSHIP_TOKENS"] = f"director:{hash_secret(self.leader_token)}"
            env["NOTIFIER_ACCESS_TOKENS"] = env["TRACKER_LEADERSHIP_TOKENS"]
        if self.unit_tokens:
            env["TRACKER_UNIT_TOKENS"] = ",".join(f"{u}:{hash_secret(t)}"
                                                  for u, t in self.unit_tokens.items())
        if self.webhook_secret:
            env["NOTIFIER_WEBHOOK_SECRET"] = self.webhook_secret
        return env


@dataclass(frozen=True)
class Sink:
    """The local mail and webhook catchers (``vanthu sink``)."""

    directory: Path | None = None
    """Where caught mail and webhooks go (default: ``<stack>/sink``)."""
    smtp_port: int = field(default_factory=free_port)
    webhook_port: int = field(default_factory=free_port)
    wire: bool = True
    """Point the notifier's SMTP port at the catcher (``vanthu up`` leaves that to ``.env``)."""


def fresh_database(prefix: str) -> str:
    """A database name no other run uses."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def stack_env(endpoints: Endpoints | None, *, database: str | None = None,
              credentials: Credentials | None = None, smtp_port: int | None = None,
              log_format: str | None = "json", extra: Mapping[str, str] | None = None
              ) -> dict[str, str]:
    """The settings every service of one stack shares; ``extra`` wins over the rest."""
    env: dict[str, str] = {}
    if endpoints is not None:
        env |= {"KAFKA_BOOTSTRAP_SERVERS": endpoints.kafka_bootstrap,
                "MONGODB_URL": endpoints.mongodb_url}
    if database:
        env["MONGODB_DATABASE"] = database
    if log_format:
        env["LOG_FORMAT"] = log_format
    if smtp_port:
        env["NOTIFIER_SMTP_PORT"] = str(smtp_port)
    if credentials is not None:
        env |= credentials.env()
    return env | dict(extra or {})


class Stack:
    """Infrastructure, catchers and services of one run; a context manager (start, then stop)."""

    def __init__(self, base_dir: Path, *, endpoints: Endpoints | None = None,
                 infra_ports: InfraPorts | None = None, services: tuple[str, ...] = SERVICES,
                 credentials: Credentials | None = None, database: str | None = None,
                 sink: Sink | None = None, ports: dict[str, int] | None = None,
                 env: Mapping[str, str] | None = None, log_format: str | None = "json",
                 log_dir: Path | None = None, parallel: bool = True, brokers: int = 1,
                 secure: bool = False) -> None:
        """``base_dir`` holds ``infra/`` (when no ``endpoints`` are given), ``logs/`` (unless
        ``log_dir``) and ``sink/``; ``ports`` default to free ones; ``env``: extra settings.
        ``brokers``: Kafka nodes (a cluster when more than one); ``secure``: SASL/SCRAM over
        TLS, each service its own principal (:mod:`tools.infra.kafka_security`)."""
        self.base_dir, self.services, self.parallel = base_dir, services, parallel
        self.credentials = credentials or Credentials()
        self.database, self.sink, self.log_format = database, sink, log_format
        self.extra_env, self.started = dict(env or {}), False
        self._endpoints = endpoints
        self.infra = None if endpoints else LocalInfra(
            base_dir / "infra", infra_ports or InfraPorts.free(brokers), secure=secure)
        self.fleet = ServiceFleet(env={}, log_dir=log_dir or base_dir / "logs",
                                  ports=ports or {s: free_port() for s in SERVICES})

    @property
    def endpoints(self) -> Endpoints:
        """The Kafka and MongoDB the services use."""
        if self.infra is not None:
            return Endpoints(self.infra.kafka_bootstrap, self.infra.mongodb_url)
        assert self._endpoints is not None
        return self._endpoints

    @property
    def sink_dir(self) -> Path:
        """Where the catchers store mail (``mail/``) and webhooks."""
        return (self.sink and self.sink.directory) or self.base_dir / "sink"

    def url(self, service: str) -> str:
        """Base URL of ``service``."""
        return self.fleet.url(service)

    def env(self) -> dict[str, str]:
        """The services' shared settings (known once the infrastructure has started)."""
        smtp = self.sink.smtp_port if self.sink and self.sink.wire else None
        infra = self.infra.client_env() if self.infra is not None else {}
        return stack_env(self.endpoints, database=self.database, credentials=self.credentials,
                         smtp_port=smtp, log_format=self.log_format,
                         extra={**infra, **self.extra_env})

    def start_infra(self) -> None:
        """Start Kafka and FerretDB, unless the stack uses given endpoints."""
        if self.infra is not None:
            self.infra.start()

    def start_services(self) -> None:
        """Start the catchers (if any), then the chosen services, on the started infrastructure."""
        self.fleet.env.update(self.env())
        if self.infra is not None and self.infra.security is not None:
            from tools.infra.kafka_security import principal

            security = self.infra.security  # a test's own settings of a service win
            self.fleet.service_env = {s: {**security.client_env(principal(s)),
                                          **self.fleet.service_env.get(s, {})} for s in SERVICES}
        if self.sink is not None:
            self.fleet.start_sink(self.sink_dir, self.sink.smtp_port, self.sink.webhook_port)
        self.fleet.start_all(self.services, parallel=self.parallel)

    def start(self) -> Self:
        """Start everything (once: a started stack is left as it is); on failure stop what did
        start, then raise."""
        if self.started:
            return self
        self.started = True
        try:
            self.start_infra()
            self.start_services()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Services (producers first), then the catchers, then Kafka and FerretDB. Idempotent."""
        self.started = False
        self.fleet.stop_all()
        if self.infra is not None:
            self.infra.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
