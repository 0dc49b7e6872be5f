from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from forankring.core import backup, health
from forankring.core.management.base import ForankringCommand


class Command(ForankringCommand):
    help = (
        "Restore a backup into a fresh database (stop the application first), check it and verify "
        "every audit chain. SQLite: refused beside leftover -wal/-shm files. PostgreSQL: into an "
        "empty database made with createdb. docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="The backup file.")
        parser.add_argument(
            "--replace", action="store_true", help="SQLite: replace an existing database file (kept nowhere!)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        try:
            if backup.is_sqlite():
                where = str(backup.restore_sqlite(source, replace=options["replace"]))
            else:
                backup.restore_postgres(source)
                where = str(backup.connection.settings_dict["NAME"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if problem := health.problem(write=False):
            hint = " Run `manage.py migrate`, then `manage.py verify_audit`." if "migrated" in problem else ""
            raise CommandError(f"Restored into {where}, but the database is not usable: {problem}.{hint}")
        self.stdout.write(f"Restored {source} into {where}. Verifying the audit log:")
        call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
