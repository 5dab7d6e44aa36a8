import datetime as dt

from click.testing import CliRunner

from db import connect
from teacher import store
from teacher.accounts import FAILURE_WINDOW, password_matches, session_valid
from tests.conftest import make_app
from tests.test_practice_views import csrf
from tests.teacher.conftest import PASSWORD, create_class, login, make_teacher


def test_create_teacher_reads_password_from_stdin_and_hashes_it(fixture_app):
    result = fixture_app.test_cli_runner().invoke(args=["create-teacher", "carol", "--password-stdin"],
                                                  input="s3cret-pass\n")
    assert result.exit_code == 0 and "已创建教师账号 carol" in result.output
    row = store.teacher_by_username(connect(fixture_app.config["DATABASE"]), "carol")
    assert row["password_hash"].startswith("scrypt:") and "s3cret-pass" not in row["password_hash"]
    assert password_matches(row["password_hash"], "s3cret-pass") and not password_matches(row["password_hash"], "x")


def test_create_teacher_prompts_twice(fixture_app):
    result = fixture_app.test_cli_runner().invoke(args=["create-teacher", "dave"], input="pass-word-9\npass-word-9\n")
    assert result.exit_code == 0


def test_create_teacher_refuses_short_password_and_duplicates(fixture_app):
    runner = fixture_app.test_cli_runner()
    assert "密码须为" in runner.invoke(args=["create-teacher", "erin", "--password-stdin"], input="short\n").output
    runner.invoke(args=["create-teacher", "erin", "--password-stdin"], input="long-enough-1\n")
    again = runner.invoke(args=["create-teacher", "erin", "--password-stdin"], input="long-enough-1\n")
    assert again.exit_code != 0 and "已存在" in again.output


def test_login_redirects_to_the_page_asked_for(fixture_app):
    make_teacher(fixture_app, "alice")
    client = fixture_app.test_client()
    assert client.get("/teacher/").headers["Location"] == "/teacher/login?next=/teacher/"
    response = client.post("/teacher/login", data={
        "csrf_token": csrf(client, "/teacher/login"),
        "username": "alice", "password": PASSWORD, "next": "/teacher/classes/1"})
    assert response.headers["Location"] == "/teacher/classes/1"


def test_login_never_redirects_off_site(fixture_app):
    make_teacher(fixture_app, "alice")
    client = fixture_app.test_client()
    response = client.post("/teacher/login", data={"csrf_token": csrf(client, "/teacher/login"), "username": "alice",
                                                   "password": PASSWORD, "next": "//evil.example/teacher/"})
    assert response.headers["Location"] == "/teacher/"


def test_wrong_password_is_refused_with_a_message(fixture_app):
    make_teacher(fixture_app, "alice")
    client = fixture_app.test_client()
    response = login(client, "alice", "wrong-password")
    assert response.status_code == 401 and "用户名或密码不正确" in response.get_data(as_text=True)
    assert client.get("/teacher/").status_code == 302


def test_failed_logins_are_limited_across_worker_processes(tmp_path):
    """Two app instances on one database stand for two worker processes: the count is shared."""
    first = make_app(tmp_path, CONTENT_DIR="tests/fixtures/content")
    second = make_app(tmp_path, CONTENT_DIR="tests/fixtures/content")
    make_teacher(first, "alice")
    for n in range(5):
        client = (first if n % 2 else second).test_client()
        assert login(client, "alice", "wrong").status_code == 401
    blocked = login(first.test_client(), "alice", PASSWORD)
    assert blocked.status_code == 429 and "尝试次数过多" in blocked.get_data(as_text=True)
    assert 0 < int(blocked.headers["Retry-After"]) <= FAILURE_WINDOW.total_seconds() + 1
    assert login(second.test_client(), "alice", PASSWORD).status_code == 429


def test_limit_is_per_account_and_address(fixture_app):
    make_teacher(fixture_app, "alice")
    make_teacher(fixture_app, "bob")
    for _ in range(5):
        login(fixture_app.test_client(), "alice", "wrong")
    assert login(fixture_app.test_client(), "bob").status_code == 302
    other_address = fixture_app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(other_address, "alice").status_code == 302


def test_session_lasts_a_school_day():
    start = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    assert session_valid(start.isoformat(), start + dt.timedelta(hours=9, minutes=59))
    assert not session_valid(start.isoformat(), start + dt.timedelta(hours=10, minutes=1))
    assert not session_valid("garbage", start) and not session_valid(None, start)


