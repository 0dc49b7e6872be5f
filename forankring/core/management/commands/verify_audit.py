from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from forankring.core import audit
from forankring.core.management.base import ForankringCommand
from forankring.core.models import Municipality


class Command(ForankringCommand):
    help = (
        "Verify the hash chain of every municipality's audit log (or one with --municipality) and "
        "store the result. Prints one line per municipality; exits 1 if any chain is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", metavar="SLUG", help="Only this municipality (its short name).")

    def handle(self, *args: Any, **options: Any) -> None:
        municipalities = Municipality.objects.order_by("slug")
        if options["municipality"]:
            municipalities = municipalities.filter(slug=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"No municipality with the short name {options['municipality']!r}.")
        broken = 0
        for municipality in municipalities:
            report, _check = audit.verify_and_store(municipality)
            if report.problem is None:
                # The head hash is printed so it can be kept outside the database: with it, even
                # a rewrite that recomputed every later hash is caught by comparing heads.
                head = f", head {report.head_seq}:{report.head_hash}" if report.rows else ""
                self.stdout.write(f"{municipality.slug}: ok, {report.rows} rows{head}")
            else:
                broken += 1
                with translation.override("en"):  # for the operators' logs, as the rest of the output
                    reason = report.problem.reason
                self.stdout.write(f"{municipality.slug}: BROKEN at row seq {report.problem.seq}: {reason}")
        if broken:
            self.stderr.write(f"{broken} broken audit chain(s).")
            raise SystemExit(1)
