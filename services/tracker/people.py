"""People of the units and their roles (issue 16): who may see, answer and hand out work. Pure.

A person is a named account of one unit with one role: chuyên viên (``staff``), trưởng đơn vị
(``head``), văn phòng (``office``), phó giám đốc (``deputy``, with the units in his or her charge)
or giám đốc (``director``). Passwords are kept as Argon2id hashes (argon2-cffi's defaults); a
disabled account cannot sign in. Unit tokens stay for systems; people sign in at ``/desk``.

The rules here decide; the desk's routes ask them and answer 403 with the reason they give.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

Doc = dict[str, Any]
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
"""A login: 2–40 lower-case letters, digits, dots, dashes or underscores."""
MIN_PASSWORD = 10
MAX_PASSWORD = 200
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("vanthu: no such account")
"""Verified against when the login is unknown, so both answers take as long."""


class Role(StrEnum):
    """What a person does in the department."""

    STAFF = "staff"
    HEAD = "head"
    OFFICE = "office"
    DEPUTY = "deputy"
    DIRECTOR = "director"


ROLE_WORDS = {Role.STAFF: "Chuyên viên", Role.HEAD: "Trưởng đơn vị", Role.OFFICE: "Văn phòng",
              Role.DEPUTY: "Phó Giám đốc", Role.DIRECTOR: "Giám đốc"}
ANSWERING = frozenset({Role.STAFF, Role.HEAD, Role.OFFICE})
"""Roles that answer their own unit's assignments."""


@dataclass(frozen=True)
class Person:
    """A named account (``id`` = login)."""

    login: str
    name: str
    unit_code: str
    role: Role
    password_hash: str
    disabled: bool = False
    deputy_units: tuple[str, ...] = field(default=())
    """For a deputy: the units in his or her charge."""
    created_at: datetime | None = None

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Person:
        """The person of a stored document."""
        return cls(login=str(doc["_id"]), name=str(doc["name"]), unit_code=str(doc["unit_code"]),
                   role=Role(doc["role"]), password_hash=str(doc["password_hash"]),
                   disabled=bool(doc.get("disabled")),
                   deputy_units=tuple(doc.get("deputy_units") or ()),
                   created_at=doc.get("created_at"))

    def as_doc(self) -> Doc:
        """The stored document."""
        return {"_id": self.login, "name": self.name, "unit_code": self.unit_code,
                "role": self.role.value, "password_hash": self.password_hash,
                "disabled": self.disabled, "deputy_units": list(self.deputy_units),
                "created_at": self.created_at}

    @property
    def role_words(self) -> str:
        """'Chuyên viên', 'Trưởng đơn vị'…"""
        return ROLE_WORDS[self.role]


# --- passwords ---

def login_problem(login: str) -> str | None:
    """Why ``login`` cannot be a login, in Vietnamese, or None."""
    if not LOGIN.fullmatch(login):
        return ("tên đăng nhập phải dài 2–40 ký tự, chỉ gồm chữ thường không dấu, chữ số, "
                "dấu chấm, gạch ngang hoặc gạch dưới")
    return None


def password_problem(password: str, login: str) -> str | None:
    """Why ``password`` is refused, in Vietnamese, or None: at least 10 characters (at most 200),
    not the login, not one character repeated."""
    if len(password) < MIN_PASSWORD:
        return f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự"
    if len(password) > MAX_PASSWORD:
        return f"mật khẩu dài quá {MAX_PASSWORD} ký tự"
    if password.strip().lower() == login.lower() or login.lower() in password.lower():
        return "mật khẩu không được chứa tên đăng nhập"
    if len(set(password)) == 1:
        return "mật khẩu không được chỉ lặp lại một ký tự"
    return None


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (with its own random salt)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an unknown account (``None``) costs as much and fails."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def may_sign_in(person: Person | None, password: str) -> bool:
    """Whether this sign-in succeeds: a known, enabled account and its password."""
    matches = verify_password(person.password_hash if person else None, password[:MAX_PASSWORD])
    return matches and person is not None and not person.disabled


# --- what a person may do ---

def may_view(person: Person, unit_code: str) -> str | None:
    """Why ``person`` may not see ``unit_code``'s work, or None: people see their own unit; a
    deputy the units in his or her charge; the director every unit."""
    if person.role is Role.DIRECTOR or person.unit_code == unit_code:
        return None
    if person.role is Role.DEPUTY and unit_code in person.deputy_units:
        return None
    return f"văn bản này không giao cho đơn vị của bạn ({person.unit_code})"


def may_answer(person: Person, unit_code: str) -> str | None:
    """Why ``person`` may not answer ``unit_code``'s assignment, or None: only its staff, head
    and (for the Office's own assignments) the Office."""
    if person.unit_code != unit_code:
        return f"chỉ người của đơn vị {unit_code} mới được trả lời thay đơn vị này"
    if person.role not in ANSWERING:
        return f"vai trò {person.role_words} không trả lời thay đơn vị"
    return None


def may_hand_over(head: Person, unit_code: str, staff: Person | None) -> str | None:
    """Why ``head`` may not hand ``unit_code``'s assignment to ``staff`` (phân công xử lý), or None:
    only the unit's head, and only to an enabled person of the same unit."""
    if head.role is not Role.HEAD or head.unit_code != unit_code:
        return f"chỉ trưởng đơn vị {unit_code} mới được phân công xử lý"
    if staff is None:
        return "không có người này"
    if staff.unit_code != unit_code or staff.role not in ANSWERING:
        return f"{staff.name} không phải cán bộ của đơn vị {unit_code}"
    if staff.disabled:
        return f"tài khoản của {staff.name} đã bị khóa"
    return None


@dataclass(frozen=True)
class Handover:
    """A unit head handed the unit's assignment to one of its people (``id`` = assignment id)."""

    id: str
    dispatch_id: str
    unit_code: str
    staff_login: str
    by: str
    at: datetime
    note: str = ""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Handover:
        """The record of a stored document."""
        return cls(id=str(doc["_id"]), dispatch_id=str(doc["dispatch_id"]),
                   unit_code=str(doc["unit_code"]), staff_login=str(doc["staff_login"]),
                   by=str(doc["by"]), at=doc["at"], note=str(doc.get("note") or ""))

    def as_doc(self) -> Doc:
        """The stored document."""
        return {"_id": self.id, "dispatch_id": self.dispatch_id, "unit_code": self.unit_code,
                "staff_login": self.staff_login, "by": self.by, "at": self.at, "note": self.note}


def handed_over_words(entry: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A hand-over on a dispatch's timeline, in words: 'Phòng Quản lý Thương mại (QLTM): Trưởng
    phòng Lê Văn C phân công Trần Thị B xử lý'. Reads the entries of ``assignment.handed_over``
    and the older ``desk.handed_over`` ones (``by``, ``by_name``, no title)."""
    unit = str(entry.get("unit_code") or "")
    unit_words = f"{names[unit]} ({unit})" if unit in names else unit or "—"
    title = entry.get("handed_by_title") or "Trưởng đơn vị"
    head = (entry.get("handed_by_name") or entry.get("by_name") or entry.get("handed_by")
            or entry.get("by") or "—")
    staff = entry.get("staff_name") or entry.get("staff_login") or "—"
    text = f"{unit_words}: {title} {head} phân công {staff} xử lý"
    previous = entry.get("previous_staff_name") or entry.get("previous_staff_login")
    if previous and previous != staff:
        text += f" (thay {previous})"
    if entry.get("note"):
        text += f" — ghi chú: «{entry['note']}»"
    return text
