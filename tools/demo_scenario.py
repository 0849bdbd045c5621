"""The demo scenario: February 2024 at a Sở Công Thương, played against a running stack.

The seed letters and the sample corpus go in through ingest; then, on the tracker's clock from
Tuesday 06/02/2024 over Tết to the end of the month, units acknowledge, reply on time, late or never,
two units pass one letter back and forth until the router calls it a dispute (đùn đẩy), one unit
asks for a later deadline on letter 1, which leadership approves (xin gia hạn), and another reports
a blocker on it, which leadership answers with a direction the next morning (phản ánh vướng mắc).
:func:`play` runs it and returns the summary; ``vanthu demo`` and the dashboard's e2e test use it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from functools import partial
from pathlib import Path

import typer

from services.ingest.parsing import ParseError, parse_text
from shared.clock import VIETNAM_TZ
from shared.workdays import WorkCalendar
from tools.demo_player import API_KEY, LEADER_TOKEN, UNITS, Json, Player, settled, summarise
from tools.fleet import wait_for
from tools.infra.paths import REPO_ROOT
from tools.stack_harness import Credentials

SIM_START = datetime(2024, 2, 6, 8, 0, tzinfo=VIETNAM_TZ)
"""Tuesday 06/02/2024 08:00, the day letter 2 was sent; Tết (08–14/02) follows."""
FIXTURES = REPO_ROOT / "tests" / "unit" / "parsing" / "fixtures"
PLAYS = {
    "letter-2": {"VP": "on_time", "QLTM": "on_time", "QLCN": "late", "KHTC": "ack_never",
                 "TTRA": "never", "QLNL": "never", "KTATMT": "never"},
    "letter-1": {"VP": "on_time", "QLTM": "on_time", "QLCN": "extended", "KHTC": "on_time",
                 "TTRA": "blocked", "QLNL": "late", "KTATMT": "never"},
}
"""How each unit answers the seed letters (``extended``: asks for three more working days, is
granted them and replies on time against the new deadline; ``blocked``: reports a blocker at once,
is given a direction the next morning and replies on time); corpus letters cycle through on time,
late, never."""
BLOCKER_NOTE = "Chưa nhận được số liệu của các đơn vị trực thuộc; đề nghị Lãnh đạo Sở chỉ đạo phối hợp"
DIRECTION = "Văn phòng Sở đôn đốc các đơn vị gửi số liệu trước 16 giờ hôm nay"
SCAN_WAIT_S = 0.8
"""After a clock jump, long enough for the tracker's scanner (every 0.3 s) to look once."""


DEMO_CREDENTIALS = Credentials(api_keys={"demo": API_KEY}, leader_token=LEADER_TOKEN,
                               unit_tokens={u: f"demo-{u.lower()}-token" for u in UNITS},
                               webhook_secret="demo-webhook-secret")
"""The public demo credentials of .env.example."""


def scenario_env() -> dict[str, str]:
    """Settings the demo gives every service: demo credentials, one simulated clock, no folding."""
    return {**DEMO_CREDENTIALS.env(),
            "CLOCK_EPOCH": datetime.now(UTC).isoformat(), "CLOCK_START": SIM_START.isoformat(),
            "CLOCK_SPEED": "1", "TRACKER_CLOCK_CONTROL": "true", "TRACKER_SCAN_INTERVAL_S": "0.3",
            "NOTIFIER_FOLD_WINDOW_MINUTES": "0", "NOTIFIER_RETRY_BASE_DELAY_S": "0.2",
            "LOG_FORMAT": "json"}


def _stale(text: str) -> bool:
    """Whether the letter's own deadline or meeting is before the simulated start (years-old texts)."""
    try:
        labels = parse_text(text).to_labels()
    except ParseError:
        return False
    days = [d["date"] for d in labels.get("deadlines") or []]
    days.append((labels.get("meeting") or {}).get("date"))
    return any(d and date.fromisoformat(d) <= SIM_START.date() for d in days)


