"""Sessions: sign-up, the waiting list, cancellation, the calendar file and attendance."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from forankring.competence import actions, dates
from forankring.competence.models import Record, Signup
from forankring.core.models import AuditEvent
from tests.factories import make_activity, make_person, make_session


def test_it_gives_a_seat_and_then_puts_the_next_person_on_the_waiting_list(personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    first = actions.sign_up(actor=personas.employee, session=session)
    second = actions.sign_up(actor=personas.lighthouse, session=session)
    assert (first.status, second.status) == (Signup.Status.SEAT, Signup.Status.WAITING)
    assert AuditEvent.objects.filter(action="competence.signup").count() == 1
    assert AuditEvent.objects.filter(action="competence.waiting").count() == 1


def test_it_moves_the_first_on_the_waiting_list_up_when_a_seat_is_given_up(personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)
    actions.sign_up(actor=personas.med, session=session)
    promoted = actions.cancel(actor=personas.employee, session=session)
    assert promoted is not None and promoted.person == personas.lighthouse
    by_person = {s.person_id: s.status for s in Signup.objects.filter(session=session)}
    assert by_person[personas.employee.pk] == Signup.Status.CANCELLED
    assert by_person[personas.lighthouse.pk] == Signup.Status.SEAT
    assert by_person[personas.med.pk] == Signup.Status.WAITING
    assert AuditEvent.objects.filter(action="competence.promote").count() == 1


def test_it_does_not_move_anyone_up_when_someone_on_the_waiting_list_cancels(personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)
    assert actions.cancel(actor=personas.lighthouse, session=session) is None
    assert Signup.objects.filter(session=session, status=Signup.Status.SEAT).count() == 1


def test_it_sends_someone_who_signs_up_again_to_the_back_of_the_queue(personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)
    actions.cancel(actor=personas.employee, session=session)
    again = actions.sign_up(actor=personas.employee, session=session)
    assert again.status == Signup.Status.WAITING


def test_it_refuses_signing_up_for_a_session_that_has_begun(personas):
    session = make_session(make_activity(personas.municipality), days=-1)
    with pytest.raises(ValidationError):
        actions.sign_up(actor=personas.employee, session=session)
    assert not Signup.objects.exists()


def test_it_refuses_a_session_of_another_municipality(personas):
    session = make_session(make_activity(personas.other_municipality))
    with pytest.raises(Http404):
        actions.sign_up(actor=personas.employee, session=session)


@pytest.mark.django_db(transaction=True)
def test_it_never_gives_more_seats_than_there_are_under_concurrent_sign_ups(personas):
    """Eight people press "Tilmeld" for three seats at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's IMMEDIATE transactions serialise writers anyway")
    session = make_session(make_activity(personas.municipality), capacity=3)
    people = [make_person(personas.municipality, f"Deltager {i}", unit=personas.team) for i in range(8)]
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def sign_up(person):
        try:
            barrier.wait(timeout=10)
            actions.sign_up(actor=person, session=session)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Signup.objects.filter(session=session, status=Signup.Status.SEAT).count() == 3
    assert Signup.objects.filter(session=session, status=Signup.Status.WAITING).count() == 5


