"""What track 1 puts under "Det venter på dig" on the home page (registered in apps.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forankring.core import access
from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from .models import Acknowledgement, Compass
from .queries import unanswered_count


def items_for(person: Person) -> list[WaitingItem]:
    """A fixed handful of queries, whatever the data: the versions on their way or in force,
    whether the person has acknowledged the one in force, and the unanswered concerns they read."""
    compasses = list(
        Compass.objects.filter(
            municipality_id=person.municipality_id,
            status__in=[Compass.Status.PUBLISHED, Compass.Status.HEARING, Compass.Status.APPROVED],
        ).order_by("-version")
    )
    items: list[WaitingItem] = []
    current = next((c for c in compasses if c.status == Compass.Status.PUBLISHED), None)
    if current is not None and not Acknowledgement.objects.filter(compass=current, person=person).exists():
        items.append(
            WaitingItem(
                _("Læs AI-kompasset (version %(version)d), og kvittér for, at du har læst det")
                % {"version": current.version},
                reverse("direction:compass"),
            )
        )
    for compass in compasses:
        url = reverse("direction:compass_detail", kwargs={"pk": compass.pk})
        if compass.status == Compass.Status.HEARING and access.can_comment_in_hearing(person):
            deadline = formats.date_format(compass.hearing_deadline, _("j. F Y")) if compass.hearing_deadline else ""
            items.append(
                WaitingItem(
                    _("Kommentér udkastet til AI-kompasset (version %(version)d) senest %(deadline)s")
                    % {"version": compass.version, "deadline": deadline},
                    url,
                )
            )
        elif compass.status == Compass.Status.HEARING and access.can_edit_direction(person):
            items.append(
                WaitingItem(
                    _("Læs MED's kommentarer til AI-kompasset (version %(version)d)") % {"version": compass.version},
                    url,
                )
            )
        elif compass.status == Compass.Status.APPROVED and access.can_edit_direction(person):
            items.append(
                WaitingItem(
                    _("Offentliggør det godkendte AI-kompas (version %(version)d)") % {"version": compass.version}, url
                )
            )
    # One count for the leaders, MED and direktion (none for anyone else).
    unanswered = unanswered_count(person)
    if unanswered:
        items.append(
            WaitingItem(
                ngettext(
                    "%(n)d bekymring eller ønske venter på svar",
                    "%(n)d bekymringer og ønsker venter på svar",
                    unanswered,
                )
                % {"n": unanswered},
                reverse("direction:concerns"),
            )
        )
    return items
