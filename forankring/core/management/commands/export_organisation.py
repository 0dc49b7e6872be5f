"""`manage.py export_organisation <kommune> <fil.csv|fil.xlsx>`: the organisation in the import
format; importing the file again changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from forankring.core import orgfile, queries
from forankring.core.management.base import ForankringCommand
from forankring.core.models import Municipality


class Command(ForankringCommand):
    help = "Export units and staff to a CSV (UTF-8 with BOM, ';') or XLSX file in the import format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="The municipality's slug, e.g. 'eksempel'.")
        parser.add_argument("file", help="Where to write: a name ending in .csv or .xlsx.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with the slug {options['municipality']!r}.")
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in orgfile.CONTENT_TYPES:
            raise CommandError("The file name must end in .csv or .xlsx.")
        lines = 0

        def counted() -> Iterator[orgfile.OrgRow]:
            nonlocal lines
            for row in queries.organisation_rows_of(municipality):
                lines += 1
                yield row

        # Written as it is read, so a large municipality needs no more memory than a small one.
        with path.open("wb") as target:
            for chunk in orgfile.write_chunks(counted(), fmt):
                target.write(chunk)
        self.stdout.write(self.style.SUCCESS(f"Wrote {lines} lines to {path}."))
