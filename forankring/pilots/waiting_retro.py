"""What the retrospective puts under "Det venter på dig" (registered in apps.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from . import queries_retro

MAX_BOARDS = 3


def items_for(person: Person) -> list[WaitingItem]:
    """Open retrospectives of the pilots whose teams the person is in, or which they lead: one
    query, whatever the data."""
    return [
        WaitingItem(
            _("Skriv dine kort på retrospektivet for %(pilot)s") % {"pilot": board.pilot.title}
            if board.phase == board.Phase.CARDS
            else _("Retrospektivet for %(pilot)s er i gang") % {"pilot": board.pilot.title},
            reverse("pilots:retro", kwargs={"pk": board.pilot_id}),
        )
        for board in queries_retro.open_boards_for(person)[:MAX_BOARDS]
    ]
