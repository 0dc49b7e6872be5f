"""The weekly pulse of a running pilot: anonymous, once a week per participant without storing who
answered, the team's own view, and suppression for everyone else."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forankring.core import queries as core_queries
from forankring.core.models import AuditEvent, Membership, Person
from forankring.core.orgsync import refresh_head_counts
from forankring.core.tracks import waiting_for
from forankring.pilots import actions, rules
from forankring.pilots.models import Pilot, PulseAnswer, PulseReceipt
from forankring.privacy.testing import assert_unlinkable
from tests.factories import PASSWORD, make_person
from tests.pilots.helpers_core import make_pilot

S = Pilot.Status


def _running(personas) -> Pilot:
    # Team Sol: the team leader, the employee and the lighthouse, a team of three.
    return make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.team], status=S.RUNNING)


def _participant_with_large_ids(personas) -> Person:
    """A participant whose ids cannot equal a score or a week number by chance."""
    user = User(id=987_655, username="deltager")
    user.set_password(PASSWORD)
    user.save()
    person = Person.objects.create(pk=987_654, municipality=personas.municipality, name="Dorte Deltager", user=user)
    Membership.objects.create(municipality=personas.municipality, person=person, unit=personas.team)
    refresh_head_counts(personas.municipality.pk)
    return person


def test_it_stores_a_pulse_that_nothing_links_to_the_participant(personas, client_for):
    pilot = _running(personas)
    person = _participant_with_large_ids(personas)
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    answer = assert_unlinkable(
        model=PulseAnswer,
        person=person,
        client=client,
        create=lambda: client.post(
            reverse("pilots:pulse", args=[pilot.pk]),
            {"score": "4", "easier": "Udkastet gav et godt sted at starte.", "harder": ""},
        ),
        extra_urls=[
            (client_for("team_leader"), reverse("pilots:detail", args=[pilot.pk])),
            (client_for("admin"), reverse("pilots:detail", args=[pilot.pk])),
        ],
    )
    assert answer.score == 4 and answer.week == rules.week_of(timezone.localdate())
    assert answer.created_on == answer.week  # not even the weekday is kept
    assert not AuditEvent.objects.filter(object_id=str(answer.pk)).exists()


def test_it_keeps_the_receipt_apart_from_the_answer(personas):
    fields = {f.name for f in PulseReceipt._meta.concrete_fields}
    assert fields == {"id", "municipality", "key"}
    answer_fields = {f.name for f in PulseAnswer._meta.concrete_fields}
    assert answer_fields == {
        "id",
        "municipality",
        "created_on",
        "shuffle_key",
        "pulse",
        "week",
        "score",
        "easier",
        "harder",
    }
    pilot = _running(personas)
    actions.give_pulse(actor=personas.employee, pilot=pilot, score=3)
    receipt = PulseReceipt.objects.get()
    assert str(personas.employee.pk) not in receipt.key.split()
    assert len(receipt.key) == 64


def test_it_takes_one_pulse_per_participant_per_week(personas):
    pilot = _running(personas)
    monday = rules.week_of(timezone.localdate())
    actions.give_pulse(actor=personas.employee, pilot=pilot, score=4, today=monday)
    with pytest.raises(ValidationError) as refused:
        actions.give_pulse(actor=personas.employee, pilot=pilot, score=2, today=monday + datetime.timedelta(days=3))
    assert "allerede svaret" in str(refused.value)
    assert PulseAnswer.objects.count() == 1
    actions.give_pulse(actor=personas.lighthouse, pilot=pilot, score=5, today=monday)
    actions.give_pulse(actor=personas.employee, pilot=pilot, score=3, today=monday + datetime.timedelta(weeks=1))
    assert PulseAnswer.objects.count() == 3


def test_it_says_so_when_the_participant_has_answered_this_week(personas, client_for):
    pilot = _running(personas)
    actions.give_pulse(actor=personas.employee, pilot=pilot, score=4)
    client = client_for("employee")
    page = client.get(reverse("pilots:pulse", args=[pilot.pk])).content.decode()
    assert "Du har svaret i denne uge" in page and 'name="score"' not in page
    client.post(reverse("pilots:pulse", args=[pilot.pk]), {"score": "1"})
    assert PulseAnswer.objects.count() == 1


def test_it_takes_pulses_only_from_participants_of_a_running_pilot(personas, client_for):
    pilot = _running(personas)
    for who in ("med", "executive", "it"):
        with pytest.raises(Http404):
            actions.give_pulse(actor=getattr(personas, who), pilot=pilot, score=3)
        assert client_for(who).get(reverse("pilots:pulse", args=[pilot.pk])).status_code == 404
    Pilot.objects.filter(pk=pilot.pk).update(status=S.EVALUATING)
    pilot.refresh_from_db()
    with pytest.raises(Http404):
        actions.give_pulse(actor=personas.employee, pilot=pilot, score=3)


def test_it_counts_people_below_the_pilots_teams_as_participants(personas):
    pilot = make_pilot(
        personas.municipality, leader=personas.centre_chief, units=[personas.institution], status=S.RUNNING
    )
    actions.give_pulse(actor=personas.employee, pilot=pilot, score=4)  # placed in Team Sol, under it
    assert PulseAnswer.objects.count() == 1


def test_it_shows_the_team_its_own_results_with_the_texts(personas, client_for):
    pilot = _running(personas)
    actions.give_pulse(actor=personas.employee, pilot=pilot, score=4, easier="Skabelonen hjalp os.")
    actions.give_pulse(actor=personas.lighthouse, pilot=pilot, score=2, harder="Langsom computer på stuen.")
    for who in ("team_leader", "employee"):
        page = client_for(who).get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
        assert "Gennemsnit 3,0 ud af 5 (2 svar)" in page, who
        assert "Skabelonen hjalp os." in page and "Langsom computer på stuen." in page


def test_it_suppresses_a_three_person_teams_pulses_outside_the_team(personas, client_for):
    pilot = _running(personas)
    for who in ("team_leader", "employee", "lighthouse"):
        actions.give_pulse(actor=getattr(personas, who), pilot=pilot, score=5, easier=f"Tekst fra {who}")
    for who in ("executive", "med", "admin", "centre_chief"):
        page = client_for(who).get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
        assert "for få svar" in page, who
        assert "Tekst fra" not in page and "5,0" not in page, who


def test_it_shows_a_large_teams_week_outside_the_team(personas, client_for):
    pilot = _running(personas)
    people = [make_person(personas.municipality, f"Kollega {n}", unit=personas.team) for n in range(5)]
    for person in people:
        actions.give_pulse(actor=person, pilot=pilot, score=4, easier="Hemmelig tekst")
    page = client_for("executive").get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert "4,0" in page and "Hemmelig tekst" not in page


def test_it_shows_the_pulse_under_waiting_until_answered(personas):
    pilot = _running(personas)
    labels = [str(item.label) for item in waiting_for(personas.employee)]
    assert any(pilot.title in label for label in labels)
    assert not any(pilot.title in str(i.label) for i in waiting_for(personas.med))
    actions.give_pulse(actor=personas.employee, pilot=pilot, score=4)
    assert not any(pilot.title in str(i.label) for i in waiting_for(personas.employee))


def test_it_finds_the_pulses_due_in_a_fixed_number_of_queries(personas, django_assert_num_queries):
    from forankring.pilots.queries import pulses_due

    _running(personas)
    core_queries.placements(personas.employee)  # the home page has read them already
    with django_assert_num_queries(2):  # the pilots, the receipts
        assert len(pulses_due(personas.employee)) == 1
    for n in range(4):
        make_pilot(
            personas.municipality, leader=personas.team_leader, units=[personas.team], status=S.RUNNING, title=f"P{n}"
        )
    with django_assert_num_queries(2):
        assert len(pulses_due(personas.employee)) == 5


def test_it_asks_for_the_pulse_of_a_pilot_above_the_team_but_not_below_it(personas):
    from forankring.pilots.queries import pulses_due

    wide = make_pilot(
        personas.municipality, leader=personas.centre_chief, units=[personas.institution], status=S.RUNNING
    )
    # Placed in Team Sol, under the institution: takes part.
    assert [p.title for p in pulses_due(personas.employee)] == [wide.title]
    # Placed in the centre, above the institution: does not take part.
    assert pulses_due(personas.centre_chief) == []
    # An inactive person is never asked.
    personas.employee.is_active = False
    assert pulses_due(personas.employee) == []
