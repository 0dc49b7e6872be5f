"""Is the database there, migrated, answering, and (for readiness) taking writes?

Used by /sundhed/ and /sundhed/klar/ and, at start-up, by the WSGI entry point (wsgi.py), which
refuses to serve an unmigrated or missing database instead of letting SQLite create an empty one.

Every check gives up within about a second: with SQLite it opens its own connection with a short
busy timeout (never creating a missing file), with PostgreSQL it sets short statement and lock
timeouts for its one transaction. The answer is a short reason, or "" when all is well; the
detail goes to the log, not to the anonymous caller.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

logger = logging.getLogger(__name__)

CHECK_TIMEOUT = 0.5  # seconds a check waits for a lock
PROBE_SQL = (
    "INSERT INTO core_healthprobe (id, checked_at) VALUES (1, %s) "
    "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at"
)


@functools.cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """The last migration of every app: all applied means the schema is up to date."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def problem(*, write: bool = False) -> str:
    """ "" when the database is healthy, else a short reason ("database not migrated", ...)."""
    # The SQLite backend's own method; the stubs know only the base class.
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():  # type: ignore[attr-defined]
        return _sqlite_problem(Path(connection.settings_dict["NAME"]), write=write)
    return _connection_problem(write=write)


def _missing(applied: set[tuple[str, str]]) -> str:
    return "" if expected_migrations() <= applied else "database not migrated"


def _sqlite_problem(path: Path, *, write: bool) -> str:
    if not path.exists():
        return "database file missing"
    # Every sign-in writes (the session, the last sign-in), so a file we may not write is as
    # broken as a missing one, and this costs no lock.
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return "database is read-only"
    try:
        # mode=rw: open the file that is there, never create an empty one.
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=CHECK_TIMEOUT, isolation_level=None)
    except sqlite3.Error as error:
        return _reason(error)
    try:
        try:
            applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
        except sqlite3.OperationalError as error:
            return "database not migrated" if "no such table" in str(error) else _reason(error)
        if missing := _missing(applied):
            return missing
        if write:
            db.execute("BEGIN IMMEDIATE")
            db.execute(PROBE_SQL.replace("%s", "?"), (timezone.now().isoformat(),))
            db.execute("COMMIT")
        return ""
    except sqlite3.Error as error:
        return _reason(error)
    finally:
        db.close()


def _connection_problem(*, write: bool) -> str:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                ms = int(CHECK_TIMEOUT * 1000)
                cursor.execute(f"SET LOCAL statement_timeout = {ms * 2}; SET LOCAL lock_timeout = {ms}")
            tables = connection.introspection.table_names(cursor)
            if "django_migrations" not in tables:
                return "database not migrated"
            cursor.execute("SELECT app, name FROM django_migrations")
            if missing := _missing(set(cursor.fetchall())):
                return missing
            if write:
                cursor.execute(PROBE_SQL, [timezone.now()])
        return ""
    except DatabaseError as error:
        return _reason(error)


def _reason(error: Exception) -> str:
    logger.warning("Health check failed: %s", error)
    text = str(error).lower()
    for words, reason in (
        ("readonly", "database is read-only"),
        ("read-only", "database is read-only"),
        ("disk is full", "disk full"),
        ("no space", "disk full"),
        ("locked", "database busy"),
        ("lock timeout", "database busy"),
        ("statement timeout", "database busy"),
        ("unable to open", "database file cannot be opened"),
        ("malformed", "database file is damaged"),
        ("not a database", "database file is damaged"),
    ):
        if words in text:
            return reason
    return "database unavailable"


def refuse_to_start_unhealthy() -> None:
    """For the WSGI entry point: stop with a clear message rather than serve a broken database."""
    reason = problem(write=False)
    connection.close()  # opened in the loading thread; requests open their own
    if reason in {"database busy", "database unavailable"}:
        # Passing (a lock, a database server restarting): start, and let /sundhed/ say so until
        # it answers, rather than have the process manager give up on us.
        logger.warning("Starting although the database check failed: %s", reason)
        return
    if reason:
        name = connection.settings_dict.get("NAME")
        raise RuntimeError(
            f"Forankring will not start: {reason} ({name}). "
            "Run `manage.py migrate` (and `manage.py createcachetable`) against this database first, "
            "or restore it from a backup (docs/operations.md)."
        )
