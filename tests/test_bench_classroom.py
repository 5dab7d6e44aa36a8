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
                            env={**os.environ, "WORKERS": "3", "THREADS": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["errors"] == 0 and report["lost"] == 0
    assert report["students"] == 3 and report["think_s"] == 0.05
    assert (report["workers"], report["threads"]) == (3, 1)   # what the server it started says it runs
    for phase in ("spread_10s", "same_second"):
        steps = report[phase]["steps"]
        assert {"join_page", "join", "start", "paper", "save", "submit"} <= set(steps)
        assert steps["submit"]["count"] == 3 and steps["save"]["count"] == 3 * 30   # a 30-question paper
        for step in steps.values():
            assert 0 < step["p50_ms"] <= step["p99_ms"] <= step["max_ms"]
    assert report["steps"] == report["same_second"]["steps"]
    assert 0 < report["floor"]["p50_ms"] <= report["floor"]["p99_ms"] <= report["floor"]["max_ms"]
    assert "lost writes 0" in result.stdout
