"""Asking a lighthouse, the role an appointment gives, and the lighthouses on "Sådan arbejder vi
med AI"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forankring.core import tracks
from forankring.core.models import AuditEvent, ProfessionalArea, Role, RoleAssignment
from forankring.notifications.models import Notification
from forankring.practice import actions
from forankring.practice.models import Lighthouse, LighthouseQuestion
from forankring.practice.panels import lighthouses_panel
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _area(personas):
    return ProfessionalArea.objects.get(municipality=personas.municipality, name="Dagtilbud")


def _lighthouse(personas, person=None, unit=None) -> Lighthouse:
    return Lighthouse.objects.create(
        municipality=personas.municipality,
        person=person or personas.lighthouse,
        unit=unit or personas.institution,
        area=_area(personas),
        helps_with="Skriveassistenten og gode spørgsmål",
        contact="Tirsdage i personalestuen",
    )


def _question(personas, lighthouse=None, text="Må jeg bruge assistenten til ugeplanen?") -> LighthouseQuestion:
    return actions.ask_lighthouse(actor=personas.employee, lighthouse=lighthouse or _lighthouse(personas), text=text)


# --- Asking and answering ---------------------------------------------------------------------


def test_it_lets_a_colleague_ask_a_lighthouse_from_the_directory_and_tells_the_lighthouse(personas, client_for):
    lighthouse = _lighthouse(personas)
    client = client_for("employee")
    directory = client.get(reverse("practice:lighthouses")).content.decode()
    ask_url = reverse("practice:lighthouse_ask", args=[lighthouse.pk])
    assert ask_url in directory
    form = client.get(ask_url).context["form"]
    response = client.post(
        ask_url,
        {"text": "Må jeg bruge assistenten til forældrebreve?", "submission_token": form["submission_token"].value()},
    )
    question = LighthouseQuestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:lighthouse_question", args=[question.pk])
    assert question.asker == personas.employee and question.lighthouse == lighthouse and not question.answer
    told = Notification.objects.get(recipient=personas.lighthouse)
    assert told.kind == "lighthouse.question" and "forældrebreve" in told.subject
    assert AuditEvent.objects.filter(action="practice.lighthouse.ask", object_id=str(question.pk)).exists()


def test_it_lets_the_lighthouse_answer_and_tells_the_asker(personas, client_for):
    question = _question(personas)
    client = client_for("lighthouse")
    assert "Venter på dit svar" in client.get(reverse("practice:lighthouse_questions")).content.decode()
    response = client.post(
        reverse("practice:lighthouse_question", args=[question.pk]), {"answer": "Ja, uden børnenes navne."}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Ja, uden børnenes navne." and question.answered_at is not None
    told = Notification.objects.get(recipient=personas.employee)
    assert told.kind == "lighthouse.answered" and told.url == reverse(
        "practice:lighthouse_question", args=[question.pk]
    )
    assert AuditEvent.objects.filter(action="practice.lighthouse.answer", object_id=str(question.pk)).exists()
    page = client_for("employee").get(told.url).content.decode()
    assert "Ja, uden børnenes navne." in page


def test_it_shows_a_question_to_its_asker_and_its_lighthouse_only(personas, client_for):
    question = _question(personas)
    url = reverse("practice:lighthouse_question", args=[question.pk])
    assert client_for("employee").get(url).status_code == 200
    assert client_for("lighthouse").get(url).status_code == 200
    assert client_for("team_leader").get(url).status_code == 404
    assert client_for("med").post(url, {"answer": "Mit svar"}).status_code == 404
    with pytest.raises(Http404):
        actions.answer_lighthouse_question(actor=personas.employee, question=question, answer="Selv svaret")
    question.refresh_from_db()
    assert question.answer == ""


def test_it_refuses_a_cpr_number_in_a_question_beside_the_field_and_keeps_the_text(personas, client_for):
    lighthouse = _lighthouse(personas)
    client = client_for("employee")
    url = reverse("practice:lighthouse_ask", args=[lighthouse.pk])
    token = client.get(url).context["form"]["submission_token"].value()
    response = client.post(url, {"text": "Barnet med 150372-1240 skal have en plan", "submission_token": token})
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert "skal have en plan" in response.content.decode()
    assert not LighthouseQuestion.objects.exists() and not Notification.objects.exists()
    # The token was given back: the corrected form goes through.
    fixed = client.post(url, {"text": "Et barn skal have en plan", "submission_token": token})
    assert fixed.status_code == 302 and LighthouseQuestion.objects.count() == 1


def test_it_creates_one_question_when_the_form_is_sent_twice(personas, client_for):
    lighthouse = _lighthouse(personas)
    client = client_for("employee")
    url = reverse("practice:lighthouse_ask", args=[lighthouse.pk])
    data = {
        "text": "Hvordan kommer vi i gang?",
        "submission_token": client.get(url).context["form"]["submission_token"].value(),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert LighthouseQuestion.objects.count() == 1


def test_it_refuses_a_question_to_oneself(personas):
    with pytest.raises(ValidationError):
        actions.ask_lighthouse(actor=personas.lighthouse, lighthouse=_lighthouse(personas), text="Til mig selv")
    assert not LighthouseQuestion.objects.exists()


def test_it_puts_waiting_questions_under_det_venter_paa_dig_for_the_lighthouse(personas):
    _question(personas)
    labels = [str(item.label) for item in tracks.waiting_for(personas.lighthouse)]
    assert "1 spørgsmål venter på dit svar som fyrtårn" in labels
    assert not any("fyrtårn" in str(item.label) for item in tracks.waiting_for(personas.employee))


def test_it_lists_questions_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    lighthouse = _lighthouse(personas)
    _question(personas, lighthouse)

    def grow() -> None:
        for n in range(5):
            asker = make_person(personas.municipality, f"Spørger {n}", unit=personas.team)
            actions.ask_lighthouse(actor=asker, lighthouse=lighthouse, text=f"Spørgsmål nummer {n}")

    assert_num_queries_stable(client_for("lighthouse"), reverse("practice:lighthouse_questions"), grow)


# --- The role an appointment gives ------------------------------------------------------------


def _appoint(personas, person, unit=None):
    return actions.appoint_lighthouse(
        actor=personas.team_leader,
        person=person,
        unit=unit or personas.team,
        area=_area(personas),
        helps_with="Skriveassistenten",
        contact="Fredage",
    )


def _lighthouse_roles(person, unit):
    return RoleAssignment.objects.filter(person=person, unit=unit, role=Role.LIGHTHOUSE)


def test_it_gives_the_lighthouse_role_with_the_appointment_and_takes_it_back_when_it_ends(personas):
    lighthouse = _appoint(personas, personas.employee)
    role = _lighthouse_roles(personas.employee, personas.team).get()
    assert role.source == RoleAssignment.Source.APPOINTED and lighthouse.role == role
    assert AuditEvent.objects.filter(action="role.grant", object_id=str(personas.employee.pk)).exists()
    actions.remove_lighthouse(actor=personas.team_leader, lighthouse=lighthouse)
    assert not _lighthouse_roles(personas.employee, personas.team).exists()
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(personas.employee.pk)).exists()


def test_it_leaves_a_lighthouse_role_the_person_held_before_the_appointment(personas):
    held = RoleAssignment.objects.create(
        municipality=personas.municipality, person=personas.employee, role=Role.LIGHTHOUSE, unit=personas.team
    )
    lighthouse = _appoint(personas, personas.employee)
    assert lighthouse.role is None
    actions.remove_lighthouse(actor=personas.team_leader, lighthouse=lighthouse)
    assert _lighthouse_roles(personas.employee, personas.team).get() == held


def test_it_keeps_the_role_while_another_appointment_in_the_unit_stands(personas):
    first = _appoint(personas, personas.employee)
    other_area = ProfessionalArea.objects.create(municipality=personas.municipality, name="Skole")
    second = actions.appoint_lighthouse(
        actor=personas.team_leader,
        person=personas.employee,
        unit=personas.team,
        area=other_area,
        helps_with="Ugeplaner",
        contact="Mandage",
    )
    actions.remove_lighthouse(actor=personas.team_leader, lighthouse=first)
    second.refresh_from_db()
    assert second.role == _lighthouse_roles(personas.employee, personas.team).get()
    actions.remove_lighthouse(actor=personas.team_leader, lighthouse=second)
    assert not _lighthouse_roles(personas.employee, personas.team).exists()


def test_it_gives_no_role_when_the_appointment_is_refused(personas):
    with pytest.raises(ValidationError):
        actions.appoint_lighthouse(
            actor=personas.team_leader,
            person=personas.employee,
            unit=personas.team,
            area=_area(personas),
            helps_with="",
            contact="Fredage",
        )
    assert not Lighthouse.objects.exists()
    assert not _lighthouse_roles(personas.employee, personas.team).exists()


# --- "Sådan arbejder vi med AI" ---------------------------------------------------------------


def test_it_shows_the_nearest_lighthouses_on_how_we_work(personas, client_for):
    _lighthouse(personas)
    page = client_for("employee").get(reverse("direction:how_we_work")).content.decode()
    assert "Dine fyrtårne" in page and "Frida Fyrtårn" in page and "Tirsdage i personalestuen" in page
    assert reverse("practice:lighthouses") in page


def test_it_shows_the_lighthouses_on_how_we_work_in_a_fixed_number_of_queries(
    personas, client_for, assert_num_queries_stable
):
    _lighthouse(personas)

    def grow() -> None:
        for n in range(5):
            person = make_person(personas.municipality, f"Fyrtårn {n}", unit=personas.team)
            _lighthouse(personas, person=person, unit=personas.team)

    assert_num_queries_stable(client_for("employee"), reverse("direction:how_we_work"), grow)


def test_it_shows_the_lighthouses_of_a_unit_the_person_leads_without_being_placed_in_it(personas):
    """The person's units are those they are placed in and those they lead (as own_units)."""
    lighthouse = _lighthouse(personas, unit=personas.other_team)
    leader_elsewhere = make_person(personas.municipality, "Lene Leder", roles=[(Role.LEADER, personas.other_team)])
    nobody = make_person(personas.municipality, "Ingen Enhed", roles=[(Role.MED, personas.other_team)])
    assert lighthouses_panel(leader_elsewhere).context["lighthouses"] == [lighthouse]
    assert lighthouses_panel(nobody).context["lighthouses"] == []


