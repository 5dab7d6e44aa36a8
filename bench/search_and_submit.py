"""Search latency and answer-submission throughput, reported against in-run baselines."""
from __future__ import annotations

import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402


def timed(fn, repeat: int) -> float:
    """Median seconds per call."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def submit_rate(app, threads: int, per_thread: int) -> float:
    """Answers stored per second with `threads` students answering at once."""
    jobs = []
    for _ in range(threads):
        client = app.test_client()
        token = csrf(client, "/practice")
        location = client.post("/practice", data={"csrf_token": token, "size": "50", "type": "single"}).headers["Location"]
        attempt = location.rsplit("/", 2)[-2]
        jobs.append((client, attempt, token))

    def work(client, attempt, token):
        for pos in range(per_thread):
            client.post(f"/practice/{attempt}/{pos}", data={"csrf_token": token, "q" + str(pos): "A"})

    workers = [threading.Thread(target=work, args=job) for job in jobs]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return threads * per_thread / (time.perf_counter() - start)


def full_paper(client, exam_url: str) -> dict:
    """An answer in every question of the paper: its first choice (A or 正确), or a paragraph of course words."""
    html = client.get(exam_url).get_data(as_text=True)
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)}
    for name, value in re.findall(r'name="(q\d+)" value="([^"]+)"', html):
        form.setdefault(name, value)
    for name in re.findall(r'<textarea[^>]*name="(q\d+)"', html):
        form[name] = "客户关系管理以客户为中心，通过客户满意与客户忠诚提升客户终身价值，" * 6
    return form


def submit_times(app, papers: int) -> tuple[float, float]:
    """Median 交卷 of a fully answered 41-question paper: CPU time alone, wall time while 7 others submit."""
    client = app.test_client()
    token = csrf(client, "/exam")
    urls = [client.post("/exam", data={"csrf_token": token}).headers["Location"] for _ in range(papers * 9)]
    forms = [full_paper(client, url) for url in urls]
    alone = []
    for url, form in zip(urls[:papers], forms[:papers]):
        start = time.process_time()     # CPU time: stable on a loaded machine, and a submit never waits alone
        response = client.post(url + "/submit", data=form)
        assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
        alone.append(time.process_time() - start)
    crowded = []
    for round_ in range(papers):
        batch = list(zip(urls, forms))[papers + round_ * 8: papers + round_ * 8 + 8]
        clients = [app.test_client() for _ in batch]
        for c in clients:
            c.set_cookie("session", client.get_cookie("session").value)
            c.set_cookie("crm_learner", client.get_cookie("crm_learner").value)
        barrier, took = threading.Barrier(len(batch)), []

        def one(c, url, form):
            barrier.wait()
            start = time.perf_counter()
            assert c.post(url + "/submit", data=form).status_code == 302
            took.append(time.perf_counter() - start)

        workers = [threading.Thread(target=one, args=(c, url, form)) for c, (url, form) in zip(clients, batch)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        crowded += took
    return statistics.median(alone), statistics.median(crowded)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "DATABASE": str(Path(tmp) / "bench.sqlite3")})
        client = app.test_client()
        client.get("/search?q=客户终身价值")  # build the index once
        home = timed(lambda: client.get("/"), 50)
        fts = timed(lambda: client.get("/search?q=客户终身价值"), 50)
        like = timed(lambda: client.get("/search?q=满意"), 50)
        question = timed(lambda: client.get("/practice"), 50)
        exam_url = client.post("/exam", data={"csrf_token": csrf(client, "/exam")}).headers["Location"]
        paper = timed(lambda: client.get(exam_url), 30)
        print(f"home page        {home * 1000:7.2f} ms  (baseline)")
        print(f"search 客户终身价值 {fts * 1000:7.2f} ms  = {fts / home:5.2f} x home  (FTS5 trigram)")
        print(f"search 满意        {like * 1000:7.2f} ms  = {like / home:5.2f} x home  (LIKE fallback)")
        one = submit_rate(app, 1, 40)
        eight = submit_rate(app, 8, 40)
        print(f"practice page    {question * 1000:7.2f} ms")
        print(f"exam paper       {paper * 1000:7.2f} ms  = {paper / home:5.2f} x home  (41 questions)")
        print(f"answers stored   {one:7.1f} /s from 1 thread, {eight:7.1f} /s from 8 threads ({eight / one:4.2f} x)")
        alone, crowded = submit_times(app, 5)
        print(f"exam 交卷         {alone * 1000:7.2f} ms CPU (41 answers read, graded, stored in one transaction); "
              f"{crowded * 1000:.2f} ms wall each with 8 submitting at once")


if __name__ == "__main__":
    main()
