"""How often, and how patiently, the notifier tries again."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetryPolicy(BaseModel):
    """Exponential backoff with jitter: attempt n waits between d/2 and d, d = min(max, base·2^(n-1))."""

    model_config = ConfigDict(frozen=True)

    max_attempts: int = Field(default=5, ge=1)
    base_delay_s: float = Field(default=1.0, ge=0)
    max_delay_s: float = Field(default=60.0, ge=0)
    store_attempts: int = Field(default=3, ge=1, description="Tries of one claim or record write.")

    def delay(self, attempt: int, rand: float, retry_after_s: float | None = None) -> float:
        """Seconds to wait after failed attempt ``attempt``; ``rand`` in [0, 1)."""
        cap = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        wait = cap / 2 + rand * cap / 2
        return float(min(max(wait, retry_after_s or 0.0), self.max_delay_s))
