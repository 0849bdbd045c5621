"""The demo's hands and eyes: posts letters and units' answers, reads the APIs and the mail sink.

Everything goes over the services' public HTTP endpoints, as an upstream system, a unit or a
leader would; nothing reads the databases.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import httpx

API_KEY, LEADER_TOKEN = "demo-key", "demo-leader-token"
"""The demo credentials of .env.example (scripts/write_env_example.py); units: demo-<unit>-token."""
UNITS = ("VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT")
Json = dict[str, Any]


class Player:
    """Plays upstream systems and units against a running stack, over HTTP only."""

    def __init__(self, urls: dict[str, str], sink_dir: Path) -> None:
        self.urls, self.sink_dir = urls, sink_dir
        self.http = httpx.Client(timeout=30)
        self.leader = {"Authorization": f"Bearer {LEADER_TOKEN}"}

    def post(self, text: str) -> tuple[int, str | None]:
        """Send a letter to ingest; (status, dispatch id)."""
        key = "demo:" + hashlib.sha256(text.encode()).hexdigest()[:40]
        response = self.http.post(f"{self.urls['ingest']}/dispatches", json={"body": text},
                                  headers={"X-API-Key": API_KEY, "Idempotency-Key": key})
        body: Json = response.json() if response.status_code in (200, 202) else {}
        return response.status_code, body.get("dispatch_id")

    def assignments(self, dispatch_id: str) -> dict[str, Json]:
        """The dispatch's assignments by unit, as the tracker's JSON API shows them."""
        response = self.http.get(f"{self.urls['tracker']}/dispatches/{dispatch_id}",
                                 headers=self.leader)
        rows = response.json().get("assignments", []) if response.status_code == 200 else []
        return {a["unit_code"]: a for a in rows}

    def respond(self, dispatch_id: str, unit: str, action: str, note: str | None = None,
                to: str | None = None) -> None:
        """Answer as ``unit``; retried while its previous answer is still being applied (409)."""
        body = {k: v for k, v in {"action": action, "note": note, "transfer_to": to}.items() if v}
        url = f"{self.urls['tracker']}/dispatches/{dispatch_id}/units/{unit}/responses"
        for _ in range(20):
            response = self.http.post(url, json=body,
                                      headers={"Authorization": f"Bearer demo-{unit.lower()}-token"})
            if response.status_code != 409:
                return
            time.sleep(0.25)

    def extend(self, dispatch_id: str, unit: str, new_due_at: datetime, reason: str) -> str:
        """Ask as ``unit`` for a later deadline (xin gia hạn); return the request's id."""
        response = self.http.post(
            f"{self.urls['tracker']}/dispatches/{dispatch_id}/units/{unit}/extension-requests",
            json={"new_due_at": new_due_at.isoformat(), "reason": reason},
            headers={"Authorization": f"Bearer demo-{unit.lower()}-token"})
        response.raise_for_status()
        return str(response.json()["request_id"])

    def decide(self, request_id: str, approve: bool, note: str) -> int:
        """Decide as leadership on a request; the HTTP status (404 while not yet recorded)."""
        return self.http.post(f"{self.urls['tracker']}/extension-requests/{request_id}/decision",
                              json={"approve": approve, "note": note},
                              headers=self.leader).status_code

    def report_blocker(self, dispatch_id: str, unit: str, note: str) -> str:
        """Report as ``unit`` a blocker (phản ánh vướng mắc); return the blocker's id."""
        response = self.http.post(
            f"{self.urls['tracker']}/dispatches/{dispatch_id}/units/{unit}/blockers",
            json={"note": note}, headers={"Authorization": f"Bearer demo-{unit.lower()}-token"})
        response.raise_for_status()
        return str(response.json()["blocker_id"])

    def direct(self, blocker_id: str, direction: str) -> int:
        """Give as leadership a direction (ý kiến chỉ đạo); the HTTP status (404 until recorded)."""
        return self.http.post(f"{self.urls['tracker']}/blockers/{blocker_id}/direction",
                              json={"direction": direction}, headers=self.leader).status_code

    def blockers(self) -> list[Json]:
        """Every blocker, as leadership sees them at ``GET /blockers``."""
        rows: list[Json] = self.http.get(f"{self.urls['tracker']}/blockers",
                                         headers=self.leader).json()["blockers"]
        return rows

    def now(self) -> datetime:
        """The tracker's simulated now."""
        return datetime.fromisoformat(self.http.get(f"{self.urls['tracker']}/clock").json()["now"])

    def jump_to(self, at: datetime) -> None:
        """Move the tracker's clock forward to ``at`` (never back)."""
        seconds = (at - self.now()).total_seconds()
        if seconds > 0:
            self.http.post(f"{self.urls['tracker']}/clock/advance",
                           json={"seconds": seconds}).raise_for_status()

    def notifications(self, dispatch_id: str | None = None) -> list[Json]:
        """The notifier's history (of one dispatch)."""
        params = {"dispatch_id": dispatch_id} if dispatch_id else None
        rows: list[Json] = self.http.get(f"{self.urls['notifier']}/notifications",
                                         params=params, headers=self.leader).json()
        return rows

    def reminded(self, dispatch_id: str, unit: str) -> bool:
        """Whether the notifier has sent the level-1 overdue reminder for ``unit``."""
        return any(n["kind"] == "overdue-L1" and n["unit_code"] == unit
                   for n in self.notifications(dispatch_id))


