from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access

# The main navigation, by track. `prefix` marks the entry as current for every page under it.
NAVIGATION = [
    ("core:overview", _("Overblik")),
    ("core:track_direction", _("Retning og rammer")),
    ("core:track_practice", _("Faglig forankring")),
    ("core:track_competence", _("Kompetenceudvikling")),
    ("core:track_pilots", _("Lokal afprøvning og læring")),
    ("core:workshops", _("Workshops")),
]


def layout(request: HttpRequest) -> dict[str, Any]:
    person = getattr(request, "person", None)
    municipality = getattr(request, "municipality", None)
    nav = []
    if person is not None:
        for name, label in NAVIGATION:
            url = reverse(name)
            nav.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {
        "current_person": person,
        "current_municipality": municipality,
        "main_navigation": nav,
        "show_admin_link": access.is_admin(person),
        "can_switch_municipality": getattr(request, "person_count", 0) > 1,
        # The municipality's own statement; where none is known, the installation's (settings).
        # When the page was made: the print-out's date (base.html). A callable, so it costs nothing
        # where it is not shown.
        "rendered_at": timezone.now,
        "accessibility_statement_url": (municipality.accessibility_statement_url if municipality else "")
        or settings.ACCESSIBILITY_STATEMENT_URL,
    }
