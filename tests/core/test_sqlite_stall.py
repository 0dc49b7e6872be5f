"""An outside SQLite write lock longer than the busy timeout: writes resume as soon as it ends.

Runs benchmarks/sqlite_stall.py in its own process (its own database file, migrated from
scratch): about 10 seconds. The script's docstring says what it does and why.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "forankring.core.sqlite", reason="the SQLite backend's behaviour"
)


def test_it_resumes_writes_within_a_second_after_a_long_outside_lock():
    result = subprocess.run(
        [sys.executable, "benchmarks/sqlite_stall.py", "--busy-timeout", "2", "--lock-seconds", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["failed_attempts"] > 0, "the lock must outlast the busy timeout, or nothing was tested"
    assert measured["writes_while_locked"] == 0
    assert measured["first_write_after_release_s"] is not None
    assert measured["first_write_after_release_s"] < 1, measured
    assert measured["longest_gap_after_release_s"] < 1, measured
    assert result.returncode == 0, result.stderr
