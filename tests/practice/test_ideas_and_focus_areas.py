from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core import tracks
from forankring.core.models import AuditEvent
from forankring.direction.models import FocusArea
from forankring.notifications.models import Notification
from forankring.practice import actions
from forankring.practice.models import AnonymousIdea, CentreFocusArea, Idea, UseCase
from forankring.privacy.testing import assert_unlinkable
from tests.factories import make_focus_area, make_idea

pytestmark = pytest.mark.django_db


# --- Centre focus areas ----------------------------------------------------------------------


def _add(personas, name, actor=None):
    return actions.add_centre_focus_area(
        actor=actor or personas.centre_chief,
        unit=personas.centre,
        strategic=FocusArea.objects.get(municipality=personas.municipality),
        name=name,
        why="Dokumentationen tager tid fra børnene.",
        success="Pædagogerne bruger mindre tid på skærmen.",
    )


def test_it_lets_a_centre_chief_pick_at_most_two_focus_areas(personas):
    make_focus_area(personas.municipality)
    _add(personas, "Ugeplaner")
    _add(personas, "Forældrebreve")
    with pytest.raises(ValidationError) as error:
        _add(personas, "Referater")
    assert "name" in error.value.message_dict
    assert CentreFocusArea.objects.count() == 2
    assert AuditEvent.objects.filter(action="practice.focus_area.add").count() == 2


def test_it_refuses_focus_areas_from_someone_who_does_not_lead_the_centre(personas):
    make_focus_area(personas.municipality)
    with pytest.raises(Http404):
        _add(personas, "Ugeplaner", actor=personas.team_leader)
    assert not CentreFocusArea.objects.exists()


def test_it_adds_a_focus_area_through_the_page(personas, client_for):
    strategic = make_focus_area(personas.municipality)
    response = client_for("centre_chief").post(
        reverse("practice:focus_areas"),
        {"unit": personas.centre.pk, "strategic": strategic.pk, "name": "Ugeplaner", "why": "Tid", "success": ""},
    )
    assert response.status_code == 200 and "Skriv, hvordan I kan se, at det lykkes." in response.content.decode()
    assert not CentreFocusArea.objects.exists()


# --- Ideas ------------------------------------------------------------------------------------


def test_it_tells_the_leader_of_a_new_idea_and_the_proposer_of_the_answer(personas, client_for):
    response = client_for("employee").post(
        reverse("practice:idea_new"),
        {"title": "Ugeplaner til forældre", "description": "De tager en time hver fredag.", "unit": personas.team.pk},
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.proposer == personas.employee
    assert Notification.objects.filter(recipient=personas.team_leader, kind="idea.new").exists()
    idea.followers.add(personas.med)

    response = client_for("team_leader").post(
        reverse("practice:idea", args=[idea.pk]), {"status": "accepted", "answer": "Godt set, vi prøver det."}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == "accepted" and idea.answered_by == personas.team_leader
    told = set(Notification.objects.filter(kind="idea.answered").values_list("recipient_id", flat=True))
    assert told == {personas.employee.pk, personas.med.pk}
    assert AuditEvent.objects.filter(action="practice.idea.answer").exists()


def test_it_refuses_an_answer_from_someone_who_does_not_lead_the_unit(personas, client_for):
    idea = make_idea(personas.employee, personas.team)
    response = client_for("lighthouse").post(
        reverse("practice:idea", args=[idea.pk]), {"status": "accepted", "answer": "Ja"}
    )
    assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.status == "new"


def test_it_turns_an_accepted_idea_into_a_use_case_with_a_link_back(personas, client_for):
    idea = make_idea(personas.employee, personas.team, title="Skrive ugeplaner")
    client = client_for("team_leader")
    form = client.get(reverse("practice:use_case_new") + f"?idee={idea.pk}").content.decode()
    assert "Skrive ugeplaner" in form
    from tests.practice.test_use_cases import _form

    response = client.post(
        reverse("practice:use_case_new"), _form(personas, title="Skrive ugeplaner", idee=idea.pk, confirm_new="on")
    )
    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert use_case.idea == idea
    assert use_case.title in client_for("employee").get(reverse("practice:idea", args=[idea.pk])).content.decode()


def test_it_stores_nobody_with_an_anonymous_idea(personas, client_for):
    client = client_for("employee")
    idea = assert_unlinkable(
        model=AnonymousIdea,
        person=personas.employee,
        client=client,
        create=lambda: client.post(
            reverse("practice:idea_new"),
            {
                "title": "Referater fra personalemøder",
                "description": "De tager lang tid at skrive.",
                "unit": personas.root.pk,
                "anonymous": "on",
            },
        ),
    )
    assert idea.title == "Referater fra personalemøder"
    assert not AuditEvent.objects.filter(object_id=str(idea.pk)).exists()


def test_it_warns_about_a_name_in_an_anonymous_idea(personas, client_for):
    response = client_for("employee").post(
        reverse("practice:idea_new"),
        {
            "title": "Referater",
            "description": "Tina Teamleder skriver altid referaterne.",
            "unit": personas.root.pk,
            "anonymous": "on",
        },
    )
    assert response.status_code == 200
    assert 'name="description_ikke_person"' in response.content.decode()
    assert not AnonymousIdea.objects.exists()


def test_it_shows_unanswered_ideas_to_the_leader_after_the_set_days(personas):
    idea = make_idea(personas.employee, personas.team)
    assert not [i for i in tracks.waiting_for(personas.team_leader) if "idé" in str(i.label)]
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    labels = [str(i.label) for i in tracks.waiting_for(personas.team_leader)]
    assert any("ventet på svar" in label for label in labels)
    assert not any("ventet på svar" in str(i.label) for i in tracks.waiting_for(personas.employee))


def _many_ideas(personas, n):
    now = timezone.now()
    Idea.objects.bulk_create(
        Idea(
            municipality=personas.municipality,
            proposer=personas.employee,
            unit=personas.team,
            title=f"Idé {i}",
            description="x",
            created_at=now,
        )
        for i in range(n)
    )
    AnonymousIdea.objects.bulk_create(
        AnonymousIdea(municipality=personas.municipality, unit=personas.root, title=f"Anonym {i}", description="x")
        for i in range(n)
    )


def test_it_lists_ideas_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    _many_ideas(personas, 50)
    assert_num_queries_stable(
        client_for("employee"), reverse("practice:ideas"), grow=lambda: _many_ideas(personas, 4950)
    )
