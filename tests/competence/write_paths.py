"""Track 3's newer actions and commands for tests/privacy/test_every_write_path.py (the older ones
are still in that file): a driver per text argument, each putting the CPR number into that
argument alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from forankring.competence import actions
from tests.factories import Personas, make_activity, make_session

Driver = Callable[[Personas, str, Path], object]


def _change_place(p: Personas, cpr: str, tmp: Path) -> object:
    session = make_session(make_activity(p.municipality))
    starts = timezone.now() + timedelta(days=3)
    return actions.change_session(
        actor=p.admin,
        session=session,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=f"Lokale {cpr}",
        capacity=10,
        host=None,
    )


DRIVERS: dict[str, dict[str, Driver]] = {
    "forankring.competence.actions.change_session": {"place": _change_place},
}

NO_TEXT: dict[str, str] = {
    "forankring.competence.actions.call_off_session": "a session (and the time)",
    "forankring.competence.actions.send_reminders": "only the time; the notices hold stored, screened titles",
    "command:send_competence_reminders": "no argument; the notices hold stored, screened titles",
}
