"""The webhook signature: HMAC-SHA256 over f"{timestamp}.{body}", with a replay window."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from services.notifier.channels.webhook import sign, verify_signature

SECRET = "bí-mật-chung"
NOW = datetime(2024, 2, 16, 10, 0, tzinfo=UTC)
TS = int(NOW.timestamp())
BODY = '{"subject":"Quá hạn xử lý"}'.encode()


def test_the_documented_algorithm() -> None:
    expected = hmac.new(SECRET.encode(), f"{TS}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, TS, BODY) == f"sha256={expected}"
    assert verify_signature(SECRET, str(TS), BODY, f"sha256={expected}", NOW)


def test_tampering_a_wrong_secret_or_a_malformed_header_fails() -> None:
    signature = sign(SECRET, TS, BODY)
    assert not verify_signature(SECRET, TS, BODY.replace(b"Qu", b"qu"), signature, NOW)
    assert not verify_signature(SECRET, TS + 1, BODY, signature, NOW)
    assert not verify_signature("other", TS, BODY, signature, NOW)
    assert not verify_signature(SECRET, "yesterday", BODY, signature, NOW)
    assert not verify_signature(SECRET, TS, BODY, signature.removeprefix("sha256="), NOW)


def test_stale_or_future_timestamps_are_rejected_against_replay() -> None:
    signature = sign(SECRET, TS, BODY)
    assert verify_signature(SECRET, TS, BODY, signature, NOW.timestamp() + 300)
    assert not verify_signature(SECRET, TS, BODY, signature, NOW.timestamp() + 301)
    assert not verify_signature(SECRET, TS, BODY, signature, NOW.timestamp() - 301)
    assert verify_signature(SECRET, TS, BODY, signature, NOW.timestamp() + 3000, tolerance_s=3600)


@given(st.binary(max_size=200), st.text(min_size=1, max_size=20), st.integers(0, 2**40))
def test_any_signed_body_verifies_and_str_and_bytes_agree(body: bytes, secret: str, ts: int) -> None:
    signature = sign(secret, ts, body)
    assert verify_signature(secret, ts, body, signature, float(ts))
    text = body.decode("utf-8", errors="replace")
    assert sign(secret, ts, text) == sign(secret, ts, text.encode("utf-8"))
