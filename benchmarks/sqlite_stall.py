"""Writers resume at once after an outside SQLite write lock longer than the busy timeout.

    .venv/bin/python benchmarks/sqlite_stall.py                   # SQLite in a temporary file
    .venv/bin/python benchmarks/sqlite_stall.py --engine django.db.backends.sqlite3   # Django's own

Several threads save the municipality's settings in a loop (`update_municipality_settings`, the
action the stall was seen in). Another connection holds the write lock for longer than the busy
timeout, so the writers' attempts fail with "database is locked" meanwhile, as requests did in
production. The failed attempts leave cursors in reference cycles; to make the garbage
collector free them at the worst moment, each writer runs the collector inside its transaction,
just before its UPDATE, where the production stack dump found it.

Prints what it measured as JSON and exits 1 when writes did not resume within a second of the
release, or a gap of a second or more followed. `tests/core/test_sqlite_stall.py` runs it.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--busy-timeout", type=float, default=2.0, help="seconds (SQLITE_BUSY_TIMEOUT)")
    parser.add_argument("--lock-seconds", type=float, default=3.0, help="how long the outside lock is held")
    parser.add_argument("--after-seconds", type=float, default=2.0, help="how long to watch after the release")
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--engine", default="", help="another database backend to compare with")
    args = parser.parse_args()

    path = Path(tempfile.mkdtemp()) / "stall.sqlite3"
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        SQLITE_PATH=str(path), SQLITE_BUSY_TIMEOUT=str(args.busy_timeout), DEMO_MODE="1", LOG_LEVEL="ERROR"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    from django.conf import settings

    if args.engine:
        settings.DATABASES["default"]["ENGINE"] = args.engine
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import OperationalError, connection

    from forankring.core import actions

    call_command("migrate", verbosity=0)
    _, admin = actions.create_municipality(
        name="Stall Kommune", slug="stall", root_unit_name="Direktion", admin_name="Admin", admin_username="admin"
    )
    connection.close()

    successes: list[float] = []
    failures: list[str] = []
    stop = threading.Event()

    def collect_before_update(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("UPDATE") and "core_municipality" in sql:
            gc.collect()
        return execute(sql, params, many, context)

    def writer(number: int) -> None:
        count = 0
        with connection.execute_wrapper(collect_before_update):
            while not stop.is_set():
                count += 1
                try:
                    actions.update_municipality_settings(
                        actor=admin, level_names=[f"Niveau {number}-{count}"], accessibility_statement_url="", k_min=5
                    )
                    successes.append(time.monotonic())
                except OperationalError as error:  # a request that failed; the server goes on
                    failures.append(str(error))
        connection.close()

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(args.writers)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    outside = sqlite3.connect(path, isolation_level=None, timeout=0.005)
    while True:  # the writers hand the lock on to each other; poll for a gap
        try:
            outside.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError:
            time.sleep(0.001)
    locked_at = time.monotonic()
    time.sleep(args.lock_seconds)
    outside.execute("COMMIT")
    released_at = time.monotonic()
    outside.close()
    time.sleep(args.after_seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=args.busy_timeout * 3 + 5)

    # A write that committed just before the lock was taken may be counted a moment late.
    during = [t for t in successes if locked_at + 0.1 <= t < released_at]
    after = sorted(t for t in successes if t >= released_at)
    marks = [released_at, *after, released_at + args.after_seconds]
    first = after[0] - released_at if after else None
    longest_gap = max(b - a for a, b in itertools.pairwise(marks))
    result = {
        "engine": settings.DATABASES["default"]["ENGINE"],
        "busy_timeout_s": args.busy_timeout,
        "lock_s": args.lock_seconds,
        "writes_while_locked": len(during),
        "writes_in_first_second_after_release": sum(1 for t in after if t < released_at + 1),
        "writes_after_release": len(after),
        "first_write_after_release_s": None if first is None else round(first, 3),
        "longest_gap_after_release_s": round(longest_gap, 3),
        "failed_attempts": len(failures),
    }
    print(json.dumps(result))
    return 0 if first is not None and first < 1 and longest_gap < 1 and not during else 1


if __name__ == "__main__":
    sys.exit(main())
