"""Shared-secret credentials stored hashed: API keys of upstream systems, tokens of units.

Configuration holds ``name:sha256hex`` pairs, comma-separated (e.g. ``INGEST_API_KEYS``). The secret
itself is never stored; a presented secret is hashed and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value (any case of "Bearer"), or
    None when the header is missing or of another scheme."""
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a secret is configured."""
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenRegistry:
    """Maps presented secrets to the identity they belong to."""

    def __init__(self, pairs: dict[str, str]) -> None:
        self._hashes = {name: digest.lower() for name, digest in pairs.items()}

    @classmethod
    def parse(cls, spec: str) -> TokenRegistry:
        """Build from ``name:sha256hex,name2:sha256hex``; raise ValueError naming a bad entry."""
        pairs: dict[str, str] = {}
        for raw in filter(None, (item.strip() for item in spec.split(","))):
            name, sep, digest = raw.partition(":")
            if not sep or not name or len(digest) != 64 or not _is_hex(digest):
                raise ValueError(f"bad credential entry {raw[:20]!r}: expected name:<sha256 hex>")
            pairs[name.strip()] = digest
        return cls(pairs)

    def identify(self, secret: str | None) -> str | None:
        """Return the identity whose secret this is, or None."""
        if not secret:
            return None
        presented = hash_secret(secret)
        match = None
        for name, digest in self._hashes.items():
            if hmac.compare_digest(presented, digest):
                match = name
        return match

    def __len__(self) -> int:
        return len(self._hashes)


def _is_hex(value: str) -> bool:
    try:
        int(value, 16)
    except ValueError:
        return False
    return True
