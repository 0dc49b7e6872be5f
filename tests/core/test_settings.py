"""Settings come from the environment; these check the parts with rules of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from forankring.settings import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"K_MIN", "SECRET_KEY", "DEMO_MODE", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import forankring.settings as s; print(s.K_MIN_DEFAULT)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_a_k_min_below_three():
    result = _load_settings(DEMO_MODE="1", K_MIN="2")
    assert result.returncode != 0
    assert "K_MIN must be at least 3" in result.stderr


def test_it_accepts_k_min_three():
    result = _load_settings(DEMO_MODE="1", K_MIN="3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


def test_it_refuses_to_start_without_a_secret_key_outside_demo_mode():
    result = _load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_reads_a_postgres_url():
    db = database_from_url("postgres://forankring:s%40cret@db.example:5433/forank?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "forankring",
        "s@cret",
        "db.example",
        "5433",
        "forank",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_it_refuses_other_database_urls():
    with pytest.raises(ValueError, match="postgres"):
        database_from_url("mysql://x@y/z")
