"""Property tests (issue 18): realistic perturbations of a letter must not change what is read.

Letters: the synthetic ones in :mod:`letters` (laid out with their header columns in each order
text extraction produces) and the seed letters under ``../shared/seeds``.  Perturbations: line
breaks inserted into long lines, header columns interleaved, NFC/NFD, whitespace and dash
variants, "Số:" variants, web-page leftovers before and after the letter.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.parsing import parse_text

from .helpers import REPO_ROOT
from .letters import COLUMN_LETTERS, KE_HOACH, LAYOUTS

SEEDS_DIR = (REPO_ROOT / ".." / "shared" / "seeds").resolve()
SEEDS = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}
TEXTS = {**{name: letter.render() for name, letter in COLUMN_LETTERS.items()}, "ke_hoach": KE_HOACH, **SEEDS}
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BEFORE = [
    "Skip Ribbon Commands\nSkip to main content",
    "Trang chủ\nTIN NỔI BẬT\nlogo",
    "Hệ thống pháp luật\nĐang tải nội dung, vui lòng chờ giây lát...",
    "Thứ ba 11/03/2025\nIn trang",
    "Thứ năm, ngày 13 tháng 3 năm 2025 [08:05:11 (GMT+7)]\nChia sẻ",
    "VÌ TỔ QUỐC XÃ HỘI CHỦ NGHĨA, VÌ LÝ TƯỞNG CỦA NHÂN DÂN\nSẴN SÀNG!",
]
AFTER = ["In trang\nGửi email", "Lượt xem: 1520\nVề đầu trang", "Chia sẻ\nFacebook\nZalo", "Tin liên quan"]
DASHES = ["-", "–", "—"]
SO_FORMS = ["Số:", "Số :", "Số", "Số: ", "SỐ:"]
_SO = re.compile(r"^([ \t]*)Số[ \t]*:?[ \t]*(?=[\d./])", re.MULTILINE)
_MARKER = re.compile(r"^([ \t]*)-(?=[ \t])", re.MULTILINE)
_MOTTO_DASH = re.compile(r"(?<=Độc lập) - | - (?=Hạnh phúc)")
_OWN_NOTATION = re.compile(r"(?<=/)(?P<a>[A-ZĐ]+)-(?=[A-ZĐ])")


def labels(text: str) -> dict[str, Any]:
    return parse_text(text).to_labels()


EXPECTED = {name: labels(text) for name, text in TEXTS.items()}


def wrap_long_lines(text: str, cuts: list[float]) -> str:
    """Break lines of 70+ characters at a space before a lowercase word (as PDF wrapping does)."""
    out, cut_iter = [], iter(cuts)
    for line in text.split("\n"):
        if len(line) >= 70:
            fraction = next(cut_iter, None)
            spaces = [i for i in range(25, len(line) - 25) if line[i] == " " and line[i + 1].islower()]
            if fraction is not None and spaces:
                at = spaces[int(fraction * len(spaces)) % len(spaces)]
                line = line[:at] + "\n" + line[at + 1 :]
        out.append(line)
    return "\n".join(out)


def vary_whitespace(text: str, choices: list[int]) -> str:
    """Trailing spaces and tabs, no-break spaces, doubled spaces, blank lines: nothing of meaning."""
    out, pick = [], iter(choices)
    for line in text.split("\n"):
        kind = next(pick, 0) % 5
        if kind == 1:
            line += "  \t"
        elif kind == 2:
            line = line.replace(" ", "\u00a0", 1)
        elif kind == 3 and not line.startswith(("-", "Số")):
            line = "  " + line
        elif kind == 4:
            line += "\n"
        out.append(line)
    return "\n".join(out)


def vary_dashes(text: str, dash: str) -> str:
    text = _MARKER.sub(lambda m: m.group(1) + dash, text)
    text = _MOTTO_DASH.sub(f" {dash} ", text)
    return _OWN_NOTATION.sub(lambda m: m.group("a") + dash, text, count=1)


def vary_so(text: str, form: str) -> str:
    return _SO.sub(lambda m: m.group(1) + form + ("" if form.endswith(" ") else " "), text, count=1)


@pytest.mark.parametrize("name", sorted(COLUMN_LETTERS))
@pytest.mark.parametrize("layout", LAYOUTS)
def test_header_columns_in_any_order_read_the_same(name: str, layout: str) -> None:
    assert labels(COLUMN_LETTERS[name].render(layout)) == EXPECTED[name]


@PROPERTY
@given(st.sampled_from(sorted(TEXTS)), st.lists(st.floats(0, 1), max_size=40))
def test_line_breaks_inserted_in_long_lines(name: str, cuts: list[float]) -> None:
    assert labels(wrap_long_lines(TEXTS[name], cuts)) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_nfd_reads_like_nfc(name: str) -> None:
    assert labels(unicodedata.normalize("NFD", TEXTS[name])) == EXPECTED[name]


@PROPERTY
@given(st.sampled_from(sorted(TEXTS)), st.lists(st.integers(0, 4), max_size=120))
def test_whitespace_variants(name: str, choices: list[int]) -> None:
    assert labels(vary_whitespace(TEXTS[name], choices)) == EXPECTED[name]


@pytest.mark.parametrize("dash", DASHES)
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_dash_variants(name: str, dash: str) -> None:
    assert labels(vary_dashes(TEXTS[name], dash)) == EXPECTED[name]


@pytest.mark.parametrize("form", SO_FORMS)
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_so_variants(name: str, form: str) -> None:
    assert labels(vary_so(TEXTS[name], form)) == EXPECTED[name]


@PROPERTY
@given(
    st.sampled_from(sorted(TEXTS)),
    st.lists(st.sampled_from(BEFORE), max_size=3),
    st.lists(st.sampled_from(AFTER), max_size=2),
)
def test_web_leftovers_before_and_after(name: str, before: list[str], after: list[str]) -> None:
    text = "\n".join([*before, TEXTS[name], *after])
    assert labels(text) == EXPECTED[name]


@PROPERTY
@given(
    st.sampled_from(sorted(COLUMN_LETTERS)),
    st.sampled_from(LAYOUTS),
    st.lists(st.floats(0, 1), max_size=20),
    st.booleans(),
    st.sampled_from(DASHES),
    st.sampled_from(SO_FORMS),
    st.lists(st.sampled_from(BEFORE), max_size=2),
    st.lists(st.sampled_from(AFTER), max_size=2),
)
def test_all_perturbations_together(
    name: str, layout: str, cuts: list[float], nfd: bool, dash: str, form: str,
    before: list[str], after: list[str],
) -> None:
    text = vary_so(vary_dashes(wrap_long_lines(COLUMN_LETTERS[name].render(layout), cuts), dash), form)
    text = "\n".join([*before, text, *after])
    if nfd:
        text = unicodedata.normalize("NFD", text)
    assert labels(text) == EXPECTED[name]
