"""The edXML status message sent back to the issuing agency when a unit moves its assignment."""

from __future__ import annotations

from datetime import UTC, datetime

from services.ingest.parsing.edxml_status import StatusCode, read_status
from services.ingest.parsing.edxml_status import export_status as render
from services.ingest.status_out import status_message
from shared.events import AssignmentStatusChanged


def test_a_completion_becomes_status_06_answering_the_original_document() -> None:
    change = AssignmentStatusChanged(
        correlation_id="d", dispatch_id="d", unit_code="QLTM", status="completed",
        edxml_code="06", note="Đã gửi báo cáo", occurred_at=datetime(2024, 2, 15, 3, 0, tzinfo=UTC))
    origin: dict[str, object] = {"number": "1448", "notation": "UBND-HCC", "issued_on": "2024-02-06",
              "document_id": "000.00.00.H18,2024/02/06,1448", "source_system": "portal"}
    message = status_message(change, origin, "Sở Công Thương tỉnh Mẫu")
    back = read_status(render(message))
    assert back.status is StatusCode.COMPLETED
    assert back.response_for.code == "1448/UBND-HCC"
    assert back.response_for.document_id == "000.00.00.H18,2024/02/06,1448"
    assert back.sender.organ_name == "Sở Công Thương tỉnh Mẫu"
    assert back.department == "QLTM" and back.description == "Đã gửi báo cáo"
    assert back.timestamp.hour == 10  # 03:00 UTC is 10:00 in Hà Nội


def test_response_for_names_the_issuing_organ_its_document_id_starts_with() -> None:
    change = AssignmentStatusChanged(
        correlation_id="d", dispatch_id="d", unit_code="VP", status="acknowledged",
        edxml_code="03", occurred_at=datetime(2024, 2, 12, 2, 0, tzinfo=UTC))

    def organ(document_id: object) -> str | None:
        origin: dict[str, object] = {"number": "123", "notation": "SCT-VP", "document_id": document_id}
        return read_status(render(status_message(change, origin, "Sở Mẫu"))).response_for.organ_id

    assert organ("000.00.12.H19,2024/02/10,123/SCT-VP") == "000.00.12.H19"
    assert organ(" 000.00.12.H19.01,2024/02/10,123/SCT-VP ") == "000.00.12.H19.01"
    assert organ("H26.35,2024/02/10,45") == "H26.35"
    for unknown in (None, "CV-2024-123", "000.00.12.H19,10/02/2024,123", "sở ct,2024/02/10,1",
                    "000.00.12.H19,2024/02/10,1,2", 42):  # not in the edXML shape: left empty
        assert organ(unknown) is None, unknown
