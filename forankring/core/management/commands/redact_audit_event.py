"""`manage.py redact_audit_event <kommune> <seq> --reason "..."`: take personal data that reached
the audit log anyway out of one row, keeping the chain verifiable (docs/privacy.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from forankring.core import audit
from forankring.core.management.base import ForankringCommand
from forankring.core.models import Municipality

# Who the audit log names as having redacted: the person at the server's command line.
COMMAND_LINE_LABEL = "Kommandolinjen (redact_audit_event)"


class Command(ForankringCommand):
    help = (
        "Empty the actor label, object label and changes of one audit row that holds personal data, "
        "and append a redaction event that vouches for the row, so verify_audit still passes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="The municipality's slug, e.g. 'eksempel'.")
        parser.add_argument("seq", type=int, help="The row's number in that municipality's log.")
        parser.add_argument(
            "--reason",
            required=True,
            help="Why, e.g. the data-protection case number. Stored in the log; must hold no personal data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with the slug {options['municipality']!r}.")
        try:
            event = audit.redact(
                municipality=municipality,
                seq=options["seq"],
                reason=options["reason"],
                actor_label=COMMAND_LINE_LABEL,
            )
        except audit.RedactionRefused as refused:
            raise CommandError(f"Nothing was redacted: {refused}.") from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Redacted row {options['seq']} of {municipality.slug}; redaction event is row {event.seq}."
            )
        )
