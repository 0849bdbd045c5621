"""Settings of the ingest service: what it adds to :class:`shared.settings.ServiceSettings`."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from shared.event_parts import BODY_MAX
from shared.settings import ServiceSettings, secret


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
    ingest_ocr_max_pages: int = Field(
        default=10, ge=1, description="Scanned pages one document may have for OCR; more: 422 "
        "naming ocr_pages.",
    )
    ingest_ocr_timeout_s: int = Field(
        default=25, ge=1, description="OCR wall time for one scanned document; then 422 naming "
        "ocr_seconds. Keep it below INGEST_EXTRACT_TIMEOUT_S.",
    )
    ingest_trust_store_dir: str = Field(
        default="config/trust-store", description="Folder of the root and intermediate CA "
        "certificates (PEM or DER) a signed PDF must chain to; otherwise its signature is "
        "untrusted. Empty or missing folder: no signature is valid.",
    )

    @model_validator(mode="after")
    def _ocr_within_the_worker_time(self) -> Self:
        if self.ingest_ocr_timeout_s >= self.ingest_extract_timeout_s:
            raise ValueError("INGEST_OCR_TIMEOUT_S must be below INGEST_EXTRACT_TIMEOUT_S, so a "
                             "slow scan gets a 422 naming the OCR cap before its worker is killed")
        return self
