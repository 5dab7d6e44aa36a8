"""bench/classroom.py runs end to end on a tiny class and writes the report the README's figures come from.

Times are never asserted (a benchmark, not a timed test); what must hold on any machine is that every
student got through, nothing acknowledged was lost, and the JSON carries what the README promises."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_small_class_takes_an_assignment_with_nothing_lost(tmp_path):
    report_file = tmp_path / "classroom.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench/classroom.py"), "--students", "3", "--think", "0.05",
                             "--json", str(report_file)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "WORKERS": "3", "THREADS": "2"})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["errors"] == 0 and report["lost"] == 0
    assert report["students"] == 3 and report["think_s"] == 0.05
    assert (report["workers"], report["threads"]) == (3, 2)   # what the server it started says it runs
    for phase in ("spread_10s", "same_second"):
        steps = report[phase]["steps"]
        assert {"join_page", "join", "start", "paper", "save", "submit"} <= set(steps)
        assert steps["submit"]["count"] == 3 and steps["save"]["count"] == 3 * 30   # a 30-question paper
        for step in steps.values():
            assert 0 < step["p50_ms"] <= step["p99_ms"] <= step["max_ms"]
    assert report["steps"] == report["same_second"]["steps"]
    assert 0 < report["floor"]["p50_ms"] <= report["floor"]["p99_ms"] <= report["floor"]["max_ms"]
    assert "lost writes 0" in result.stdout


def test_lost_writes_counts_every_acknowledged_answer_and_submission_missing(tmp_path):
    """The bench's own check must be able to fail: an acknowledged answer or 交卷 that is not stored counts."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import classroom
    finally:
        sys.path.remove(str(ROOT / "bench"))
    database = tmp_path / "db.sqlite3"
    import sqlite3
    db = sqlite3.connect(database)
    db.execute("CREATE TABLE attempts (id INTEGER PRIMARY KEY, submitted_at TEXT)")
    db.execute("CREATE TABLE responses (attempt_id INTEGER, position INTEGER, response TEXT)")
    db.executemany("INSERT INTO attempts VALUES (?, ?)", [(1, "2026-11-30T08:00:00+00:00"), (2, None)])
    db.executemany("INSERT INTO responses VALUES (?, ?, ?)",
                   [(1, 0, json.dumps("A")), (1, 1, json.dumps("学生1的答案q1", ensure_ascii=False)), (2, 0, '"B"')])
    db.commit()
    db.close()
    run = classroom.Run()
    run.acked_saves = {1: [("q0", "A"), ("q1", "学生1的答案q1")], 2: [("q0", "B")]}
    run.acked_submits = {1}
    assert classroom.lost_writes(database, run) == 0
    run.acked_saves[1].append(("q2", "C"))              # acknowledged, never stored
    run.acked_saves[2].append(("q1", "学生2的答案q1"))   # acknowledged text missing
    run.acked_submits.add(2)                            # acknowledged 交卷, still unsubmitted
    assert classroom.lost_writes(database, run) == 3
