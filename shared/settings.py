"""Typed settings, read from the environment and ``.env``.

:class:`ServiceSettings` holds what every service shares (Kafka, MongoDB, logging); each service
extends it with its own fields, named with the service prefix (``INGEST_PORT`` → ``ingest_port``).
Every setting and its default is listed in ``.env.example``; a test keeps the two in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.clock import OffsetClock, make_clock
from shared.event_parts import BODY_MAX

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
    kafka_replication_factor: int = Field(default=1, ge=1, description="Replicas per partition.")
    mongodb_url: str = Field(
        default="mongodb://127.0.0.1:27017/", description="MongoDB (or FerretDB) connection URL.",
        json_schema_extra=secret("url"),
    )
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


class IngestSettings(ServiceSettings):
    """Settings of the ingest service (the front door for upstream systems)."""

    ingest_port: int = Field(default=8000, description="HTTP port of the ingest API.")
    ingest_tracker_url: str = Field(
        default="http://127.0.0.1:8002", description="Public base URL of the tracker's API."
    )
    ingest_api_keys: str = Field(
        default="", json_schema_extra=secret("hashed", required=True),
        description="Upstream systems' API keys as name:sha256hex pairs, comma-separated. Empty: "
        "every request is refused.",
    )
    ingest_max_json_bytes: int = Field(default=1_048_576, ge=1024, description="JSON body cap (413).")
    ingest_max_file_bytes: int = Field(
        default=10_485_760, ge=1024, description="Upload and batch body cap (413)."
    )
    ingest_batch_max_items: int = Field(default=100, ge=1, description="Documents per batch request.")
    ingest_inline_body_max_bytes: int = Field(
        default=262_144, ge=0, le=BODY_MAX,
        description="Larger bodies are stored in MongoDB and referenced, never inlined in Kafka "
        "(at most the event's inline body size).",
    )
    ingest_publish_timeout_s: float = Field(
        default=10.0, gt=0, description="How long to wait for Kafka's acknowledgement before 503."
    )
    ingest_max_event_bytes: int = Field(
        default=900_000, ge=4096, le=1_000_000,
        description="Largest serialised DispatchReceived (below Kafka's 1 MB message size); "
        "a document over it gets 413 naming its largest field.",
    )
    ingest_extract_workers: int = Field(
        default=2, ge=1, description="Worker processes that read uploaded files (PDF, DOCX, edXML)."
    )
    ingest_extract_memory_mb: int = Field(
        default=768, ge=64, description="Address-space limit of one extraction worker (RLIMIT_AS)."
    )
    ingest_extract_cpu_s: int = Field(
        default=15, ge=1, description="CPU seconds one document may take to read (RLIMIT_CPU)."
    )
    ingest_extract_timeout_s: float = Field(
        default=30.0, gt=0, description="Wall time one document may take to read; then the "
        "worker is killed and the upload gets 422.",
    )


class RouterSettings(ServiceSettings):
    """Settings of the router service."""

    router_port: int = Field(default=8001, description="HTTP port of the router's health endpoint.")
    router_rules_file: str = Field(
        default="config/routing-rules.yaml", description="Routing rules, evaluated in order."
    )


class TrackerSettings(ServiceSettings):
    """Settings of the tracker service."""

    tracker_port: int = Field(default=8002, description="HTTP port of the tracker API.")
    tracker_scan_interval_s: float = Field(
        default=5.0, gt=0, description="Seconds between two overdue checks."
    )
    tracker_clock_control: bool = Field(
        default=False,
        description="Expose POST /clock/advance to move the clock forward (tests and demo only).",
        json_schema_extra=LABORATORY_ONLY,
    )
    tracker_unit_tokens: str = Field(
        default="", json_schema_extra=secret("hashed", required=True),
        description="Units' tokens as UNIT_CODE:sha256hex pairs, comma-separated."
    )
    tracker_leadership_tokens: str = Field(
        default="", json_schema_extra=secret("hashed", required=True),
        description="Leadership tokens (see all, override) as name:sha256hex pairs."
    )
    tracker_approach_working_days: int = Field(
        default=1, ge=0, description="Remind this many working days before the deadline (0: never)."
    )
    tracker_public_url: str = Field(
        default="http://127.0.0.1:8002", description="Base URL of the tracker as users reach it."
    )
    tracker_session_ttl_s: int = Field(
        default=8 * 3600, ge=60, description="A dashboard sign-in lasts this many seconds."
    )
    tracker_login_max_failures: int = Field(
        default=5, ge=1, description="Wrong dashboard logins from one address before 429."
    )
    tracker_login_window_s: int = Field(
        default=900, ge=1, description="Window (seconds) over which wrong logins are counted."
    )
    tracker_trusted_proxy: bool = Field(
        default=False, description="Trust X-Forwarded-Proto/-For from a TLS proxy in front of the "
        "tracker (Secure cookies, client address for login throttling)."
    )


class NotifierSettings(ServiceSettings):
    """Settings of the notifier service."""

    notifier_port: int = Field(default=8003, description="HTTP port of the notifier's endpoints.")
    notifier_policy_file: str = Field(
        default="config/escalation.yaml", description="Who is told what, at which level."
    )
    notifier_tracker_url: str = Field(
        default="http://127.0.0.1:8002", description="Tracker URL used in links in messages."
    )
    notifier_smtp_host: str = Field(default="127.0.0.1", description="SMTP relay host.")
    notifier_smtp_port: int = Field(default=2525, ge=1, le=65535, description="SMTP relay port.")
    notifier_smtp_starttls: bool = Field(default=False, description="Require STARTTLS.")
    notifier_smtp_username: str = Field(default="", description="SMTP user (empty: no auth).")
    notifier_smtp_password: str = Field(default="", description="SMTP password.",
                                        json_schema_extra=secret())
    notifier_smtp_sender: str = Field(
        default="vanthu@sct.example.gov.vn", description="From address of notifications."
    )
    notifier_webhook_secret: str = Field(
        default="", json_schema_extra=secret(),
        description="HMAC-SHA256 secret that signs webhook bodies. Empty: every webhook delivery "
        "fails (recorded and dead-lettered), never signed with a public value."
    )
    notifier_fold_window_minutes: int = Field(
        default=-1, ge=-1, description="Fold messages per recipient over this window; -1: policy's."
    )
    notifier_tracker_token: str = Field(
        default="", json_schema_extra=secret(),
        description="Leadership token the notifier uses to read the digest figures "
        "from the tracker; empty: no daily digest.")
    notifier_retry_attempts: int = Field(default=4, ge=1, description="Delivery attempts.")
    notifier_retry_base_delay_s: float = Field(
        default=1.0, gt=0, description="First retry delay; doubles each attempt, with jitter."
    )
    notifier_access_tokens: str = Field(
        default="", json_schema_extra=secret("hashed"),
        description="Who may read GET /notifications and call POST /digest: name:sha256hex pairs, "
        "comma-separated. Empty: every request is refused.",
    )
    notifier_claim_lease_s: float = Field(
        default=600.0, gt=0, description="A delivery claimed this long ago without an outcome is "
        "recorded as failed (the notifier stopped); longer than any send with its retries."
    )
    notifier_sweep_interval_s: float = Field(
        default=60.0, gt=0, description="Seconds between two sweeps for such stale claims."
    )
