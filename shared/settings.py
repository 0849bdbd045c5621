"""Typed settings, read from the environment and ``.env``.

:class:`ServiceSettings` holds what every service shares (Kafka, MongoDB, logging); each service
extends it in its own ``services/<name>/settings.py``, with fields named with the service prefix
(``INGEST_PORT`` → ``ingest_port``).
Every setting and its default is listed in ``.env.example``; a test keeps the two in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.clock import OffsetClock, make_clock
from shared.secrets_policy import read_secret_files

SecretKind = Literal["plain", "hashed", "url"]


def secret(kind: SecretKind = "plain", *, required: bool = False) -> dict[str, Any]:
    """Field metadata marking a setting as a secret, for ``shared.secrets_policy``.

    Use as ``Field(default="", description=..., json_schema_extra=secret("hashed"))``. ``kind`` says
    how to read the value: ``plain`` (the secret itself), ``hashed`` (``name:sha256hex`` pairs, see
    ``shared.tokens``) or ``url`` (only the URL's password is a secret). ``required``: the service
    cannot do its job without it, so an empty value is refused in production.
    """
    return {"secret": kind, "secret_required": required}


LABORATORY_ONLY: dict[str, Any] = {"laboratory_only": True}
"""Field metadata of a switch for tests and demos only (e.g. moving the clock): an exposed service
refuses to start with it on (``shared.secrets_policy``)."""


class ServiceSettings(BaseSettings):
    """Settings common to the four services."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092", description="Kafka bootstrap servers, comma-separated."
    )
    kafka_topic_partitions: int = Field(
        default=6, ge=1, description="Partitions per topic; replicas of a service share them."
    )
    kafka_replication_factor: int = Field(
        default=1, ge=1, description="Replicas per partition (3 on a three-node cluster).")
    kafka_min_insync_replicas: int = Field(
        default=1, ge=1, description="min.insync.replicas of Vanthu's topics (2 on a three-node "
        "cluster: a write is acknowledged only once two replicas have it).")
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="PLAINTEXT (laptop) or SASL_SSL (SCRAM-SHA-512 over TLS).")
    kafka_sasl_username: str = Field(default="", description="This service's Kafka principal.")
    kafka_sasl_password: str = Field(
        default="", description="Its SCRAM password (or KAFKA_SASL_PASSWORD_FILE).",
        json_schema_extra=secret("plain"))
    kafka_sasl_password_file: str = Field(
        default="", description="A file holding the SCRAM password (wins over KAFKA_SASL_PASSWORD).")
    kafka_ssl_cafile: str = Field(
        default="", description="CA certificate (PEM) the brokers' certificates are checked "
        "against; empty: the system's CAs.")
    mongodb_url: str = Field(
        default="mongodb://127.0.0.1:27017/", description="MongoDB (or FerretDB) connection URL.",
        json_schema_extra=secret("url"),
    )
    mongodb_username: str = Field(
        default="", description="MongoDB user (or in MONGODB_URL); empty: no authentication "
        "(FerretDB v1 on a laptop).")
    mongodb_password: str = Field(
        default="", description="Its password (or MONGODB_PASSWORD_FILE).",
        json_schema_extra=secret("plain"))
    mongodb_password_file: str = Field(
        default="", description="A file holding the MongoDB password (wins over MONGODB_PASSWORD).")
    mongodb_database: str = Field(default="vanthu", description="Database name.")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto", description="auto = console on a terminal, JSON elsewhere."
    )
    handler_max_attempts: int = Field(
        default=5, ge=1, description="Attempts at a message before it goes to the dead-letter topic."
    )
    http_host: str = Field(default="127.0.0.1", description="Address the HTTP endpoints bind to.")
    vanthu_env: Literal["development", "production"] = Field(
        default="development",
        description="production: demo or placeholder secrets stop a service; API docs default off.",
    )
    http_docs: Literal["auto", "on", "off"] = Field(
        default="auto", description="Serve /docs, /redoc and /openapi.json; auto: off in production."
    )
    http_max_body_bytes: int = Field(
        default=1_048_576, ge=1024,
        description="Request body cap (413) of every service; ingest allows INGEST_MAX_FILE_BYTES.",
    )
    http_max_header_bytes: int = Field(
        default=16_384, ge=1024, description="Cap on a request's headers, names and values (431)."
    )
    clock_speed: float = Field(
        default=1.0, gt=0, description="How many times faster than real time the clock runs (demo)."
    )
    clock_epoch: str = Field(
        default="", description="Wall-clock ISO instant at which the simulated clock shows CLOCK_START."
    )
    clock_start: str = Field(
        default="", description="Simulated ISO instant at CLOCK_EPOCH (demo, tests); empty: real time."
    )

    @model_validator(mode="after")
    def _read_secret_files(self) -> ServiceSettings:
        """A secret's ``*_FILE`` setting, when given, supplies its value (``shared.secrets_policy``)."""
        read_secret_files(self)
        return self

    def mongodb_credentials(self) -> dict[str, Any]:
        """The MongoDB client's ``username``/``password`` arguments, when a user is configured."""
        if not self.mongodb_username:
            return {}
        return {"username": self.mongodb_username, "password": self.mongodb_password}

    def docs_enabled(self) -> bool:
        """Whether the API documentation (/docs, /redoc, /openapi.json) is served."""
        if self.http_docs == "auto":
            return self.vanthu_env != "production"
        return self.http_docs == "on"

    def clock(self) -> OffsetClock:
        """This service's clock (the system clock unless the CLOCK_* settings say otherwise)."""
        return make_clock(self.clock_speed, self.clock_epoch, self.clock_start)
    organisation_file: str = Field(
        default="config/organisation.sample.yaml",
        description="The organisation: units, leadership chain, handling times, calendar.",
    )

    def config_path(self, value: str) -> Path:
        """Resolve a configured file: absolute, relative to the working directory, or to the repo."""
        path = Path(value)
        if path.is_absolute() or path.exists():
            return path
        return Path(__file__).resolve().parents[1] / path
