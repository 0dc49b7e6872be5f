"""Write-path drivers for the retrospective's actions (read by tests/privacy/test_every_write_path.py):
one per text argument, each getting its text as far as the write."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from forankring.pilots import actions_retro
from forankring.pilots.models.retro import RetroBoard, RetroCard, RetroGroup
from tests.factories import Personas
from tests.pilots.retro_support import add_cards, make_board, make_pilot

Driver = Callable[[Personas, str, Path], object]
Phase = RetroBoard.Phase


def _board(p: Personas, phase: str) -> RetroBoard:
    pilot = make_pilot(p.municipality, units=[p.team], leader=p.team_leader, title="Skrivetest")
    return make_board(pilot, phase=phase)


def _card(p: Personas, cpr: str, tmp: Path) -> object:
    board = _board(p, Phase.CARDS)
    return actions_retro.add_card(actor=p.employee, board=board, column="worked", text=f"Borgeren {cpr} blev nævnt")


def _heading(p: Personas, cpr: str, tmp: Path) -> object:
    board = _board(p, Phase.GROUPING)
    add_cards(board, 4)
    cards = list(RetroCard.objects.filter(board=board, column="worked"))
    return actions_retro.group_cards(actor=p.team_leader, board=board, cards=cards, heading=f"Om {cpr}", into=None)


def _group(p: Personas, phase: str) -> RetroGroup:
    board = _board(p, phase)
    return RetroGroup.objects.create(municipality=p.municipality, board=board, column="worked", heading="Tid")


def _note(p: Personas, cpr: str, tmp: Path) -> object:
    return actions_retro.save_note(actor=p.team_leader, group=_group(p, Phase.DISCUSSION), note=f"Sag {cpr}")


def _decide(p: Personas, cpr: str, tmp: Path) -> object:
    board = _board(p, Phase.DECISION)
    return actions_retro.decide(actor=p.executive, board=board, decision="adjust", note=f"Fordi {cpr}")


def _action(p: Personas, cpr: str, tmp: Path) -> object:
    board = _board(p, Phase.ACTIONS)
    due = timezone.localdate() + datetime.timedelta(days=7)
    return actions_retro.add_action(actor=p.team_leader, board=board, what=f"Ring {cpr}", owner=p.employee, due_on=due)


DRIVERS: dict[str, dict[str, Driver]] = {
    "forankring.pilots.actions_retro.add_card": {"text": _card},
    "forankring.pilots.actions_retro.group_cards": {"heading": _heading},
    "forankring.pilots.actions_retro.save_note": {"note": _note},
    "forankring.pilots.actions_retro.decide": {"note": _decide},
    "forankring.pilots.actions_retro.add_action": {"what": _action},
}

NO_TEXT: dict[str, str] = {
    "forankring.pilots.actions_retro.open_board": "a pilot; the notification's subject is the pilot's stored title",
    "forankring.pilots.actions_retro.move_phase": "a board and a direction",
    "forankring.pilots.actions_retro.finish": "a board",
    "forankring.pilots.actions_retro.cast_vote": "a group; stores an HMAC and a count, and a dot with no text",
    "forankring.pilots.actions_retro.ungroup_card": "a card",
}
