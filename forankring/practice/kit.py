"""The reflection questions of the team's meeting kit, by where the team is.

Three stages, read from the team's own use cases: nothing yet, trying things out, in daily use.
Two or three questions each, about the work and the team, never about a person's own use."""

from __future__ import annotations

from django.utils.translation import gettext as _

STARTING, EXPLORING, USING = "starting", "exploring", "using"


def stage_of(statuses: list[str]) -> str:
    if any(s in ("pilot", "operation") for s in statuses):
        return USING
    if any(s in ("idea", "assessed") for s in statuses):
        return EXPLORING
    return STARTING


def stage_label(stage: str) -> str:
    return {
        STARTING: _("I er ved at komme i gang"),
        EXPLORING: _("I undersøger, hvor AI kan hjælpe"),
        USING: _("I bruger AI i hverdagen"),
    }[stage]


def questions_for(stage: str) -> list[str]:
    if stage == STARTING:
        return [
            _("Hvilken opgave i vores hverdag tager mest tid uden at gøre en forskel for borgerne?"),
            _("Hvad er vi usikre på, når det gælder AI, og hvem kan vi spørge?"),
        ]
    if stage == EXPLORING:
        return [
            _("Hvilken af vores idéer vil vi gerne prøve først, og hvad skal der til?"),
            _("Hvor skal et menneske altid beslutte i den opgave?"),
            _("Er der andre enheder, der arbejder med det samme, som vi kan lære af?"),
        ]
    return [
        _("Hvad har AI gjort lettere eller bedre siden sidst – og hvad har drillet?"),
        _("Er der noget, vi skal holde op med eller gøre anderledes?"),
        _("Hvad vil vi fortælle andre teams om det, vi har lært?"),
    ]
