"""Unread notifications under "Det venter på dig" (one query)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from .queries import unread_count


def items_for(person: Person) -> list[WaitingItem]:
    count = unread_count(person)
    if not count:
        return []
    label = ngettext("Du har %(count)d ulæst notifikation", "Du har %(count)d ulæste notifikationer", count) % {
        "count": count
    }
    return [WaitingItem(label, reverse("notifications:list"))]