def test_it_reads_the_lighthouses_panel_without_joining_everyones_placements(personas):
    """The panel runs for everyone on "Sådan arbejder vi med AI": a join over every membership
    (to find the person's own units) made it 40 times slower in a 45,000-person municipality."""
    _lighthouse(personas)
    with CaptureQueriesContext(connection) as captured:
        panel = lighthouses_panel(personas.employee)
    assert panel.context["lighthouses"] == [Lighthouse.objects.get(person=personas.lighthouse)]
    assert len(captured) == 2
    assert not [q["sql"] for q in captured if 'JOIN "core_membership"' in q["sql"] or "DISTINCT" in q["sql"]]


# --- When the appointment ends --------------------------------------------------------------


def test_it_tells_each_asker_of_an_unanswered_question_when_the_lighthouse_stops(personas, client_for):
    lighthouse = _lighthouse(personas)
    waiting = _question(personas, lighthouse, text="Må jeg bruge assistenten til forældrebrevet?")
    other_asker = make_person(personas.municipality, "Anden Spørger", unit=personas.team)
    actions.ask_lighthouse(actor=other_asker, lighthouse=lighthouse, text="Hvordan kommer vi i gang?")
    answered = _question(personas, lighthouse, text="Hvad må jeg skrive ind?")
    actions.answer_lighthouse_question(actor=personas.lighthouse, question=answered, answer="Ingen navne.")

    url = reverse("practice:lighthouse_remove", args=[lighthouse.pk])
    page = client_for("centre_chief").get(url)
    assert page.status_code == 200
    assert "2 ubesvarede spørgsmål – spørgerne får besked" in page.content.decode()
    response = client_for("centre_chief").post(url)
    assert response.status_code == 302

    notices = Notification.objects.filter(kind="lighthouse.stopped")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([personas.employee.pk, other_asker.pk])
    assert {n.url for n in notices} == {reverse("practice:lighthouses")}
    assert notices.get(recipient=personas.employee).subject == waiting.text
    # The answered question's asker was told of the answer, not of this.
    assert not notices.filter(subject=answered.text).exists()
    row = AuditEvent.objects.get(action="practice.lighthouse.remove")
    assert row.changes["unanswered"] == 2 and row.actor == personas.centre_chief


