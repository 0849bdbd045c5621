"""The dashboard's dispatch page shows the letter's text as the desk does: folded under "Nội dung
văn bản", escaped, its line breaks kept; outside the live part, so a refresh neither closes it nor
sends it again."""

from __future__ import annotations

from services.tracker.dashboard.render import render

CONTEXT = {"who": "director", "csrf": "c", "now": "09:00 27/02/2024", "refresh": 15,
           "units": {"VP": "Văn phòng"}, "dispatch_id": "d1", "doc": {"subject": "V/v thử"},
           "received": "08:00 27/02/2024", "fields": [], "original": None, "signature": None,
           "assignments": [], "timeline": []}
TEXT = "Kính gửi: Các phòng, đơn vị thuộc Sở.\nV/v chấn chỉnh\n<b>Ghi chú</b> & <script>x</script>"


def test_the_text_is_folded_escaped_and_keeps_its_lines() -> None:
    body = render("dispatch.html.j2", {**CONTEXT, "text": TEXT}).body.decode()
    folded = body[body.index('<details class="letter-text">'):body.index('<div id="live"')]
    assert "<summary>Nội dung văn bản</summary>" in folded
    assert "Kính gửi: Các phòng, đơn vị thuộc Sở.\nV/v chấn chỉnh\n" in folded
    assert "&lt;b&gt;Ghi chú&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in folded
    assert "<script>x" not in body and "<b>Ghi" not in body


def test_the_refreshed_part_carries_no_text_and_a_letter_without_text_shows_none() -> None:
    fragment = render("dispatch.html.j2", {**CONTEXT, "text": None}, fragment=True).body.decode()
    assert "letter-text" not in fragment and "Diễn biến" in fragment
    page = render("dispatch.html.j2", {**CONTEXT, "text": None}).body.decode()
    assert "Nội dung văn bản" not in page
