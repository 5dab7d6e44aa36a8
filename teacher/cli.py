"""`flask create-teacher`, `flask set-teacher-password` and `flask create-assignment` (setting up a class, scripts)."""
from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from db import connect
from quizzes import current_banks
from quizzes.store import now
from quizzes.types import TYPES

from . import classroom, store
from .accounts import account_problems, hash_password
from .assignments import RELEASES, Rule, Spec, SpecError


def _password(username: str, password_stdin: bool) -> str:
    """The password from stdin or prompted twice, refused unless it makes a valid account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    problems = account_problems(username, password)
    if problems:
        raise click.ClickException("；".join(problems))
    return password


@click.command("create-teacher")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@with_appcontext
def create_teacher(username: str, password_stdin: bool) -> None:
    """Create a teacher account (the password is prompted, or read from stdin)."""
    password = _password(username, password_stdin)
    db = connect(current_app.config["DATABASE"])
    try:
        store.create_teacher(db, username, hash_password(password))
    except store.Conflict as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()
    click.echo(f"已创建教师账号 {username}")


@click.command("set-teacher-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@with_appcontext
def set_teacher_password(username: str, password_stdin: bool) -> None:
    """Give a teacher a new password and log out every session of theirs (a lost or shared password)."""
    db = connect(current_app.config["DATABASE"])
    try:
        teacher = store.teacher_by_username(db, username)
        if teacher is None:
            raise click.ClickException(f"没有教师账号 {username}")
        ended = store.set_password(db, teacher["id"], hash_password(_password(teacher["username"], password_stdin)))
    finally:
        db.conn.close()
    click.echo(f"已为 {teacher['username']} 设置新密码，并退出了 {ended} 个登录会话。")


@click.command("create-assignment")
@click.option("--teacher", "username", required=True, help="Teacher's username.")
@click.option("--class", "class_name", required=True, help="Class name (created when missing).")
@click.option("--title", required=True)
@click.option("--chapter", "chapters", multiple=True, help="Chapter slug to draw from (repeatable; default all).")
@click.option("--type", "types", multiple=True, type=click.Choice(list(TYPES)), help="Question type (repeatable).")
@click.option("--count", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--minutes", default=30, show_default=True, type=click.IntRange(1, 600))
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 365), help="Open for this many days.")
@click.option("--attempts", default=1, show_default=True, type=click.IntRange(1, 10))
@click.option("--release", default="after_close", show_default=True, type=click.Choice(list(RELEASES)))
@with_appcontext
def create_assignment(username, class_name, title, chapters, types, count, minutes, days, attempts, release) -> None:
    """Create an assignment opening now, drawn at random per student; prints the join code."""
    db = connect(current_app.config["DATABASE"])
    try:
        teacher = store.teacher_by_username(db, username)
        if teacher is None:
            raise click.ClickException(f"没有教师账号 {username}")
        klass = store.class_by_name(db, teacher["id"], class_name)
        class_id = klass["id"] if klass else store.create_class(db, teacher["id"], class_name)
        opens = now()
        spec = Spec(rules=(Rule(count, tuple(chapters), tuple(types)),))
        try:
            _, code = classroom.create_assignment(db, current_banks().for_assignments(), class_id, title, spec, opens,
                                                  opens + dt.timedelta(days=days), minutes, attempts, release)
        except SpecError as exc:
            raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()
    click.echo(code)