def test_it_signs_up_and_cancels_through_the_page(client_for, personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    client = client_for("employee")
    response = client.post(reverse("competence:session_signup", kwargs={"pk": session.pk}), follow=True)
    assert "Du er tilmeldt." in response.content.decode()
    other = client_for("lighthouse").post(reverse("competence:session_signup", kwargs={"pk": session.pk}), follow=True)
    assert "nummer 1 på ventelisten" in other.content.decode()
    client.post(reverse("competence:session_cancel", kwargs={"pk": session.pk}))
    page = client_for("lighthouse").get(reverse("competence:session_detail", kwargs={"pk": session.pk}))
    assert "Du er tilmeldt." in page.content.decode()


def test_it_gives_a_calendar_file_a_calendar_can_read(client_for, personas):
    session = make_session(make_activity(personas.municipality, title='Prompt; værksted, for "alle"'))
    response = client_for("employee").get(reverse("competence:session_ics", kwargs={"pk": session.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == 'Prompt; værksted, for "alle"'
    # Calendars keep whole seconds.
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == session.ends_at.replace(microsecond=0)
    assert str(event["URL"]).endswith(reverse("competence:session_detail", kwargs={"pk": session.pk}))
    assert str(event["LOCATION"]) == session.place
    assert str(event["UID"]).startswith(f"session-{session.pk}@")


def test_it_registers_attendance_for_everyone_at_once_with_a_refresh_date(personas):
    activity = make_activity(personas.municipality, refresh_months=12)
    session = make_session(activity, days=1, host=personas.facilitator)
    for who in (personas.employee, personas.lighthouse, personas.med):
        actions.sign_up(actor=who, session=session)
    session.starts_at = timezone.now() - datetime.timedelta(hours=3)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()
    created = actions.register_attendance(
        actor=personas.facilitator, session=session, person_ids=[personas.employee.pk, personas.lighthouse.pk]
    )
    assert {r.person_id for r in created} == {personas.employee.pk, personas.lighthouse.pk}
    record = Record.objects.get(person=personas.employee)
    day = timezone.localtime(session.starts_at).date()
    assert record.completed_on == day
    assert record.next_refresh == dates.add_months(day, 12)
    assert record.source == Record.Source.ATTENDANCE and record.registered_by == personas.facilitator
    assert not Record.objects.filter(person=personas.med).exists()
    assert AuditEvent.objects.filter(action="competence.attendance").count() == 1
    # Registering again adds nobody twice.
    assert (
        actions.register_attendance(actor=personas.facilitator, session=session, person_ids=[personas.employee.pk])
        == []
    )


def test_it_refuses_attendance_from_someone_who_does_not_run_the_session(personas):
    session = make_session(make_activity(personas.municipality), days=-1, host=personas.facilitator)
    with pytest.raises(Http404):
        actions.register_attendance(actor=personas.team_leader, session=session, person_ids=[personas.employee.pk])


def test_it_refuses_attendance_for_people_without_a_seat(personas):
    session = make_session(make_activity(personas.municipality), days=-1, host=personas.facilitator)
    with pytest.raises(ValidationError):
        actions.register_attendance(actor=personas.facilitator, session=session, person_ids=[personas.employee.pk])
    assert not Record.objects.exists()


def test_it_shows_the_roster_only_to_whoever_runs_the_session(client_for, personas):
    session = make_session(make_activity(personas.municipality), host=personas.team_leader)
    actions.sign_up(actor=personas.employee, session=session)
    url = reverse("competence:session_detail", kwargs={"pk": session.pk})
    assert personas.employee.name in client_for("team_leader").get(url).content.decode()
    assert personas.employee.name not in client_for("lighthouse").get(url).content.decode()


def test_it_adds_months_without_overflowing_the_month():
    assert dates.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert dates.add_months(datetime.date(2026, 11, 15), 14) == datetime.date(2028, 1, 15)


def test_it_lists_activities_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    def grow():
        for i in range(4):
            activity = make_activity(personas.municipality, title=f"Aktivitet {i}")
            make_session(activity)

    make_activity(personas.municipality)
    assert_num_queries_stable(client_for("employee"), reverse("competence:activities"), grow=grow)


def test_it_shows_the_landing_page_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    def grow():
        for i in range(4):
            make_session(make_activity(personas.municipality, title=f"Aktivitet {i}"))

    make_session(make_activity(personas.municipality))
    assert_num_queries_stable(client_for("employee"), reverse("competence:index"), grow=grow)


def test_it_shows_a_session_to_its_host_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    session = make_session(make_activity(personas.municipality), host=personas.facilitator, capacity=20)
    actions.sign_up(actor=personas.employee, session=session)

    def grow():
        for i in range(4):
            actions.sign_up(
                actor=make_person(personas.municipality, f"Deltager {i}", unit=personas.team), session=session
            )

    url = reverse("competence:session_detail", kwargs={"pk": session.pk})
    assert_num_queries_stable(client_for("facilitator"), url, grow=grow)
