"""The four tracks and what they put on the home page, without core importing any track.

Core knows the tracks' titles and summaries (the home page and the menu show all four from day
one). A track's app claims its entry when it is built, in its `AppConfig.ready()`:

    tracks.register_page("direction", "direction:index")
    tracks.register_waiting(waiting_items)   # person -> items for "Det venter på dig"
    tracks.register_how_we_work(panel)       # person -> a section of "Sådan arbejder vi med AI"
    tracks.register_home_panel("app/_panel.html", context)   # person -> the panel's context
    tracks.register_team_kit_section(section)  # (person, team) -> a section of the team's meeting kit

A track nobody has claimed keeps core's "Kommer snart" page at `core:track_<key>`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import Municipality, Person, Unit
else:
    StrOrPromise = str


@dataclass(frozen=True)
class Track:
    key: str
    path: str  # core's placeholder path, also the prefix the track's app should use
    title: StrOrPromise
    summary: StrOrPromise

    @property
    def url_name(self) -> str:
        """The URL name of the track's landing page: the app's, or core's placeholder."""
        return _pages.get(self.key, f"core:track_{self.key}")

    @property
    def has_page(self) -> bool:
        return self.key in _pages


TRACKS: tuple[Track, ...] = (
    Track(
        "direction",
        "retning/",
        _("Retning og rammer"),
        _("Direktionens formål med AI, AI-kompasset med principper og regler, og hvem der beslutter hvad."),
    ),
    Track(
        "practice",
        "praksis/",
        _("Faglig forankring"),
        _("AI gjort konkret i jeres fag: fokusområder, opgaver hvor AI kan hjælpe, og lokale fyrtårne."),
    ),
    Track(
        "competence",
        "kompetence/",
        _("Kompetenceudvikling"),
        _(
            "Fælles grundforståelse for alle, læring tæt på praksis og overblik over, "
            "hvem der har fået hvilken træning."
        ),
    ),
    Track(
        "pilots",
        "afproevning/",
        _("Lokal afprøvning og læring"),
        _("Små, trygge og tidsafgrænsede afprøvninger, fælles refleksion og læring – også når noget ikke virkede."),
    ),
)
TRACKS_BY_KEY = {track.key: track for track in TRACKS}

_pages: dict[str, str] = {}


def register_page(key: str, url_name: str) -> None:
    """Let a track's app own its landing page (call from AppConfig.ready())."""
    if key not in TRACKS_BY_KEY:
        raise ValueError(f"unknown track {key!r}")
    _pages[key] = url_name


# --- "Det venter på dig" ---------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingItem:
    """One thing on a person's home page: a link and what it is about."""

    label: StrOrPromise
    url: str


WaitingProvider = Callable[["Person"], Iterable[WaitingItem]]
_providers: list[WaitingProvider] = []


def register_waiting(provider: WaitingProvider) -> None:
    """Add a source of home-page items. A provider runs a fixed, small number of queries per
    person: the home page is everyone's first page."""
    if provider not in _providers:
        _providers.append(provider)


def waiting_for(person: Person) -> list[WaitingItem]:
    return [item for provider in _providers for item in provider(person)]


# --- "Sådan arbejder vi med AI" ----------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A section a track adds to track 1's page "Sådan arbejder vi med AI": a heading (an <h2>
    on the page), the track's template for the body and what that template needs."""

    title: StrOrPromise
    template: str
    context: dict[str, object]


PanelProvider = Callable[["Person"], "Panel | None"]
_panels: list[PanelProvider] = []


def register_how_we_work(provider: PanelProvider) -> None:
    """Add a section to "Sådan arbejder vi med AI" without track 1 importing the track. The
    provider returns None to leave its section out for this person, and runs a fixed, small
    number of queries: the page is meant for everyone."""
    if provider not in _panels:
        _panels.append(provider)


def how_we_work_panels(person: Person) -> list[Panel]:
    return [panel for provider in _panels if (panel := provider(person)) is not None]


# --- The team's meeting kit ------------------------------------------------------------------


TeamKitProvider = Callable[["Person", "Unit"], "Panel | None"]
_team_kit_sections: list[TeamKitProvider] = []


def register_team_kit_section(provider: TeamKitProvider) -> None:
    """Add a section to track 2's printable meeting kit for a team's AI item, without track 2
    importing the track. The provider gets the reader and the team (already access-checked by
    track 2) and returns a `Panel`, or None to leave the section out (nothing to say for this
    team). It runs a fixed, small number of queries, and its template must print on paper: the
    kit is printed for the meeting."""
    if provider not in _team_kit_sections:
        _team_kit_sections.append(provider)


def team_kit_sections(person: Person, unit: Unit) -> list[Panel]:
    return [panel for provider in _team_kit_sections if (panel := provider(person, unit)) is not None]


# --- Panels on the home page ----------------------------------------------------------------


@dataclass(frozen=True)
class HomePanel:
    """A track's block on the home page: its template, and a function giving the template's
    context for the person (it gets it as `panel`)."""

    template: str
    context: Callable[[Person], dict[str, object]]


_home_panels: list[HomePanel] = []


def register_home_panel(template: str, context: Callable[[Person], dict[str, object]]) -> None:
    """Add a block to everyone's home page (call from AppConfig.ready()). Like a waiting provider,
    `context` runs on everyone's first page: a fixed, small number of queries, whatever the data."""
    panel = HomePanel(template, context)
    if panel not in _home_panels:
        _home_panels.append(panel)


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, object]


def home_panels_for(person: Person) -> list[RenderedPanel]:
    return [RenderedPanel(panel.template, panel.context(person)) for panel in _home_panels]


# --- Demo data ------------------------------------------------------------------------------

# (the demo municipality, its demo logins by username) -> None
DemoLoader = Callable[["Municipality", dict[str, "Person"]], None]
_demo_loaders: list[DemoLoader] = []


def register_demo(loader: DemoLoader) -> None:
    """Let a track add its example content to the demo municipality (core/demo.py calls it)."""
    if loader not in _demo_loaders:
        _demo_loaders.append(loader)


def load_demos(municipality: Municipality, logins: dict[str, Person]) -> None:
    for loader in _demo_loaders:
        loader(municipality, logins)
