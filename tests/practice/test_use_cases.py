from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from forankring.core.models import AuditEvent, ProfessionalArea
from forankring.notifications.models import Notification
from forankring.practice import actions
from forankring.practice.models import StatusChange, UseCase, UseCaseUnit, UseCaseValue
from tests.factories import make_tool, make_use_case

pytestmark = pytest.mark.django_db


def _form(personas, **extra):
    area = ProfessionalArea.objects.get(municipality=personas.municipality, name="Dagtilbud")
    data = {
        "title": "skrive forældrebreve om hverdagen",
        "today": "Pædagogerne skriver hvert brev fra bunden.",
        "ai_help": "Et udkast ud fra ugens stikord.",
        "human_decides": "Pædagogen læser og retter hvert brev, før det sendes.",
        "area": area.pk,
        "unit": personas.team.pk,
        "value_types": ["time", "quality"],
    }
    data.update(extra)
    return data


def test_it_registers_a_use_case_as_a_task_with_an_audit_row(personas, client_for):
    response = client_for("team_leader").post(reverse("practice:use_case_new"), _form(personas))
    use_case = UseCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("practice:use_case", args=[use_case.pk])
    assert use_case.title == "Skrive forældrebreve om hverdagen"  # verb first, capitalised
    assert sorted(v.key for v in use_case.value_types.all()) == ["quality", "time"]
    assert use_case.history.get().to_status == "idea"
    assert AuditEvent.objects.filter(action="practice.use_case.add", object_id=str(use_case.pk)).exists()


def test_it_requires_where_a_human_must_decide(personas, client_for):
    response = client_for("team_leader").post(reverse("practice:use_case_new"), _form(personas, human_decides=""))
    assert response.status_code == 200
    assert "Skriv, hvor et menneske altid skal beslutte." in response.content.decode()
    assert "forældrebreve om hverdagen" in response.content.decode()  # what was typed is kept
    assert not UseCase.objects.exists()


def test_it_refuses_a_unit_that_is_not_the_persons_own(personas, client_for):
    response = client_for("team_leader").post(reverse("practice:use_case_new"), _form(personas, unit=personas.root.pk))
    assert response.status_code == 200 and not UseCase.objects.exists()


def test_it_lets_an_employee_point_to_a_workflow_but_not_register_a_use_case(client_for):
    assert client_for("employee").get(reverse("practice:use_case_new")).status_code == 404


def test_it_shows_similar_use_cases_after_the_first_submit_and_saves_when_confirmed(personas, client_for):
    existing = make_use_case(personas.municipality, title="Skrive forældrebreve til nye familier", unit=personas.team)
    client = client_for("team_leader")
    response = client.post(reverse("practice:use_case_new"), _form(personas))
    page = response.content.decode()
    assert response.status_code == 200 and existing.title in page
    assert UseCase.objects.count() == 1
    response = client.post(reverse("practice:use_case_new"), _form(personas, confirm_new="on"))
    assert response.status_code == 302 and UseCase.objects.count() == 2


