"""Drivers for the sharing part's actions and command (read by tests/privacy/test_every_write_path.py):
one per text argument, each getting its text to the write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from forankring.pilots import actions_sharing
from tests.factories import Personas
from tests.pilots.factories_sharing import fill_area, make_card, make_closed_pilot

Driver = Callable[[Personas, str, Path], object]


def _card(field: str) -> Driver:
    def drive(p: Personas, text: str, tmp: Path) -> object:
        pilot = make_closed_pilot(p.team_leader, p.team)
        values = {"tried": "Vi prøvede.", "learned": "Vi lærte.", "advice": ""}
        values[field] = f"Tekst {text}"
        return actions_sharing.publish_learning_card(
            actor=p.team_leader, pilot=pilot, tried=values["tried"], learned=values["learned"], advice=values["advice"]
        )

    return drive


def _card_edit(field: str) -> Driver:
    def drive(p: Personas, text: str, tmp: Path) -> object:
        card = make_card(p.team_leader, p.team)
        values = {"tried": card.tried, "learned": card.learned, "advice": card.advice}
        values[field] = f"Tekst {text}"
        return actions_sharing.edit_learning_card(
            actor=p.team_leader, card=card, tried=values["tried"], learned=values["learned"], advice=values["advice"]
        )

    return drive


def _experience(field: str, *, anonymous: bool) -> Driver:
    def drive(p: Personas, text: str, tmp: Path) -> object:
        values = {"title": "Kortere breve", "text": "Det hjalp."}
        values[field] = f"Tekst {text}"
        return actions_sharing.share_experience(
            actor=p.employee,
            area=fill_area(p.municipality, p.team),
            anonymous=anonymous,
            title=values["title"],
            text=values["text"],
        )

    return drive


def _celebration(p: Personas, text: str, tmp: Path) -> object:
    return actions_sharing.celebrate(actor=p.employee, unit=p.team, story=f"Sejr {text}")


DRIVERS: dict[str, dict[str, Driver]] = {
    "forankring.pilots.actions_sharing.publish_learning_card": {
        field: _card(field) for field in ("tried", "learned", "advice")
    },
    "forankring.pilots.actions_sharing.edit_learning_card": {
        field: _card_edit(field) for field in ("tried", "learned", "advice")
    },
    "forankring.pilots.actions_sharing.share_experience": {
        **{field: _experience(field, anonymous=False) for field in ("title", "text")},
        **{f"anonymous {field}": _experience(field, anonymous=True) for field in ("title", "text")},
    },
    "forankring.pilots.actions_sharing.celebrate": {"story": _celebration},
}

NO_TEXT: dict[str, str] = {
    "forankring.pilots.actions_sharing.take_down_experience": "an experience",
    "forankring.pilots.actions_sharing.send_experience_reminders": "a time; the notifications hold a fixed sentence",
    "forankring.pilots.actions_sharing.react": "a celebration and a reaction from a fixed list; stores an HMAC",
    "forankring.pilots.actions_sharing.take_down_celebration": "a celebration",
    "forankring.pilots.actions_sharing.may_publish_card": "reads only",
    "forankring.pilots.actions_sharing.celebration_units": "reads only",
    "forankring.pilots.actions_sharing.receipt_key": "computes a key; stores nothing",
    "forankring.pilots.actions_sharing.month_of": "a date",
    "forankring.pilots.actions_sharing.area_is_large_enough": "reads only",
    "command:remind_experiences": "no argument; the notifications hold a fixed sentence and the month",
}
