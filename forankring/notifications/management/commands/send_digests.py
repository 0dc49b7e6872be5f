"""Send the daily or weekly notification digests (docs/operations.md: run it from a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from forankring.core.management.base import ForankringCommand
from forankring.notifications import actions
from forankring.notifications.models import Frequency


class Command(ForankringCommand):
    help = "Send notification digests: --daily, --weekly, or --due (each digest once per day/week; safe hourly)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--daily", action="store_true", help="send the daily digest now")
        group.add_argument("--weekly", action="store_true", help="send the weekly digest now")
        group.add_argument("--due", action="store_true", help="send whichever digest has not gone out yet")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["daily"]:
            wanted = [Frequency.DAILY]
        elif options["weekly"]:
            wanted = [Frequency.WEEKLY]
        else:
            wanted = [f for f in (Frequency.DAILY, Frequency.WEEKLY) if actions.digest_is_due(f, now)]
        for frequency in wanted:
            sent = actions.send_digest(frequency=frequency, now=now)
            self.stdout.write(f"{frequency}: {sent} e-mail(s)")
