"""Draft công văn đôn đốc (reminder letter) as a .docx ready to sign, in the layout of Nghị định
30/2020/NĐ-CP: issuer header and national motto side by side, số/ký hiệu, địa danh and date, trích yếu
"V/v …", "Kính gửi", body, "Nơi nhận" and the signer block "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC".
Built in memory with python-docx. Dates are in Vietnam time. Every run of text is one clean line
(:func:`shared.safe_text.clean_line`): a control character in a subject cannot break the .docx XML.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from services.notifier.policy import LetterSettings
from services.notifier.wording import document_ref, letter_date, local_time, strip_vv, vn_duration
from shared.clock import VIETNAM_TZ
from shared.events import AssignmentSignal
from shared.safe_text import clean_line
from shared.wording import on_date

if TYPE_CHECKING:
    from services.notifier.escalation import PlannedNotification

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CENTER, _JUSTIFY, _LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


@dataclass(frozen=True)
class ReminderLetter:
    """What the letter says: the original document, the missed deadline, the late units, the signer."""

    number: str | None
    notation: str | None
    issued_on: date | None
    subject: str
    due_at: datetime
    detected_at: datetime
    late_units: tuple[str, ...]
    signer_name: str | None = None


def _para(where: Any, text: str, *, bold: bool = False, italic: bool = False, size: float = 13,
          align: Any = _CENTER, indent: bool = False) -> None:
    fresh_cell = hasattr(where, "_tc") and len(where.paragraphs) == 1 and not where.paragraphs[0].runs
    paragraph = where.paragraphs[0] if fresh_cell else where.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    run = paragraph.add_run(clean_line(text))
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), "Times New Roman"


def _two_columns(document: Any, widths: tuple[float, float]) -> tuple[Any, Any]:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    for cell, width in zip((left, right), widths, strict=True):
        cell.width = Cm(width)
    return left, right


def build_reminder_letter(letter: ReminderLetter, settings: LetterSettings) -> bytes:
    """The .docx bytes of the draft letter."""
    ref = document_ref(letter.number, letter.notation)
    today = letter.detected_at.astimezone(VIETNAM_TZ).date()
    document = docx.Document()
    for section in document.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    left, right = _two_columns(document, (6.5, 9.5))
    _para(left, settings.parent_issuer.upper())
    _para(left, settings.issuer.upper(), bold=True)
    _para(left, f"Số: …/{settings.notation}")
    _para(left, f"V/v đôn đốc xử lý văn bản {ref}", size=12)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
    _para(right, letter_date(settings.place, today), italic=True)
    _para(document, "")
    units = letter.late_units
    if len(units) == 1:
        _para(document, f"Kính gửi: {units[0]}.")
    else:
        _para(document, "Kính gửi:")
        for i, unit in enumerate(units):
            _para(document, f"- {unit}{'.' if i == len(units) - 1 else ';'}")
    issued = f" {on_date(letter.issued_on)}" if letter.issued_on else ""
    joined = ", ".join(units)
    for text in (
        f"{settings.issuer.title()} đã giao {joined} xử lý văn bản {ref}{issued} về việc "
        f"{letter.subject}, với hạn xử lý là {local_time(letter.due_at)}.",
        f"Đến {local_time(letter.detected_at)}, văn bản đã quá hạn "
        f"{vn_duration(letter.detected_at - letter.due_at)} nhưng đơn vị chưa hoàn thành, "
        "chưa báo cáo kết quả.",
        f"Giám đốc Sở đề nghị {joined} khẩn trương hoàn thành việc xử lý văn bản nêu trên, báo cáo "
        "kết quả về Sở (qua Văn phòng) trong ngày; trường hợp chậm trễ phải báo cáo rõ lý do.",
        "Đề nghị Thủ trưởng các đơn vị nghiêm túc thực hiện./.",
    ):
        _para(document, text, align=_JUSTIFY, size=14, indent=True)
    left, right = _two_columns(document, (8, 8))
    _para(left, "Nơi nhận:", bold=True, italic=True, size=12, align=_LEFT)
    for line in ("- Như trên;", "- Giám đốc Sở (để báo cáo);", "- Văn phòng Sở (theo dõi);",
                 "- Lưu: VT, VP."):
        _para(left, line, size=11, align=_LEFT)
    _para(right, "KT. GIÁM ĐỐC", bold=True)
    _para(right, "PHÓ GIÁM ĐỐC", bold=True)
    for _ in range(3):
        _para(right, "")
    _para(right, letter.signer_name or "", bold=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_for(items: Sequence[PlannedNotification], settings: LetterSettings) -> tuple[str, bytes]:
    """(filename, .docx bytes) of the letter for planned notifications of one dispatch."""
    signal = items[0].signal
    if not isinstance(signal, AssignmentSignal):
        raise TypeError("a reminder letter needs an assignment signal")
    codes = dict.fromkeys(i.unit_code for i in items if i.unit_code)
    names = {code: name for i in items for code, name in i.unit_names.items()}
    signer = next((c.name for c in items[0].addressees if c.id.startswith("deputy:")), None)
    letter = ReminderLetter(
        number=signal.number, notation=signal.notation,
        issued_on=getattr(signal, "issued_on", None),  # not in the v1 signal yet: omitted if absent
        subject=strip_vv(signal.subject), due_at=signal.due_at,
        detected_at=max(i.signal.detected_at for i in items if isinstance(i.signal, AssignmentSignal)),
        late_units=tuple(names.get(c, c) for c in codes), signer_name=signer,
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{signal.number or ''}-{signal.notation or ''}").strip("-")
    slug = (slug or re.sub(r"[^A-Za-z0-9]+", "-", signal.dispatch_id).strip("-"))[:80]
    return f"du-thao-cong-van-don-doc-{slug or 'van-ban'}.docx", build_reminder_letter(
        letter, settings)
