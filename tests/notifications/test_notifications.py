from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forankring.core.models import AuditEvent
from forankring.notifications import actions
from forankring.notifications.models import Frequency, Notification, Preference

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_it_collects_one_days_events_for_one_person_into_one_email(personas):
    for hour, subject in enumerate(["Ugeplaner", "Referater", "Forældrebreve"]):
        actions.notify(
            recipients=[personas.employee],
            kind="usecase.changed",
            subject=subject,
            url=reverse("notifications:list"),
            now=DAY + datetime.timedelta(hours=hour),
        )
    actions.notify(recipients=[personas.team_leader], kind="idea.new", subject="Noget andet", now=DAY)

    sent = actions.send_digest(frequency=Frequency.DAILY, now=DAY + datetime.timedelta(hours=20))

    assert sent == 2
    to_employee = [m for m in mail.outbox if m.to == [personas.employee.email]]
    assert len(to_employee) == 1
    body = to_employee[0].body
    assert "Ugeplaner" in body and "Referater" in body and "Forældrebreve" in body
    assert "Noget andet" not in body
    assert "3 nye notifikationer" in to_employee[0].subject
    # Sent once: the next digest has nothing for them.
    mail.outbox.clear()
    assert actions.send_digest(frequency=Frequency.DAILY, now=DAY + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []


def test_it_leaves_weekly_and_no_email_people_out_of_the_daily_digest(personas):
    Preference.objects.create(municipality=personas.municipality, person=personas.employee, frequency="weekly")
    Preference.objects.create(municipality=personas.municipality, person=personas.med, frequency="none")
    actions.notify(recipients=[personas.employee, personas.med], kind="idea.new", subject="Idé", now=DAY)
    assert actions.send_digest(frequency=Frequency.DAILY, now=DAY) == 0
    assert actions.send_digest(frequency=Frequency.WEEKLY, now=DAY) == 1
    assert mail.outbox[0].to == [personas.employee.email]


def test_it_emails_at_once_after_the_commit_for_people_who_want_that(personas, django_capture_on_commit_callbacks):
    Preference.objects.create(municipality=personas.municipality, person=personas.employee, frequency="immediately")
    with django_capture_on_commit_callbacks(execute=True):
        actions.notify(recipients=[personas.employee, personas.team_leader], kind="idea.answered", subject="Referat")
    assert [m.to for m in mail.outbox] == [[personas.employee.email]]
    assert "Referat" in mail.outbox[0].subject
    assert Notification.objects.get(recipient=personas.employee).emailed_at is not None
    assert Notification.objects.get(recipient=personas.team_leader).emailed_at is None


def test_it_does_not_notify_the_actor_or_another_municipality(personas):
    made = actions.notify(
        recipients=[personas.employee, personas.employee, personas.team_leader, personas.outsider],
        kind="idea.new",
        subject="Idé",
        actor=personas.team_leader,
    )
    assert [n.recipient for n in made] == [personas.employee]


def test_it_refuses_a_cpr_number_in_the_subject(personas):
    with pytest.raises(ValidationError):
        actions.notify(recipients=[personas.employee], kind="idea.new", subject="Borger 150372-1240")
    assert not Notification.objects.exists()


def test_it_refuses_an_unknown_kind(personas):
    with pytest.raises(ValueError):
        actions.notify(recipients=[personas.employee], kind="no.such.kind", subject="x")


def test_it_sends_each_digest_once_per_period_when_run_every_hour(personas):
    actions.notify(recipients=[personas.employee], kind="idea.new", subject="Idé", now=DAY)
    assert actions.digest_is_due(Frequency.DAILY, DAY)
    actions.send_digest(frequency=Frequency.DAILY, now=DAY)
    assert not actions.digest_is_due(Frequency.DAILY, DAY + datetime.timedelta(hours=1))
    assert actions.digest_is_due(Frequency.DAILY, DAY + datetime.timedelta(days=1))
    assert actions.digest_is_due(Frequency.WEEKLY, DAY)


def test_it_runs_the_due_digests_from_the_command(personas, capsys):
    actions.notify(recipients=[personas.employee], kind="idea.new", subject="Idé")
    call_command("send_digests", "--due")
    assert len(mail.outbox) == 1
    call_command("send_digests", "--due")
    assert len(mail.outbox) == 1


def test_it_lists_a_persons_own_notifications_and_marks_them_read(personas, client_for):
    actions.notify(recipients=[personas.employee], kind="idea.answered", subject="Referat af møder", url="/retning/")
    actions.notify(recipients=[personas.team_leader], kind="idea.new", subject="Ikke til dig")
    client = client_for("employee")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Referat af møder" in page and "Ikke til dig" not in page
    notification = Notification.objects.get(recipient=personas.employee)
    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302 and response["Location"] == "/retning/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    other = Notification.objects.get(recipient=personas.team_leader)
    assert client.post(reverse("notifications:open", kwargs={"pk": other.pk})).status_code == 404


def test_it_saves_the_persons_choice_with_an_audit_row(personas, client_for):
    client = client_for("employee")
    response = client.post(reverse("notifications:preference"), {"frequency": "weekly"})
    assert response.status_code == 302
    assert Preference.objects.get(person=personas.employee).frequency == "weekly"
    assert AuditEvent.objects.filter(action="notifications.preference", actor=personas.employee).exists()
    response = client.post(reverse("notifications:preference"), {"frequency": "hourly"})
    assert response.status_code == 200 and "form-error" in response.content.decode()


def test_it_lists_notifications_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    def grow() -> None:
        for i in range(30):
            actions.notify(recipients=[personas.employee], kind="idea.new", subject=f"Idé {i}", now=timezone.now())

    actions.notify(recipients=[personas.employee], kind="idea.new", subject="Den første")
    assert_num_queries_stable(client_for("employee"), reverse("notifications:list"), grow=grow)


def test_it_notifies_a_crowd_in_a_fixed_number_of_queries(personas, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forankring.core.models import Person
    from tests.factories import make_person

    Preference.objects.create(municipality=personas.municipality, person=personas.employee, frequency="immediately")
    everyone = Person.objects.filter(municipality=personas.municipality)
    with CaptureQueriesContext(connection) as small, django_capture_on_commit_callbacks(execute=True):
        told = actions.notify_all(people=everyone, kind="compass.published", subject="version 2", actor=personas.admin)
    assert told == everyone.count() - 1
    assert not Notification.objects.filter(recipient=personas.admin).exists()
    assert not Notification.objects.filter(recipient=personas.outsider).exists()
    assert [m.to for m in mail.outbox] == [[personas.employee.email]]
    for n in range(40):
        make_person(personas.municipality, f"Kollega {n}", unit=personas.team)
    with CaptureQueriesContext(connection) as large, django_capture_on_commit_callbacks(execute=True):
        told = actions.notify_all(people=everyone, kind="compass.published", subject="version 3", actor=personas.admin)
    assert told == everyone.count() - 1
    assert len(large) == len(small)
    assert Notification.objects.filter(subject="version 3").count() == told


def test_it_refuses_a_cpr_number_in_the_subject_of_a_crowd_notification(personas):
    from forankring.core.models import Person

    with pytest.raises(ValidationError):
        actions.notify_all(people=Person.objects.all(), kind="idea.new", subject="Borger 150372-1240")
    assert not Notification.objects.exists()
