"""Send this month's gentle reminder to share an AI experience (docs/operations.md: run it from
the same timer as send_digests; it sends once per municipality per month)."""

from __future__ import annotations

from typing import Any

from forankring.core.management.base import ForankringCommand
from forankring.pilots.actions_sharing import send_experience_reminders


class Command(ForankringCommand):
    help = "Remind everyone, once a month per municipality, that they may share an AI experience (safe to run often)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_experience_reminders()
        if not sent:
            self.stdout.write("no municipality is due this month")
        for slug, count in sent.items():
            self.stdout.write(f"{slug}: {count} reminder(s)")