def test_it_suggests_similar_use_cases_while_typing(personas, client_for):
    make_use_case(personas.municipality, title="Skrive referat af teammøder", unit=personas.team)
    make_use_case(personas.other_municipality, title="Skrive referat i Andenkommune", unit=personas.other_root)
    response = client_for("employee").get(
        reverse("practice:use_case_similar"), {"title": "referater"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "Skrive referat af teammøder" in page and "Andenkommune" not in page
    assert "<h1>" not in page  # a fragment for htmx


def test_it_flags_cpr_numbers_in_a_consumer_tool_and_refuses_the_pilot(personas):
    chatbot = make_tool(personas.municipality, name="Gratis chatbot", tier="consumer", data=("public",))
    use_case = make_use_case(
        personas.municipality, unit=personas.team, status="assessed", tools=(chatbot,), data=("cpr",)
    )
    from forankring.practice.queries import flags_for

    flags = flags_for(UseCase.objects.prefetch_related("tools__data_classes", "data_classes").get(pk=use_case.pk))
    assert [(f.tool.name, f.data_class.key, f.blocks) for f in flags] == [("Gratis chatbot", "cpr", True)]
    with pytest.raises(ValidationError) as error:
        actions.change_status(actor=personas.team_leader, use_case=use_case, to_status="pilot")
    assert "to_status" in error.value.message_dict
    use_case.refresh_from_db()
    assert use_case.status == "assessed" and not StatusChange.objects.filter(use_case=use_case).exists()


def test_it_shows_the_flag_on_the_use_case_page(personas, client_for):
    chatbot = make_tool(personas.municipality, name="Gratis chatbot", tier="consumer", data=("public",))
    use_case = make_use_case(personas.municipality, unit=personas.team, tools=(chatbot,), data=("cpr",))
    page = client_for("employee").get(reverse("practice:use_case", args=[use_case.pk])).content.decode()
    assert "Ikke tilladt:" in page and "Gratis chatbot" in page


def test_it_moves_a_use_case_by_the_decision_rights_and_tells_the_followers(personas):
    use_case = make_use_case(personas.municipality, unit=personas.team)
    use_case.followers.add(personas.employee)
    with pytest.raises(Http404):
        actions.change_status(actor=personas.employee, use_case=use_case, to_status="assessed")
    actions.change_status(actor=personas.team_leader, use_case=use_case, to_status="assessed", note="Vi prøver")
    actions.change_status(actor=personas.team_leader, use_case=use_case, to_status="pilot")
    # Putting it into operation is "scale_or_stop": the direktion by default, not the team leader.
    with pytest.raises(Http404):
        actions.change_status(actor=personas.team_leader, use_case=use_case, to_status="operation")
    actions.change_status(actor=personas.executive, use_case=use_case, to_status="operation")
    history = list(use_case.history.values_list("to_status", "decided_by__name"))
    assert history == [("assessed", "Tina Teamleder"), ("pilot", "Tina Teamleder"), ("operation", "Ester Direktør")]
    assert Notification.objects.filter(recipient=personas.employee, kind="usecase.changed").count() == 3
    assert AuditEvent.objects.filter(action="practice.use_case.status").count() == 3


def test_it_refuses_a_status_that_cannot_follow(personas):
    use_case = make_use_case(personas.municipality, unit=personas.team)
    with pytest.raises(ValidationError):
        actions.change_status(actor=personas.team_leader, use_case=use_case, to_status="operation")


def test_it_lets_another_unit_join_instead_of_writing_a_duplicate(personas, client_for):
    use_case = make_use_case(personas.municipality, unit=personas.other_team)
    response = client_for("team_leader").post(
        reverse("practice:use_case_join", args=[use_case.pk]), {"unit": personas.team.pk}
    )
    assert response.status_code == 302
    assert list(UseCaseUnit.objects.values_list("unit", flat=True)) == [personas.team.pk]
    assert AuditEvent.objects.filter(action="practice.use_case.join").exists()
    # Twice is refused beside the field.
    response = client_for("team_leader").post(
        reverse("practice:use_case_join", args=[use_case.pk]), {"unit": personas.team.pk}
    )
    assert response.status_code == 400 and UseCaseUnit.objects.count() == 1


def test_it_filters_the_list_by_status_value_tool_and_text(personas, client_for):
    tool = make_tool(personas.municipality, name="Skriveassistent")
    a = make_use_case(
        personas.municipality, title="Skrive ugeplaner", unit=personas.team, status="pilot", tools=(tool,)
    )
    b = make_use_case(personas.municipality, title="Oversætte breve til borgere", unit=personas.team)
    b.value_types.set([UseCaseValue.objects.create(municipality=personas.municipality, key="errors")])
    client = client_for("employee")
    url = reverse("practice:use_cases")

    def titles(**params):
        page = client.get(url, params).content.decode()
        return [t for t in (a.title, b.title) if t in page]

    assert titles() == [a.title, b.title]
    assert titles(status="pilot") == [a.title]
    assert titles(vaerdi="errors") == [b.title]
    assert titles(vaerktoej=tool.pk) == [a.title]
    assert titles(q="oversætte") == [b.title]


def _many_use_cases(personas, n):
    area = ProfessionalArea.objects.get(municipality=personas.municipality, name="Dagtilbud")
    tool = make_tool(personas.municipality, name=f"Værktøj {n}")
    rows = UseCase.objects.bulk_create(
        UseCase(
            municipality=personas.municipality,
            title=f"Skrive opgave {i}",
            today="I dag",
            ai_help="AI",
            human_decides="Et menneske",
            area=area,
            unit=personas.team,
        )
        for i in range(n)
    )
    value = UseCaseValue.objects.get_or_create(municipality=personas.municipality, key="time")[0]
    UseCase.value_types.through.objects.bulk_create(
        UseCase.value_types.through(usecase_id=r.pk, usecasevalue_id=value.pk) for r in rows
    )
    UseCase.tools.through.objects.bulk_create(UseCase.tools.through(usecase_id=r.pk, tool_id=tool.pk) for r in rows)
    UseCaseUnit.objects.bulk_create(
        UseCaseUnit(municipality=personas.municipality, use_case=r, unit=personas.other_team) for r in rows[:50]
    )


def test_it_lists_50_and_5000_use_cases_in_the_same_number_of_queries(personas, client_for, assert_num_queries_stable):
    _many_use_cases(personas, 50)
    assert_num_queries_stable(
        client_for("team_leader"), reverse("practice:use_cases"), grow=lambda: _many_use_cases(personas, 4950)
    )
    assert UseCase.objects.count() == 5000


def test_it_finds_the_owning_unit_by_searching_and_keeps_what_was_typed(personas, client_for):
    client = client_for("team_leader")
    data = _form(personas, unit="", unit_soeg=personas.team.name[:6], unit_find="1")
    response = client.post(reverse("practice:use_case_new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not UseCase.objects.exists()
    assert f'id="id_unit-{personas.team.pk}"' in page  # the team is offered as a choice
    assert "forældrebreve om hverdagen" in page  # and the rest of the form is kept
    assert "Søg efter den enhed" not in page  # a search is not a failed submit
    assert client.post(reverse("practice:use_case_new"), _form(personas)).status_code == 302


def test_it_searches_only_the_persons_own_units_and_those_under_them(personas, client_for):
    response = client_for("team_leader").get(reverse("practice:use_case_new"), {"unit_soeg": personas.root.name})
    page = response.content.decode()
    assert 'name="unit_soeg"' in page and f'id="id_unit-{personas.root.pk}"' not in page
    team = client_for("team_leader").get(reverse("practice:use_case_new"), {"unit_soeg": personas.team.name})
    assert f'id="id_unit-{personas.team.pk}"' in team.content.decode()


def test_it_offers_the_persons_own_unit_before_any_search(personas, client_for):
    page = client_for("team_leader").get(reverse("practice:use_case_new")).content.decode()
    assert f'id="id_unit-{personas.team.pk}" value="{personas.team.pk}" checked' in page
