"""``vanthu user``: the named accounts of the units' desk (issue 16).

``add``, ``list``, ``disable`` and ``reset-password`` write the tracker's ``people`` collection
directly (the tracker's MongoDB, from the tracker's settings: ``MONGODB_URL``,
``MONGODB_DATABASE``). Passwords come from standard input (``--password-stdin``, first line) or
from a hidden prompt, never from the command line, and are stored only as Argon2id hashes.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import typer

from services.tracker.people import (
    Person,
    Role,
    hash_password,
    login_problem,
    password_problem,
)
from services.tracker.repository.people import PeopleRepository
from services.tracker.settings import TrackerSettings
from shared.mongo import database, make_mongo_client
from shared.organisation import load_organisation

user_app = typer.Typer(name="user", help="Tài khoản cá nhân của bàn làm việc (desk).",
                       no_args_is_help=True)
T = TypeVar("T")
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input.")]


def _with_people(work: Callable[[PeopleRepository], Awaitable[T]]) -> T:
    settings = TrackerSettings()

    async def run() -> T:
        client = make_mongo_client(settings)
        try:
            people = PeopleRepository(database(client, settings))
            await people.create_indexes()
            return await work(people)
        finally:
            await client.close()
    return asyncio.run(run())


def _fail(message: str) -> None:
    typer.echo(f"Lỗi: {message}", err=True)
    raise typer.Exit(1)


def _password(login: str, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    if (problem := password_problem(password, login)) is not None:
        _fail(problem)
    return password


@user_app.command("add")
def add(unit: Annotated[str, typer.Option(help="Unit code, e.g. QLTM.")],
        role: Annotated[Role, typer.Option(help="staff, head, office, deputy or director.")],
        login: Annotated[str, typer.Option(help="Login name (lower case).")],
        name: Annotated[str, typer.Option(help="Full name, e.g. 'Nguyễn Văn A'.")],
        password_stdin: PasswordStdin = False,
        deputy_units: Annotated[str, typer.Option(
            help="For a deputy: the units in his or her charge, comma-separated.")] = "") -> None:
    """Create an account."""
    login = login.strip()
    settings = TrackerSettings()
    units = {u.code for u in load_organisation(
        settings.config_path(settings.organisation_file)).units}
    charge = tuple(u.strip().upper() for u in deputy_units.split(",") if u.strip())
    if (problem := login_problem(login)) is not None:
        _fail(problem)
    if unit.upper() not in units:
        _fail(f"không có đơn vị {unit} trong tệp tổ chức")
    if unknown := [u for u in charge if u not in units]:
        _fail(f"không có đơn vị {', '.join(unknown)} trong tệp tổ chức")
    if not name.strip():
        _fail("thiếu họ tên")
    person = Person(login=login, name=name.strip(), unit_code=unit.upper(), role=role,
                    password_hash=hash_password(_password(login, password_stdin)),
                    deputy_units=charge, created_at=datetime.now(UTC))
    if not _with_people(lambda people: people.add_person(person)):
        _fail(f"tên đăng nhập {login} đã có")
    typer.echo(f"Đã tạo tài khoản {login} ({person.role_words}, {person.unit_code}).")


@user_app.command("list")
def list_(unit: Annotated[str | None, typer.Option(help="Only this unit.")] = None) -> None:
    """List the accounts (never their passwords)."""
    found = _with_people(lambda people: people.people_of(unit.upper() if unit else None))
    for p in found:
        state = "đã khóa" if p.disabled else "hoạt động"
        charge = f" phụ trách {','.join(p.deputy_units)}" if p.deputy_units else ""
        typer.echo(f"{p.login}\t{p.unit_code}\t{p.role.value}\t{state}\t{p.name}{charge}")


@user_app.command("disable")
def disable(login: Annotated[str, typer.Argument(help="Login to disable.")]) -> None:
    """Lock an account: it can no longer sign in, and its open sessions stop working."""
    if not _with_people(lambda people: people.set_disabled(login, True)):
        _fail(f"không có tài khoản {login}")
    typer.echo(f"Đã khóa tài khoản {login}.")


@user_app.command("reset-password")
def reset_password(login: Annotated[str, typer.Argument(help="Login whose password to set.")],
                   password_stdin: PasswordStdin = False) -> None:
    """Set a new password."""
    password_hash = hash_password(_password(login, password_stdin))
    if not _with_people(lambda people: people.set_password_hash(login, password_hash)):
        _fail(f"không có tài khoản {login}")
    typer.echo(f"Đã đặt lại mật khẩu của {login}.")
