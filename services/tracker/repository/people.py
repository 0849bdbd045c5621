"""The desk's collections (issue 16): people, their sessions, hand-overs and reply files.

- ``people``: one per named account (``_id`` = login), with its Argon2 hash, never the password;
- ``desk_sessions``: the desk's signed-in browsers, apart from ``dashboard_sessions`` so a desk
  session can never open the leadership dashboard (same shape: ``_id`` = SHA-256 of the id);
- ``desk_handovers``: who in the unit handles an assignment (``_id`` = assignment id; the latest
  hand-over replaces the previous one, the timeline keeps them all);
- ``reply_files``: the documents units upload with their completion (``_id`` = ``reply_blob_id``).
"""

from __future__ import annotations

import contextlib

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.tracker.people import Handover, Person
from services.tracker.replies import ReplyFile
from services.tracker.repository.sessions import SessionCollection
from services.tracker.repository.views import Doc

NO_DATA = {"data": 0}


class PeopleRepository(SessionCollection):
    """Reads and writes the desk's collections (its sessions as the session store); returns typed
    records."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.people = db["people"]
        self.sessions = db["desk_sessions"]
        self.handovers = db["desk_handovers"]
        self.replies = db["reply_files"]

    async def create_indexes(self) -> None:
        """Indexes the desk's lists rely on (idempotent)."""
        await self.people.create_index([("unit_code", ASCENDING)])
        await self.handovers.create_index([("staff_login", ASCENDING)])
        await self.handovers.create_index([("unit_code", ASCENDING)])

    # --- people ---

    async def add_person(self, person: Person) -> bool:
        """Store a new account; False if the login is taken."""
        try:
            await self.people.insert_one(person.as_doc())
        except DuplicateKeyError:
            return False
        return True

    async def person(self, login: str) -> Person | None:
        """One account, or None."""
        doc = await self.people.find_one({"_id": login})
        return None if doc is None else Person.from_doc(doc)

    async def people_of(self, unit_code: str | None = None) -> list[Person]:
        """Every account (or one unit's), by unit then login."""
        query: Doc = {} if unit_code is None else {"unit_code": unit_code}
        found = [Person.from_doc(d) async for d in self.people.find(query)]
        return sorted(found, key=lambda p: (p.unit_code, p.login))

    async def set_disabled(self, login: str, disabled: bool) -> bool:
        """Disable (or enable) an account; False if there is none."""
        result = await self.people.update_one({"_id": login}, {"$set": {"disabled": disabled}})
        return result.matched_count == 1

    async def set_password_hash(self, login: str, password_hash: str) -> bool:
        """Replace an account's password hash; False if there is none."""
        result = await self.people.update_one({"_id": login},
                                              {"$set": {"password_hash": password_hash}})
        return result.matched_count == 1

    # --- hand-overs inside a unit ---

    async def hand_over(self, handover: Handover) -> None:
        """Record who handles an assignment now (replacing the previous hand-over)."""
        await self.handovers.replace_one({"_id": handover.id}, handover.as_doc(), upsert=True)

    async def undo_hand_over(self, assignment_id: str, previous: Handover | None) -> None:
        """Put back the hand-over ``previous`` (None: there was none) after a refused announcement."""
        if previous is None:
            await self.handovers.delete_one({"_id": assignment_id})
        else:
            await self.handovers.replace_one({"_id": assignment_id}, previous.as_doc(), upsert=True)

    async def handovers_of(self, unit_code: str) -> dict[str, Handover]:
        """A unit's hand-overs, by assignment id."""
        return {d["_id"]: Handover.from_doc(d)
                async for d in self.handovers.find({"unit_code": unit_code})}

    async def handed_to(self, login: str) -> list[Handover]:
        """What was handed to one person."""
        return [Handover.from_doc(d) async for d in self.handovers.find({"staff_login": login})]

    async def handover(self, assignment_id: str) -> Handover | None:
        """Who handles one assignment, or None."""
        doc = await self.handovers.find_one({"_id": assignment_id})
        return None if doc is None else Handover.from_doc(doc)

    # --- reply files ---

    async def store_reply(self, reply: ReplyFile) -> None:
        """Keep an uploaded reply document (once per id)."""
        with contextlib.suppress(DuplicateKeyError):
            await self.replies.insert_one(reply.as_doc())

    async def reply_names(self, dispatch_id: str) -> list[Doc]:
        """The reply files of one dispatch, without their bytes."""
        return [d async for d in self.replies.find({"dispatch_id": dispatch_id}, NO_DATA)]
