"""Move every running pilot whose end date has passed to evaluating (run it daily or more often
from a timer, like remind_rollouts; a pilot moves once)."""

from __future__ import annotations

from typing import Any

from forankring.core.management.base import ForankringCommand
from forankring.pilots import actions


class Command(ForankringCommand):
    help = "Send running pilots whose end date has passed to evaluation, and tell their people (safe to run often)."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = actions.evaluate_ended_pilots()
        self.stdout.write(f"{moved} pilot(s) sent to evaluation")
