"""Notifications for a generated large municipality (forankring.core.generate), in proportion
to the demo's: a few for one person in forty, and for every persona login, some read and some
not, so the notification list and the home page's unread count have rows on the large one."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.generate import Target
from forankring.core.models import Person

from .models import Notification

PEOPLE_PER_RECIPIENT = 40
PER_RECIPIENT = 4
SUBJECTS = [
    ("compass.published", "AI-kompas, version 2"),
    ("idea.answered", "Skabelon til forældrebreve"),
    ("usecase.joined", "Udkast til referater"),
    ("lighthouse.appointed", "Sundhed og omsorg"),
]


def add_notifications(target: Target) -> str:
    m = target.municipality
    if Notification.objects.filter(municipality=m).exists():
        return "notifications there already"  # the demo has its own
    rng = target.rng
    now = timezone.now()
    people = list(Person.objects.filter(municipality=m, is_active=True).order_by("pk").values_list("pk", "user_id"))
    # Everyone with a login (the persona kinds) and one person in forty besides.
    recipients = [pk for n, (pk, user_id) in enumerate(people) if user_id or n % PEOPLE_PER_RECIPIENT == 0]
    rows = []
    for pk in recipients:
        for n in range(PER_RECIPIENT):
            kind, subject = rng.choice(SUBJECTS)
            created_at = now - datetime.timedelta(days=rng.randint(0, 30), minutes=n)
            rows.append(
                Notification(
                    municipality=m,
                    recipient_id=pk,
                    kind=kind,
                    subject=subject,
                    url="/",
                    created_at=created_at,
                    read_at=None if n == 0 else created_at + datetime.timedelta(hours=2),
                    emailed_at=created_at,
                )
            )
    Notification.objects.bulk_create(rows, batch_size=2000)
    return f"{len(rows)} notifications for {len(recipients)} people"
