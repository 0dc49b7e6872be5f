from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from forankring.core import backup
from forankring.core.management.base import ForankringCommand


class Command(ForankringCommand):
    help = (
        "Back up the database while the application runs: SQLite with its backup API (then an "
        "integrity check of the copy), PostgreSQL with pg_dump --format=custom. docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path, help="The backup file to write (must not exist).")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["target"]
        try:
            if backup.is_sqlite():
                backup.backup_sqlite(target)
            else:
                backup.backup_postgres(target)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {target} ({target.stat().st_size} bytes).")
