"""Document understanding for Vanthu: read a Vietnamese administrative document.

``parse_text`` extracts the Decree 30/2020/NĐ-CP fields (cơ quan ban hành, số và ký
hiệu, trích yếu, nơi nhận, hạn xử lý, ...) from plain text, each with the span of
the text it came from.  ``files.extract_text`` turns PDF/DOCX/text bytes into text;
``edxml`` reads and writes QCVN 102:2016 packages.
"""

from services.ingest.parsing.errors import ParseError
from services.ingest.parsing.model import ParsedDocument
from services.ingest.parsing.parser import parse_text

__all__ = ["ParseError", "ParsedDocument", "parse_text"]
