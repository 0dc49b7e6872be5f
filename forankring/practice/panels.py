"""What track 2 adds to track 1's "Sådan arbejder vi med AI" (core.tracks.register_how_we_work):
the person's nearest lighthouses and the way to the rest."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person
from forankring.core.tracks import Panel

from .queries import nearest_lighthouses


def lighthouses_panel(person: Person) -> Panel:
    """Two queries: the person's units and the lighthouses on their paths."""
    return Panel(
        title=_("Dine fyrtårne"),
        template="practice/_how_we_work_lighthouses.html",
        context={"lighthouses": nearest_lighthouses(person)},
    )
