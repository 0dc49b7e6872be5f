from __future__ import annotations

from django.core.paginator import Page, Paginator

from forankring.core import access
from forankring.core.models import Person

from .models import DEFAULT_FREQUENCY, Notification, Preference

PER_PAGE = 25


def notifications_page(person: Person, page_number: str | int | None) -> Page[Notification]:
    rows = Notification.objects.filter(municipality_id=person.municipality_id, recipient=person).order_by(
        "-created_at", "-pk"
    )
    return Paginator(rows, PER_PAGE).get_page(page_number)


def unread_count(person: Person) -> int:
    return Notification.objects.filter(
        municipality_id=person.municipality_id, recipient=person, read_at__isnull=True
    ).count()


def get_notification_for(person: Person, pk: int) -> Notification:
    notification = Notification.objects.filter(municipality_id=person.municipality_id, recipient=person, pk=pk).first()
    if notification is None:
        access.deny()
    return notification


def frequency_of(person: Person) -> str:
    preference = Preference.objects.filter(person=person).first()
    return str(preference.frequency if preference else DEFAULT_FREQUENCY)