def first_mail_s(mail_dir: Path, started: float, escalation: bool) -> float | None:
    """Seconds from ``started`` to the first caught email (an overdue escalation, if asked)."""
    for path in sorted(mail_dir.glob("*.eml")):
        subject = str(message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"] or "")
        if not escalation or "Quá hạn xử lý (mức" in subject:
            return round(path.stat().st_mtime - started, 1)
    return None


def settled(player: Player) -> Callable[[], bool]:
    """True once the notification history stops changing and nothing is being retried."""
    last: list[int] = [-1]

    def check() -> bool:
        rows = player.notifications()
        done = len(rows) == last[0] and all(r["status"] in ("delivered", "failed") for r in rows)
        last[0] = len(rows)
        return done

    return check


def summarise(player: Player, ids: dict[str, str], skipped: list[str], rejected: list[str],
              started: float, simulated_from: datetime) -> Json:
    """The figures of the run, from the tracker's and the notifier's APIs and the mail sink."""
    rows = [a for d in set(ids.values()) for a in player.assignments(d).values()]
    now = player.now()
    open_ = [a for a in rows if a["status"] not in ("completed", "declined", "transferred", "cancelled")]
    notes = player.notifications()
    sent = Counter(n["kind"] for n in notes if n["channel"] == "email" and n["status"] == "delivered")
    tracker = player.urls["tracker"]
    return {
        "dispatches_ingested": len(set(ids.values())), "corpus_skipped_stale": len(skipped),
        "rejected": len(rejected), "assignments": len(rows),
        "acknowledged": sum(1 for a in rows if a.get("acknowledged_at")),
        "completed_on_time": sum(1 for a in rows if a["status"] == "completed"
                                 and a.get("completed_on_time")),
        "completed_late": sum(1 for a in rows if a["status"] == "completed"
                              and not a.get("completed_on_time")),
        "never_answered": sum(1 for a in open_ if datetime.fromisoformat(a["due_at"]) <= now),
        "disputes": len({n["dispatch_id"] for n in notes if n["kind"] == "disputed"}),
        "deadlines_extended": sum(1 for a in rows if a.get("extensions")),
        "blockers_reported": len(blockers := player.blockers()),
        "blockers_directed": sum(1 for b in blockers if b["status"] == "directed"),
        "blocker_waits": [b["waited_words"] for b in blockers],
        "emails_sent": {k: sent.get(k, 0) for k in ("unacknowledged", "approaching", "overdue-L1",
                                                     "overdue-L2", "overdue-L3", "disputed")},
        "emails_in_sink": len(list((player.sink_dir / "mail").glob("*.eml"))),
        "seconds_to_first_email": first_mail_s(player.sink_dir / "mail", started, False),
        "seconds_to_first_escalation_email": first_mail_s(player.sink_dir / "mail", started, True),
        "seconds_total": round(time.time() - started, 1),
        "simulated_from": simulated_from.isoformat(), "simulated_to": now.isoformat(),
        "dashboard_url": f"{tracker}/dashboard", "leadership_token": LEADER_TOKEN,
        "mail_dir": str(player.sink_dir / "mail"),
        "notifications_url": f"{player.urls['notifier']}/notifications",
        "dispatch_ids": ids,
    }
