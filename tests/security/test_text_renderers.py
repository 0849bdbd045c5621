"""Every renderer is safe for any Unicode string (issue 13, item 4): arbitrary text as subject,
notation, unit names, notes and reasons goes through the email, the .docx reminder letter, the edXML
status message, the dashboard and the CSV report, and each output stays well-formed.

The hostile text reaches the renderers *without* validation (``model_copy``), as data already in the
system (older events, direct producers) could: renderers sanitise, they never throw.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from services.ingest.parsing.edxml_status import export_status, read_status
from services.ingest.status_out import status_message
from services.notifier.channels.base import Outgoing
from services.notifier.channels.email import HEADER_MAX, SmtpConfig, build_email
from services.notifier.escalation import PlannedNotification, plan_notifications
from services.notifier.messages import MessageRenderer
from services.notifier.policy import load_policy
from services.tracker.dashboard import render as dashboard_render
from services.tracker.dashboard.render import render
from services.tracker.reports import REPORT_COLUMNS, as_csv
from shared.events import AssignmentStatusChanged
from shared.safe_text import clean_line
from tests.unit.notifier.factories import disputed, sample_directory, signal

NASTY = ["\r\n", "\n", "\r", "\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\u2028", "\u2029",
         "\ufffe", "\uffff", "\t", " ", "<script>alert(1)</script>", "\"", "'", "&", "]]>", "<",
         "\r\nBcc: evil@example.com", "\nX-Injected: 1", "=HYPERLINK(\"http://evil\")", "+1", "-1",
         "@SUM(A1)", "javascript:alert(1)", "e\u0301", "Sở Công Thương", "=?utf-8?q?x?="]
HOSTILE = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=12).map("".join),
    st.tuples(st.sampled_from(NASTY), st.integers(100, 1500)).map(lambda p: "ă" + p[0] * p[1]),
)
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
RENDERER = MessageRenderer("http://tracker.example:8002/", load_policy().letter)
HEADERS_WITH_CC = Counter(["From", "To", "Cc", "Subject", "Date", "Message-ID", "X-Vanthu-Keys",
                           "MIME-Version", "Content-Type"])


def _level3_plan(subject: str, notation: str, number: str, unit: str, name: str) -> PlannedNotification:
    plan = next(p for p in plan_notifications(signal("overdue", level=3), load_policy(),
                                              sample_directory()) if p.channel == "email")
    hostile = plan.signal.model_copy(update={"subject": subject, "notation": notation,
                                             "number": number, "unit_code": unit})
    recipient = plan.recipient.model_copy(update={"name": name, "title": None})
    return replace(plan, signal=hostile, unit_code=unit, unit_names={unit: name}, recipient=recipient,
                   addressees=(recipient,), key=f"{plan.key}/{unit}")


def _reparsed_headers(outgoing: Outgoing) -> email.message.EmailMessage:
    wire = build_email(outgoing, SmtpConfig()).as_bytes(policy=email.policy.SMTP)
    parsed = email.message_from_bytes(wire, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


@SETTINGS
@given(subject=HOSTILE, notation=HOSTILE, number=HOSTILE, unit=HOSTILE, name=HOSTILE)
def test_email_and_reminder_letter_survive_any_text(subject: str, notation: str, number: str,
                                                    unit: str, name: str) -> None:
    plan = _level3_plan(subject, notation, number, unit, name)
    message = RENDERER.render([plan])
    outgoing = Outgoing(keys=(plan.key,), recipient=plan.recipient, channel="email", message=message,
                        addressees=plan.addressees, copies=(plan.recipient,))
    parsed = _reparsed_headers(outgoing)
    assert Counter(parsed.keys()) == HEADERS_WITH_CC, "one header per field, nothing injected"
    # RFC 2047 decoders drop blanks between encoded words: compare the subject without blanks
    sent = message.subject[:HEADER_MAX].replace("=?", "= ?")
    assert "".join(str(parsed["Subject"]).split()) == "".join(sent.split())
    assert message.subject == clean_line(message.subject)
    assert not parsed.defects
    [letter] = message.attachments
    document = docx.Document(io.BytesIO(letter.content))
    assert any("Kính gửi" in p.text for p in document.paragraphs)


@SETTINGS
@given(reason=HOSTILE, hop_reason=HOSTILE, unit=HOSTILE)
def test_dispute_messages_survive_any_reason(reason: str, hop_reason: str, unit: str) -> None:
    plan = next(p for p in plan_notifications(disputed(), load_policy(), sample_directory())
                if p.channel == "email")
    dispute = plan.signal.model_copy(update={"reason": reason, "chain": [
        hop.model_copy(update={"reason": hop_reason, "to_unit": unit}) for hop in plan.signal.chain]})
    message = RENDERER.render([replace(plan, signal=dispute)])
    parsed = _reparsed_headers(Outgoing(keys=(plan.key,), recipient=plan.recipient, channel="email",
                                        message=message, addressees=plan.addressees))
    assert Counter(parsed.keys()) == HEADERS_WITH_CC - Counter(["Cc"])
    assert "<script>" not in message.html


@SETTINGS
@given(note=HOSTILE, unit=HOSTILE, number=HOSTILE, notation=HOSTILE, document_id=HOSTILE)
def test_edxml_status_is_always_well_formed(note: str, unit: str, number: str, notation: str,
                                            document_id: str) -> None:
    change = AssignmentStatusChanged(correlation_id="c", dispatch_id="d", unit_code="VP",
                                     status="in_progress", edxml_code="05",
                                     occurred_at=datetime(2024, 2, 16, 10, tzinfo=UTC))
    change = change.model_copy(update={"note": note, "unit_code": unit})
    origin = {"number": number, "notation": notation, "document_id": document_id,
              "issued_on": "2024-02-06"}
    xml = export_status(status_message(change, origin, "SỞ CÔNG THƯƠNG"))
    etree.fromstring(xml, etree.XMLParser(recover=False, resolve_entities=False))
    back = read_status(xml)
    assert back.status.value == "05"
    assert (back.department or "") == " ".join(clean_line(unit).split())


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts, self.attributes = 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.attributes += attrs


@SETTINGS
@given(name=HOSTILE, code=HOSTILE, subject=HOSTILE, dispatch_id=HOSTILE)
def test_dashboard_html_never_carries_raw_markup(name: str, code: str, subject: str,
                                                 dispatch_id: str) -> None:
    row = {"flag": code, "flag_text": name, "dispatch_id": dispatch_id, "subject": subject,
           "role": name, "status": subject, "due": "—", "late_text": "—", "urgency": code}
    page = render("unit.html.j2", {
        "who": name, "csrf": name, "now": "09:00 27/02/2024", "refresh": 15, "units": {code: name},
        "unit_code": code, "unit_name": name, "rows": [row],
        "bar": {"text": subject, "on_time": 0, "late": 0, "overdue": 0}}).body.decode()
    tags = _Tags()
    tags.feed(page)
    assert tags.scripts == 1, "only the page's own refresh.js"
    names = {attr for attr, _ in tags.attributes}
    assert not any(attr.startswith("on") for attr in names), names
    hrefs = [value or "" for attr, value in tags.attributes if attr in ("href", "src", "action")]
    assert all(h.startswith("/dashboard") for h in hrefs), hrefs


@SETTINGS
@given(cells=st.lists(HOSTILE, min_size=1, max_size=4))
def test_csv_round_trips_and_neutralises_formulas(cells: list[str]) -> None:
    rows = [{"unit_code": cell, "received": 1, "completed_on_time": 0, "completed_late": 0,
             "open_overdue": 0, "open": 1, "on_time_rate": None} for cell in cells]
    read = list(csv.reader(io.StringIO(as_csv(rows), newline="")))
    assert read[0] == list(REPORT_COLUMNS) and len(read) == len(rows) + 1
    for line in read[1:]:
        assert len(line) == len(REPORT_COLUMNS)
        assert not line[0].startswith(("=", "+", "-", "@", "\t", "\r")), line[0]


def test_every_dashboard_template_is_autoescaped() -> None:
    names = sorted(p.name for p in (dashboard_render.HERE / "templates").glob("*"))
    env = dashboard_render._env
    assert names and all((env.autoescape(n) if callable(env.autoescape) else env.autoescape) is True
                         for n in names)
