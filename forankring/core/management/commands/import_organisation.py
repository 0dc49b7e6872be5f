"""`manage.py import_organisation <kommune> <fil>`: the organisation file from the command line,
e.g. from a nightly job that fetches HR's file. Same checks and the same action as the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.http import Http404

from forankring.core import actions, orgfile
from forankring.core.management.base import ForankringCommand
from forankring.core.models import Municipality, Person, Unit


class Command(ForankringCommand):
    help = (
        "Import units and staff from a CSV or XLSX file (see docs/organisation-import.md). "
        "Nothing is written unless every line is valid; importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="The municipality's slug, e.g. 'eksempel'.")
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show what would change.")
        parser.add_argument(
            "--actor-employee-id",
            default="",
            help="Record the import in the audit log as this administrator instead of 'the command line'.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with the slug {options['municipality']!r}.")
        actor = None
        if options["actor_employee_id"]:
            actor = Person.objects.filter(
                municipality=municipality, employee_id=options["actor_employee_id"], is_active=True
            ).first()
            if actor is None:
                raise CommandError(f"No active person with employee id {options['actor_employee_id']!r} there.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > settings.ORG_IMPORT_MAX_BYTES:
            raise CommandError(f"The file is larger than ORG_IMPORT_MAX_BYTES ({settings.ORG_IMPORT_MAX_BYTES}).")
        roots = Unit.objects.filter(municipality=municipality, parent__isnull=True).values_list("name", flat=True)
        parsed = orgfile.parse(path.read_bytes(), path.name, existing_roots=list(roots))
        if not parsed.ok:
            for error in parsed.errors:
                where = f"linje {error.line}" if error.line else "filen"
                column = f", {error.column}" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            lines = len({e.line for e in parsed.errors if e.line})
            raise CommandError(f"Nothing was imported: {len(parsed.errors)} problems on {lines} lines.")
        try:
            result = actions.import_organisation(
                actor=actor,
                rows=parsed.rows,
                source_name=path.name,
                municipality=municipality,
                dry_run=options["dry_run"],
            )
        except actions.OrganisationImportRefused as refused:
            raise CommandError("Nothing was imported: " + " ".join(refused.reasons)) from refused
        except Http404 as denied:
            raise CommandError("That person is not an administrator of the municipality.") from denied
        for reason in result.blocking:
            self.stderr.write(reason)
        counts = " ".join(f"{key}={value}" for key, value in result.counts().items())
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written. {len(parsed.rows)} lines. {counts}")
        elif result.changed:
            self.stdout.write(self.style.SUCCESS(f"Imported {len(parsed.rows)} lines. {counts}"))
        else:
            self.stdout.write(f"Nothing to change: the file matches what is there. {counts}")
        if result.blocking:
            raise CommandError("The import would be refused.")
