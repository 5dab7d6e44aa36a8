"""How long a teacher's pages take for a big class, in-process (no server), on a temporary database.

    .venv/bin/python bench/teacher_pages.py --students 600 [--json FILE]

Creates a teacher and a 30-question assignment (as bench/classroom.py does), has N students join, start
and 交卷 with every question answered, then fetches each of the assignment's teacher pages and exports
three times and reports the best time, the size, and `cost`: the best time divided by the best time of
the assignment's own page (a small one) in the same run. Why it matters: the class server
runs one request thread per process, so while a page takes T, that process's other connections wait up
to T (the live table, /live.json, is fetched by the teacher's browser every 5 seconds during a class).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import classroom  # noqa: E402  (its flask() helper, answer picking and question types)

EXPORTS = ("/export/results.csv", "/export/results.xlsx", "/export/items.csv", "/export/items.xlsx")


def token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def hand_in(app, code: str, number: int) -> None:
    """One student: join, start, answer every question, 交卷."""
    client = app.test_client()
    csrf = token(client.get(f"/join/{code}").get_data(as_text=True))
    client.post(f"/join/{code}", data={"csrf_token": csrf, "name": f"学生{number}", "student_no": f"2023{number:04d}"})
    exam = urllib.parse.urlparse(client.post(f"/join/{code}/start", data={"csrf_token": csrf}).headers["Location"]).path
    paper = client.get(exam).get_data(as_text=True)
    form = [("csrf_token", csrf)] + [f for answer in classroom.answers(paper, str(number)) for f in answer]
    done = client.post(exam + "/submit", data=urllib.parse.urlencode(form), content_type="application/x-www-form-urlencoded")
    assert done.status_code == 302, done.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(CRM_DATABASE=f"{tmp}/teacher.sqlite3", CRM_SECRET_KEY="bench-secret", CRM_INSTANCE_PATH=tmp)
        env = dict(os.environ)
        classroom.flask(env, "create-teacher", "bench", "--password-stdin", stdin="bench-password\n")
        types = [a for t in classroom.TYPES for a in ("--type", t)]
        code = classroom.flask(env, "create-assignment", "--teacher", "bench", "--class", "班级", "--title", "基准测验",
                               "--count", "30", "--minutes", "60", "--release", "immediately", *types)
        from app import create_production_app
        app = create_production_app()
        for number in range(args.students):
            hand_in(app, code, number)
        teacher = app.test_client()
        teacher.post("/teacher/login", data={"csrf_token": token(teacher.get("/teacher/login").get_data(as_text=True)),
                                             "username": "bench", "password": "bench-password"})
        base = re.search(r'/teacher/assignments/\d+', teacher.get("/teacher/").get_data(as_text=True)).group(0)
        pages = [rule.rule.replace("<int:assignment_id>", base.rsplit("/", 1)[1]) for rule in app.url_map.iter_rules()
                 if rule.rule.startswith("/teacher/assignments/<int:assignment_id>") and "GET" in rule.methods
                 and rule.rule.count("<") == 1] + [base + e for e in EXPORTS]
        rows = []
        for url in pages:
            best, size = float("inf"), 0
            for _ in range(3):
                start = time.perf_counter()
                response = teacher.get(url)
                best = min(best, time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.data)
            rows.append({"url": url, "best_ms": round(best * 1000, 1), "kB": round(size / 1024)})
    floor = next(r["best_ms"] for r in rows if r["url"] == base)
    print(f"{args.students} students handed in; the assignment page took {floor} ms (cost 1)")
    for r in rows:
        r["cost"] = round(r["best_ms"] / floor, 1)
        print(f"  {r['url']:52s} {r['kB']:6d} kB {r['best_ms']:8.1f} ms  cost {r['cost']:7.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"students": args.students, "pages": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
