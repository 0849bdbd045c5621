"""What the desk offers and refuses: answers by status and role, form rules, reply files."""

from __future__ import annotations

from datetime import UTC, datetime

from services.tracker.desk.actions import answer_problem, offers, refusal_words
from services.tracker.ladder import Status
from services.tracker.people import Person, Role
from services.tracker.replies import file_problem, new_reply, safe_filename
from shared.events import ResponseAction as A

STAFF = Person("nva", "Nguyễn Văn A", "QLTM", Role.STAFF, "x")
ALLOWED = {"pdf", "docx", "png"}
PDF = b"%PDF-1.7\n"


def test_offers_follow_the_ladder_and_the_role() -> None:
    assert [o.action for o in offers(STAFF, "QLTM", Status.RECEIVED)] == [
        "acknowledge", "progress", "complete", "decline", "transfer"]
    assert [o.action for o in offers(STAFF, "QLTM", Status.IN_PROGRESS)] == [
        "progress", "complete", "decline", "transfer"]
    assert offers(STAFF, "QLTM", Status.COMPLETED) == []
    assert offers(STAFF, "VP", Status.RECEIVED) == []  # not their unit
    deputy = Person("pgd", "Phó", "QLTM", Role.DEPUTY, "x", deputy_units=("QLTM",))
    assert offers(deputy, "QLTM", Status.RECEIVED) == []
    assert [o.needs_reason for o in offers(STAFF, "QLTM", Status.RECEIVED)][-2:] == [True, True]


def test_answer_forms_need_their_reason() -> None:
    assert answer_problem(A.ACKNOWLEDGE, "", "", False) is None
    assert "nêu lý do" in (answer_problem(A.DECLINE, "  ", "", False) or "")
    assert "nêu lý do" in (answer_problem(A.TRANSFER, "", "VP", False) or "")
    assert "đơn vị nên xử lý" in (answer_problem(A.TRANSFER, "không thuộc chức năng", "", False)
                                  or "")
    assert "tệp văn bản trả lời" in (answer_problem(A.COMPLETE, "", "", False) or "")
    assert answer_problem(A.COMPLETE, "", "", True) is None
    assert "dài quá" in (answer_problem(A.PROGRESS, "x" * 4001, "", False) or "")


def test_refusals_of_the_submit_path_in_words() -> None:
    assert "tải lại trang" in refusal_words(409, "cannot go back from completed to acknowledged")
    assert refusal_words(403, "x") == "Đơn vị của bạn không được giao văn bản này."


def test_reply_files_checked_by_size_extension_and_first_bytes() -> None:
    def problem(name: str, head: bytes = PDF, size: int = 100) -> str | None:
        return file_problem(name, head, size, max_bytes=1024, allowed=ALLOWED)
    assert problem("tra-loi.pdf") is None and problem("TRA-LOI.PDF") is None
    assert problem("tra-loi.pdf", size=0) == "Tệp trả lời trống."
    assert problem("tra-loi.pdf", size=2048) == "Tệp trả lời quá lớn (2 KB); tối đa 1 KB."
    assert problem("virus.exe") == "Loại tệp .exe không được nhận; chỉ nhận DOCX, PDF, PNG."
    assert problem("khong-duoi") == "Loại tệp .? không được nhận; chỉ nhận DOCX, PDF, PNG."
    assert problem("renamed.pdf", b"MZ\x90\x00") == (
        "Nội dung tệp không phải PDF như tên tệp nói; chỉ nhận DOCX, PDF, PNG.")
    assert problem("bao-cao.docx", b"PK\x03\x04rest") is None


def test_a_reply_keeps_a_safe_name_and_its_type() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\a\\Báo cáo <1>.pdf") == "Báo cáo _1_.pdf"
    reply = new_reply("d1", "QLTM", "../Trả lời.pdf", PDF, "nva", datetime(2024, 3, 4, tzinfo=UTC))
    assert (reply.filename, reply.content_type, reply.size) == ("Trả lời.pdf", "application/pdf",
                                                                len(PDF))
    assert reply.id.startswith("reply-")
