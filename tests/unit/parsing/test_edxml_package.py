"""An edXML package read whole (issue 19): the thin envelope's fields win, the attached letter fills
the gaps, every field says where it came from; urgency, business and trace are read."""

from __future__ import annotations

import pytest

from services.ingest.parsing.edxml_attachments import MAX_ATTACHMENTS
from services.ingest.parsing.errors import EdxmlError
from services.ingest.parsing.model import ParsedDocument
from services.ingest.parsing.reading import Reading, read_document
from tools.scan_render import scanned_pdf

from .edxml_packages import (
    ANNEX,
    LETTER_NAME,
    envelope,
    letter_pdf,
    thin_package,
    with_files,
)
from .helpers import read_fixture

FORMS = ["prefixed", "default-ns"]
ORIGINAL = "000.00.12.H19,2024/02/10,123/SCT-VP"


def read(package: bytes) -> Reading:
    return read_document(package, "goi-tin.edxml", "application/xml")


def origins(reading: Reading) -> dict[str, dict[str, object]]:
    """Each field's origin; the parser's confidence of a letter's field checked and left out."""
    found = {k: v.model_dump(exclude_none=True) for k, v in document(reading).origins.items()}
    for origin in found.values():
        if origin["origin"] == "text":
            assert 0 < float(origin.pop("confidence")) <= 1  # type: ignore[arg-type]
    return found


def document(reading: Reading) -> ParsedDocument:
    parsed = reading.parsed_document()
    assert parsed is not None
    return parsed


@pytest.mark.parametrize("form", FORMS)
def test_the_envelope_wins_and_the_attached_letter_fills_the_gaps(form: str) -> None:
    reading = read(thin_package(f"thin-{form}"))
    labels = document(reading).to_labels()
    assert (labels["issuer"], labels["number"], labels["notation"]) == ("Sở Công Thương", "123", "SCT-VP")
    assert labels["subject"] == "tổ chức tổng kết công tác cải cách hành chính năm 2023"  # not the letter's
    assert labels["meeting"] == {"date": "2024-02-19", "time": "09:00",
                                 "place": "Phòng họp lớn Sở Công Thương"}
    assert [r["notation"] for r in labels["referenced_documents"]] == ["UBND-HCC", "BC-UBND", "QĐ-UBND"]
    assert [d["date"] for d in labels["deadlines"]] == ["2024-02-23", "2024-02-16"]  # DueDate first
    found = origins(reading)
    assert found["subject"] == found["issuer"] == found["deadlines"] == {"origin": "envelope"}
    assert found["meeting"] == found["referenced_documents"] == {"origin": "text",
                                                                "attachment": LETTER_NAME}
    assert reading.text is not None and "Phòng họp lớn" in reading.text
    assert [(f.name, f.content_type) for f in reading.files] == [
        (LETTER_NAME, "application/pdf"), (ANNEX[0], ANNEX[1])]


def test_a_letter_only_package_takes_every_field_from_the_attachment() -> None:
    bare = envelope("thin-prefixed").decode()
    for tag in ("Subject", "Content", "SignerInfo", "Code"):
        start, end = bare.index(f"<edXML:{tag}>"), bare.index(f"</edXML:{tag}>") + len(tag) + 9
        bare = bare[:start] + bare[end:]
    reading = read(with_files(bare.encode(), [(LETTER_NAME, "application/pdf", letter_pdf(), "x")]))
    labels, found = document(reading).to_labels(), origins(reading)
    assert labels["subject"].startswith("tổ chức tổng kết") and "năm 2024" in labels["subject"]
    assert (labels["signer_name"], labels["notation"]) == ("Phạm Văn Cường", "SCT-VP")
    for name in ("subject", "signer_name", "notation", "meeting"):
        assert found[name] == {"origin": "text", "attachment": LETTER_NAME}, name
    assert found["issuer"] == {"origin": "envelope"}