def test_it_deletes_the_questions_answered_or_not_with_the_appointment(personas):
    lighthouse = _lighthouse(personas)
    _question(personas, lighthouse)
    answered = _question(personas, lighthouse, text="Hvad må jeg skrive ind?")
    actions.answer_lighthouse_question(actor=personas.lighthouse, question=answered, answer="Ingen navne.")
    assert actions.remove_lighthouse(actor=personas.centre_chief, lighthouse=lighthouse) == 1
    assert not LighthouseQuestion.objects.exists()


def test_it_says_there_is_nothing_unanswered_and_tells_nobody(personas, client_for):
    lighthouse = _lighthouse(personas)
    answered = _question(personas, lighthouse)
    actions.answer_lighthouse_question(actor=personas.lighthouse, question=answered, answer="Ja.")
    url = reverse("practice:lighthouse_remove", args=[lighthouse.pk])
    html = client_for("centre_chief").get(url).content.decode()
    assert "ubesvarede spørgsmål – spørgerne får besked" not in html
    assert "Der er ingen ubesvarede spørgsmål" in html
    client_for("centre_chief").post(url)
    assert not Notification.objects.filter(kind="lighthouse.stopped").exists()


def test_it_lets_the_lighthouse_stop_by_themself_and_nobody_else_without_the_right(personas, client_for):
    lighthouse = _lighthouse(personas)
    _question(personas, lighthouse)
    url = reverse("practice:lighthouse_remove", args=[lighthouse.pk])
    for who in ("employee", "team_leader"):  # the team leader leads a team below the lighthouse's unit
        assert client_for(who).get(url).status_code == 404
        assert client_for(who).post(url).status_code == 404
        with pytest.raises(Http404):
            actions.remove_lighthouse(actor=getattr(personas, who), lighthouse=lighthouse)
    directory = client_for("lighthouse").get(reverse("practice:lighthouses")).content.decode()
    assert url in directory
    page = client_for("lighthouse").get(url).content.decode()
    assert "1 ubesvaret spørgsmål – spørgeren får besked" in page
    assert client_for("lighthouse").post(url).status_code == 302
    assert not Lighthouse.objects.filter(pk=lighthouse.pk).exists()
    assert Notification.objects.filter(kind="lighthouse.stopped", recipient=personas.employee).count() == 1


def test_it_shows_the_demo_lighthouse_that_stopping_leaves_a_question_unanswered(db):
    from django.test import Client

    from forankring.core.demo import load_demo
    from forankring.core.models import Person

    load_demo()
    person = Person.objects.get(user__username="fyrtaarn")
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    lighthouse = Lighthouse.objects.filter(person=person).order_by("pk").first()
    assert lighthouse is not None
    page = client.get(reverse("practice:lighthouse_remove", args=[lighthouse.pk])).content.decode()
    assert "1 ubesvaret spørgsmål – spørgeren får besked" in page
