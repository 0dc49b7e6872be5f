from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access, tracks

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def navigation() -> list[tuple[str, StrOrPromise]]:
    """The main menu: the overview, the four tracks (each at its app's page once the app has
    claimed it, see core/tracks.py) and the workshops. An entry is current for every page under
    its URL."""
    return [
        ("core:overview", _("Overblik")),
        *[(track.url_name, track.title) for track in tracks.TRACKS],
        ("core:workshops", _("Workshops")),
    ]


def layout(request: HttpRequest) -> dict[str, Any]:
    person = getattr(request, "person", None)
    municipality = getattr(request, "municipality", None)
    nav = []
    if person is not None:
        for name, label in navigation():
            url = reverse(name)
            nav.append({"url": url, "label": label, "current": request.path.startswith(url)})
    return {
        "current_person": person,
        "current_municipality": municipality,
        "main_navigation": nav,
        # A track's name as core/tracks.py writes it, for its pages' titles: {{ track_titles.direction }}.
        "track_titles": {track.key: track.title for track in tracks.TRACKS},
        "show_admin_link": access.is_admin(person),
        "can_switch_municipality": getattr(request, "person_count", 0) > 1,
        # The municipality's own statement; where none is known, the installation's (settings).
        # When the page was made: the print-out's date (base.html). A callable, so it costs nothing
        # where it is not shown.
        "rendered_at": timezone.now,
        "accessibility_statement_url": (municipality.accessibility_statement_url if municipality else "")
        or settings.ACCESSIBILITY_STATEMENT_URL,
    }