@pytest.mark.parametrize("form", FORMS)
def test_an_envelope_only_package_revokes_the_original(form: str) -> None:
    reading = read(envelope(f"revoke-{form}"))
    assert reading.text is None and reading.files == ()
    assert all(o == {"origin": "envelope"} for o in origins(reading).values())
    assert reading.exchange is not None
    assert reading.exchange["business"] == "revoke" and reading.exchange["acted_on"] == [ORIGINAL]
    assert reading.exchange["reason"] == "Thu hồi do sai thời gian họp"
    assert reading.document_id == ORIGINAL


def test_a_replacement_names_each_document_it_replaces() -> None:
    text = envelope("thin-prefixed").decode().replace(
        "<edXML:BussinessDocType>0</edXML:BussinessDocType>",
        "<edXML:BussinessDocType>3</edXML:BussinessDocType><edXML:ReplacementInfoList>"
        "<edXML:ReplacementInfo><edXML:DocumentId>A,2024/01/02,1/X</edXML:DocumentId>"
        "</edXML:ReplacementInfo><edXML:ReplacementInfo><edXML:DocumentId>B,2024/01/03,2/Y"
        "</edXML:DocumentId></edXML:ReplacementInfo></edXML:ReplacementInfoList>")
    exchange = read(text.encode()).exchange
    assert exchange is not None and exchange["business"] == "replace"
    assert exchange["acted_on"] == ["A,2024/01/02,1/X", "B,2024/01/03,2/Y"]


@pytest.mark.parametrize("form", FORMS)
def test_an_urgent_package_says_so(form: str) -> None:
    reading = read(envelope(f"urgent-{form}"))
    assert reading.urgency == "express"
    assert reading.exchange is not None
    assert (reading.exchange["priority"], reading.exchange["steering_type"]) == (3, 1)
    assert reading.exchange["business"] == "new" and reading.exchange["acted_on"] == []


def test_trace_hops_and_places_are_kept_in_utc() -> None:
    exchange = read(envelope("thin-default-ns")).exchange
    assert exchange is not None and exchange["to_places"] == ["Các phòng, đơn vị thuộc Sở"]
    assert exchange["trace"] == [{"organ_id": "000.00.12.H19", "at": "2024-02-10T08:42:07Z"},
                                 {"organ_id": "000.00.00.H19", "at": "2024-02-10T08:42:31Z"}]
    assert read(envelope("thin-default-ns")).urgency == "normal"


def test_the_main_letter_comes_first_whatever_the_order_of_the_files() -> None:
    reading = read(thin_package(annex_first=True))
    assert reading.files[0].name == LETTER_NAME
    assert document(reading).meeting is not None


def test_an_unreadable_letter_leaves_the_envelope_fields() -> None:
    reading = read(thin_package(letter=b"%PDF-1.7 broken"))
    assert reading.text is None and document(reading).subject is not None
    assert len(reading.files) == 2


def test_bad_base64_and_too_many_files_are_refused_naming_them() -> None:
    broken = thin_package().replace(b"<ContentTransferEncoded>", b"<ContentTransferEncoded>!!", 1)
    with pytest.raises(EdxmlError, match=LETTER_NAME):
        read(broken)
    many = [(f"{i}.txt", "text/plain", b"x", f"c{i}") for i in range(MAX_ATTACHMENTS + 1)]
    with pytest.raises(EdxmlError, match=str(MAX_ATTACHMENTS)):
        read(with_files(envelope("thin-prefixed"), many))


def test_a_scanned_letter_is_read_by_ocr() -> None:
    first_page = "\n".join(line for line in read_fixture("s02.txt").split("\n2\n")[0].splitlines()
                           if line.strip())
    scan = scanned_pdf(first_page)
    reading = read(with_files(envelope("thin-prefixed"), [("scan.pdf", "application/pdf", scan, "s")]))
    found = origins(reading)
    assert found["meeting"]["origin"] == "ocr" and found["meeting"]["attachment"] == "scan.pdf"
    assert document(reading).to_labels()["meeting"]["date"] == "2024-02-19"