def test_expired_session_goes_back_to_login(teacher_client):
    with teacher_client.session_transaction() as session:
        session["teacher_at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=11)).isoformat()
    assert teacher_client.get("/teacher/").headers["Location"].startswith("/teacher/login")


def test_logout_ends_the_session(teacher_client):
    response = teacher_client.post("/teacher/logout", data={"csrf_token": csrf(teacher_client, "/teacher/")})
    assert response.headers["Location"] == "/teacher/login"
    assert teacher_client.get("/teacher/").status_code == 302


def test_failure_rows_are_pruned(fixture_app):
    db = connect(fixture_app.config["DATABASE"])
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    db.execute("INSERT INTO login_failures VALUES ('k', ?)", [old.isoformat()])
    store.record_failure(db, ["k2"], dt.datetime.now(dt.UTC) - FAILURE_WINDOW)
    assert [r["key"] for r in db.query("SELECT key FROM login_failures")] == ["k2"]


# ---- server-side sessions: a copied cookie dies with logout --------------------------------------

TEACHER_PAGES = ["/teacher/", "/teacher/assignments/new"]


def copy_cookies(source, target) -> None:
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_a_cookie_copied_before_logout_is_dead_after_it(fixture_app, teacher_client):
    thief = fixture_app.test_client()
    copy_cookies(teacher_client, thief)
    class_id = create_class(thief, "市场2301")
    assert thief.get(f"/teacher/classes/{class_id}").status_code == 200
    teacher_client.post("/teacher/logout", data={"csrf_token": csrf(teacher_client, "/teacher/")})
    for path in TEACHER_PAGES + [f"/teacher/classes/{class_id}"]:
        response = thief.get(path)
        assert response.headers["Location"] == f"/teacher/login?next={path}", path
    refused = thief.post("/teacher/classes", data={"csrf_token": csrf(thief, "/teacher/login"), "name": "偷建的班"})
    assert refused.headers["Location"] == "/teacher/login"
    assert [c["name"] for c in store.classes(connect(fixture_app.config["DATABASE"]), 1)] == ["市场2301"]


def test_logging_in_again_does_not_revive_a_logged_out_cookie(fixture_app, teacher_client):
    thief = fixture_app.test_client()
    copy_cookies(teacher_client, thief)
    teacher_client.post("/teacher/logout", data={"csrf_token": csrf(teacher_client, "/teacher/")})
    assert login(teacher_client, "alice").status_code == 302
    assert teacher_client.get("/teacher/").status_code == 200
    assert thief.get("/teacher/").headers["Location"] == "/teacher/login?next=/teacher/"


def test_a_session_ends_a_school_day_after_login_on_the_server(fixture_app, teacher_client):
    db = connect(fixture_app.config["DATABASE"])
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=10, minutes=1)).isoformat(timespec="seconds")
    db.execute("UPDATE teacher_sessions SET created_at = ?", [long_ago])
    db.conn.commit()
    assert teacher_client.get("/teacher/").headers["Location"] == "/teacher/login?next=/teacher/"


def test_the_database_keeps_only_a_hash_of_the_session_id(fixture_app, teacher_client):
    rows = list(connect(fixture_app.config["DATABASE"]).query("SELECT * FROM teacher_sessions"))
    assert len(rows) == 1 and rows[0]["ended_at"] is None and rows[0]["teacher_id"] == 1
    with teacher_client.session_transaction() as session:
        session_id = session["teacher_session"]
    assert len(session_id) >= 40 and session_id not in str(rows[0])


def test_a_forged_or_missing_session_id_goes_to_login(fixture_app, teacher_client):
    with teacher_client.session_transaction() as session:
        session["teacher_session"] = "x" * 43
    assert teacher_client.get("/teacher/").headers["Location"] == "/teacher/login?next=/teacher/"


def test_setting_a_new_password_ends_every_session_of_that_teacher(fixture_app, teacher_client):
    make_teacher(fixture_app, "bob")
    bob = fixture_app.test_client()
    login(bob, "bob")
    laptop = fixture_app.test_client()
    login(laptop, "alice")
    result = fixture_app.test_cli_runner().invoke(args=["set-teacher-password", "alice", "--password-stdin"],
                                                  input="brand-new-pass-2\n")
    assert result.exit_code == 0 and "已为 alice 设置新密码" in result.output and "2 个" in result.output
    for client in (teacher_client, laptop):
        assert client.get("/teacher/").headers["Location"] == "/teacher/login?next=/teacher/"
    assert bob.get("/teacher/").status_code == 200
    assert login(fixture_app.test_client(), "alice").status_code == 401
    assert login(fixture_app.test_client(), "alice", "brand-new-pass-2").status_code == 302


def test_set_teacher_password_refuses_unknown_accounts_and_short_passwords(fixture_app):
    make_teacher(fixture_app, "alice")
    runner = fixture_app.test_cli_runner()
    unknown = runner.invoke(args=["set-teacher-password", "nobody", "--password-stdin"], input="long-enough-1\n")
    assert unknown.exit_code != 0 and "没有教师账号 nobody" in unknown.output
    short = runner.invoke(args=["set-teacher-password", "alice", "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "密码须为" in short.output
    assert login(fixture_app.test_client(), "alice").status_code == 302


def test_a_session_records_when_it_was_last_used_at_most_every_few_minutes(fixture_app, teacher_client):
    db = connect(fixture_app.config["DATABASE"])
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    db.execute("UPDATE teacher_sessions SET created_at = ?, last_seen_at = ?", [long_ago, long_ago])
    db.conn.commit()
    assert teacher_client.get("/teacher/").status_code == 200
    seen = next(db.query("SELECT last_seen_at FROM teacher_sessions"))["last_seen_at"]
    assert dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(seen) < dt.timedelta(minutes=1)


def test_the_login_page_says_how_a_forgotten_password_is_reset(fixture_app):
    html = fixture_app.test_client().get("/teacher/login").get_data(as_text=True)
    assert "set-teacher-password 用户名" in html and "退出登录" in html
