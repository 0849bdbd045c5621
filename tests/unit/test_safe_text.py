"""The text rules: cleaning is idempotent and leaves no control; the edge refuses, naming why."""

from __future__ import annotations

import csv
import io
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from shared.safe_text import (
    CleanLine,
    CleanLines,
    Clipped,
    MultiLine,
    SingleLine,
    clean_block,
    clean_line,
    spreadsheet_cell,
)

CONTROLS = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} | {"\u2028", "\u2029", "\ufffe"}


class Edge(BaseModel):
    line: Annotated[str, SingleLine(10)] | None = None
    lines: Annotated[str, MultiLine(20)] | None = None


class Event(BaseModel):
    line: Annotated[str, CleanLine(10)] | None = None
    lines: Annotated[str, CleanLines(20)] | None = None
    clipped: Annotated[str, Clipped(3)] | None = None


@given(st.text())
def test_clean_line_is_idempotent_and_leaves_no_control(text: str) -> None:
    once = clean_line(text)
    assert clean_line(once) == once and not CONTROLS & set(once)


@given(st.text())
def test_clean_block_keeps_only_lf_and_tab(text: str) -> None:
    once = clean_block(text)
    assert clean_block(once) == once and not (CONTROLS - {"\n", "\t"}) & set(once)


def test_cleaning_turns_breaks_into_one_space_or_lf() -> None:
    assert clean_line(" a \r\n\t b\x00c ") == " a bc "
    assert clean_block("a\r\nb\rc\u2028d\x0ce\x00\tf") == "a\nb\nc\nd\ne\tf"


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'=cmd"), ("\r\n=x", "'=x"), ("QLTM", "QLTM"), (3, 3), (None, None),
])
def test_spreadsheet_cells_never_start_a_formula(value: object, cell: object) -> None:
    assert spreadsheet_cell(value) == cell


@given(st.text())
def test_a_spreadsheet_cell_round_trips_through_csv(text: str) -> None:
    out = io.StringIO()
    csv.writer(out).writerow([spreadsheet_cell(text)])
    assert next(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [spreadsheet_cell(text)]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("line", "a\r\nb", "000D"), ("line", "a\tb", "0009"), ("line", "a\u2028b", "2028"),
    ("lines", "a\nb\x01", "0001"), ("lines", "a\x7fb", "007F"),
])
def test_the_edge_refuses_a_control_naming_the_field_character_and_position(
        field: str, value: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Edge(**{field: value})
    [error] = caught.value.errors()
    assert error["loc"] == (field,) and error["type"] == "control_character"
    assert f"U+{code}" in error["msg"] and "vị trí" in error["msg"]


def test_the_edge_normalises_nfc_trims_and_keeps_lines() -> None:
    edge = Edge(line="  Ke\u0302\u0301t  ", lines="Dòng 1\r\nDòng 2\t.")
    assert edge.line == "Kết" and edge.lines == "Dòng 1\nDòng 2\t."
    with pytest.raises(ValidationError, match="at most 10 characters"):
        Edge(line="x" * 11)


def test_events_clean_and_bound_instead_of_refusing() -> None:
    event = Event(line="a\r\nb", lines="a\r\nb\x00", clipped="abcdef")
    assert (event.line, event.lines, event.clipped) == ("a b", "a\nb", "abc")
    with pytest.raises(ValidationError, match="at most 10 characters"):
        Event(line="x" * 11)
