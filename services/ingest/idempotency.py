"""The keys under which a submission is recognised again. Pure.

Every key is scoped to the sending system, so one upstream system can never claim (or learn the
dispatch id of) a document another system sends:

- ``idem:<system>:<Idempotency-Key>``: a client retrying the same request.
- ``req:<system>:<digest>``: the same request sent again without an Idempotency-Key (every
  submission has a reservation, so a retry after an ambiguous 503 finds its dispatch id).
- ``doc:<digest of system and natural key>``: the same official document sent twice by one system,
  recognised by its issuing organisation, number/notation and date of issue.
- ``edxml:<system>:<DocumentId>``: the same edXML package sent twice by one system.
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


def fingerprint_key(system: str, fingerprint: str) -> str:
    """The key of a request without an Idempotency-Key: its digest, scoped to its system."""
    return f"req:{system}:{fingerprint}"


def natural_key(system: str, issuer: str | None, number: str | None, notation: str | None,
                issued_on: date | None) -> str | None:
    """The document's identity for ``system``: issuer, number/notation and date. None if any part
    is missing (a draft without a number, say), since a partial key would merge documents."""
    if not (issuer and number and notation and issued_on):
        return None
    parts = (system, _norm(issuer), _norm(number), _norm(notation).replace(" ", ""),
             issued_on.isoformat())
    return "doc:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def edxml_key(system: str, document_id: str | None) -> str | None:
    """The key of an edXML package's ``DocumentId`` sent by ``system``."""
    if not document_id or not document_id.strip():
        return None
    return f"edxml:{system}:{document_id.strip()[:200]}"


def request_fingerprint(payload: bytes) -> str:
    """A digest of the request, to tell a retry from a different request reusing a key."""
    return hashlib.sha256(payload).hexdigest()
