"""The kinds of notification and the sentence each is shown as.

A track adds its own kinds with `register(key, sentence)` in its AppConfig.ready(); the sentence
is a gettext_lazy string with `%(subject)s` where the object's title goes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KINDS: dict[str, StrOrPromise] = {
    "idea.answered": _("Der er svar på idéen »%(subject)s«"),
    "idea.new": _("En ny idé venter på svar: »%(subject)s«"),
    "usecase.changed": _("En anvendelse, du følger, er ændret: »%(subject)s«"),
    "usecase.joined": _("En enhed vil også bruge »%(subject)s«"),
    "compass.published": _("Et nyt AI-kompas venter på, at du læser det: »%(subject)s«"),
    "lighthouse.question": _("Du har fået et spørgsmål som fyrtårn: »%(subject)s«"),
    "lighthouse.appointed": _("Du er udpeget som fyrtårn: »%(subject)s«"),
}


def register(key: str, sentence: StrOrPromise) -> None:
    """Add a kind of notification (from a track's AppConfig.ready())."""
    if key in KINDS and KINDS[key] != sentence:
        raise ValueError(f"notification kind {key!r} is already registered with another sentence")
    KINDS[key] = sentence


def render(kind: str, subject: str) -> str:
    sentence = KINDS.get(kind)
    if sentence is None:
        return subject
    return str(sentence) % {"subject": subject}