def letters(shared_dir: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, text) of the seed letters then the corpus, each text once; and the stale ones skipped.

    Seeds come from ``<shared>/seeds`` (else the repository's parser fixtures); the corpus from
    ``<shared>/corpus/docs``, if there. A corpus letter whose own deadline or meeting lies before
    06/02/2024 is skipped: it would be overdue on arrival, at every level at once.
    """
    seeds = {"letter-1": sorted(shared_dir.glob("seeds/letter-1*.txt")) or [FIXTURES / "s01.txt"],
             "letter-2": sorted(shared_dir.glob("seeds/letter-2*.txt")) or [FIXTURES / "s02.txt"]}
    found = [(name, paths[0].read_text()) for name, paths in seeds.items() if paths[0].is_file()]
    seen = {" ".join(text.split()) for _, text in found}
    skipped = []
    for path in sorted(shared_dir.glob("corpus/docs/*.txt")):
        text = path.read_text()
        if " ".join(text.split()) in seen:
            continue
        seen.add(" ".join(text.split()))
        if _stale(text):
            skipped.append(path.name)
        else:
            found.append((f"corpus/{path.name}", text))
    return found, skipped


def _wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    if not wait_for(predicate, timeout, interval=0.3):
        raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")


def _bounce(player: Player, dispatch_id: str, unit: str) -> None:
    """``unit`` passes the letter to another, which passes it back: đùn đẩy, a dispute."""
    other = "QLCN" if unit != "QLCN" else "QLTM"
    player.respond(dispatch_id, unit, "transfer", "Nội dung không thuộc chức năng của phòng", other)
    _wait(lambda: other in player.assignments(dispatch_id), 30, f"{other} to get the letter")
    player.respond(dispatch_id, other, "transfer", "Đề nghị trả về đơn vị được giao ban đầu", unit)


def _extend(player: Player, dispatch_id: str, unit: str, due: datetime) -> datetime:
    """``unit`` asks for three more working days, leadership approves; return the new deadline."""
    new_due = WorkCalendar().add_working_days(due, 3)
    request_id = player.extend(dispatch_id, unit, new_due,
                               "Chờ số liệu của các đơn vị trực thuộc, cần thêm ba ngày làm việc")
    _wait(lambda: player.decide(request_id, True, "Đồng ý gia hạn một lần") == 202, 30,
          f"{unit}'s request for a later deadline to be recorded")
    _wait(lambda: datetime.fromisoformat(player.assignments(dispatch_id)[unit]["due_at"])
          == new_due, 30, f"{unit}'s deadline to move")
    return new_due


def _report_blockers(player: Player, plays: dict[str, dict[str, str]]) -> list[str]:
    """Every ``blocked`` unit reports its blocker now and then answers on time; the blockers' ids."""
    reported = []
    for dispatch_id, units in plays.items():
        for unit in [u for u, how in units.items() if how == "blocked"]:
            reported.append(player.report_blocker(dispatch_id, unit, BLOCKER_NOTE))
            units[unit] = "on_time"
    return reported


def _direct(player: Player, blocker_ids: list[str]) -> None:
    """Leadership gives its direction on each blocker (retried until the blocker is recorded)."""
    def directed(blocker_id: str) -> bool:
        return player.direct(blocker_id, DIRECTION) == 200

    for blocker_id in blocker_ids:
        _wait(partial(directed, blocker_id), 30, "the blocker to be recorded")


def _applied(player: Player, answers: list[tuple[str, str, str]]) -> Callable[[], bool]:
    """True once the tracker shows every answer, so the clock never overtakes one in flight."""
    def check() -> bool:
        views = {d: player.assignments(d) for d in {d for d, _, _ in answers}}
        return all((views[d].get(u) or {}).get("status") not in (None, "received") if a ==
                   "acknowledge" else (views[d].get(u) or {}).get("status") == "completed"
                   for d, u, a in answers)
    return check


def _actions(plays: dict[str, dict[str, str]], dues: dict[str, dict[str, datetime]]
             ) -> list[tuple[datetime, str, str, str]]:
    """(when, dispatch, unit, action) for every planned answer, in time order."""
    acts = []
    for dispatch_id, units in plays.items():
        for unit, how in units.items():
            due = dues[dispatch_id][unit]
            if how != "never":
                acts.append((SIM_START + timedelta(hours=2), dispatch_id, unit, "acknowledge"))
            if how == "on_time":
                day = due.astimezone(VIETNAM_TZ).date() - timedelta(days=1)
                at = max(datetime.combine(day, dt_time(9, 30), VIETNAM_TZ),
                         SIM_START + timedelta(hours=3))
                acts.append((min(at, due), dispatch_id, unit, "complete"))
            elif how == "late":  # the morning after the deadline, once reminded
                acts.append((due + timedelta(hours=17), dispatch_id, unit, "complete_late"))
    return sorted(acts)


def play(player: Player, found: tuple[list[tuple[str, str]], list[str]], started: float,
         echo: Callable[[str], None] = print) -> Json:
    """Feed the letters, play the units day by day on the tracker's clock; return the summary."""
    texts, skipped = found
    ids = {name: d for name, text in texts if (d := player.post(text)[1])}
    rejected = [name for name, _ in texts if name not in ids]
    echo(f"Đã gửi {len(ids)} văn bản; bỏ qua {len(skipped)} văn bản cũ của kho mẫu (hạn đã qua), "
         f"{len(rejected)} bị từ chối.")
    _wait(lambda: all(player.assignments(d) for d in ids.values()), 120, "every letter to be routed")
    routed = {name: player.assignments(d) for name, d in ids.items()}
    corpus = [n for n in ids if n.startswith("corpus/")]
    bounced = next((n for n in corpus if len(routed[n]) == 1 and "VP" not in routed[n]), None)
    plays = {ids[n]: {u: PLAYS[n].get(u, "on_time") for u in routed[n]} for n in PLAYS if n in ids}
    for i, name in enumerate(n for n in corpus if n != bounced):
        plays[ids[name]] = dict.fromkeys(routed[name], "late" if i % 6 == 5 else
                                         "ack_never" if i % 7 == 6 else "on_time")
    dues = {ids[n]: {u: datetime.fromisoformat(a["due_at"]) for u, a in routed[n].items()} for n in ids}
    for dispatch_id, units in plays.items():
        for unit in [u for u, how in units.items() if how == "extended"]:
            dues[dispatch_id][unit] = _extend(player, dispatch_id, unit, dues[dispatch_id][unit])
            units[unit] = "on_time"
            echo(f"{unit} xin gia hạn; Lãnh đạo Sở đồng ý, hạn mới "
                 f"{dues[dispatch_id][unit].astimezone(VIETNAM_TZ):%d/%m/%Y}.")
    blockers = _report_blockers(player, plays)
    if blockers:
        echo(f"{len(blockers)} đơn vị phản ánh vướng mắc; Lãnh đạo Sở cho ý kiến chỉ đạo sáng hôm sau.")
    if bounced:
        echo(f"{bounced}: hai phòng chuyển qua lại văn bản (đùn đẩy).")
        _bounce(player, ids[bounced], next(iter(routed[bounced])))
    pending = _actions(plays, dues)
    last_due = max([dues[d][u] for d, us in plays.items() for u, how in us.items()
                    if how in ("never", "ack_never")] or [SIM_START])
    last_day = max(WorkCalendar().add_working_days(last_due, 2).date(),  # level 3 has fired
                   *(at.astimezone(VIETNAM_TZ).date() for at, *_ in pending))
    end = datetime.combine(last_day + timedelta(days=1), dt_time(9, 0), VIETNAM_TZ)
    days = [SIM_START.date() + timedelta(days=k) for k in range((end.date() - SIM_START.date()).days + 1)]
    tty = sys.stdout.isatty()
    with typer.progressbar(days, label="Ngày mô phỏng", hidden=not tty,
                           item_show_func=lambda d: d.strftime("%d/%m/%Y") if d else "") as bar:
        for day in bar:
            player.jump_to(datetime.combine(day, dt_time(8, 0), VIETNAM_TZ))
            time.sleep(SCAN_WAIT_S)
            if blockers and day > SIM_START.date():
                _direct(player, blockers)
                blockers = []
            done = []
            while pending and pending[0][0].astimezone(VIETNAM_TZ).date() <= day:
                at, dispatch_id, unit, action = pending.pop(0)
                player.jump_to(at)
                if action == "complete_late":
                    _wait(partial(player.reminded, dispatch_id, unit), 60,
                          f"the level-1 reminder to {unit}")
                    action = "complete"
                player.respond(dispatch_id, unit, action, "Đã gửi báo cáo" if action == "complete"
                               else None)
                done.append((dispatch_id, unit, action))
            _wait(_applied(player, done), 60, "the units' answers to be recorded")
            if not tty:
                echo(f"  {day.strftime('%d/%m/%Y')}: {len(done)} trả lời của các đơn vị")
    player.jump_to(end)
    _wait(settled(player), 90, "the notifier to finish sending")
    return summarise(player, ids, skipped, rejected, started, SIM_START)
