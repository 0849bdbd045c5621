"""edXML packages shaped as peer systems emit them, for the tests: an envelope from
``fixtures/edxml`` (``edXML:``-prefixed or default namespace) with files attached in
``<AttachmentEncoded>`` after the envelope, and signed with XML-DSig by the test CA's signer.

The attached letter is a PDF with a real text layer in Vietnamese: the bench's hand-built PDFs
only speak WinAnsi, so :func:`letter_pdf` draws the text with PDFium (pypdfium2) in DejaVu Serif.
"""

from __future__ import annotations

import base64
import ctypes
import io
from functools import cache
from pathlib import Path

from .helpers import FIXTURES, read_fixture
from .signing import Issued

EDXML = FIXTURES / "edxml"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LETTER_ID, ANNEX_ID = "9b1e4c2a-letter", "9b1e4c2a-annex"
LETTER_NAME = "123-SCT-VP.pdf"
ANNEX = ("phu-luc.txt", "text/plain", "Phụ lục: danh sách các phòng, đơn vị.\n".encode())


def envelope(name: str) -> bytes:
    """The envelope ``fixtures/edxml/<name>.edxml``."""
    return (EDXML / f"{name}.edxml").read_bytes()


@cache
def letter_pdf(text: str | None = None) -> bytes:
    """``text`` (default: seed letter 2, whose meeting is on 19/02/2024) as a one-page PDF whose
    text layer reads back the same lines."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    lines = [line for line in (text or read_fixture("s02.txt")).splitlines() if line.strip()]
    document = pdfium.PdfDocument.new()
    page = document.new_page(595, 60 + 13 * len(lines))
    data = Path(FONT).read_bytes()
    font_bytes = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = raw.FPDFText_LoadFont(document, font_bytes, len(data), raw.FPDF_FONT_TRUETYPE, 1)
    for index, line in enumerate(lines):
        obj = raw.FPDFPageObj_CreateTextObj(document, font, 10.0)
        utf16 = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
        raw.FPDFText_SetText(obj, ctypes.cast(utf16, ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, 30 + 13 * (len(lines) - index))
        raw.FPDFPage_InsertObject(page, obj)
    raw.FPDFPage_GenerateContent(page)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def attachment_xml(name: str, content_type: str, data: bytes, content_id: str) -> str:
    """One ``<Attachment>`` as peers write it (no prefix: the root's default namespace)."""
    encoded = base64.encodebytes(data).decode()
    return (f"    <Attachment>\n      <ContentType>{content_type}</ContentType>\n"
            f"      <ContentId>{content_id}</ContentId>\n      <Description>Tệp đính kèm</Description>\n"
            f"      <ContentTransferEncoded>{encoded}</ContentTransferEncoded>\n"
            f"      <AttachmentName>{name}</AttachmentName>\n    </Attachment>\n")


def with_files(package: bytes, files: list[tuple[str, str, bytes, str]]) -> bytes:
    """``package`` with ``(name, content type, data, content id)`` files attached after the envelope."""
    block = "  <AttachmentEncoded>\n" + "".join(attachment_xml(*f) for f in files) + \
        "  </AttachmentEncoded>\n"
    text = package.decode()
    at = text.rindex("</edXML>")
    return (text[:at] + block + text[at:]).encode()


def thin_package(name: str = "thin-prefixed", letter: bytes | None = None,
                 annex_first: bool = False) -> bytes:
    """A thin envelope with the letter (a PDF) and an annex (plain text) attached."""
    files = [(LETTER_NAME, "application/pdf", letter or letter_pdf(), LETTER_ID),
             (*ANNEX, ANNEX_ID)]
    return with_files(envelope(name), files[::-1] if annex_first else files)


def signed(package: bytes, issued: Issued) -> bytes:
    """``package`` (with its ``ds:Signature Id="placeholder"``) signed as peers sign: one
    reference ``URI=""``, enveloped, so the envelope and the attachments are covered."""
    from lxml import etree
    from signxml.algorithms import SignatureConstructionMethod
    from signxml.signer import XMLSigner

    root = etree.fromstring(package)
    signer = XMLSigner(method=SignatureConstructionMethod.enveloped,
                       signature_algorithm="ecdsa-sha256", digest_algorithm="sha256")
    signed_root = signer.sign(root, key=issued.key_pem, cert=issued.cert_pem.decode())
    return bytes(etree.tostring(signed_root, xml_declaration=True, encoding="utf-8"))


def tampered(package: bytes) -> bytes:
    """``package`` with its subject changed after signing."""
    return package.replace("cải cách hành chính".encode(), "cải cách thủ tục".encode(), 1)
