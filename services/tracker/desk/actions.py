"""What a person may do from the desk on a dispatch, and why a form is refused. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from services.tracker.ladder import Status, apply_response
from services.tracker.people import Handover, Person, may_answer, may_hand_over
from services.tracker.records import AssignmentRecord
from shared.events import ResponseAction

ACTIONS = {
    ResponseAction.ACKNOWLEDGE: "Xác nhận đã tiếp nhận",
    ResponseAction.PROGRESS: "Báo cáo tiến độ",
    ResponseAction.COMPLETE: "Báo cáo hoàn thành",
    ResponseAction.DECLINE: "Từ chối (nêu lý do)",
    ResponseAction.TRANSFER: "Chuyển đơn vị khác (nêu lý do)",
}
"""The desk's buttons, in the ladder's order."""
DONE = {
    "acknowledge": "Đã gửi xác nhận tiếp nhận.",
    "progress": "Đã gửi báo cáo tiến độ.",
    "complete": "Đã gửi báo cáo hoàn thành.",
    "decline": "Đã gửi từ chối.",
    "transfer": "Đã gửi đề nghị chuyển đơn vị.",
    "handover": "Đã phân công xử lý.",
}
"""What the page says after a form went through (accepted; the tracker applies it in a moment)."""
NOTE_MAX = 4000


class Refused(Exception):
    """A page or form refused: the HTTP status and the reason, in words."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Offer:
    """One action offered on the dispatch page."""

    action: str
    label: str
    needs_reason: bool


def offers(person: Person, unit_code: str, status: Status) -> list[Offer]:
    """The answers ``person`` may give now on ``unit_code``'s assignment (none if not theirs)."""
    if may_answer(person, unit_code) is not None:
        return []
    return [Offer(action.value, label, action in (ResponseAction.DECLINE, ResponseAction.TRANSFER))
            for action, label in ACTIONS.items()
            if apply_response(status, action).new_status is not None]


def answer_problem(action: ResponseAction, note: str, transfer_to: str,
                   has_file: bool) -> str | None:
    """Why this answer's form is refused, in Vietnamese, or None."""
    if len(note) > NOTE_MAX:
        return f"Nội dung dài quá {NOTE_MAX} ký tự."
    if action in (ResponseAction.DECLINE, ResponseAction.TRANSFER) and not note.strip():
        return "Từ chối hoặc chuyển văn bản phải nêu lý do."
    if action is ResponseAction.TRANSFER and not transfer_to.strip():
        return "Chuyển văn bản phải nêu đơn vị nên xử lý."
    if action is ResponseAction.COMPLETE and not (note.strip() or has_file):
        return "Báo cáo hoàn thành cần nội dung trả lời hoặc tệp văn bản trả lời."
    return None


def refusal_words(status: int, reason: str) -> str:
    """The submit path's refusal (:class:`services.tracker.submitting.NotAccepted`) in words."""
    if status == 409:
        return ("Trạng thái văn bản vừa thay đổi nên không gửi được thao tác này; "
                f"vui lòng tải lại trang. ({reason})")
    if status == 403:
        return "Đơn vị của bạn không được giao văn bản này."
    return reason


def handover_refusal(head: Person, assignment: AssignmentRecord | None, staff: Person | None,
                     note: str) -> Refused | None:
    """Why this hand-over (phân công xử lý) is refused, or None: the dispatch must be the head's
    unit's (403), the person one of its enabled people (403), the assignment still open (409) and
    the note within its size (422)."""
    if assignment is None:
        return Refused(403, "Văn bản này không giao cho đơn vị của bạn.")
    if (reason := may_hand_over(head, assignment.unit_code, staff)) is not None:
        return Refused(403, reason[:1].upper() + reason[1:] + ".")
    if assignment.closed:
        return Refused(409, "Văn bản đã xử lý xong, không phân công được nữa.")
    if len(note) > NOTE_MAX:
        return Refused(422, f"Ghi chú dài quá {NOTE_MAX} ký tự.")
    return None


def same_handover(previous: Handover | None, staff_login: str, note: str) -> bool:
    """Whether the assignment is already handed to ``staff_login`` with this note (a form sent
    twice): nothing new to record or announce."""
    return previous is not None and previous.staff_login == staff_login and previous.note == note
