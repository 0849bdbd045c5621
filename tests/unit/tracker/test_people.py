"""People and roles: the password policy, Argon2 hashes, sign-in, and who may see, answer and hand
out a unit's work."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.tracker.people import (
    Person,
    Role,
    hash_password,
    login_problem,
    may_answer,
    may_hand_over,
    may_sign_in,
    may_view,
    password_problem,
    verify_password,
)

HASH = hash_password("mật khẩu dài đủ 10")


def person(login: str, role: Role = Role.STAFF, unit: str = "QLTM", **extra: object) -> Person:
    return Person(login=login, name=login.upper(), unit_code=unit, role=role,
                  password_hash=HASH, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(("password", "problem"), [
    ("ngắn", "ít nhất 10 ký tự"),
    ("x" * 201, "dài quá 200"),
    ("nva-2024-nva", "tên đăng nhập"),
    ("aaaaaaaaaaaa", "lặp lại một ký tự"),
])
def test_password_policy_refuses_in_words(password: str, problem: str) -> None:
    found = password_problem(password, "nva")
    assert found is not None and problem in found


def test_a_long_password_passes_the_policy() -> None:
    assert password_problem("mùa xuân ở Hà Nội", "nva") is None


def test_logins_are_plain_lower_case() -> None:
    assert login_problem("nva") is None and login_problem("nguyen.van-a_2") is None
    assert login_problem("Nva") and login_problem("n") and login_problem("a b")


def test_hashes_are_argon2id_salted_and_verify_only_the_password() -> None:
    first, second = hash_password("mật khẩu dài đủ 10"), hash_password("mật khẩu dài đủ 10")
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, "mật khẩu dài đủ 10")
    assert not verify_password(first, "mật khẩu dài đủ 11")
    assert not verify_password(None, "mật khẩu dài đủ 10")  # unknown account
    assert not verify_password("not-a-hash", "mật khẩu dài đủ 10")


def test_a_disabled_account_cannot_sign_in() -> None:
    nva = person("nva")
    assert may_sign_in(nva, "mật khẩu dài đủ 10")
    assert not may_sign_in(replace(nva, disabled=True), "mật khẩu dài đủ 10")
    assert not may_sign_in(nva, "sai mật khẩu")
    assert not may_sign_in(None, "mật khẩu dài đủ 10")


def test_people_see_their_unit_deputies_their_charge_the_director_all() -> None:
    assert may_view(person("nva"), "QLTM") is None
    refused = may_view(person("nva"), "VP")
    assert refused is not None and "không giao cho đơn vị của bạn (QLTM)" in refused
    deputy = person("pgd", Role.DEPUTY, "BGD", deputy_units=("QLTM", "VP"))
    assert may_view(deputy, "VP") is None and may_view(deputy, "TTRA") is not None
    assert may_view(person("gd", Role.DIRECTOR, "BGD"), "TTRA") is None


def test_only_the_units_staff_head_or_office_answer_for_it() -> None:
    assert may_answer(person("nva"), "QLTM") is None
    assert may_answer(person("tp", Role.HEAD), "QLTM") is None
    assert may_answer(person("vp", Role.OFFICE, "VP"), "VP") is None
    outside = may_answer(person("nva"), "VP")
    assert outside is not None and "đơn vị VP" in outside
    deputy = may_answer(person("pgd", Role.DEPUTY, "QLTM"), "QLTM")
    assert deputy is not None and "Phó Giám đốc" in deputy


def test_only_the_head_hands_work_to_an_enabled_person_of_the_unit() -> None:
    head, nva = person("tp", Role.HEAD), person("nva")
    assert may_hand_over(head, "QLTM", nva) is None
    assert "chỉ trưởng đơn vị" in (may_hand_over(nva, "QLTM", head) or "")
    assert "chỉ trưởng đơn vị" in (may_hand_over(head, "VP", person("x", unit="VP")) or "")
    assert "không phải cán bộ" in (may_hand_over(head, "QLTM", person("x", unit="VP")) or "")
    assert "đã bị khóa" in (may_hand_over(head, "QLTM", replace(nva, disabled=True)) or "")
    assert may_hand_over(head, "QLTM", None) == "không có người này"


def test_a_person_round_trips_through_its_document() -> None:
    deputy = person("pgd", Role.DEPUTY, "BGD", deputy_units=("QLTM",))
    assert Person.from_doc(deputy.as_doc()) == deputy
    assert "password" not in {k for k in deputy.as_doc() if k != "password_hash"}
