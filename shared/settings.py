"""Typed settings, read from the environment and ``.env``.

:class:`ServiceSettings` holds what every service shares (Kafka, MongoDB, logging); each service
extends it with its own fields, named with the service prefix (``INGEST_PORT`` → ``ingest_port``).
Every setting and its default is listed in ``.env.example``; a test keeps the two in step.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
        default="mongodb://127.0.0.1:27017/", description="MongoDB (or FerretDB) connection URL."
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


class IngestSettings(ServiceSettings):
    """Settings of the ingest service (the front door for upstream systems)."""

    ingest_port: int = Field(default=8000, description="HTTP port of the ingest API.")
    ingest_tracker_url: str = Field(
        default="http://127.0.0.1:8002", description="Public base URL of the tracker's API."
    )


class RouterSettings(ServiceSettings):
    """Settings of the router service."""

    router_port: int = Field(default=8001, description="HTTP port of the router's health endpoint.")
    router_default_handling_days: int = Field(
        default=7, ge=1, description="Hạn xử lý, in days, when the document states none."
    )
    router_default_unit: str = Field(
        default="VP", description="Unit that receives what no rule matches (Văn phòng: triage)."
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
    )
    tracker_clock_speed: float = Field(
        default=1.0, gt=0, description="How many times faster than real time the clock runs."
    )


class NotifierSettings(ServiceSettings):
    """Settings of the notifier service."""

    notifier_port: int = Field(default=8003, description="HTTP port of the notifier's endpoints.")
