"""Settings of the tracker service: what it adds to :class:`shared.settings.ServiceSettings`."""

from __future__ import annotations

from pydantic import Field

from shared.settings import LABORATORY_ONLY, ServiceSettings, secret


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
    tracker_reply_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, le=15 * 1024 * 1024,
        description="Largest reply document a unit uploads at the desk (refused in words beyond)."
    )
    tracker_reply_types: str = Field(
        default="pdf,docx,doc,odt,png,jpg,jpeg",
        description="Reply document types the desk accepts (extensions, checked against the "
        "file's first bytes)."
    )
    tracker_review_threshold: float = Field(
        default=0.8, ge=0, le=1,
        description="Parsed fields read with a lower confidence are marked 'cần kiểm tra' on the "
        "dashboard's dispatch page for the Office to confirm or correct (issue 18)."
    )
    tracker_extension_cap: int = Field(
        default=1, ge=0, le=20,
        description="How many times one assignment's deadline may be extended (xin gia hạn)."
    )
