"""Every change in notifications: `notify` (what other tracks call), the person's preference,
marking as read, and sending the digests."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections, transaction
from django.db.models import CharField, DateTimeField, Q, QuerySet, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forankring.core import access, audit
from forankring.core.models import Person

from .kinds import KINDS
from .models import DEFAULT_FREQUENCY, DigestRun, Frequency, Notification, Preference


def notify(
    *,
    recipients: Iterable[Person],
    kind: str,
    subject: str,
    url: str = "",
    actor: Person | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell `recipients` that something of `kind` happened to the object titled `subject`, which
    lives at `url` (a path such as reverse(...) gives).

    Call it inside the action's transaction: the notifications are saved with the change or not
    at all, and the e-mails for people who want them at once go out after the commit. The actor
    is not told about their own change; inactive people and people of another municipality than
    the actor's are skipped; each person gets one notification however often they are listed.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; register it in notifications.kinds")
    now = now or timezone.now()
    seen: set[int] = set()
    rows: list[Notification] = []
    for person in recipients:
        if person.pk in seen or not person.is_active:
            continue
        if actor is not None and (person.pk == actor.pk or person.municipality_id != actor.municipality_id):
            continue
        seen.add(person.pk)
        rows.append(
            Notification(
                municipality_id=person.municipality_id,
                recipient=person,
                kind=kind,
                subject=subject[:200],
                url=url,
                created_at=now,
            )
        )
    for row in rows:
        row.full_clean(exclude=["municipality", "recipient"])  # the screen refuses personal data here too
    created = Notification.objects.bulk_create(rows)
    # One query for everyone's choice, however many are told.
    at_once = set(
        Preference.objects.filter(
            person_id__in=[n.recipient_id for n in created], frequency=Frequency.IMMEDIATELY
        ).values_list("person_id", flat=True)
    )
    immediate = [n.pk for n in created if n.recipient_id in at_once and n.recipient.email]
    if immediate:
        transaction.on_commit(lambda: _send_immediately(immediate))
    return created


def notify_all(
    *,
    people: QuerySet[Person],
    kind: str,
    subject: str,
    url: str = "",
    actor: Person | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """`notify` for a crowd: everyone `people` selects (say, all of a municipality's 45,000
    staff when a new AI compass is to be acknowledged), in a fixed number of queries. The rows
    are written by one INSERT … SELECT in the database, so nobody is loaded into memory and
    nothing is done per person. Returns how many were told.

    The same rules as `notify`: call it inside the action's transaction; the actor, inactive
    people and people of another municipality than the actor's are left out; e-mail follows
    each person's choice."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; register it in notifications.kinds")
    now = now or timezone.now()
    subject = subject[:200]
    # The same text for every row: screened once, like a row of `notify`.
    Notification(kind=kind, subject=subject, url=url, created_at=now).full_clean(exclude=["municipality", "recipient"])
    people = people.filter(is_active=True)
    if actor is not None:
        people = people.filter(municipality_id=actor.municipality_id).exclude(pk=actor.pk)
    columns = people.order_by().values_list(
        "municipality_id",
        "pk",
        Value(kind, output_field=CharField()),
        Value(subject, output_field=CharField()),
        Value(url, output_field=CharField()),
        Value(now, output_field=DateTimeField()),
    )
    select_sql, params = columns.query.get_compiler(using=people.db).as_sql()
    quote = connections[people.db].ops.quote_name
    fields = {f.name: f for f in Notification._meta.concrete_fields}
    names = ", ".join(
        quote(fields[name].column) for name in ("municipality", "recipient", "kind", "subject", "url", "created_at")
    )
    table = quote(Notification._meta.db_table)
    with connections[people.db].cursor() as cursor:
        # Table and column names come from the model, the rest is parameters.
        cursor.execute(f"INSERT INTO {table} ({names}) {select_sql}", params)
        told = cursor.rowcount
    immediate = list(
        Notification.objects.filter(
            recipient__in=people,
            kind=kind,
            created_at=now,
            emailed_at__isnull=True,
            recipient__notification_preference__frequency=Frequency.IMMEDIATELY,
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    if immediate:
        transaction.on_commit(lambda: _send_immediately(immediate))
    return told


def _send_immediately(pks: list[int]) -> None:
    notifications = list(Notification.objects.filter(pk__in=pks, emailed_at__isnull=True).select_related("recipient"))
    with get_connection() as connection:
        for notification in notifications:
            _message([notification], connection=connection).send()
            notification.emailed_at = timezone.now()
    Notification.objects.bulk_update(notifications, ["emailed_at"])


def _message(notifications: list[Notification], *, connection: BaseEmailBackend) -> EmailMessage:
    """One e-mail to one person with one line and link per notification, in Danish (the
    product's language; the page itself follows the reader's choice)."""
    recipient = notifications[0].recipient
    with translation.override(settings.LANGUAGE_CODE):
        if len(notifications) == 1:
            subject = _("Forankring: %(text)s") % {"text": notifications[0].text}
        else:
            subject = _("Forankring: %(count)d nye notifikationer") % {"count": len(notifications)}
        lines = [_("Hej %(name)s") % {"name": recipient.name}, ""]
        for notification in notifications:
            lines.append(f"- {notification.text}")
            if notification.url:
                lines.append(f"  {settings.SITE_URL}{notification.url}")
        lines += [
            "",
            _("Du kan ændre, hvor ofte du får e-mails, under Notifikationer i Forankring."),
        ]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        to=[recipient.email],
        connection=connection,
    )


def send_digest(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """One e-mail per person who chose `frequency` (daily or weekly), holding every notification
    not yet e-mailed to them. Returns the number of e-mails sent."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValueError(f"no digest for {frequency!r}")
    now = now or timezone.now()
    wants = Q(recipient__notification_preference__frequency=frequency)
    if frequency == DEFAULT_FREQUENCY:
        wants |= Q(recipient__notification_preference__isnull=True)
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(wants, emailed_at__isnull=True, created_at__lte=now, recipient__is_active=True)
            .exclude(recipient__email="")
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "pk")
        )
        by_person: dict[int, list[Notification]] = defaultdict(list)
        for notification in pending:
            by_person[notification.recipient_id].append(notification)
        with get_connection() as connection:
            for notifications in by_person.values():
                _message(notifications, connection=connection).send()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        DigestRun.objects.update_or_create(frequency=frequency, defaults={"ran_at": now})
    return len(by_person)


def digest_is_due(frequency: str, now: datetime.datetime) -> bool:
    """Daily: not yet sent today (local time). Weekly: not yet sent this ISO week."""
    last = DigestRun.objects.filter(frequency=frequency).values_list("ran_at", flat=True).first()
    if last is None:
        return True
    last_day, today = timezone.localtime(last).date(), timezone.localtime(now).date()
    if frequency == Frequency.DAILY:
        return last_day < today
    return last_day.isocalendar()[:2] < today.isocalendar()[:2]


def set_preference(*, actor: Person, frequency: str) -> Preference:
    """The person's own choice; nobody chooses for someone else."""
    if not actor.is_active:
        access.deny()
    with transaction.atomic():
        preference = Preference.objects.filter(person=actor).first() or Preference(
            municipality_id=actor.municipality_id, person=actor, frequency=DEFAULT_FREQUENCY
        )
        before = {"frequency": preference.frequency}
        preference.frequency = frequency
        preference.full_clean()
        preference.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="notifications.preference",
            obj=preference,
            changes=audit.diff(before, {"frequency": frequency}),
        )
    return preference


def mark_read(*, actor: Person, notification: Notification | None = None, now: datetime.datetime | None = None) -> int:
    """Mark one of the person's notifications (or all of them) as read. Not audited: it changes
    nothing anyone else sees, and a log of when each person read what would itself be a record
    of their behaviour."""
    rows = Notification.objects.filter(municipality_id=actor.municipality_id, recipient=actor, read_at__isnull=True)
    if notification is not None:
        if notification.recipient_id != actor.pk:
            access.deny()
        rows = rows.filter(pk=notification.pk)
    return rows.update(read_at=now or timezone.now())
