"""The notifications app's crowd path for tests/privacy/test_every_write_path.py (`notify` itself
is driven in that file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from forankring.core.models import Person
from forankring.notifications import actions
from tests.factories import Personas

Driver = Callable[[Personas, str, Path], object]


def _notify_all(p: Personas, cpr: str, tmp: Path) -> object:
    return actions.notify_all(
        people=Person.objects.filter(municipality=p.municipality), kind="idea.new", subject=f"Borger {cpr}", url="/"
    )


DRIVERS: dict[str, dict[str, Driver]] = {"forankring.notifications.actions.notify_all": {"subject": _notify_all}}

NO_TEXT: dict[str, str] = {}
