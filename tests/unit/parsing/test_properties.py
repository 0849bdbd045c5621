"""Property tests: any text or bytes gives a result or a typed ParseError, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from services.ingest.parsing import ParsedDocument, ParseError, parse_text
from services.ingest.parsing.errors import InternalParseError
from services.ingest.parsing.files import extract_text

from .helpers import read_fixture

SEED = read_fixture("s02.txt")
VIETNAMESE = "ĐđƯưƠơĂăÂâÊêÔôàáảãạềếểễệọốộờớởỡợụủứừửữựỳýỷỹỵ"
LAYOUT = st.sampled_from(
    [
        "Số:",
        "V/v",
        "Kính gửi:",
        "Nơi nhận:",
        "- ",
        "\n",
        "ngày",
        "tháng",
        "năm",
        "/",
        "2",
        "KT. ",
        "GIÁM ĐỐC",
        "Địa điểm:",
        "Thời gian:",
        "trước ngày",
        "(",
        ")",
        ";",
        "|",
        "\u0301",
    ]
)
TEXT = st.lists(
    st.one_of(st.text(alphabet=st.characters(), max_size=20), st.sampled_from(VIETNAMESE), LAYOUT),
    max_size=60,
).map("".join)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_typed_error(text: str) -> ParsedDocument | None:
    try:
        document = parse_text(text)
    except InternalParseError:  # a bug: must never happen
        raise
    except ParseError:
        return None
    for value in document.model_dump(exclude={"source_text"}).values():
        for item in value if isinstance(value, list) else [value]:
            span = item and item.get("span")
            if span:
                assert 0 <= span["start"] <= span["end"] <= len(text)
    return document


@FAST
@given(TEXT)
@example("V/V\r")  # a subject mark ending the text once raised IndexError
def test_random_text_gives_a_result_or_a_typed_error(text: str) -> None:
    document = _parse_or_typed_error(text)
    assert document is not None or not text.strip()


@FAST
@given(st.integers(0, len(SEED)), st.integers(0, len(SEED)), TEXT)
def test_mutated_letter_still_parses(cut: int, length: int, insert: str) -> None:
    mutated = SEED[:cut] + insert + SEED[cut + length // 4 :]
    document = _parse_or_typed_error(mutated)
    assert document is not None
    document.to_dict_with_sources()


@FAST
@given(
    st.binary(max_size=400),
    st.sampled_from([None, "a.txt", "a.pdf", "a.docx", "a.png", "noext"]),
    st.sampled_from([None, "text/plain", "application/pdf", "image/png", "text/html"]),
)
def test_random_bytes_give_text_or_a_typed_error(
    data: bytes, filename: str | None, content_type: str | None
) -> None:
    try:
        text = extract_text(data, filename, content_type)
    except ParseError:
        return
    assert isinstance(text, str)
    _parse_or_typed_error(text)


@FAST
@given(st.binary(max_size=300))
def test_pdf_and_zip_prefixed_garbage_is_a_typed_error(tail: bytes) -> None:
    for head in (b"%PDF-1.4\n", b"PK\x03\x04"):
        with pytest.raises(ParseError):
            extract_text(head + tail, None, None)
