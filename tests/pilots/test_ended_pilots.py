"""A running pilot goes to evaluating by itself once its end date has passed
(manage.py evaluate_ended_pilots): the same step as a person's, with its history, audit and
notifications, and idempotent."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forankring.core import audit
from forankring.core.models import AuditEvent
from forankring.notifications.models import Notification
from forankring.pilots import actions
from forankring.pilots.models import Pilot, PilotStatusChange
from tests.pilots.helpers_core import make_pilot

S = Pilot.Status


def _running(personas, *, ends_on: datetime.date, title: str) -> Pilot:
    pilot = make_pilot(
        personas.municipality, leader=personas.team_leader, units=[personas.team], status=S.RUNNING, title=title
    )
    Pilot.objects.filter(pk=pilot.pk).update(ends_on=ends_on, starts_on=ends_on - datetime.timedelta(weeks=4))
    pilot.refresh_from_db()
    return pilot


def test_it_moves_a_pilot_past_its_end_and_leaves_one_that_is_not(personas):
    today = timezone.localdate()
    past = _running(personas, ends_on=today - datetime.timedelta(days=1), title="Slut i går")
    last_day = _running(personas, ends_on=today, title="Slutter i dag")

    assert actions.evaluate_ended_pilots(today=today) == 1

    past.refresh_from_db()
    last_day.refresh_from_db()
    assert past.status == S.EVALUATING
    assert last_day.status == S.RUNNING  # its last day is still part of the period
    step = PilotStatusChange.objects.filter(pilot=past).order_by("pk").last()
    assert step is not None
    assert (step.from_status, step.to_status, step.decided_by, step.period_ended) == (
        S.RUNNING,
        S.EVALUATING,
        None,
        True,
    )
    row = AuditEvent.objects.get(action="pilot.period_ended", object_id=str(past.pk))
    assert row.actor is None
    assert row.changes["status"] == {"before": S.RUNNING, "after": S.EVALUATING}
    assert audit.verify_chain(personas.municipality).ok
    told = set(Notification.objects.filter(kind="pilot.evaluating").values_list("recipient_id", flat=True))
    assert {personas.team_leader.pk, personas.employee.pk, personas.lighthouse.pk} <= told
    assert set(Notification.objects.filter(kind="pilot.evaluating").values_list("url", flat=True)) == {
        reverse("pilots:detail", kwargs={"pk": past.pk})
    }
    assert not PilotStatusChange.objects.filter(pilot=last_day, to_status=S.EVALUATING).exists()


def test_it_changes_nothing_when_run_twice(personas):
    today = timezone.localdate()
    pilot = _running(personas, ends_on=today - datetime.timedelta(days=3), title="Slut for tre dage siden")
    out = io.StringIO()
    call_command("evaluate_ended_pilots", stdout=out)
    assert "1 pilot(s)" in out.getvalue()
    counts = (
        PilotStatusChange.objects.filter(pilot=pilot).count(),
        AuditEvent.objects.filter(action="pilot.period_ended").count(),
        Notification.objects.filter(kind="pilot.evaluating").count(),
    )
    out = io.StringIO()
    call_command("evaluate_ended_pilots", stdout=out)
    assert "0 pilot(s)" in out.getvalue()
    assert counts == (
        PilotStatusChange.objects.filter(pilot=pilot).count(),
        AuditEvent.objects.filter(action="pilot.period_ended").count(),
        Notification.objects.filter(kind="pilot.evaluating").count(),
    )
    assert Pilot.objects.get(pk=pilot.pk).status == S.EVALUATING


def test_it_leaves_an_extended_pilot_alone(personas):
    today = timezone.localdate()
    pilot = _running(personas, ends_on=today - datetime.timedelta(days=1), title="Forlænget")
    actions.extend_pilot(
        actor=personas.team_leader, pilot=pilot, ends_on=today + datetime.timedelta(weeks=1), reason="Ferie."
    )
    assert actions.evaluate_ended_pilots(today=today) == 0
    assert Pilot.objects.get(pk=pilot.pk).status == S.RUNNING
    # ... until the new end has passed.
    assert actions.evaluate_ended_pilots(today=today + datetime.timedelta(weeks=1, days=1)) == 1


def test_it_leaves_pilots_in_other_statuses_alone(personas):
    today = timezone.localdate()
    for status in (S.IDEA, S.APPROVED, S.EVALUATING, S.CLOSED):
        pilot = make_pilot(
            personas.municipality, leader=personas.team_leader, units=[personas.team], status=status, title=status
        )
        Pilot.objects.filter(pk=pilot.pk).update(ends_on=today - datetime.timedelta(days=10))
    assert actions.evaluate_ended_pilots(today=today) == 0
    assert not AuditEvent.objects.filter(action="pilot.period_ended").exists()


def test_it_moves_the_pilots_of_every_municipality_in_one_read(personas, django_assert_max_num_queries):
    today = timezone.localdate()
    _running(personas, ends_on=today - datetime.timedelta(days=1), title="Testkommunes")
    other = make_pilot(
        personas.other_municipality, leader=personas.outsider, units=[personas.other_root], status=S.RUNNING
    )
    Pilot.objects.filter(pk=other.pk).update(ends_on=today - datetime.timedelta(days=1))
    assert actions.evaluate_ended_pilots(today=today) == 2
    # With nothing due, the command costs its one read.
    with django_assert_max_num_queries(1):
        assert actions.evaluate_ended_pilots(today=today) == 0


def test_it_shows_on_the_pilot_page_that_the_period_ended(client_for, personas):
    today = timezone.localdate()
    pilot = _running(personas, ends_on=today - datetime.timedelta(days=1), title="Slut i går")
    actions.evaluate_ended_pilots(today=today)
    page = client_for("team_leader").get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert "slutdatoen var nået, så afprøvningen gik til evaluering af sig selv" in page


def test_it_tells_the_people_when_a_person_moves_the_pilot_too(personas):
    pilot = _running(personas, ends_on=timezone.localdate(), title="Stoppet før tid")
    actions.evaluate_pilot(actor=personas.team_leader, pilot=pilot, note="Vi har set nok.")
    told = set(Notification.objects.filter(kind="pilot.evaluating").values_list("recipient_id", flat=True))
    assert personas.employee.pk in told
    assert personas.team_leader.pk not in told  # not about their own step
