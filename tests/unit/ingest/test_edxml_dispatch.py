"""An edXML upload as a dispatch (issue 19), pure parts: its files (letter first, the package last),
its urgency and exchange details, its keys (a revoking package is not a resend), the fields shown."""

from __future__ import annotations

from services.ingest.dispatch_builder import Blob, document_keys, read_fields, upload_parts
from services.ingest.parsing.edxml_attachments import PackageFile
from services.ingest.parsing.model import Extracted, ParsedDocument
from services.ingest.parsing.reading import Reading
from shared.events import DispatchReceived
from shared.reading_parts import FieldOrigin

DOC_ID = "000.00.12.H19,2024/02/10,123/SCT-VP"


def event(**exchange: object) -> DispatchReceived:
    return DispatchReceived(correlation_id="c", dispatch_id="d", source_system="axis", subject="x",
                            issuer="Sở Công Thương", number="123", notation="SCT-VP",
                            issued_on="2024-02-10", document_id=DOC_ID,
                            exchange=exchange or None)


def test_a_package_s_files_come_before_it_with_its_urgency_and_exchange() -> None:
    upload = Blob.of(b"<edXML/>", "goi.edxml", "application/xml")
    reading = Reading("text", {}, DOC_ID, (PackageFile("cv.pdf", "application/pdf", b"%PDF"),
                                           PackageFile("pl.txt", "text/plain", b"pl")),
                      {"business": "new"}, "urgent")
    stated, blobs = upload_parts(reading, upload)
    assert stated == {"urgency": "urgent", "exchange": {"business": "new"}}
    assert [b.attachment.filename for b in blobs] == ["cv.pdf", "pl.txt", "goi.edxml"]
    assert blobs[0].data == b"%PDF" and blobs[0].attachment.content_type == "application/pdf"


def test_any_other_upload_is_stored_alone() -> None:
    upload = Blob.of(b"%PDF", "cv.pdf", "application/pdf")
    assert upload_parts(Reading("text", {}), upload) == ({}, [upload])


def test_a_new_package_is_known_by_its_document_id_and_natural_key() -> None:
    keys = document_keys("axis", event(business="new"))
    assert f"edxml:axis:{DOC_ID}" in keys and any(str(k).startswith("doc:") for k in keys)
    assert document_keys("axis", event()) == keys


def test_a_revoking_or_replacing_package_is_not_taken_for_a_resend() -> None:
    for kind in ("revoke", "update", "replace"):
        assert document_keys("axis", event(business=kind, acted_on=[DOC_ID])) == []


def test_the_answer_shows_each_field_read_with_its_origin() -> None:
    parsed = ParsedDocument(notation=Extracted(value="SCT-VP"), place=None,
                            origins={"notation": FieldOrigin(origin="envelope")})
    assert read_fields(parsed) == {"notation": {"value": "SCT-VP", "origin": "envelope",
                                                "confidence": None, "attachment": None}}
    assert read_fields(None) == {}
