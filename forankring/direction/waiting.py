"""What track 1 puts under "Det venter på dig" on the home page (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
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
    """One query, two for those who read concerns, whatever the data: the versions on their way
    or in force that the person has something to do about, the one in force with whether they
    have acknowledged it, and the unanswered concerns they read (`unanswered_count`).

    It runs on everyone's first page, so it reads only the statuses the person can act on and
    only the columns the items show, as plain rows."""
    comments = access.can_comment_in_hearing(person)
    edits = access.can_edit_direction(person)
    statuses = [Compass.Status.PUBLISHED]
    if comments or edits:
        statuses.append(Compass.Status.HEARING)
    if edits:
        statuses.append(Compass.Status.APPROVED)
    # Rows of (pk, version, status, hearing_deadline, acknowledged); django-stubs cannot type a
    # named row with an annotation in it.
    compasses: list[Any] = list(
        Compass.objects.filter(municipality_id=person.municipality_id, status__in=statuses)
        .annotate(acknowledged=Exists(Acknowledgement.objects.filter(compass=OuterRef("pk"), person=person)))
        .order_by("-version")
        .values_list("pk", "version", "status", "hearing_deadline", "acknowledged", named=True)
    )
    items: list[WaitingItem] = []
    current = next((c for c in compasses if c.status == Compass.Status.PUBLISHED), None)
    if current is not None and not current.acknowledged:
        items.append(
            WaitingItem(
                _("Læs AI-kompasset (version %(version)d), og kvittér for, at du har læst det")
                % {"version": current.version},
                reverse("direction:compass"),
            )
        )
    for compass in compasses:
        if compass.status == Compass.Status.HEARING and comments:
            deadline = formats.date_format(compass.hearing_deadline, _("j. F Y")) if compass.hearing_deadline else ""
            label = _("Kommentér udkastet til AI-kompasset (version %(version)d) senest %(deadline)s") % {
                "version": compass.version,
                "deadline": deadline,
            }
        elif compass.status == Compass.Status.HEARING:
            label = _("Læs MED's kommentarer til AI-kompasset (version %(version)d)") % {"version": compass.version}
        elif compass.status == Compass.Status.APPROVED:
            label = _("Offentliggør det godkendte AI-kompas (version %(version)d)") % {"version": compass.version}
        else:
            continue
        items.append(WaitingItem(label, reverse("direction:compass_detail", kwargs={"pk": compass.pk})))
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
