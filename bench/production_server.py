"""Which production server a class should use: gunicorn (gthread, --preload) against waitress (tuned).

Each candidate is started as a real process on a temporary database, then measured from outside:
time until it answers, chapter pages per second from 16 keep-alive clients, practice answers stored
per second from 8 students, and how long a real student's GET / takes while a stranger holds
(a) 300 idle TCP connections open and (b) 100 "slowloris" connections that send a header byte
now and then. Figures are printed, never asserted.

    .venv/bin/python bench/production_server.py [--seconds 8]
"""
from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "/chapters/customer-lifecycle"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def candidates(port: int) -> dict[str, list[str]]:
    venv = ROOT / ".venv" / "bin"
    bind = f"127.0.0.1:{port}"
    return {
        "gunicorn gthread 2x8 --preload": [str(venv / "gunicorn"), "-k", "gthread", "--workers", "2", "--threads", "8",
                                            "--preload", "--bind", bind, "app:create_production_app()"],
        "waitress 8 threads, limit 2000, timeout 30": [
            str(venv / "waitress-serve"), "--host", "127.0.0.1", "--port", str(port), "--threads", "8",
            "--connection-limit", "2000", "--channel-timeout", "30", "--call", "app:create_production_app"],
        "scripts/serve-production.sh: waitress in 2 pre-forked processes x 8 threads": [
            "env", "HOST=127.0.0.1", f"PORT={port}", "WORKERS=2", str(ROOT / "scripts" / "serve-production.sh")],
    }


def get(port: int, path: str, timeout: float = 60.0) -> tuple[int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    except (OSError, http.client.HTTPException):
        return 0, time.perf_counter() - start
    finally:
        conn.close()


def bytes_sent(port: int, path: str, encoding: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    size = len(conn.getresponse().read())
    conn.close()
    return size


def wait_ready(port: int, started: float, limit: float = 90.0) -> float:
    while time.perf_counter() - started < limit:
        if get(port, "/", timeout=5)[0] == 200:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def page_rate(port: int, clients: int, seconds: float) -> tuple[float, float]:
    """Chapter pages per second from keep-alive clients, and the 95th percentile latency."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    def work():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn.request("GET", CHAPTER, headers={"Accept-Encoding": "gzip"})
            conn.getresponse().read()
            latencies.append(time.perf_counter() - start)
        conn.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - begin), statistics.quantiles(latencies, n=20)[18]


def answer_rate(port: int, students: int, per_student: int) -> float:
    """Practice answers (question page, then the answer POST) per second, each student with a cookie jar."""
    base = f"http://127.0.0.1:{port}"

    def student():
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(base + "/practice").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "size": "50", "type": "single"}).encode()
        location = opener.open(base + "/practice", data=body).geturl()
        attempt = re.search(r"/practice/(\d+)/", location).group(1)
        return opener, token, attempt

    jobs = [student() for _ in range(students)]

    def work(opener, token, attempt):
        for pos in range(per_student):
            url = f"{base}/practice/{attempt}/{pos}"
            value = re.search(rf'name="q{pos}" value="([^"]+)"', opener.open(url).read().decode()).group(1)
            opener.open(url, data=urllib.parse.urlencode({"csrf_token": token, f"q{pos}": value}).encode()).read()

    threads = [threading.Thread(target=work, args=job) for job in jobs]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return students * per_student / (time.perf_counter() - begin)


def under_idle_sockets(port: int, count: int) -> str:
    held = []
    for _ in range(count):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    time.sleep(0.5)
    status, took = get(port, "/", timeout=60)
    for s in held:
        s.close()
    return f"{len(held)} held: GET / {status or 'failed'} in {took:.2f} s"


def under_slowloris(port: int, count: int, seconds: float = 12.0) -> str:
    held = []
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            held.append(s)
        except OSError:
            break
    stop = threading.Event()

    def drip():
        while not stop.wait(1.0):
            for s in held:
                try:
                    s.sendall(b"X-a: b\r\n")
                except OSError:
                    pass

    dripper = threading.Thread(target=drip)
    dripper.start()
    time.sleep(1.0)
    status, took = get(port, "/", timeout=seconds + 30)
    stop.set()
    dripper.join()
    for s in held:
        s.close()
    return f"{len(held)} dripping: GET / {status or 'failed'} in {took:.2f} s"


def measure(name: str, command: list[str], port: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CRM_DATABASE=str(Path(tmp) / "bench.sqlite3"), CRM_SECRET_KEY="bench")
        started = time.perf_counter()
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            ready = wait_ready(port, started)
            first_search = get(port, "/search?q=" + urllib.parse.quote("客户终身价值"))[1]
            plain, packed = bytes_sent(port, CHAPTER, ""), bytes_sent(port, CHAPTER, "gzip, deflate, br, zstd")
            rate, p95 = page_rate(port, 16, seconds)
            answers = answer_rate(port, 8, 25)
            print(f"\n{name}")
            print(f"  ready after start       {ready:6.2f} s; first search {first_search * 1000:.0f} ms")
            print(f"  chapter bytes sent      {plain:6d} plain, {packed} when the browser accepts gzip")
            print(f"  chapter pages           {rate:6.1f} /s from 16 keep-alive clients, p95 {p95 * 1000:.0f} ms")
            print(f"  practice answers stored {answers:6.1f} /s from 8 students")
            print(f"  idle sockets            {under_idle_sockets(port, 300)}")
            print(f"  slowloris               {under_slowloris(port, 100)}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--only", help="substring of a candidate's name")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; chapter {CHAPTER}")
    port = free_port()
    for name, command in candidates(port).items():
        if args.only is None or args.only in name:
            measure(name, command, port, args.seconds)


if __name__ == "__main__":
    main()
