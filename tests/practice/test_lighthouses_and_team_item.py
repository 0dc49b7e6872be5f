from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core import tracks
from forankring.core.models import AuditEvent, ProfessionalArea, Role
from forankring.notifications.models import Notification
from forankring.practice import actions
from forankring.practice.models import AnonymousIdea, Idea, Lighthouse, LighthouseQuestion, TeamNote
from tests.factories import make_idea, make_person, make_use_case

pytestmark = pytest.mark.django_db


def _area(personas):
    return ProfessionalArea.objects.get(municipality=personas.municipality, name="Dagtilbud")


def test_it_lets_the_leader_appoint_a_lighthouse_and_tells_them(personas, client_for):
    response = client_for("team_leader").post(
        reverse("practice:lighthouses"),
        {
            "person": personas.employee.pk,
            "unit": personas.team.pk,
            "area": _area(personas).pk,
            "helps_with": "At komme i gang med skriveassistenten",
            "contact": "I personalestuen om fredagen",
        },
    )
    assert response.status_code == 302
    lighthouse = Lighthouse.objects.get()
    assert lighthouse.appointed_by == personas.team_leader
    assert Notification.objects.filter(recipient=personas.employee, kind="lighthouse.appointed").exists()
    assert AuditEvent.objects.filter(action="practice.lighthouse.appoint").exists()
    page = client_for("med").get(reverse("practice:lighthouses")).content.decode()
    assert "Erik Medarbejder" in page and "I personalestuen om fredagen" in page


def test_it_refuses_an_appointment_from_someone_the_decision_rights_do_not_name(personas):
    with pytest.raises(Http404):
        actions.appoint_lighthouse(
            actor=personas.employee,
            person=personas.employee,
            unit=personas.team,
            area=_area(personas),
            helps_with="x",
            contact="y",
        )
    assert not Lighthouse.objects.exists()


def test_it_builds_the_meeting_kit_from_the_teams_own_data(personas, client_for):
    make_use_case(personas.municipality, title="Skrive ugeplaner", unit=personas.team, status="pilot")
    make_idea(personas.employee, personas.team, title="Oversætte opslag til forældre")
    make_idea(personas.employee, personas.other_team, title="En anden teams idé")
    page = client_for("employee").get(reverse("practice:team_kit", args=[personas.team.pk])).content.decode()
    assert "Skrive ugeplaner" in page and "Oversætte opslag til forældre" in page
    assert "En anden teams idé" not in page
    assert "I bruger AI i hverdagen" in page  # the stage picks the questions


def test_it_records_a_team_note_and_refuses_a_date_in_the_future(personas):
    with pytest.raises(ValidationError):
        actions.write_team_note(
            actor=personas.team_leader,
            unit=personas.team,
            held_on=timezone.localdate() + datetime.timedelta(days=3),
            how_it_goes="Godt",
        )
    with pytest.raises(Http404):
        actions.write_team_note(
            actor=personas.employee, unit=personas.team, held_on=timezone.localdate(), how_it_goes="Godt"
        )
    actions.write_team_note(
        actor=personas.team_leader, unit=personas.team, held_on=timezone.localdate(), how_it_goes="Godt i gang"
    )
    assert TeamNote.objects.count() == 1
    assert AuditEvent.objects.filter(action="practice.team_note.add").exists()


def test_it_reminds_the_leader_of_a_team_without_an_ai_item(personas):
    def reminders():
        return [i for i in tracks.waiting_for(personas.team_leader) if "Sæt AI på dagsordenen" in str(i.label)]

    assert len(reminders()) == 1
    actions.write_team_note(
        actor=personas.team_leader, unit=personas.team, held_on=timezone.localdate(), how_it_goes="Godt i gang"
    )
    assert reminders() == []
    assert not [i for i in tracks.waiting_for(personas.employee) if "Sæt AI" in str(i.label)]


def test_it_fills_the_demo_with_track_2(db):
    from forankring.core.demo import load_demo
    from forankring.practice.models import AnonymousIdea, CentreFocusArea, Idea, UseCase

    load_demo()
    assert UseCase.objects.count() >= 8 and UseCase.objects.filter(status="pilot").exists()
    assert Idea.objects.filter(status="new").exists() and Idea.objects.exclude(status="new").exists()
    assert AnonymousIdea.objects.exists()
    assert CentreFocusArea.objects.values("unit").distinct().count() == 5
    assert Lighthouse.objects.values("unit").distinct().count() == 5
    assert TeamNote.objects.values("unit").distinct().count() >= 3
    # The flagged one: CPR numbers in a public chatbot.
    flagged = UseCase.objects.get(title__startswith="Opsummere lange sagsakter")
    assert flagged.data_classes.filter(key="cpr").exists()


