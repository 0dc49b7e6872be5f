"""Remind people of the sessions they are signed up for and of refreshes that are near.

Run it on the same timer as `send_digests --due`, just before it (docs/operations.md): each
reminder goes out once however often it runs, and what it creates joins that run's digest."""

from __future__ import annotations

from typing import Any

from forankring.competence import actions
from forankring.core.management.base import ForankringCommand


class Command(ForankringCommand):
    help = "Send training reminders that are due (sessions soon, refreshes near); each once, safe to run hourly."

    def handle(self, *args: Any, **options: Any) -> None:
        reminders, refreshes = actions.send_reminders()
        self.stdout.write(f"{reminders} reminder(s) of sessions, {refreshes} notice(s) of refreshes due")
