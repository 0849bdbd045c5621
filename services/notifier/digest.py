"""The daily leadership digest (báo cáo tình hình xử lý văn bản hằng ngày). Pure: no I/O.

:func:`build_digest` sorts open assignments into overdue (quá hạn) and approaching (sắp đến hạn) per
unit, beside each unit's on-time rate (tỷ lệ đúng hạn) of the last 30 days as the tracker computes
it with :mod:`shared.on_time` (the dashboard's definition), and the overall rate;
:func:`render_digest` turns it into a message; :func:`next_digest_at` says when to send the next one
(``send_time`` local, working days only); :func:`digest_outgoings` addresses it, one dedup key per
day, recipient and channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from services.notifier.channels.base import Outgoing, RenderedMessage
from services.notifier.directory import Contact, RecipientDirectory
from services.notifier.messages import environment
from services.notifier.policy import DigestSettings
from services.notifier.wording import document_ref, strip_vv, vn_duration
from shared.clock import VIETNAM_TZ
from shared.on_time import UnitOnTime, overall_rate
from shared.wording import at_time, day_month_year


class WorkingDays(Protocol):
    """A working-day calendar (shared.workdays.WorkCalendar fits)."""

    def is_working_day(self, day: date) -> bool:
        """True on a working day (ngày làm việc)."""
        ...


@dataclass(frozen=True)
class OpenItem:
    """An assignment not yet completed."""

    dispatch_id: str
    unit_code: str
    due_at: datetime
    subject: str | None = None
    number: str | None = None
    notation: str | None = None


@dataclass
class UnitDigest:
    """One unit's lines in the digest."""

    unit_code: str
    unit_name: str
    overdue: list[OpenItem] = field(default_factory=list)
    approaching: list[OpenItem] = field(default_factory=list)
    figures: UnitOnTime | None = None
    """The unit's on-time row from the tracker (:mod:`shared.on_time`), None when it has none."""

    @property
    def on_time(self) -> int:
        """Assignments of the window completed by their deadline."""
        return self.figures.completed_on_time if self.figures else 0

    @property
    def counted(self) -> int:
        """The rate's denominator: completed on time, completed late and open overdue."""
        return self.figures.counted if self.figures else 0

    @property
    def on_time_rate(self) -> float | None:
        """The unit's on-time rate over the window, None when nothing counts yet."""
        return self.figures.on_time_rate if self.figures else None


@dataclass
class Digest:
    """The whole digest of one day."""

    generated_at: datetime
    window_days: int
    units: list[UnitDigest]

    @property
    def overdue_count(self) -> int:
        """Overdue assignments, all units."""
        return sum(len(u.overdue) for u in self.units)

    @property
    def approaching_count(self) -> int:
        """Approaching assignments, all units."""
        return sum(len(u.approaching) for u in self.units)

    @property
    def on_time_rate(self) -> float | None:
        """Overall on-time rate in the window (:func:`shared.on_time.overall_rate`)."""
        return overall_rate(u.figures for u in self.units if u.figures)


def build_digest(open_items: Iterable[OpenItem], on_time: Iterable[UnitOnTime], now: datetime,
                 unit_names: Mapping[str, str], *, window_days: int = 30,
                 approaching_within: timedelta = timedelta(days=2)) -> Digest:
    """Group ``open_items`` (overdue, or due within ``approaching_within``) by unit, beside each
    unit's on-time row over the last ``window_days`` (computed by the tracker with
    :mod:`shared.on_time`, the dashboard's definition). A unit is listed when it has an overdue or
    approaching item or an on-time figure. Units are ordered by overdue count, then code."""
    units: dict[str, UnitDigest] = {}

    def unit(code: str) -> UnitDigest:
        return units.setdefault(code, UnitDigest(code, unit_names.get(code, code)))

    for item in sorted(open_items, key=lambda i: i.due_at):
        if item.due_at <= now:
            unit(item.unit_code).overdue.append(item)
        elif item.due_at - now <= approaching_within:
            unit(item.unit_code).approaching.append(item)
    for row in on_time:
        if row.counted or row.unit_code in units:
            unit(row.unit_code).figures = row
    ordered = sorted(units.values(), key=lambda u: (-len(u.overdue), -len(u.approaching), u.unit_code))
    return Digest(now, window_days, ordered)


def _percent(rate: float | None) -> str:
    return "chưa có số liệu" if rate is None else f"{rate * 100:.0f}%".replace(".", ",")


def render_digest(digest: Digest, tracker_url: str) -> RenderedMessage:
    """The digest as a Vietnamese message (text and HTML)."""
    now, base = digest.generated_at, tracker_url.rstrip("/")

    def line(item: OpenItem) -> dict[str, str]:
        late = now - item.due_at
        return {"ref": document_ref(item.number, item.notation), "subject": strip_vv(item.subject),
                "due": at_time(item.due_at), "link": f"{base}/dashboard/dispatches/{item.dispatch_id}",
                "delta": f"quá hạn {vn_duration(late)}" if late >= timedelta(0)
                else f"còn {vn_duration(late)}"}

    units = [{"code": u.unit_code, "name": u.unit_name, "rate": _percent(u.on_time_rate),
              "counted": u.counted, "on_time": u.on_time,
              "overdue": [line(i) for i in u.overdue], "approaching": [line(i) for i in u.approaching]}
             for u in digest.units]
    day = day_month_year(now)
    ctx = {"day": day, "units": units, "overdue": digest.overdue_count,
           "approaching": digest.approaching_count, "rate": _percent(digest.on_time_rate),
           "window_days": digest.window_days}
    env = environment()
    return RenderedMessage(
        subject=f"[Vanthu] Tình hình xử lý văn bản ngày {day}: {digest.overdue_count} quá hạn, "
                f"{digest.approaching_count} sắp đến hạn",
        text=env.get_template("digest.txt.j2").render(ctx),
        html=env.get_template("digest.html.j2").render(ctx),
        data={"digest": {"day": day, "overdue": digest.overdue_count,
                         "approaching": digest.approaching_count, "on_time_rate": digest.on_time_rate}},
    )


def next_digest_at(now: datetime, send_time: str = "07:30", *, calendar: WorkingDays) -> datetime:
    """The first ``send_time`` (Vietnam time) strictly after ``now`` that falls on a working day."""
    at = time.fromisoformat(send_time)
    day = now.astimezone(VIETNAM_TZ).date()
    for _ in range(400):
        candidate = datetime.combine(day, at, tzinfo=VIETNAM_TZ)
        if candidate > now and calendar.is_working_day(day):
            return candidate
        day += timedelta(days=1)
    raise ValueError("no working day in the next 400 days")


def digest_recipients(directory: RecipientDirectory, settings: DigestSettings) -> list[Contact]:
    """Who receives the digest (default: the director and every deputy), each once."""
    found: dict[str, Contact] = {}
    director = directory.director()
    for role in settings.to:
        contacts = {"director": [director], "office": [directory.office()],
                    "deputies": [c for c in directory.leadership() if c.id != director.id]}[role]
        for contact in contacts:
            found.setdefault(contact.id, contact)
    return list(found.values())


def digest_outgoings(message: RenderedMessage, recipients: Iterable[Contact], day: date) -> list[Outgoing]:
    """One :class:`Outgoing` per recipient and channel, keyed ``digest/<day>/<recipient>/<channel>``."""
    return [Outgoing(keys=(f"digest/{day.isoformat()}/{c.id}/{ch}",), recipient=c, channel=ch,
                     message=message, addressees=(c,))
            for c in recipients for ch in c.channels]
