"""Our edXML status messages validate against the peer shape recorded in ADR 0016
(``edxml_status.xsd``: ResponseFor, From, StatusCode, Description, Timestamp, StaffInfo, in order),
for every status code and hostile text; and a status message shaped as peers build it is read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from services.ingest.parsing.edxml_status import StatusCode, export_status, read_status
from services.ingest.status_out import status_message
from shared.events import AssignmentStatusChanged

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("edxml_status.xsd"))))
ORIGIN: dict[str, object] = {"number": "45", "notation": "SCT-QLTM", "issued_on": "2024-03-04",
                             "document_id": "000.00.12.H53,2024/03/04,45/SCT-QLTM",
                             "source_system": "truc-lien-thong"}
PEER = """<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLHeader><edXML:Status>
  <edXML:ResponseFor><edXML:OrganId>000.00.12.H53</edXML:OrganId><edXML:Code>45/SCT-QLTM</edXML:Code>
   <edXML:PromulgationDate>2024/03/04</edXML:PromulgationDate>
   <edXML:DocumentId>000.00.12.H53,2024/03/04,45/SCT-QLTM</edXML:DocumentId></edXML:ResponseFor>
  <edXML:From><edXML:OrganId>000.00.31.H53</edXML:OrganId><edXML:OrganizationInCharge>UBND tỉnh
   </edXML:OrganizationInCharge><edXML:OrganName>Sở Tài chính</edXML:OrganName>
   <edXML:OrganAdd>Số 1</edXML:OrganAdd><edXML:Email>stc@example.gov.vn</edXML:Email>
   <edXML:Telephone>0</edXML:Telephone><edXML:Fax>0</edXML:Fax><edXML:Website>x</edXML:Website>
  </edXML:From>
  <edXML:StatusCode>03</edXML:StatusCode><edXML:Description>Đã tiếp nhận</edXML:Description>
  <edXML:Timestamp>2024/03/04 10:15:00</edXML:Timestamp>
  <edXML:StaffInfo><edXML:Department>Văn phòng</edXML:Department><edXML:Staff>Nguyễn Văn A</edXML:Staff>
   <edXML:Mobile>0900000000</edXML:Mobile><edXML:Email>a@example.gov.vn</edXML:Email></edXML:StaffInfo>
 </edXML:Status></edXML:edXMLHeader><edXML:edXMLBody/></edXML:edXMLEnvelope>""".encode()


@pytest.mark.parametrize("code", ["01", "03", "04", "05", "06"])
def test_our_status_messages_validate_against_the_recorded_shape(code: str) -> None:
    change = AssignmentStatusChanged(
        correlation_id="d", dispatch_id="d", unit_code="QLTM", status="x", edxml_code=code,
        note="Ghi chú <b>&</b>\x07 hai\ndòng", occurred_at=datetime(2024, 3, 4, 3, 15, tzinfo=UTC))
    xml = export_status(status_message(change, ORIGIN, "Sở Công Thương tỉnh Mẫu"))
    SCHEMA.assertValid(etree.fromstring(xml))
    bare = export_status(status_message(change, {}, "Sở Công Thương"))  # nothing known of the origin
    SCHEMA.assertValid(etree.fromstring(bare))


def test_the_shape_catches_what_peers_would_refuse() -> None:
    broken = PEER.replace(b"<edXML:StatusCode>03", b"<edXML:StatusCode>3")
    assert not SCHEMA.validate(etree.fromstring(broken))
    late = PEER.replace(b"2024/03/04 10:15:00", b"2024-03-04T10:15:00")
    assert not SCHEMA.validate(etree.fromstring(late))


def test_a_peer_shaped_status_validates_and_is_read() -> None:
    SCHEMA.assertValid(etree.fromstring(PEER))
    status = read_status(PEER)
    assert status.status is StatusCode.ACCEPTED
    assert status.response_for.document_id == "000.00.12.H53,2024/03/04,45/SCT-QLTM"
    assert (status.department, status.staff) == ("Văn phòng", "Nguyễn Văn A")
