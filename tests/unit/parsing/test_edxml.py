"""edXML (QCVN 102:2016): import a MessageHeader, export statuses, refuse hostile XML."""

from __future__ import annotations

import datetime as dt

import pytest

from services.ingest.parsing.edxml import (
    NS,
    Organization,
    ResponseFor,
    StatusCode,
    StatusMessage,
    export_status,
    read_edxml,
    read_status,
)
from services.ingest.parsing.errors import EdxmlError, ParseError

from .helpers import FIXTURES

SAMPLE = (FIXTURES / "sample.edxml").read_bytes()


def test_message_header_is_imported() -> None:
    header = read_edxml(SAMPLE)
    assert header.document_id == "000.00.12.H19,2024/02/10,123/SCT-VP"
    assert (header.code_number, header.code_notation) == ("123", "SCT – VP")
    assert (header.promulgation_date, header.due_date) == ("2024-02-10", "2024-02-16")
    assert header.sender.organ_id == "000.00.12.H19"
    assert header.response_for[0].code == "1448/UBND-HCC"


def test_header_converts_to_parsed_document_fields() -> None:
    labels = read_edxml(SAMPLE).to_parsed_document().to_labels()
    assert labels["issuer"] == "Sở Công Thương"
    assert labels["parent_issuer"] == "UBND tỉnh Đồng Nai"
    assert (labels["number"], labels["notation"]) == ("123", "SCT-VP")
    assert (labels["place"], labels["issued_on"]) == ("Đồng Nai", "2024-02-10")
    assert labels["subject"] == "tổ chức tổng kết công tác cải cách hành chính năm 2023"
    assert labels["recipients"] == ["Văn phòng Sở"]
    assert [d["date"] for d in labels["deadlines"]] == ["2024-02-16"]
    assert labels["referenced_documents"] == [
        {"number": "1448", "notation": "UBND-HCC", "date": "2024-02-06"}
    ]
    assert (labels["signer_title"], labels["signer_name"]) == ("GIÁM ĐỐC", "Phạm Văn Cường")
    assert labels["distribution"] == ["Như trên", "Lưu: VT, VP"]


@pytest.mark.parametrize("code", list(StatusCode))
def test_status_is_exported_and_read_back(code: StatusCode) -> None:
    message = StatusMessage(
        response_for=ResponseFor(code="123/SCT-VP", promulgation_date="2024-02-10"),
        sender=Organization(organ_id="000.00.12.H19.01", organ_name="Văn phòng Sở"),
        status=code,
        timestamp=dt.datetime(2024, 2, 11, 9, 30),
        staff="Nguyễn Văn An",
    )
    data = export_status(message)
    assert data.startswith(b"<?xml") and NS.encode() in data
    assert f"<edXML:StatusCode>{code.value}</edXML:StatusCode>".encode() in data
    assert b"<edXML:PromulgationDate>2024/02/10</edXML:PromulgationDate>" in data
    back = read_status(data)
    assert (back.status, back.timestamp, back.staff) == (code, message.timestamp, "Nguyễn Văn An")
    assert back.response_for.code == "123/SCT-VP" and back.description


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol3;</edXML>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&xxe;</edXML>"""


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (BILLION_LAUGHS, "unsafe"),
        (EXTERNAL_ENTITY, "unsafe"),
        (b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><unclosed>", "malformed"),
        (b"<root xmlns='urn:other'><MessageHeader/></root>", "namespace"),
        (b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'/>", "no .*MessageHeader"),
    ],
)
def test_hostile_or_malformed_xml_is_refused(payload: bytes, reason: str) -> None:
    with pytest.raises(EdxmlError, match=reason) as caught:
        read_edxml(payload)
    assert isinstance(caught.value, ParseError)
