"""Backup → restore into a fresh database → integrity check → verify_audit, for SQLite and PostgreSQL.

Each step runs the management command in its own process against its own database, as an
operator would (the suite's database is in memory or shared).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = os.environ.get("BACKUP_TEST_PG", "postgres://postgres@127.0.0.1:5432")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    environment.update(DEMO_MODE="1", LOG_LEVEL="ERROR", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def seed(**env: str) -> None:
    ok(manage("migrate", "--verbosity", "0", **env))
    ok(manage("createcachetable", **env))
    ok(manage("create_municipality", "Backupby", "backupby", "--root-unit", "Direktionen",
              "--admin-name", "Bodil Backup", "--admin-username", "bodil", **env))  # fmt: skip


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with one municipality and its audit row, made once."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
    seed(SQLITE_PATH=str(path))
    return path


@pytest.fixture
def live(seeded: Path, tmp_path: Path) -> Path:
    path = tmp_path / "live.sqlite3"
    shutil.copyfile(seeded, path)
    return path


def names_in_sqlite(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT name FROM core_person ORDER BY name")]


def test_it_backs_up_sqlite_online_and_restores_into_a_fresh_file(tmp_path, live):
    # The application is "running": a connection in WAL mode holds the -wal and -shm files open.
    app = sqlite3.connect(live)
    app.execute("PRAGMA journal_mode=WAL")
    app.execute("UPDATE core_person SET name = name")
    backup = tmp_path / "backup.sqlite3"
    assert "Backup written" in ok(manage("backup_database", str(backup), SQLITE_PATH=str(live)))
    app.close()
    assert not Path(f"{backup}-wal").exists()
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    fresh = tmp_path / "restored" / "forankring.sqlite3"
    fresh.parent.mkdir()
    out = ok(manage("restore_database", str(backup), SQLITE_PATH=str(fresh)))
    assert "backupby: ok, 1 rows" in out  # verify_audit ran on the restored database
    assert names_in_sqlite(fresh) == names_in_sqlite(live) == ["Bodil Backup"]
    # The restored database is one the application will start on.
    start = subprocess.run(
        [sys.executable, "-c", "import forankring.wsgi"],
        cwd=ROOT,
        env={**os.environ, "DEMO_MODE": "1", "SQLITE_PATH": str(fresh)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert start.returncode == 0, start.stderr


def test_it_refuses_to_restore_beside_a_stale_write_ahead_log(tmp_path, live):
    backup = tmp_path / "backup.sqlite3"
    ok(manage("backup_database", str(backup), SQLITE_PATH=str(live)))
    target = tmp_path / "old.sqlite3"
    shutil.copyfile(live, target)
    stale = Path(f"{target}-wal")
    stale.write_bytes(b"left behind by a crashed server")
    before = target.read_bytes()
    result = manage("restore_database", str(backup), "--replace", SQLITE_PATH=str(target))
    assert result.returncode != 0
    assert "Refusing to restore" in result.stderr
    assert f"{target}-wal" in result.stderr
    assert target.read_bytes() == before  # nothing touched
    stale.unlink()
    assert "exists already" in manage("restore_database", str(backup), SQLITE_PATH=str(target)).stderr
    ok(manage("restore_database", str(backup), "--replace", SQLITE_PATH=str(target)))


def test_it_refuses_a_damaged_backup(tmp_path, live):
    backup = tmp_path / "backup.sqlite3"
    ok(manage("backup_database", str(backup), SQLITE_PATH=str(live)))
    data = bytearray(backup.read_bytes())
    data[4096 * 3 : 4096 * 3 + 64] = b"\xff" * 64  # scribble over a page
    backup.write_bytes(bytes(data))
    fresh = tmp_path / "fresh.sqlite3"
    result = manage("restore_database", str(backup), SQLITE_PATH=str(fresh))
    assert result.returncode != 0
    assert "integrity check" in result.stderr or "malformed" in result.stderr
    assert not fresh.exists()


def psql(database: str, sql: str) -> None:
    subprocess.run(["psql", f"{PG_SERVER}/{database}", "-qAtc", sql], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("psql") is None, reason="no PostgreSQL tools")
def test_it_backs_up_postgresql_and_restores_into_a_fresh_database(tmp_path):
    if subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qAtc", "SELECT 1"], capture_output=True).returncode:
        pytest.skip("no PostgreSQL server to test against")
    suffix = uuid.uuid4().hex[:8]
    live, fresh = f"prod_faults_backup_src_{suffix}", f"prod_faults_backup_dst_{suffix}"
    psql("postgres", f"CREATE DATABASE {live}")
    psql("postgres", f"CREATE DATABASE {fresh}")
    try:
        seed(DATABASE_URL=f"{PG_SERVER}/{live}")
        backup = tmp_path / "backup.dump"
        ok(manage("backup_database", str(backup), DATABASE_URL=f"{PG_SERVER}/{live}"))
        out = ok(manage("restore_database", str(backup), DATABASE_URL=f"{PG_SERVER}/{fresh}"))
        assert "backupby: ok, 1 rows" in out
        # A second restore into the now full database is refused.
        again = manage("restore_database", str(backup), DATABASE_URL=f"{PG_SERVER}/{fresh}")
        assert again.returncode != 0
        assert "is not empty" in again.stderr
    finally:
        psql("postgres", f"DROP DATABASE IF EXISTS {live} WITH (FORCE)")
        psql("postgres", f"DROP DATABASE IF EXISTS {fresh} WITH (FORCE)")
