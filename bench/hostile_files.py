"""Hostile (and heaviest allowed) uploads, built in memory: shared by bench/hostile.py and the
tests in tests/security/test_ingest_*.py. Each builder says what it is sized against."""

from __future__ import annotations

import io
import zipfile
import zlib

HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def pdf(pages: int, content: str, deflate: bool = False) -> bytes:
    """A PDF of ``pages`` pages that all draw the same content stream (offsets computed)."""
    kids = " ".join(f"{6 + i} 0 R" for i in range(pages))
    stream = zlib.compress(content.encode("latin-1"), 9) if deflate else content.encode("latin-1")
    flate = " /Filter /FlateDecode" if deflate else ""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>", "<< >>",
               f"<< /Length {len(stream)}{flate} >>\nstream\n{stream.decode('latin-1')}\nendstream",
               HELVETICA]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                "/Resources << /Font << /F1 5 0 R >> >> >>"] * pages
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()


def text_stream(lines: int, line: str = "Cong van so 12/SCT-VP ve viec tong ket") -> str:
    """A content stream showing ``lines`` lines: 5 + 2 x ``lines`` operators."""
    return "BT /F1 11 Tf 72 800 Td 13 TL " + " ".join(f"({line}) Tj T*" for _ in range(lines)) + " ET"


def shared_stream_pdf(pages: int = 10, operators: int = 100_000) -> bytes:
    """The reported attack: ``pages`` pages sharing one deflated stream of ``operators``
    operators, about 3 KB in all."""
    return pdf(pages, "BT /F1 1 Tf " + "(x) Tj " * (operators - 3) + "ET", deflate=True)


def many_pages_pdf(pages: int = 51) -> bytes:
    """One page over the 50-page cap, each page a short line."""
    return pdf(pages, text_stream(2))


def heaviest_allowed_pdf() -> bytes:
    """50 pages (the page cap) sharing a stream of 1,999 operators: 99,950, just under the
    100,000-operator cap, about 1.1 MB of extracted text."""
    return pdf(50, text_stream(997))


def docx(document_xml: bytes) -> bytes:
    """A minimal DOCX around ``document_xml`` (deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def docx_paragraphs(count: int, text: str = "Cong van ve viec tong ket cong tac nam 2023.") -> bytes:
    """A DOCX of ``count`` paragraphs (77 bytes of XML each)."""
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    body = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            f'openxmlformats.org/wordprocessingml/2006/main"><w:body>{paragraph * count}'
            "</w:body></w:document>")
    return docx(body.encode())


def docx_bomb() -> bytes:
    """The reported attack: about 70 KB that unpacks to a 20 MB ``word/document.xml``."""
    return docx_paragraphs(260_000)


def heaviest_allowed_docx() -> bytes:
    """A ``word/document.xml`` just under the 5 MB part cap (5.16 of 5.24 MB)."""
    return docx_paragraphs(67_000)


def edxml(subject: str, document_id: str = "000.00.12.H19,2024/02/10,123/SCT-VP") -> bytes:
    """An edXML package with the given subject (trích yếu) and DocumentId."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><edXML xmlns="{EDXML_NS}"><edXMLEnvelope>'
            "<edXMLHeader><MessageHeader><From><OrganId>000.00.12.H19</OrganId>"
            "<OrganName>Sở Công Thương</OrganName></From><Code><CodeNumber>123</CodeNumber>"
            "<CodeNotation>SCT-VP</CodeNotation></Code><PromulgationInfo><Place>Đồng Nai</Place>"
            "<PromulgationDate>2024/02/10</PromulgationDate></PromulgationInfo>"
            f"<Subject>{subject}</Subject><DocumentId>{document_id}</DocumentId>"
            "</MessageHeader></edXMLHeader><edXMLBody/></edXMLEnvelope></edXML>").encode()
