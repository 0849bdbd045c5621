"""The letter of a dispatch as the dashboard and the desk show it: its original file and its text."""

from __future__ import annotations

import asyncio

from services.tracker import letter

PNG = {"blob_id": "b1", "filename": "công văn quét.png", "content_type": "image/png"}


class Files:
    def __init__(self, **stored: bytes) -> None:
        self.stored = stored
        self.read: list[str] = []

    async def original_file(self, blob_id: str) -> bytes | None:
        self.read.append(blob_id)
        return self.stored.get(blob_id)


def test_the_original_is_shown_inline_only_when_a_browser_can_show_it_safely() -> None:
    def shown(content_type: str) -> str | None:
        doc = {"attachments": [{"blob_id": "b1", "filename": "x", "content_type": content_type}]}
        found = letter.original("/dashboard", "d1", doc)
        return found.kind if found else None

    assert (shown("image/png"), shown("application/pdf"), shown("image/tiff"),
            shown("image/svg+xml")) == ("image", "pdf", "file", "file")
    assert letter.original("/desk", "d1", {"attachments": []}) is None
    pdf = {"attachments": [{"blob_id": "b9", "filename": "a.pdf", "content_type": "application/pdf"}]}
    found = letter.original("/dashboard", "d1", pdf)
    assert found is not None and found.url == "/dashboard/dispatches/d1/original/b9"
    found = letter.original("/desk", "d1", pdf)
    assert found is not None and found.url == "/desk/dispatches/d1/original/b9"


def test_only_the_dispatchs_own_attachment_is_ever_read() -> None:
    files = Files(b1=b"scan", other=b"another dispatch's file")
    doc = {"attachments": [PNG]}
    assert asyncio.run(letter.read_original(files, doc, "b1")) == (PNG, b"scan")
    assert asyncio.run(letter.read_original(files, doc, "other")) is None
    assert asyncio.run(letter.read_original(files, doc, "missing")) is None
    assert files.read == ["b1"]  # the foreign blob id was never looked up
    assert asyncio.run(letter.read_original(Files(), doc, "b1")) is None  # listed, not stored


def test_a_download_carries_the_stored_type_and_the_file_name() -> None:
    meta = {"filename": "Công văn 11.txt", "content_type": "text/plain"}
    download = letter.file_response(meta, b"abc", inline=False)
    assert download.body == b"abc"
    assert download.headers["content-type"].startswith("text/plain")
    assert download.headers["content-disposition"] == \
        "attachment; filename*=UTF-8''C%C3%B4ng%20v%C4%83n%2011.txt"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-security-policy"] == "sandbox"
    shown = letter.file_response(PNG, b"png", inline=True)
    assert shown.headers["content-disposition"].startswith("inline;")
    as_file = letter.file_response(PNG, b"png", inline=False)
    assert as_file.headers["content-disposition"].startswith("attachment;")
    html = letter.file_response({"content_type": "text/html"}, b"<script>", inline=True)
    assert html.headers["content-disposition"].startswith("attachment;")
    assert html.headers["content-security-policy"] == "sandbox"
    pdf = letter.file_response({"content_type": "application/pdf"}, b"%PDF", inline=True)
    assert "content-security-policy" not in pdf.headers  # the browser's viewer needs scripts
    odd = letter.file_response({"content_type": "text/html\r\nSet-Cookie: x"}, b"", inline=False)
    assert odd.headers["content-type"] == "application/octet-stream"


def test_the_text_is_the_inline_body_or_the_body_stored_apart() -> None:
    assert letter.text_of({"body": "Kính gửi: Các phòng\nNội dung"}) == "Kính gửi: Các phòng\nNội dung"
    assert letter.text_of({}) is None
    assert letter.text_of({"body": "   "}) is None
    assert letter.text_of({}, "Dòng 1\r\nDòng 2\x07".encode()) == "Dòng 1\nDòng 2"
    assert letter.text_of({}, b"\xff\xfe not utf-8") is None
    files = Files(body1="Nội dung lưu riêng".encode())
    assert asyncio.run(letter.read_text(files, {"body_ref": "body1"})) == "Nội dung lưu riêng"
    assert asyncio.run(letter.read_text(files, {"body": "inline", "body_ref": "body1"})) == "inline"
    assert asyncio.run(letter.read_text(files, {"body_ref": "gone"})) is None
    assert files.read == ["body1", "gone"]
