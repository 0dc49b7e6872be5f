"""SQLite, with the wait for the write lock done in Python instead of inside SQLite.

Why: SQLite's own busy handler sleeps *inside* `sqlite3_step` while holding the connection's
mutex. Python's garbage collector may free a cursor of that connection in any thread, and
freeing a cursor whose statement is still open calls `sqlite3_reset`, which needs that mutex.
When the freeing thread is the one holding the write lock (inside a transaction), it waits for
the sleeper, and the sleeper waits for the write lock: every writer stalls until the sleeper's
busy timeout runs out. It happened after a long outside lock: requests that had failed with
"database is locked" left their cursors in reference cycles (the exception's traceback holds
the frames that hold the cursor), and the collector freed them inside the next transaction.

So this backend
- keeps SQLite's own busy timeout short (BUSY_STEP_MS): a thread holds its mutex while asleep
  for at most that long, and
- waits the rest of the configured timeout in Python, between attempts, with the mutex free.
  Only statements that may be repeated safely are retried: `BEGIN` and statements outside a
  transaction, which SQLite refuses as a whole when it answers "busy".
- closes a cursor whose statement failed, in the thread that owns it, so a failed statement
  never waits for the garbage collector.

The configured timeout is OPTIONS["timeout"] (seconds), as for Django's own SQLite backend.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base

# How long SQLite's own busy handler may sleep with the connection's mutex held (milliseconds).
BUSY_STEP_MS = 20
# Sleeps between attempts in Python: short at first, so a released lock is taken up at once.
_BACKOFF = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05)


def is_busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED} or (
        "database is locked" in str(error)
    )


class DatabaseWrapper(base.DatabaseWrapper):
    busy_timeout: float = 5.0

    def get_connection_params(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_connection_params()
        self.busy_timeout = float(kwargs.get("timeout", self.busy_timeout))
        return kwargs

    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        # Opening (and the init commands, e.g. switching to WAL) waits the full timeout inside
        # SQLite; no cursor of this connection exists yet that anyone could free.
        connection: sqlite3.Connection = super().get_new_connection(conn_params)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_STEP_MS}")
        return connection

    def create_cursor(self, name: str | None = None) -> CursorWrapper:
        cursor = self.connection.cursor(factory=CursorWrapper)
        cursor.busy_timeout = self.busy_timeout
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        # Django's own leaves this cursor open for the garbage collector; close it here.
        with self.cursor() as cursor:
            mode = getattr(self, "transaction_mode", None)  # set by get_connection_params; not in the stubs
            cursor.execute(f"BEGIN {mode}" if mode else "BEGIN")


class CursorWrapper(base.SQLiteCursorWrapper):
    busy_timeout: float = 5.0

    def execute(self, query: str, params: Any = None) -> Any:
        return self._run(super().execute, query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        # A generator of parameters cannot be replayed, so a list is taken for retries.
        return self._run(super().executemany, query, list(param_list))

    def _run(self, statement: Callable[..., Any], query: str, params: Any) -> Any:
        # Outside a transaction a busy answer means nothing was done, so trying again is safe.
        repeatable = not self.connection.in_transaction
        deadline = time.monotonic() + self.busy_timeout
        attempt = 0
        while True:
            try:
                return statement(query, params)
            except sqlite3.OperationalError as error:
                if repeatable and is_busy(error) and time.monotonic() < deadline:
                    time.sleep(min(_BACKOFF[min(attempt, len(_BACKOFF) - 1)], max(deadline - time.monotonic(), 0)))
                    attempt += 1
                    continue
                self.close()
                raise
            except sqlite3.Error:
                self.close()
                raise
