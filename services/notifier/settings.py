"""Settings of the notifier service: what it adds to :class:`shared.settings.ServiceSettings`."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from shared.settings import ServiceSettings, secret


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
    notifier_zalo_api_base: str = Field(
        default="https://openapi.zalo.me", pattern=r"^https?://",
        description="Zalo OA API base URL; messages go to <base>/v3.0/oa/message/cs.")
    notifier_zalo_access_token: str = Field(
        default="", json_schema_extra=secret(),
        description="Access token of the department's Zalo Official Account (header access_token). "
        "Empty (and no _FILE): every Zalo delivery fails (recorded and dead-lettered).")
    notifier_zalo_access_token_file: str = Field(
        default="", description="A file holding the Zalo OA access token (e.g. a mounted secret; "
        "wins over NOTIFIER_ZALO_ACCESS_TOKEN); empty: none.")
    notifier_zalo_oauth_base: str = Field(
        default="https://oauth.zaloapp.com", pattern=r"^https?://",
        description="Zalo OAuth base URL; tokens are renewed at <base>/v4/oa/access_token.")
    notifier_zalo_app_id: str = Field(
        default="", description="Id of the Zalo app that owns the OA's tokens; with its secret and "
        "a refresh token, the notifier renews the access token itself.")
    notifier_zalo_app_secret: str = Field(
        default="", json_schema_extra=secret(),
        description="The Zalo app's secret key (header secret_key when renewing).")
    notifier_zalo_app_secret_file: str = Field(
        default="", description="A file holding the Zalo app's secret key; empty: none.")
    notifier_zalo_refresh_token: str = Field(
        default="", json_schema_extra=secret(),
        description="Refresh token from authorising the app (serves once; the notifier keeps the "
        "chain in its database). A new value restarts the chain. Empty: the access token is used "
        "as it is, never renewed.")
    notifier_zalo_refresh_token_file: str = Field(
        default="", description="A file holding that refresh token; empty: none.")
    notifier_zalo_refresh_margin_s: float = Field(
        default=3600.0, ge=0, description="Renew the access token this long before it expires.")
    notifier_zalo_timeout_s: float = Field(
        default=10.0, gt=0, description="Seconds to wait for the Zalo OA API per attempt.")
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

    def fold_window(self, policy_minutes: float) -> timedelta:
        """The folding window: NOTIFIER_FOLD_WINDOW_MINUTES, or the policy's when it is -1."""
        minutes = policy_minutes if self.notifier_fold_window_minutes < 0 \
            else self.notifier_fold_window_minutes
        return timedelta(minutes=minutes)
