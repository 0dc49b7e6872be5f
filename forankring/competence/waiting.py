"""What track 3 puts under "Det venter på dig" on the home page (registered in apps.py)."""

from __future__ import annotations

import datetime

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
    (for whoever runs sessions) sessions held but with no attendance registered."""
    now = timezone.now()
    items: list[WaitingItem] = []
    signups = (
        Signup.objects.filter(
            municipality_id=person.municipality_id,
            person=person,
            status=Signup.Status.SEAT,
            session__cancelled_at__isnull=True,
            session__starts_at__gt=now,
            session__starts_at__lte=now + SESSION_HORIZON,
        )
        .select_related("session__activity")
        .order_by("session__starts_at", "pk")[:MAX_SESSIONS]
    )
    for signup in signups:
        when = formats.date_format(timezone.localtime(signup.session.starts_at), _("j. F \\k\\l. H.i"))
        items.append(
            WaitingItem(
                _("Mød op til %(activity)s %(when)s") % {"activity": signup.session.activity.title, "when": when},
                reverse("competence:session_detail", kwargs={"pk": signup.session_id}),
            )
        )
    # A refresh is due when the newest record of an activity has a refresh date that is near.
    today = timezone.localdate()
    latest: dict[int, Record] = {}
    for record in (
        Record.objects.filter(municipality_id=person.municipality_id, person=person, activity__is_active=True)
        .select_related("activity")
        .order_by("activity_id", "-completed_on", "-pk")
    ):
        latest.setdefault(record.activity_id, record)
    for record in sorted(latest.values(), key=lambda r: (r.next_refresh or today, r.pk)):
        if record.next_refresh is not None and record.next_refresh <= today + REFRESH_HORIZON:
            items.append(
                WaitingItem(
                    _("Genopfrisk %(activity)s senest %(date)s")
                    % {
                        "activity": record.activity.title,
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
        .select_related("activity")
        .distinct()
        .order_by("starts_at", "pk")[:MAX_SESSIONS]
    )
    for session in held:
        items.append(
            WaitingItem(
                _("Registrér fremmøde på %(activity)s") % {"activity": session.activity.title},
                reverse("competence:session_detail", kwargs={"pk": session.pk}),
            )
        )
    return items
