"""What the desk's pages read (through the repositories) and how they put it together."""

from __future__ import annotations

from typing import Any

from services.tracker import letter
from services.tracker.dashboard import dispatch_page
from services.tracker.dashboard.labels import when
from services.tracker.dashboard.queries import DashboardQueries
from services.tracker.desk import actions, coordination, words
from services.tracker.desk.actions import Refused
from services.tracker.desk.signin import PREFIX
from services.tracker.ladder import Status
from services.tracker.people import Handover, Person, Role, may_view
from services.tracker.repository import TrackerRepository
from services.tracker.repository.people import PeopleRepository
from shared.assignments import assignment_id
from shared.clock import Clock
from shared.workdays import WorkCalendar

Doc = dict[str, Any]


class DeskReader:
    """Reads for the desk: a person's work, and one dispatch as that person may see it."""

    def __init__(self, repo: TrackerRepository, people: PeopleRepository, clock: Clock,
                 calendar: WorkCalendar, names: dict[str, str]) -> None:
        self.repo, self.people, self.clock = repo, people, clock
        self.calendar, self.names = calendar, names
        self.queries = DashboardQueries(repo)

    def now_words(self) -> str:
        """The tracker's time, worded."""
        return when(self.clock.now())

    def units_of(self, person: Person) -> list[str]:
        """The units whose work ``person`` sees on the desk."""
        if person.role is Role.DIRECTOR:
            return list(self.names)
        if person.role is Role.DEPUTY:
            return list(person.deputy_units)
        return [person.unit_code]

    async def _names_of_people(self, units: list[str]) -> dict[str, str]:
        return {p.login: p.name for u in units for p in await self.people.people_of(u)}

    async def work(self, person: Person) -> tuple[list[words.WorkItem], list[words.WorkItem]]:
        """(handed to me, the rest of my units' open work), most urgent first."""
        units = self.units_of(person)
        assignments: list[Doc] = []
        handovers: dict[str, Handover] = {}
        for unit in units:
            assignments += await self.repo.assignments_list(unit_code=unit, open_only=True)
            handovers.update(await self.people.handovers_of(unit))
        heads = await self.queries.heads([a["dispatch_id"] for a in assignments])
        items = words.work_items(assignments, heads, handovers, self.names,
                                 await self._names_of_people(units), self.clock.now(),
                                 self.calendar)
        mine = {h.dispatch_id for h in handovers.values()
                if h.staff_login == person.login and h.unit_code == person.unit_code}
        return words.split_mine(items, mine)

    async def dispatch(self, person: Person, dispatch_id: str) -> dict[str, Any]:
        """The dispatch page's context; raises ``Refused`` (404, or 403 with the reason)."""
        view = await self.repo.dispatch_view(dispatch_id)
        if view is None:
            raise Refused(404, "Không tìm thấy văn bản này.")
        assignments = view["assignments"]
        if not any(may_view(person, a["unit_code"]) is None for a in assignments):
            raise Refused(403, f"Văn bản này không giao cho đơn vị của bạn ({person.unit_code}), "
                               "nên bạn không xem hay xử lý được.")
        own = next((a for a in assignments if a["unit_code"] == person.unit_code), None)
        handover = await self.people.handover(assignment_id(dispatch_id, person.unit_code))
        unit_people = await self.people.people_of(person.unit_code)
        names = {p.login: p.name for p in unit_people}
        now = self.clock.now()
        doc = view["dispatch"]
        replies = await self.people.reply_names(dispatch_id)
        return {
            "dispatch_id": dispatch_id, "doc": doc, "now": when(now),
            "received": when(doc.get("received_at")),
            "fields": dispatch_page.dispatch_fields(doc),
            "text": await letter.read_text(self.repo, doc),
            "original": letter.original(PREFIX, dispatch_id, doc),
            "holders": words.holders(assignments, person, self.names, handover, names, now,
                                     self.calendar),
            "own": own, "handled_by": names.get(handover.staff_login, handover.staff_login)
            if handover else "",
            "offers": actions.offers(person, person.unit_code, Status(own["status"]))
            if own else [],
            "staff": [p for p in unit_people if not p.disabled and p.login != person.login]
            if person.role is Role.HEAD and own else [],
            "replies": [r for r in replies if may_view(person, r["unit_code"]) is None],
            "coordination": coordination.parts(person, assignments, replies, self.names, now,
                                               self.calendar),
            "timeline": dispatch_page.timeline(view["timeline"], [], self.names),
        }

    async def original(self, person: Person, dispatch_id: str,
                       blob_id: str) -> tuple[Doc, bytes] | None:
        """The dispatch's original file (metadata, bytes) when ``person`` may see the dispatch (a
        unit of theirs holds it), else None: a dispatch not theirs is as unknown as a missing one."""
        view = await self.repo.dispatch_view(dispatch_id)
        if view is None or not any(may_view(person, a["unit_code"]) is None
                                   for a in view["assignments"]):
            return None
        return await letter.read_original(self.repo, view["dispatch"], blob_id)
