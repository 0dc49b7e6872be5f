"""What track 3 tells people: sign-up, a place from the waiting list, a session changed or called
off, and (by `send_competence_reminders`) a reminder before a session and a refresh that is near."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from forankring.competence import actions, waiting
from forankring.competence.models import Record, Session, Signup
from forankring.core.models import AuditEvent
from forankring.notifications.models import Notification, Preference
from tests.factories import make_activity, make_person, make_session

pytestmark = pytest.mark.django_db


def _told(person, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, kind=kind))


def _move(session: Session, *, days: float) -> None:
    session.starts_at = timezone.now() + datetime.timedelta(days=days)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()


def _record(person, activity, *, completed_on: datetime.date, next_refresh: datetime.date | None) -> Record:
    return Record.objects.create(
        municipality=person.municipality,
        person=person,
        activity=activity,
        version="1",
        completed_on=completed_on,
        source=Record.Source.SELF,
        next_refresh=next_refresh,
    )


# --- told at once, by the action -----------------------------------------------------------------


def test_it_confirms_a_seat_and_a_place_on_the_waiting_list_to_the_person(personas):
    session = make_session(make_activity(personas.municipality, title="Prompt-værksted"), capacity=1)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)
    (seat,) = _told(personas.employee, "competence.seat")
    assert seat.text.startswith("Du er tilmeldt »Prompt-værksted, ")
    assert seat.url == reverse("competence:session_detail", kwargs={"pk": session.pk})
    assert len(_told(personas.lighthouse, "competence.waiting")) == 1
    assert _told(personas.lighthouse, "competence.seat") == []


def test_it_tells_the_first_on_the_waiting_list_that_they_have_a_place(personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)
    actions.sign_up(actor=personas.med, session=session)
    actions.cancel(actor=personas.employee, session=session)
    (promoted,) = _told(personas.lighthouse, "competence.promoted")
    assert promoted.text.startswith("Du har fået en plads på »")
    assert _told(personas.med, "competence.promoted") == []


def test_it_tells_everyone_signed_up_when_a_session_moves_but_not_the_one_who_moved_it(personas):
    session = make_session(make_activity(personas.municipality), capacity=1, host=personas.facilitator)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)  # waiting
    actions.sign_up(actor=personas.facilitator, session=session)  # waiting, and the one who moves it
    actions.cancel(actor=personas.facilitator, session=session)
    actions.sign_up(actor=personas.facilitator, session=session)
    starts = session.starts_at + datetime.timedelta(days=1)
    actions.change_session(
        actor=personas.facilitator,
        session=session,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Lokale 2, rådhuset",
        capacity=1,
        host=personas.facilitator,
    )
    assert len(_told(personas.employee, "competence.session_changed")) == 1
    assert len(_told(personas.lighthouse, "competence.session_changed")) == 1
    assert _told(personas.facilitator, "competence.session_changed") == []
    assert AuditEvent.objects.filter(action="competence.session.edit").count() == 1


def test_it_tells_nobody_when_only_the_host_changes(personas):
    session = make_session(make_activity(personas.municipality))
    actions.sign_up(actor=personas.employee, session=session)
    actions.change_session(
        actor=personas.admin,
        session=session,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=session.place,
        capacity=session.capacity,
        host=personas.facilitator,
    )
    assert _told(personas.employee, "competence.session_changed") == []


def test_it_gives_new_seats_to_the_waiting_list_in_order_and_tells_them(personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    for who in (personas.employee, personas.lighthouse, personas.med, personas.it):
        actions.sign_up(actor=who, session=session)
    actions.change_session(
        actor=personas.admin,
        session=session,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=session.place,
        capacity=3,
        host=None,
    )
    status = dict(Signup.objects.filter(session=session).values_list("person_id", "status"))
    assert status[personas.lighthouse.pk] == status[personas.med.pk] == Signup.Status.SEAT
    assert status[personas.it.pk] == Signup.Status.WAITING
    assert len(_told(personas.med, "competence.promoted")) == 1
    assert _told(personas.it, "competence.promoted") == []


def test_it_refuses_fewer_seats_than_people_who_have_one_and_saves_nothing(personas):
    session = make_session(make_activity(personas.municipality), capacity=3)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)
    with pytest.raises(ValidationError) as refused:
        actions.change_session(
            actor=personas.admin,
            session=session,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            place="Et andet sted",
            capacity=1,
            host=None,
        )
    assert "capacity" in refused.value.message_dict
    session.refresh_from_db()
    assert (session.capacity, session.place) == (3, "Mødelokale i Testkommune")
    assert not AuditEvent.objects.filter(action="competence.session.edit").exists()


def test_it_refuses_changing_a_session_to_anyone_who_does_not_run_learning(personas):
    from django.http import Http404

    session = make_session(make_activity(personas.municipality))
    with pytest.raises(Http404):
        actions.call_off_session(actor=personas.team_leader, session=session)
    assert Session.objects.get(pk=session.pk).cancelled_at is None


def test_it_calls_a_session_off_tells_those_signed_up_and_takes_no_more_sign_ups(personas):
    session = make_session(make_activity(personas.municipality), capacity=1)
    actions.sign_up(actor=personas.employee, session=session)
    actions.sign_up(actor=personas.lighthouse, session=session)
    actions.call_off_session(actor=personas.facilitator, session=session)
    assert len(_told(personas.employee, "competence.session_cancelled")) == 1
    assert len(_told(personas.lighthouse, "competence.session_cancelled")) == 1
    assert AuditEvent.objects.filter(action="competence.session.cancel").count() == 1
    with pytest.raises(ValidationError):
        actions.sign_up(actor=personas.med, session=session)
    # Giving up the seat on a called-off session moves nobody up.
    assert actions.cancel(actor=personas.employee, session=session) is None
    assert waiting.items_for(personas.lighthouse) == []


def test_it_moves_and_calls_off_a_session_through_the_pages(client_for, personas):
    session = make_session(make_activity(personas.municipality), capacity=5)
    actions.sign_up(actor=personas.employee, session=session)
    client = client_for("facilitator")
    edit = reverse("competence:session_edit", kwargs={"pk": session.pk})
    page = client.get(edit).content.decode()
    assert 'name="place"' in page and "Aflys holdet" in page
    starts = timezone.localtime(session.starts_at + datetime.timedelta(days=2))
    data = {
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Biblioteket, 1. sal",
        "capacity": "2",
        "host": str(personas.facilitator.pk),
    }
    response = client.post(edit, data, follow=True)
    assert "Holdet er ændret" in response.content.decode()
    session.refresh_from_db()
    assert session.place == "Biblioteket, 1. sal" and session.capacity == 2
    # Too few seats: the error beside the field, what was typed kept.
    refused = client.post(edit, data | {"capacity": "0", "place": "Kælderen"}).content.decode()
    assert "Fejl:" in refused and 'value="Kælderen"' in refused
    call_off = reverse("competence:session_call_off", kwargs={"pk": session.pk})
    unconfirmed = client.post(call_off, follow=True).content.decode()
    assert "Sæt flueben" in unconfirmed
    assert Session.objects.get(pk=session.pk).cancelled_at is None
    done = client.post(call_off, {"confirm": "yes"}, follow=True).content.decode()
    assert "Holdet er aflyst" in done
    employee_page = client_for("employee").get(reverse("competence:session_detail", kwargs={"pk": session.pk}))
    assert "Holdet er aflyst" in employee_page.content.decode()
    assert "Meld fra" not in employee_page.content.decode()
    ics = client_for("employee").get(reverse("competence:session_ics", kwargs={"pk": session.pk}))
    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def test_it_leaves_a_called_off_session_out_of_the_coming_ones(client_for, personas):
    session = make_session(make_activity(personas.municipality, title="Aflyst værksted"))
    actions.call_off_session(actor=personas.admin, session=session)
    assert "Aflyst værksted" not in client_for("employee").get(reverse("competence:index")).content.decode()


# --- told by the reminder run ------------------------------------------------------------------


def test_it_reminds_people_with_a_seat_once_before_a_session(personas):
    soon = make_session(make_activity(personas.municipality, title="Snart"), capacity=1)
    later = make_session(make_activity(personas.municipality, title="Senere"), days=9)
    actions.sign_up(actor=personas.employee, session=soon)
    actions.sign_up(actor=personas.lighthouse, session=soon)  # waiting: no reminder
    actions.sign_up(actor=personas.employee, session=later)
    _move(soon, days=1)
    assert actions.send_reminders() == (1, 0)
    (reminder,) = _told(personas.employee, "competence.reminder")
    assert reminder.text.startswith("Husk, at du er tilmeldt »Snart, ")
    assert _told(personas.lighthouse, "competence.reminder") == []
    # Once: the next run finds nothing to send.
    assert actions.send_reminders() == (0, 0)
    assert len(_told(personas.employee, "competence.reminder")) == 1


def test_it_reminds_again_of_a_session_that_moved(personas):
    session = make_session(make_activity(personas.municipality), days=1)
    actions.sign_up(actor=personas.employee, session=session)
    actions.send_reminders()
    starts = session.starts_at + datetime.timedelta(hours=5)
    actions.change_session(
        actor=personas.admin,
        session=session,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place=session.place,
        capacity=session.capacity,
        host=None,
    )
    assert actions.send_reminders() == (1, 0)
    assert len(_told(personas.employee, "competence.reminder")) == 2


def test_it_reminds_nobody_of_a_called_off_session_or_an_inactive_person(personas):
    called_off = make_session(make_activity(personas.municipality, title="Aflyst"), days=1)
    actions.sign_up(actor=personas.employee, session=called_off)
    actions.call_off_session(actor=personas.admin, session=called_off)
    other = make_session(make_activity(personas.municipality, title="Andet"), days=1)
    actions.sign_up(actor=personas.med, session=other)
    personas.med.is_active = False
    personas.med.save()
    assert actions.send_reminders() == (0, 0)
    assert not Notification.objects.filter(kind="competence.reminder").exists()


def test_it_tells_about_a_refresh_that_is_near_once_and_only_for_the_newest_record(personas):
    today = timezone.localdate()
    due = make_activity(personas.municipality, title="Databeskyttelse og AI")
    redone = make_activity(personas.municipality, title="Prompting for begyndere")
    far = make_activity(personas.municipality, title="AI i hverdagen")
    _record(
        personas.employee,
        due,
        completed_on=today.replace(year=today.year - 1),
        next_refresh=today + datetime.timedelta(days=10),
    )
    _record(
        personas.employee,
        redone,
        completed_on=today - datetime.timedelta(days=360),
        next_refresh=today + datetime.timedelta(days=5),
    )
    _record(
        personas.employee,
        redone,
        completed_on=today - datetime.timedelta(days=3),
        next_refresh=today + datetime.timedelta(days=362),
    )
    _record(personas.employee, far, completed_on=today, next_refresh=today + datetime.timedelta(days=200))
    _record(
        personas.lighthouse,
        due,
        completed_on=today - datetime.timedelta(days=400),
        next_refresh=today - datetime.timedelta(days=35),
    )
    assert actions.send_reminders() == (0, 2)
    (notice,) = _told(personas.employee, "competence.refresh_due")
    assert notice.text == "Det er snart tid til at genopfriske »Databeskyttelse og AI«"
    assert notice.url == reverse("competence:activity_detail", kwargs={"pk": due.pk})
    assert len(_told(personas.lighthouse, "competence.refresh_due")) == 1
    assert actions.send_reminders() == (0, 0)


def test_it_sends_reminders_from_the_command_and_again_sends_nothing(personas):
    session = make_session(make_activity(personas.municipality), days=1)
    actions.sign_up(actor=personas.employee, session=session)
    out = io.StringIO()
    call_command("send_competence_reminders", stdout=out)
    assert out.getvalue().startswith("1 reminder(s) of sessions, 0 notice(s)")
    out = io.StringIO()
    call_command("send_competence_reminders", stdout=out)
    assert out.getvalue().startswith("0 reminder(s)")


def test_it_sends_reminders_in_a_fixed_number_of_queries_however_many_people(personas):
    """A 45,000-person municipality: the run reads in bulk, per session and activity, never per person."""
    today = timezone.localdate()
    session = make_session(make_activity(personas.municipality, title="Hold"), days=1, capacity=100)
    activity = make_activity(personas.municipality, title="Genopfriskning")

    def add_people(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = make_person(personas.municipality, f"Deltager {i}", unit=personas.team)
            Signup.objects.create(
                municipality=personas.municipality,
                session=session,
                person=person,
                status=Signup.Status.SEAT,
                queued_at=timezone.now(),
            )
            _record(person, activity, completed_on=today - datetime.timedelta(days=360), next_refresh=today)
            if i % 2:
                Preference.objects.create(municipality=personas.municipality, person=person, frequency="immediately")

    add_people(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert actions.send_reminders() == (2, 2)
    Signup.objects.update(reminded_at=None)
    Record.objects.update(refresh_notified_at=None)
    add_people(8, 2)
    with CaptureQueriesContext(connection) as many:
        assert actions.send_reminders() == (10, 10)
    assert len(many) == len(few)


def test_it_marks_the_coming_sessions_the_person_is_on_and_the_page_they_are_on(client_for, personas):
    seat = make_session(make_activity(personas.municipality, title="Med plads"), capacity=1)
    queue = make_session(make_activity(personas.municipality, title="Med venteliste"), capacity=1)
    actions.sign_up(actor=personas.lighthouse, session=queue)
    actions.sign_up(actor=personas.employee, session=seat)
    actions.sign_up(actor=personas.employee, session=queue)
    page = client_for("employee").get(reverse("competence:index")).content.decode()
    rows = {title: row for row in page.split("<tr>")[1:] for title in ("Med plads", "Med venteliste") if title in row}
    assert "<strong>Tilmeldt</strong>" in rows["Med plads"]
    assert "<strong>På venteliste</strong>" in rows["Med venteliste"] and "Fuldt" in rows["Med venteliste"]
    assert f'href="{reverse("competence:index")}" aria-current="page"' in page


def test_it_flags_a_refresh_that_is_near_or_past_on_the_persons_page(client_for, personas):
    today = timezone.localdate()
    near = make_activity(personas.municipality, title="Snart igen")
    past = make_activity(personas.municipality, title="For længe siden")
    later = make_activity(personas.municipality, title="God tid")
    _record(personas.employee, near, completed_on=today, next_refresh=today + datetime.timedelta(days=20))
    _record(personas.employee, past, completed_on=today, next_refresh=today - datetime.timedelta(days=1))
    _record(personas.employee, later, completed_on=today, next_refresh=today + datetime.timedelta(days=90))
    page = client_for("employee").get(reverse("competence:mine")).content.decode()
    rows = {
        title: row
        for row in page.split("<tr>")[1:]
        for title in ("Snart igen", "For længe siden", "God tid")
        if title in row
    }
    assert "(snart)" in rows["Snart igen"]
    assert "(overskredet)" in rows["For længe siden"]
    assert "(snart)" not in rows["God tid"] and "(overskredet)" not in rows["God tid"]
