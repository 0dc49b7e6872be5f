"""Remind rollout owners of the week's prompt and of the closing note (run it daily from a
timer, like send_digests; each reminder goes out once)."""

from __future__ import annotations

from typing import Any

from forankring.core.management.base import ForankringCommand
from forankring.core.models import Municipality
from forankring.pilots import actions_rollout


class Command(ForankringCommand):
    help = "Tell rollout owners about this week's prompt and a closing note that is due (each once; safe daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        told = 0
        for municipality in Municipality.objects.order_by("pk"):
            told += actions_rollout.remind_rollout_owners(municipality=municipality)
        self.stdout.write(f"{told} reminder(s)")
