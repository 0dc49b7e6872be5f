"""What the retrospective puts under "Det venter på dig" (registered in apps.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from . import queries_retro
from .models.retro import RetroBoard

MAX_BOARDS = 3


def items_for(person: Person) -> list[WaitingItem]:
    """Open retrospectives of the pilots whose teams the person is in, or which they lead, and
    the leader's evaluating pilots whose retrospective is not open yet: one query, whatever the
    data (the person's places are `core.queries.placements`, already read by the home page)."""
    items = []
    for pilot in queries_retro.retros_waiting_for(person)[:MAX_BOARDS]:
        phase = getattr(pilot, "retro_phase", None)
        if phase is None:
            label = _("Åbn retrospektivet for %(pilot)s") % {"pilot": pilot.title}
        elif phase == RetroBoard.Phase.CARDS:
            label = _("Skriv dine kort på retrospektivet for %(pilot)s") % {"pilot": pilot.title}
        else:
            label = _("Retrospektivet for %(pilot)s er i gang") % {"pilot": pilot.title}
        items.append(WaitingItem(label, reverse("pilots:retro", kwargs={"pk": pilot.pk})))
    return items
