"""A gunicorn worker killed mid-load loses no acknowledged check-in and doubles none.

A short run of bench/bench_kill_worker.py (its own throwaway PostgreSQL and gunicorn);
`make bench` runs the longer one.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_killing_a_worker_loses_and_doubles_nothing():
    env = {**os.environ, "KILL_SCANS": "200", "KILL_CLIENTS": "8", "KILL_WORKERS": "3"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [sys.executable, "bench/bench_kill_worker.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "duplicates:              0" in run.stdout
    assert "lost:                    0" in run.stdout
    assert "gunicorn replaced it:    yes" in run.stdout
