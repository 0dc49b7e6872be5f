"""Online backup and restore of the database: SQLite through its backup API, PostgreSQL through
pg_dump / pg_restore. Used by `manage.py backup_database` and `manage.py restore_database`;
docs/operations.md says when and how.

A restore goes into a fresh database only, and for SQLite never beside leftover `-wal`/`-shm`
files: SQLite would read a stale write-ahead log as part of the restored file and mix old pages
into it without a word.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection


class BackupError(Exception):
    """Refused or failed, with a message for the operator."""


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def sidecars(path: Path) -> list[Path]:
    """The write-ahead log and shared-memory files beside `path` that exist."""
    return [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")) if p.exists()]


def integrity_problem(path: Path) -> str:
    """ "" when SQLite's integrity check finds the file sound, else what it found."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
        finally:
            db.close()
    except sqlite3.Error as error:
        return str(error)
    return "" if rows == ["ok"] else "; ".join(rows[:5])


# --- SQLite ----------------------------------------------------------------------------------


def backup_sqlite(target: Path) -> None:
    """Copy the live database to `target` while the application keeps running.

    The backup API copies a consistent snapshot, WAL included, page by page; writers wait only
    for the moments a step runs. The copy is written beside the target and renamed when checked.
    """
    source_path = sqlite_path()
    if not source_path.exists():
        raise BackupError(f"There is no database at {source_path}.")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new name.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy, pages=1024)  # in steps, so writers are not held up for the whole copy
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        copy.close()
        source.close()
    if problem := integrity_problem(partial):
        partial.unlink()
        raise BackupError(f"The copy failed SQLite's integrity check: {problem}")
    partial.rename(target)


def restore_sqlite(source: Path, *, replace: bool = False) -> Path:
    """Put the backup `source` in place as the configured database; returns its path.

    Refused when the backup is damaged, when a database is there already (unless `replace`), and
    always when `-wal`/`-shm` files lie beside the target: stop the application first.
    """
    target = sqlite_path()
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    if problem := integrity_problem(source):
        raise BackupError(f"The backup {source} failed SQLite's integrity check: {problem}")
    if leftovers := sidecars(target):
        names = ", ".join(str(p) for p in leftovers)
        raise BackupError(
            f"Refusing to restore: {names} exist beside {target}. The application may still be running "
            "(stop it), or it stopped uncleanly; SQLite would mix that write-ahead log into the restored "
            "database. Stop the application, and move those files away with the old database."
        )
    if target.exists() and not replace:
        raise BackupError(f"{target} exists already. Restore into a fresh path, or pass --replace.")
    connection.close()
    incoming = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, incoming)
    if problem := integrity_problem(incoming):
        incoming.unlink()
        raise BackupError(f"The restored copy failed SQLite's integrity check: {problem}")
    os.replace(incoming, target)  # atomic on one file system: the old file or the new one, never half
    return target


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client).")
    s: dict[str, Any] = connection.settings_dict
    args = [program, "--dbname", str(s["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    if sslmode := s.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def backup_postgres(target: Path) -> None:
    """pg_dump in its custom format: a consistent snapshot while the application runs."""
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new name.")
    args, env = _pg_command("pg_dump")
    partial = target.with_name(target.name + ".partial")
    # A list, no shell; the arguments are the operator's own settings and paths.
    result = subprocess.run(  # noqa: S603
        [*args, "--format=custom", "--no-owner", "--file", str(partial)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.rename(target)


def restore_postgres(source: Path) -> None:
    """pg_restore into the configured database, which must be fresh (created empty)."""
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        (tables,) = cursor.fetchone() or (0,)
    connection.close()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({tables} tables). "
            "Restore into a freshly created database (createdb), then point DATABASE_URL at it."
        )
    args, env = _pg_command("pg_restore")
    # A list, no shell; the arguments are the operator's own settings and paths.
    result = subprocess.run(  # noqa: S603
        [*args, "--no-owner", "--exit-on-error", "--single-transaction", str(source)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
