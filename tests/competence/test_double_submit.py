"""A double click, or a browser that sends again: the same person's second sign-up or completion
arrives while (or after) the first is saved. It gets a friendly answer, never a server error, and
nothing twice."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forankring.competence import actions
from forankring.competence.models import Record, Signup
from forankring.core.models import AuditEvent
from forankring.notifications.models import Notification
from tests.factories import make_activity, make_session


def _token(page: str) -> str:
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert found, "the form carries no submission token"
    return found.group(1)


@pytest.mark.django_db
def test_it_answers_a_second_completion_the_same_day_beside_the_date_and_stores_one(personas):
    activity = make_activity(personas.municipality)
    day = timezone.localdate()
    actions.complete(actor=personas.employee, activity=activity, completed_on=day, evidence="", confirmed=True)
    with pytest.raises(ValidationError) as refused:
        actions.complete(actor=personas.employee, activity=activity, completed_on=day, evidence="", confirmed=True)
    assert refused.value.message_dict == {"completed_on": ["Du har allerede registreret aktiviteten den dag."]}
    assert Record.objects.filter(person=personas.employee).count() == 1
    assert AuditEvent.objects.filter(action="competence.complete").count() == 1


@pytest.mark.django_db
def test_it_sends_the_same_completion_form_posted_twice_to_the_persons_page(client_for, personas):
    activity = make_activity(personas.municipality)
    client = client_for("employee")
    url = reverse("competence:activity_complete", kwargs={"pk": activity.pk})
    data = {
        "submission_token": _token(client.get(url).content.decode()),
        "completed_on": timezone.localdate().isoformat(),
        "evidence": "Kursusbevis",
        "confirmed": "on",
    }
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == reverse("competence:mine")
    assert "Formularen var allerede sendt" in second.content.decode()
    assert Record.objects.filter(person=personas.employee).count() == 1


@pytest.mark.django_db
def test_it_answers_a_second_press_on_sign_up_with_the_place_already_given(client_for, personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    client = client_for("employee")
    url = reverse("competence:session_signup", kwargs={"pk": session.pk})
    client.post(url)
    second = client.post(url, follow=True)
    assert second.status_code == 200
    assert "Du var allerede tilmeldt, så intet er ændret." in second.content.decode()
    assert Signup.objects.filter(session=session, person=personas.employee).count() == 1
    assert Notification.objects.filter(recipient=personas.employee, kind="competence.seat").count() == 1
    assert AuditEvent.objects.filter(action="competence.signup").count() == 1


def _at_once(calls) -> list[object]:
    """Run the calls in threads released together; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except BaseException as error:  # compared by the caller
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_it_gives_one_place_when_the_same_person_signs_up_twice_at_the_same_moment(personas):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's IMMEDIATE transactions serialise writers anyway")
    session = make_session(make_activity(personas.municipality), capacity=5)
    results = _at_once([lambda: actions.sign_up(actor=personas.employee, session=session)] * 2)
    assert all(isinstance(r, Signup) for r in results), results
    assert sorted(bool(getattr(r, "already", False)) for r in results) == [False, True]
    assert Signup.objects.filter(session=session, person=personas.employee).count() == 1
    assert Notification.objects.filter(recipient=personas.employee, kind="competence.seat").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_stores_one_completion_when_the_same_person_registers_twice_at_the_same_moment(personas):
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway")
    activity = make_activity(personas.municipality)
    day = timezone.localdate()

    def complete():
        return actions.complete(
            actor=personas.employee, activity=activity, completed_on=day, evidence="", confirmed=True
        )

    results = _at_once([complete, complete])
    assert sorted(type(r).__name__ for r in results) == ["Record", "ValidationError"], results
    assert Record.objects.filter(person=personas.employee, activity=activity).count() == 1
    assert AuditEvent.objects.filter(action="competence.complete").count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_registers_attendance_once_when_it_is_sent_twice_at_the_same_moment(personas):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's IMMEDIATE transactions serialise writers anyway")
    session = make_session(make_activity(personas.municipality), host=personas.facilitator)
    actions.sign_up(actor=personas.employee, session=session)
    session.starts_at = timezone.now() - datetime.timedelta(hours=1)
    session.ends_at = timezone.now()
    session.save()

    def register():
        return actions.register_attendance(
            actor=personas.facilitator, session=session, person_ids=[personas.employee.pk]
        )

    results = _at_once([register, register])
    assert sorted(len(r) for r in results) == [0, 1], results  # type: ignore[arg-type]
    assert Record.objects.filter(person=personas.employee).count() == 1
