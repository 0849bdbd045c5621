"""The keys under which a submission is recognised again. Pure.

- ``idem:<system>:<Idempotency-Key>``: a client retrying the same request.
- ``doc:<system-independent natural key>``: the same official document sent twice, recognised by its
  issuing organisation, number/notation and date of issue (or the edXML ``DocumentId``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date


def _norm(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip().casefold()


def idempotency_key(system: str, header_value: str | None) -> str | None:
    """The key of a client's ``Idempotency-Key`` header, scoped to its system."""
    if not header_value or not header_value.strip():
        return None
    return f"idem:{system}:{header_value.strip()[:200]}"


def natural_key(issuer: str | None, number: str | None, notation: str | None,
                issued_on: date | None) -> str | None:
    """The document's identity: issuer, number/notation and date. None if any part is missing
    (a draft without a number, say), since a partial key would merge different documents."""
    if not (issuer and number and notation and issued_on):
        return None
    parts = (_norm(issuer), _norm(number), _norm(notation).replace(" ", ""), issued_on.isoformat())
    return "doc:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def edxml_key(document_id: str | None) -> str | None:
    """The key of an edXML package's ``DocumentId``."""
    return f"edxml:{document_id.strip()}" if document_id and document_id.strip() else None


def request_fingerprint(payload: bytes) -> str:
    """A digest of the request, to tell a retry from a different request reusing a key."""
    return hashlib.sha256(payload).hexdigest()
