"""/sundhed/ and /sundhed/klar/ tell the truth about the database, and start-up refuses a broken one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from forankring.core.models import HealthProbe

ROOT = Path(__file__).resolve().parents[2]
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite file")


def migrate(path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DEMO_MODE": "1",
            "SQLITE_PATH": str(path),
        },
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
    migrate(path)
    return path


@pytest.fixture
def migrated_file(migrated_template: Path, tmp_path: Path, db: None) -> Path:
    """A migrated database in a file of its own (the test database lives in memory)."""
    target = tmp_path / "copy.sqlite3"
    with sqlite3.connect(migrated_template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


@contextmanager
def database_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> Iterator[None]:
    # The checks open the configured file themselves; the test's own connection stays as it is.
    monkeypatch.setitem(connection.settings_dict, "NAME", str(path))
    yield
    monkeypatch.undo()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file made read-only; as root, whom file modes do not stop, made immutable."""
    path.chmod(0o444)
    immutable = os.access(path, os.W_OK)
    if immutable and (
        shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], check=False).returncode
    ):
        pytest.skip("cannot make a file read-only for this user")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


def answer(url_name: str) -> tuple[int, dict[str, str]]:
    response = Client().get(reverse(url_name))
    return response.status_code, response.json()


@pytest.mark.django_db
def test_it_answers_ok_and_writes_when_ready():
    assert answer("core:health") == (200, {"status": "ok"})
    assert answer("core:ready") == (200, {"status": "ok"})
    assert HealthProbe.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_database_that_is_not_migrated_to_the_end():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'core'")
    assert answer("core:health") == (503, {"status": "error", "reason": "database not migrated"})


@sqlite_only
def test_it_reports_a_missing_sqlite_file_without_creating_it(monkeypatch, tmp_path, db):
    missing = tmp_path / "gone.sqlite3"
    with database_file(monkeypatch, missing):
        assert answer("core:health") == (503, {"status": "error", "reason": "database file missing"})
        assert answer("core:ready")[0] == 503
    assert not missing.exists()


@sqlite_only
def test_it_reports_an_empty_sqlite_file_as_not_migrated(monkeypatch, tmp_path, db):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with database_file(monkeypatch, empty):
        assert answer("core:health") == (503, {"status": "error", "reason": "database not migrated"})


@sqlite_only
def test_it_reports_a_read_only_sqlite_file(monkeypatch, migrated_file):
    with database_file(monkeypatch, migrated_file):
        assert answer("core:ready") == (200, {"status": "ok"})
        with read_only(migrated_file):
            assert answer("core:health") == (503, {"status": "error", "reason": "database is read-only"})
            assert answer("core:ready")[0] == 503


@sqlite_only
def test_it_answers_busy_within_a_second_while_the_write_lock_is_held(monkeypatch, migrated_file):
    import time

    outside = sqlite3.connect(migrated_file, isolation_level=None)
    outside.execute("BEGIN IMMEDIATE")
    try:
        with database_file(monkeypatch, migrated_file):
            assert answer("core:health") == (200, {"status": "ok"})  # reading does not wait in WAL mode
            started = time.monotonic()
            assert answer("core:ready") == (503, {"status": "error", "reason": "database busy"})
            assert time.monotonic() - started < 1.5
    finally:
        outside.execute("ROLLBACK")
        outside.close()


def start(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    environment.update(DEMO_MODE="1", **env)
    return subprocess.run(
        [sys.executable, "-c", "import forankring.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_start_up_refuses_a_missing_database_instead_of_creating_it(tmp_path):
    missing = tmp_path / "forankring.sqlite3"
    result = start(SQLITE_PATH=str(missing))
    assert result.returncode != 0
    assert "Forankring will not start: database file missing" in result.stderr
    assert "manage.py migrate" in result.stderr
    assert not missing.exists()


def test_start_up_refuses_an_unmigrated_database_and_starts_on_a_migrated_one(tmp_path):
    path = tmp_path / "forankring.sqlite3"
    sqlite3.connect(path).close()
    result = start(SQLITE_PATH=str(path))
    assert result.returncode != 0
    assert "database not migrated" in result.stderr
    migrate(path)
    assert start(SQLITE_PATH=str(path)).returncode == 0
