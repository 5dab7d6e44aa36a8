"""A class taking an assignment at once, against scripts/serve-production.sh on a temporary database.

    .venv/bin/python bench/classroom.py --students 60 [--think 0.5] [--json FILE]

Creates a teacher and a 30-question assignment (flask create-teacher / create-assignment), starts the
production server (its default processes and threads, or WORKERS=/THREADS=), then plays N students who open the join link, join, start,
fetch the paper, autosave after each answer and submit, sending what static/js/exam.js sends: a save
carries the answer just changed with `since` (the server time its copy was based on: the paper's
data-rendered-at, or the last save's `at`), and 交卷 carries only what was never acknowledged. Once with the
students arriving spread over 10 seconds, once all in the same second.

A student is a person: between two actions (joining, starting, answering the next question) they think
for --think seconds (0.5 by default: twenty times a fast student's pace, so a run stays short), and in the
same-second run they all submit in the same second too (the deadline's automatic 交卷). `--think 0`
drops the person: each student fires their 35 requests back to back, a stress test of throughput rather
than a class.

Reports p50/p99/max per step, requests per second, errors, and lost writes (acknowledged saves and
submissions missing from the database, checked after the server stops). A trivial endpoint (a static
file) is timed on the same server in the same run; each step's `cost` is its idle-server median divided
by the trivial request's (how many trivial requests one step is worth), and `ratio` is the trivial
endpoint's throughput share the step reaches (1 / cost).

`floor` is what the machine does with no application work at all: as many students as the class, each on
a new connection, fetch the trivial endpoint twice back to back (as a start then a paper), all in the same
second. Its p99 is the least any same-second step can reach here, bench client included.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("join_page", "join", "start", "paper", "save", "submit")
TRIVIAL = "/static/css/teacher.css"
TYPES = ("single", "multiple", "true_false", "fill_blank", "short_answer")


class Student:
    """One browser: a keep-alive connection and a cookie jar."""

    def __init__(self, port: int, number: str):
        self.port, self.number, self.cookies = port, number, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, form: list[tuple[str, str]] | bytes | None = None) -> tuple[int, dict, str]:
        """`form`: fields, or a body already encoded (a browser encodes a form on the phone, not the server)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Encoding": "identity"}
        body = None
        if form is not None:
            body = form if isinstance(form, bytes) else urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if path.endswith("/save"):
            headers["Accept"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except Exception:          # a dropped or timed-out connection: a browser would open a new one
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text


def fields(paper: str) -> list[tuple[str, str, str]]:
    """(kind, name, value) of each answer field on the exam page, in order."""
    out = []
    for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", paper):
        name = re.search(r'name="(q\d+(?:_\d+)?)"', tag)
        if not name:
            continue
        kind = "textarea" if tag.startswith("<textarea") else re.search(r'type="(\w+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        out.append((kind, name.group(1), value.group(1) if value else ""))
    return out


def answers(paper: str, number: str) -> list[list[tuple[str, str]]]:
    """One answer per question (first option, first two boxes, a text naming the student), grouped by question."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for kind, name, value in fields(paper):
        question = name.split("_")[0]
        chosen = groups.setdefault(question, [])
        if kind == "radio" and not chosen:
            chosen.append((name, value))
        elif kind == "checkbox" and len(chosen) < 2:
            chosen.append((name, value))
        elif kind in ("text", "textarea"):
            chosen.append((name, f"学生{number}的答案{name}"))
    return [groups[q] for q in sorted(groups, key=lambda q: int(q[1:]))]


class Run:
    def __init__(self):
        self.times: dict[str, list[float]] = {s: [] for s in STEPS}
        self.errors: list[str] = []
        self.acked_saves: dict[int, list[tuple[str, str]]] = {}   # attempt id -> every acknowledged answer field
        self.acked_submits: set[int] = set()
        self.lock = threading.Lock()

    def timed(self, step: str, student: Student, method: str, path: str, form=None, expect=(200,)):
        start = time.perf_counter()
        try:
            status, headers, text = student.request(method, path, form)
        except Exception as exc:   # a refused or dropped connection is an error, not a crash of the bench
            with self.lock:
                self.errors.append(f"{step}: {exc.__class__.__name__}")
            return None
        elapsed = time.perf_counter() - start
        with self.lock:
            self.times[step].append(elapsed)
            if status not in expect:
                self.errors.append(f"{step}: HTTP {status}")
                return None
        return status, headers, text


def play(run: Run, port: int, code: str, number: str, start_at: float, think: float = 0.0,
         deadline: threading.Barrier | None = None) -> None:
    delay = start_at - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    s = Student(port, number)
    try:
        page = run.timed("join_page", s, "GET", f"/join/{code}")
        if not page:
            return
        token = re.search(r'name="csrf_token" value="([^"]+)"', page[2]).group(1)
        time.sleep(think)   # typing 姓名 and 学号
        if not run.timed("join", s, "POST", f"/join/{code}", [("csrf_token", token), ("name", f"学生{number}"), ("student_no", number)]):
            return
        time.sleep(think)   # reading the instructions, then 开始
        started = run.timed("start", s, "POST", f"/join/{code}/start", [("csrf_token", token)], expect=(302,))
        if not started:
            return
        exam = urllib.parse.urlparse(started[1]["Location"]).path
        attempt = int(exam.rsplit("/", 1)[1])
        paper = run.timed("paper", s, "GET", exam)
        if not paper:
            return
        rendered_at = re.search(r'data-rendered-at="([^"]+)"', paper[2]).group(1)
        unsaved: dict[str, list[tuple[str, str]]] = {}   # question -> its fields, until a save is acknowledged

        def body() -> bytes:   # as exam.js's unsaved(): the unacknowledged answers, each with its since
            return urllib.parse.urlencode([("csrf_token", token), *(f for fs in unsaved.values() for f in fs),
                                           ("since", json.dumps({q: rendered_at for q in unsaved}))]).encode()

        for answer in answers(paper[2], number):
            time.sleep(think)   # answering the next question
            unsaved[answer[0][0].split("_")[0]] = answer
            if run.timed("save", s, "POST", exam + "/save", body()):
                with run.lock:
                    run.acked_saves.setdefault(attempt, []).extend(f for fs in unsaved.values() for f in fs)
                unsaved = {}
        if deadline is not None:
            try:
                deadline.wait()
            except threading.BrokenBarrierError:   # someone dropped out: submit now, as a browser would
                pass
            deadline = None
        if run.timed("submit", s, "POST", exam + "/submit", body(), expect=(302,)):
            with run.lock:
                run.acked_submits.add(attempt)
    finally:
        if deadline is not None:   # stopped before the deadline: the others must not wait for them forever
            deadline.abort()
        s.conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def phase(port: int, code: str, students: int, spread: float, prefix: str, think: float) -> tuple[Run, float]:
    """Students arriving over `spread` seconds (0: the same second, and then they also submit together)."""
    run = Run()
    begin = time.perf_counter() + 0.5
    deadline = threading.Barrier(students) if not spread and think else None
    threads = [threading.Thread(target=play, args=(run, port, code, f"{prefix}{n:04d}",
                                                    begin + (spread * n / students if spread else 0), think, deadline))
               for n in range(students)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return run, time.perf_counter() - begin


def lost_writes(database: Path, run: Run) -> int:
    """Acknowledged saves whose answers are not stored, and acknowledged submissions not recorded."""
    db = sqlite3.connect(database)
    lost = 0
    for attempt, form in run.acked_saves.items():
        stored = {row[0] for row in db.execute("SELECT position FROM responses WHERE attempt_id = ?", [attempt])}
        texts = {json.loads(row[0]) for row in db.execute(
            "SELECT response FROM responses WHERE attempt_id = ? AND response LIKE '\"%'", [attempt])}
        for name, value in form:
            position = int(name[1:].split("_")[0])
            if position not in stored or (value.startswith("学生") and "_" not in name and value not in texts):
                lost += 1
    for attempt in run.acked_submits:
        if db.execute("SELECT submitted_at FROM attempts WHERE id = ?", [attempt]).fetchone()[0] is None:
            lost += 1
    db.close()
    return lost


def trivial_rate(port: int, seconds: float = 3.0, clients: int = 8) -> float:
    count, stop = [0], time.perf_counter() + seconds
    lock = threading.Lock()

    def loop():
        s = Student(port, "x")
        while time.perf_counter() < stop:
            s.request("GET", TRIVIAL)
            with lock:
                count[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0] / seconds


def floor(port: int, students: int) -> dict[str, float]:
    """p50/p99/max of the second of two trivial requests per student, every student in the same second."""
    begin, times, lock = time.perf_counter() + 0.5, [], threading.Lock()

    def student():
        time.sleep(max(0.0, begin - time.perf_counter()))
        s = Student(port, "floor")
        try:
            s.request("GET", TRIVIAL)
            elapsed = timed_call(lambda: s.request("GET", TRIVIAL))
            with lock:
                times.append(elapsed)
        finally:
            s.conn.close()

    threads = [threading.Thread(target=student) for _ in range(students)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"p50_ms": round(percentile(times, 0.5) * 1000, 1), "p99_ms": round(percentile(times, 0.99) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1)}


def idle_costs(port: int, code: str) -> dict[str, float]:
    """Median of each step for one student alone, in trivial requests."""
    s = Student(port, "solo")
    trivial = statistics.median(timed_call(lambda: s.request("GET", TRIVIAL)) for _ in range(50))
    run = Run()
    for n in range(5):
        play(run, port, code, f"S{n:04d}", 0)
    return {step: statistics.median(v) / trivial for step, v in run.times.items() if v} | {"trivial_ms": trivial * 1000}


def timed_call(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def flask(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", *args], cwd=ROOT, env=env, input=stdin,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, server: subprocess.Popen) -> None:
    for _ in range(3000):
        if server.poll() is not None:
            sys.exit("server exited before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", TRIVIAL)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("server not ready after 5 minutes")


def served_by(log: Path) -> tuple[int, int]:
    """(processes, threads per process) as the server announced them when it started."""
    for _ in range(100):
        found = re.search(r"（(\d+) 个进程，每个 (\d+) 个线程）", log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return int(found.group(1)), int(found.group(2))
        time.sleep(0.05)
    raise RuntimeError(f"the server did not say how many processes it runs (see {log})")


def summary(run: Run, seconds: float, costs: dict[str, float]) -> dict:
    steps = {}
    for step, values in run.times.items():
        if values:
            steps[step] = {"count": len(values), "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                           "p99_ms": round(percentile(values, 0.99) * 1000, 1), "max_ms": round(max(values) * 1000, 1),
                           "cost": round(costs.get(step, 0), 1), "ratio": round(1 / costs[step], 3) if costs.get(step) else None}
    requests = sum(len(v) for v in run.times.values())
    return {"seconds": round(seconds, 1), "requests": requests, "requests_per_s": round(requests / seconds, 1),
            "errors": len(run.errors), "error_kinds": sorted(set(run.errors))[:10], "steps": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--json", dest="json_file")
    parser.add_argument("--workers", default=os.environ.get("WORKERS"), help="server processes (default: the server's, two per core)")
    parser.add_argument("--think", type=float, default=0.5,
                        help="seconds a student thinks between two actions (0: back to back, a stress test)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database, port = Path(tmp) / "classroom.sqlite3", free_port()
        env = {**os.environ, "CRM_DATABASE": str(database), "CRM_SECRET_KEY": "bench-secret", "CRM_INSTANCE_PATH": tmp,
               "PORT": str(port), "HOST": "127.0.0.1"}
        if args.workers:
            env["WORKERS"] = args.workers
        flask(env, "create-teacher", "bench", "--password-stdin", stdin="bench-password\n")
        types = [a for t in TYPES for a in ("--type", t)]
        codes = [flask(env, "create-assignment", "--teacher", "bench", "--class", f"班级{n}", "--title", f"基准测验{n}",
                       "--count", "30", "--minutes", "60", "--release", "immediately", *types) for n in range(3)]
        log = open(Path(tmp) / "server.log", "wb")   # never an unread pipe: a full one blocks the server
        server = subprocess.Popen([str(ROOT / "scripts/serve-production.sh")], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_ready(port, server)
            workers, threads = served_by(Path(tmp) / "server.log")
            costs = idle_costs(port, codes[2])
            trivial = trivial_rate(port)
            spread, spread_s = phase(port, codes[0], args.students, 10.0, "A", args.think)
            burst, burst_s = phase(port, codes[1], args.students, 0.0, "B", args.think)
            least = floor(port, args.students)
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
            log.close()
        report = {"students": args.students, "workers": workers, "threads": threads, "think_s": args.think, "load_average": os.getloadavg()[0], "trivial_ms_idle": round(costs["trivial_ms"], 2),
                  "trivial_requests_per_s": round(trivial, 1), "floor": least,
                  "spread_10s": summary(spread, spread_s, costs), "same_second": summary(burst, burst_s, costs)}
        report["errors"] = report["spread_10s"]["errors"] + report["same_second"]["errors"]
        report["lost"] = lost_writes(database, spread) + lost_writes(database, burst)
        report["steps"] = report["same_second"]["steps"]
    print_report(report)
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def print_report(report: dict) -> None:
    print(f"{report['students']} students, {report['workers']} workers × {report['threads']} threads, thinking {report['think_s']} s, load average {report['load_average']:.1f}; trivial endpoint {report['trivial_requests_per_s']} req/s "
          f"({report['trivial_ms_idle']} ms idle)")
    for name in ("spread_10s", "same_second"):
        r = report[name]
        print(f"\n{name}: {r['requests']} requests in {r['seconds']} s = {r['requests_per_s']} req/s, errors {r['errors']} {r['error_kinds']}")
        print(f"  {'step':10} {'count':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'cost':>6}")
        for step, s in r["steps"].items():
            print(f"  {step:10} {s['count']:6} {s['p50_ms']:8} {s['p99_ms']:8} {s['max_ms']:8} {s['cost']:6}")
    f = report["floor"]
    print(f"\nfloor (the trivial endpoint twice per student, all in the same second): p50 {f['p50_ms']} ms, "
          f"p99 {f['p99_ms']} ms, max {f['max_ms']} ms")
    print(f"\nerrors {report['errors']}, lost writes {report['lost']}")


if __name__ == "__main__":
    main()
