"""What ingest's reading hands to the dispatch event, and the settings that bound it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.ingest.extraction import extractor_for
from services.ingest.parsing.reading import read_parsed
from services.ingest.settings import IngestSettings
from shared.events import DispatchReceived
from shared.reading_parts import FieldOrigin, SignatureStatus

from .helpers import read_fixture


def test_fields_read_from_a_text_layer_say_so_with_the_parser_s_confidence() -> None:
    document = read_parsed(read_fixture("s02.txt").encode(), "cv.txt", "text/plain")
    assert document.origins["subject"] == FieldOrigin(origin="text", confidence=0.9)  # after V/v
    assert document.signature is None  # not a PDF: nothing to verify
    sources = document.to_dict_with_sources()
    assert sources["subject"]["origin"] == "text" and sources["subject"]["confidence"] == 0.9


def test_the_extras_fit_the_dispatch_event_and_old_events_stay_valid() -> None:
    document = read_parsed(read_fixture("s02.txt").encode(), "cv.txt", "text/plain")
    assert document.number is None  # seed letter 2 leaves its number blank
    extras = document.event_extras(["subject", "meeting", "number"])
    assert set(extras["field_origins"]) == {"subject", "meeting"}
    event = DispatchReceived(dispatch_id="d", correlation_id="d", source_system="s",
                             subject="V/v thử", **extras)
    again = DispatchReceived.model_validate_json(event.model_dump_json())
    assert again.field_origins == event.field_origins and again.signature is None
    old = DispatchReceived.model_validate({"dispatch_id": "d", "correlation_id": "d",
                                           "source_system": "s", "subject": "V/v thử"})
    assert old.signature is None and old.field_origins == {}
    signed = DispatchReceived.model_validate({**old.model_dump(), "signature": {"status": "invalid"}})
    assert signed.signature is not None and signed.signature.status == SignatureStatus.INVALID


def test_the_settings_give_the_worker_its_ocr_caps_and_trust_store() -> None:
    settings = IngestSettings(ingest_ocr_max_pages=3, ingest_ocr_timeout_s=12,
                              ingest_trust_store_dir="/etc/vanthu/ca")
    extractor = extractor_for(settings)
    assert (extractor.caps.ocr_pages, extractor.caps.ocr_seconds) == (3, 12)
    assert extractor.limits.trust_store_dir == "/etc/vanthu/ca"


def test_ocr_time_must_end_before_the_worker_s_wall_time() -> None:
    with pytest.raises(ValidationError, match="INGEST_OCR_TIMEOUT_S must be below"):
        IngestSettings(ingest_ocr_timeout_s=30, ingest_extract_timeout_s=30)
