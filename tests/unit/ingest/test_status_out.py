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
