"""The server a class uses: waitress, tuned, in WORKERS pre-forked processes that share one socket.

Why waitress and not gunicorn: bench/production_server.py (see the README's class section). waitress
reads every request in its event loop before a thread sees it, so idle or slow ("slowloris") sockets
cost a file descriptor, not a thread; gunicorn's gthread workers hand each new connection to a thread,
and 300 idle sockets held GET / for 55 s. waitress runs one process, so this launcher forks WORKERS of
them after the content, caches and search index are loaded: every worker starts warm and both cores work.

Settings (environment): HOST (0.0.0.0), PORT (8000), WORKERS (two per core, at most 16), THREADS (1 per worker),
CONNECTION_LIMIT (1000 per worker), CHANNEL_TIMEOUT (30 s idle before a connection is closed),
GIL_SWITCH_US (1000: Python's thread switch interval in each worker, in microseconds);
every CRM_* setting is read by the app itself (README, settings table).
"""
from __future__ import annotations

import ctypes
import gc
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from waitress.channel import HTTPChannel  # noqa: E402
from waitress.server import create_server  # noqa: E402

from app import create_production_app  # noqa: E402
from course import check_content  # noqa: E402

MAX_BODY = 1024 * 1024  # waitress refuses bigger bodies itself (413) instead of spooling them to disk
PR_SET_PDEATHSIG = 1


# One request thread per process, two processes per core. A thread inside a write transaction gives
# Python's lock (the GIL) up at every SQLite call (every row a SELECT reads, every row executemany
# writes) and must get it back, while every other writer waits for it at the write gate; a second request
# thread rendering a paper beside it made each of those waits a thread switch. waitress's I/O thread is
# still there, and mostly asleep in poll(). Measured with bench/classroom.py --students 600 --think 2
# (p99 in the same second; switch interval 1 ms, below), 4 x 2 threads -> 4 x 1: start 1.10-1.26 ->
# 0.83-1.25 s, paper 1.20-1.32 -> 1.06-1.24 s, 交卷 1.48-1.53 -> 1.12-1.20 s, and the server's CPU for the
# whole run 187-193 -> 150-152 s; 6 x 1: 1.38, 1.43, 1.11 s. With --think 0 (stress) 60 students went from
# 291-377 to 698 requests/s. At most 16 processes: every write goes through SQLite's one writer anyway,
# and each worker keeps ~20 MB of its own after a class (PSS ~50 MB, measured on this VM).
THREADS = 1
WORKERS = min(16, 2 * len(os.sched_getaffinity(0)))
# How long a thread that wants the GIL waits for the running one before asking it to hand over: Python's
# default is 5 ms. Every request passes from waitress's I/O thread to a request thread and back, so each
# hand-over could wait 5 ms behind a paper being rendered. Measured as above with 4 x 2 threads, 5 ms ->
# 1 ms (two runs): start 1.60 -> 1.10-1.26 s, paper 1.94 -> 1.20-1.32 s, 交卷 1.82 -> 1.48-1.53 s; spread
# over 10 s every step's p99 went from ~390 ms to under 160 ms. 0.5 ms measured no better (1.50, 1.50, 1.47 s).
GIL_SWITCH_US = 1000


class Channel(HTTPChannel):
    """waitress's connection, without its I/O thread spinning while a request thread sends a response.

    waitress (3.0) lets a request thread send its own output (send_bytes is 1), and while that output is
    not all sent yet the stock channel tells the event loop it wants to write. The loop then wakes at
    once (the socket is writable), fails to take the output lock the request thread holds, and goes
    round again: each turn walks every open connection in Python holding the GIL, and the request
    thread, which gives the GIL up at every send(), waits for it each time. In half of the bench's runs
    (600 new connections, each asking for a 6 KB stylesheet twice in the same second) one worker sat on
    ~110 second requests it had already read, answering them over 3-76 s (ss and py-spy: every one of
    them received, the request thread "in send", the I/O thread in readable()/writable()).

    So while a request is being served its own thread does the sending; the loop writes only what the
    request thread left when it finished (service() then wakes the loop), when a closing connection must
    be flushed, or when a slow reader has let more than outbuf_high_watermark pile up: the request thread
    then waits for the loop to drain it (waitress's _flush_outbufs_below_high_watermark), so the loop must.
    The cost: what a streamed response could not send at once waits for its next chunk or its end; this
    app builds every response whole. tests/test_production_channel.py checks every byte still arrives.
    """

    def writable(self):
        if (self.requests and not (self.will_close or self.close_when_flushed)
                and self.total_outbufs_len <= self.adj.outbuf_high_watermark):
            return False
        return super().writable()


def setting(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        sys.exit(f"{name} 必须是正整数（现在是 {value!r}）")
    return int(value)


def die_with_parent(parent: int) -> None:
    """A worker must not outlive its launcher (a SIGKILLed launcher would leave the port taken)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def worker_settings() -> dict[str, int]:
    """Read before any worker is forked: a bad value stops the launcher with its reason, instead of
    every worker exiting at start and being replaced forever."""
    return {"threads": setting("THREADS", THREADS), "connection_limit": setting("CONNECTION_LIMIT", 1000),
            "channel_timeout": setting("CHANNEL_TIMEOUT", 30), "switch_us": setting("GIL_SWITCH_US", GIL_SWITCH_US)}


def run_worker(app, sock: socket.socket, parent: int, settings: dict[str, int]) -> None:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    die_with_parent(parent)
    sys.setswitchinterval(settings["switch_us"] / 1e6)
    server = create_server(app, sockets=[sock], ident="crm", threads=settings["threads"],
                           connection_limit=settings["connection_limit"], channel_timeout=settings["channel_timeout"],
                           cleanup_interval=5, backlog=2048, asyncore_use_poll=True, max_request_body_size=MAX_BODY)
    server.channel_class = Channel
    server.run()
    os._exit(0)


def main() -> None:
    host, port, workers = os.environ.get("HOST") or "0.0.0.0", setting("PORT", 8000), setting("WORKERS", WORKERS)
    settings = worker_settings()
    app = create_production_app()  # content, caches and search index, before the socket exists
    problems = check_content(Path(app.config["CONTENT_DIR"]))   # what `flask check` says, without a second start-up
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"注意：内容检查发现 {len(problems)} 个问题（见上），有问题的章节或题库会暂时不显示。", file=sys.stderr)
    sock = socket.create_server((host, port), backlog=2048)
    sock.setblocking(False)
    parent, children, stopping = os.getpid(), set(), False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            run_worker(app, sock, parent, settings)
        children.add(pid)

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # Everything loaded so far lives as long as the process: freeze it out of the garbage collector, so
    # that no worker pauses to traverse it (a full collection of the loaded content took ~110 ms) and
    # the pages stay shared with the launcher instead of being copied by the collector's bookkeeping.
    gc.collect()
    gc.freeze()
    for _ in range(workers):
        spawn()
    print(f"课程网站已启动：http://{host}:{port}（{workers} 个进程，每个 {settings['threads']} 个线程）", flush=True)
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping:  # a worker died: replace it, after a pause so a crash loop cannot spin
            time.sleep(1)
            spawn()


if __name__ == "__main__":
    main()