def test_it_adds_track_2_to_a_generated_municipality_in_proportion(personas):
    import random

    from forankring.practice.generate import add_to_generated
    from forankring.practice.models import UseCase
    from tests.factories import make_focus_area, make_person, make_unit

    make_focus_area(personas.municipality)
    for i in range(30):
        team = make_unit(personas.municipality, f"Team {i}", personas.institution)
        for j in range(3):
            make_person(personas.municipality, f"Person {i}-{j}", unit=team, leader=j == 0)
    counts = add_to_generated(personas.municipality, rng=random.Random(1))
    assert counts["focus_areas"] >= 1 and 3 <= counts["use_cases"] <= 20
    assert UseCase.objects.filter(municipality=personas.municipality).count() == counts["use_cases"]
    assert counts["lighthouses"] == 1 and counts["ideas"] > 0


def _waiting(person, django_assert_num_queries, queries: int) -> list[str]:
    from forankring.core import access
    from forankring.practice.waiting import items_for

    access.forget_roles(person)
    access.role_paths(person)  # the request has read the roles before the providers run
    with django_assert_num_queries(queries):
        return [str(item.label) for item in items_for(person)]


def test_it_reminds_a_leader_only_of_the_led_teams_without_a_recent_note(personas, django_assert_num_queries):
    m, today = personas.municipality, timezone.localdate()
    # The institution's leader also leads its two teams directly.
    leader = make_person(
        m,
        "Ib Institutionsleder",
        unit=personas.institution,
        leader=True,
        roles=[(Role.LEADER, personas.team), (Role.LEADER, personas.other_team)],
    )
    for team, weeks in ((personas.team, 7), (personas.other_team, 5)):
        TeamNote.objects.create(
            municipality=m, unit=team, held_on=today - datetime.timedelta(weeks=weeks), how_it_goes="Godt i gang"
        )
    # Team Måne held its AI item five weeks ago; Team Sol's is seven weeks old. The institution
    # is not a team (it is the level under a centre), so it never gets the reminder.
    assert _waiting(leader, django_assert_num_queries, 2) == [
        "Sæt AI på dagsordenen i Team Sol: der er ikke skrevet en note i 6 uger"
    ]
    # Leading nothing at team level costs no query for the teams, only the one for the figures.
    only_institution = make_person(m, "Ida Institutionsleder", unit=personas.institution, leader=True)
    assert _waiting(only_institution, django_assert_num_queries, 1) == []
    assert _waiting(personas.centre_chief, django_assert_num_queries, 1) == []
    # Neither leader nor lighthouse: nothing to ask.
    assert _waiting(personas.employee, django_assert_num_queries, 0) == []


def test_it_counts_the_ideas_and_the_questions_waiting_in_one_query(personas, django_assert_num_queries):
    m = personas.municipality
    person = make_person(
        m,
        "Lone Leder",
        unit=personas.institution,
        leader=True,
        roles=[(Role.LIGHTHOUSE, personas.institution)],
    )
    lighthouse = Lighthouse.objects.create(
        municipality=m,
        person=person,
        unit=personas.institution,
        area=ProfessionalArea.objects.get(municipality=m, name="Dagtilbud"),
        helps_with="Skriveassistenten",
        contact="Tirsdage",
    )
    for answered in (None, None, timezone.now()):
        LighthouseQuestion.objects.create(
            municipality=m,
            lighthouse=lighthouse,
            asker=personas.employee,
            text="Må jeg bruge assistenten til ugeplanen?",
            asked_at=timezone.now(),
            answered_at=answered,
        )
    month_ago = timezone.now() - datetime.timedelta(days=30)
    # Old enough, in a team under the institution she leads: a named one and an anonymous one.
    Idea.objects.filter(pk=make_idea(personas.employee, personas.team).pk).update(created_at=month_ago)
    anonymous = AnonymousIdea.objects.create(
        municipality=m, unit=personas.other_team, title="Ugeplaner", description="Det tager tid."
    )
    AnonymousIdea.objects.filter(pk=anonymous.pk).update(created_on=month_ago.date())
    # Not counted: a recent idea, one already taken up, and one from the centre above her.
    make_idea(personas.employee, personas.team)
    Idea.objects.filter(pk=make_idea(personas.employee, personas.team, status="exploring").pk).update(
        created_at=month_ago
    )
    Idea.objects.filter(pk=make_idea(personas.centre_chief, personas.centre).pk).update(created_at=month_ago)
    assert _waiting(person, django_assert_num_queries, 1) == [
        "2 idéer fra medarbejdere har ventet på svar i mere end 14 dage",
        "2 spørgsmål venter på dit svar som fyrtårn",
    ]
