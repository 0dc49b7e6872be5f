"""What track 3 puts under "Det venter på dig" on the home page (registered in apps.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from forankring.core import access
from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from .models import Record, Session, Signup
from .notices import REFRESH_AHEAD

# Sessions this close are shown; refreshes due this soon (or overdue) are shown, as soon as
# the notification about them goes out.
SESSION_HORIZON = datetime.timedelta(days=30)
REFRESH_HORIZON = REFRESH_AHEAD
MAX_SESSIONS = 3


def items_for(person: Person) -> list[WaitingItem]:
    """Three queries, whatever the data: the person's coming sessions, their refreshes due, and
    (for whoever runs sessions) sessions held but with no attendance registered. It runs on
    everyone's first page, so each reads only the columns its items show, as plain rows.

    (One query for both kinds of session, each picked by a limited subquery, saves a round trip
    but costs the ORM more to compile than the two simple queries it replaces.)"""
    now = timezone.now()
    items: list[WaitingItem] = []
    coming = (
        Signup.objects.filter(
            municipality_id=person.municipality_id,
            person=person,
            status=Signup.Status.SEAT,
            session__cancelled_at__isnull=True,
            session__starts_at__gt=now,
            session__starts_at__lte=now + SESSION_HORIZON,
        )
        .order_by("session__starts_at", "pk")
        .values_list("session_id", "session__starts_at", "session__activity__title", named=True)[:MAX_SESSIONS]
    )
    for signup in coming:
        when = formats.date_format(timezone.localtime(signup.session__starts_at), _("j. F \\k\\l. H.i"))
        items.append(
            WaitingItem(
                _("Mød op til %(activity)s %(when)s") % {"activity": signup.session__activity__title, "when": when},
                reverse("competence:session_detail", kwargs={"pk": signup.session_id}),
            )
        )
    # A refresh is due when the newest record of an activity has a refresh date that is near.
    today = timezone.localdate()
    latest: dict[int, Any] = {}
    for record in (
        Record.objects.filter(municipality_id=person.municipality_id, person=person, activity__is_active=True)
        .order_by("activity_id", "-completed_on", "-pk")
        .values_list("pk", "activity_id", "activity__title", "next_refresh", named=True)
    ):
        latest.setdefault(record.activity_id, record)
    for record in sorted(latest.values(), key=lambda r: (r.next_refresh or today, r.pk)):
        if record.next_refresh is not None and record.next_refresh <= today + REFRESH_HORIZON:
            items.append(
                WaitingItem(
                    _("Genopfrisk %(activity)s senest %(date)s")
                    % {
                        "activity": record.activity__title,
                        "date": formats.date_format(record.next_refresh, _("j. F Y")),
                    },
                    reverse("competence:activity_detail", kwargs={"pk": record.activity_id}),
                )
            )
    # Sessions the person ran (or, for those who run learning, sessions nobody was named for).
    runs = Q(host=person) | Q(host__isnull=True) if access.can_manage_learning(person) else Q(host=person)
    held = (
        Session.objects.filter(
            runs,
            municipality_id=person.municipality_id,
            starts_at__lte=now,
            starts_at__gte=now - datetime.timedelta(days=60),
            attendance_registered=False,
            cancelled_at__isnull=True,
            signups__status=Signup.Status.SEAT,
        )
        .distinct()
        .order_by("starts_at", "pk")
        .values_list("pk", "starts_at", "activity__title", named=True)[:MAX_SESSIONS]
    )
    for session in held:
        items.append(
            WaitingItem(
                _("Registrér fremmøde på %(activity)s") % {"activity": session.activity__title},
                reverse("competence:session_detail", kwargs={"pk": session.pk}),
            )
        )
    return items
