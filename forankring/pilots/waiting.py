"""What the core part of track 4 puts under "Det venter på dig": this week's pulse."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from .queries import pulses_due


def items_for(person: Person) -> list[WaitingItem]:
    """One query for the running pilots, and one for the receipts when there are any: the
    person's places are `core.queries.placements`, which the home page has already read."""
    return [
        WaitingItem(
            _("Ugens puls for »%(title)s«: hvordan går det?") % {"title": pilot.title},
            reverse("pilots:pulse", kwargs={"pk": pilot.pk}),
        )
        for pilot in pulses_due(person)
    ]
