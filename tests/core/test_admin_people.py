"""The administrator's pages for people, roles and the municipality's settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forankring.core.models import AuditEvent, Role, RoleAssignment
from tests.factories import make_person

NON_ADMINS = ["executive", "centre_chief", "team_leader", "employee", "lighthouse", "it", "med", "facilitator"]


def person_url(person) -> str:
    return reverse("core:admin_person", args=[person.pk])


def revoke_url(assignment: RoleAssignment) -> str:
    return reverse("core:admin_revoke_role", args=[assignment.person_id, assignment.pk])


def admin_assignment(person) -> RoleAssignment:
    return RoleAssignment.objects.get(person=person, role=Role.ADMIN)


# --- who may see the pages -------------------------------------------------------------------


@pytest.mark.parametrize("name", NON_ADMINS)
def test_it_answers_404_to_non_administrators_on_every_admin_page(client_for, personas, name):
    client = client_for(name)
    lighthouse_role = RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE)
    assert client.get(reverse("core:admin_people")).status_code == 404
    assert client.get(person_url(personas.employee)).status_code == 404
    assert client.post(person_url(personas.employee), {"role": "admin", "unit": personas.root.pk}).status_code == 404
    assert client.post(revoke_url(lighthouse_role)).status_code == 404
    assert client.get(reverse("core:admin_settings")).status_code == 404
    assert client.post(reverse("core:admin_settings"), {"k_min": 3}).status_code == 404
    assert not RoleAssignment.objects.filter(person=personas.employee, role=Role.ADMIN).exists()
    assert RoleAssignment.objects.filter(pk=lighthouse_role.pk).exists()
    assert not AuditEvent.objects.exists()


def test_it_answers_404_to_an_administrator_of_another_municipality(client_for, personas):
    client = client_for("outsider")
    lighthouse_role = RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE)
    assert client.get(person_url(personas.employee)).status_code == 404
    response = client.post(person_url(personas.employee), {"role": "admin", "unit": personas.root.pk})
    assert response.status_code == 404
    assert client.post(revoke_url(lighthouse_role)).status_code == 404
    # Their own people page lists only their own municipality.
    html = client.get(reverse("core:admin_people")).content.decode()
    assert "Ulla Udefra" in html
    assert "Erik Medarbejder" not in html
    assert RoleAssignment.objects.filter(pk=lighthouse_role.pk).exists()
    assert not RoleAssignment.objects.filter(person=personas.employee, role=Role.ADMIN).exists()


# --- people ----------------------------------------------------------------------------------


def test_it_finds_people_by_name_or_employee_number(client_for, personas):
    client = client_for("admin")
    html = client.get(reverse("core:admin_people"), {"q": "frida"}).content.decode()
    assert "Frida Fyrtårn" in html
    assert "Erik Medarbejder" not in html
    assert "Erik Medarbejder" in client.get(reverse("core:admin_people"), {"q": "E1"}).content.decode()


def test_it_keeps_the_query_count_of_the_people_list_flat(client_for, personas, assert_num_queries_stable):
    def grow() -> None:
        for i in range(30):
            make_person(personas.municipality, f"Ny Person {i}", unit=personas.team)

    assert_num_queries_stable(client_for("admin"), reverse("core:admin_people"), grow)


def test_it_shows_a_persons_units_and_roles(client_for, personas):
    html = client_for("admin").get(person_url(personas.lighthouse)).content.decode()
    assert html.count("<h1") == 1
    assert "Frida Fyrtårn" in html
    assert "Fyrtårn – Børnehuset Mælkebøtten" in html
    assert "Medarbejder – Team Sol" in html


# --- granting roles --------------------------------------------------------------------------


def test_it_grants_a_role_through_the_form(client_for, personas):
    client = client_for("admin")
    response = client.post(person_url(personas.employee), {"role": "it", "unit": personas.institution.pk})
    assert response.status_code == 302
    assert response["Location"] == person_url(personas.employee)
    assert RoleAssignment.objects.filter(
        person=personas.employee, role=Role.IT, unit=personas.institution, source=RoleAssignment.Source.MANUAL
    ).exists()
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id) == ("role.grant", personas.admin.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Rollen er tildelt." in page
    assert "IT – Børnehuset Mælkebøtten" in page


def test_it_refuses_a_unit_of_another_municipality(client_for, personas):
    response = client_for("admin").post(person_url(personas.employee), {"role": "it", "unit": personas.other_root.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vælg en af enhederne på listen." in html
    assert not RoleAssignment.objects.filter(person=personas.employee, role=Role.IT).exists()
    assert not AuditEvent.objects.exists()


def test_it_lists_no_units_until_searched_and_then_only_the_own_municipalitys(client_for, personas):
    client = client_for("admin")
    html = client.get(person_url(personas.employee)).content.decode()
    assert f'value="{personas.team.pk}"' not in html  # never a list of every unit
    # Both municipalities have a "Direktionen"; only the own one is found.
    html = client.get(person_url(personas.employee), {"unit_soeg": "direktion"}).content.decode()
    assert f'name="unit" id="id_unit-{personas.root.pk}" value="{personas.root.pk}"' in html
    assert f'value="{personas.other_root.pk}"' not in html


def test_it_searches_units_without_javascript_keeping_the_role_and_saving_nothing(client_for, personas):
    response = client_for("admin").post(
        person_url(personas.employee), {"role": "it", "unit_soeg": "sol", "unit_find": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="it" selected>' in html
    assert f'value="{personas.team.pk}"' in html and "under Børnehuset Mælkebøtten" in html
    assert "Der er fejl i formularen" not in html
    assert not AuditEvent.objects.exists()


def test_it_explains_missing_choices_in_danish_and_keeps_what_was_chosen(client_for, personas):
    html = client_for("admin").post(person_url(personas.employee), {"role": "med"}).content.decode()
    assert "Søg efter enheden, og vælg den på listen." in html
    assert '<option value="med" selected>' in html
    assert "Der er 1 fejl i formularen" in html
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_role_the_person_already_has_in_the_unit(client_for, personas):
    response = client_for("admin").post(person_url(personas.employee), {"role": "employee", "unit": personas.team.pk})
    assert response.status_code == 200
    assert "Personen har allerede denne rolle i den valgte enhed." in response.content.decode()
    assert RoleAssignment.objects.filter(person=personas.employee, role=Role.EMPLOYEE).count() == 1
    assert not AuditEvent.objects.exists()


def test_it_refuses_an_unknown_role(client_for, personas):
    response = client_for("admin").post(person_url(personas.employee), {"role": "king", "unit": personas.team.pk})
    assert response.status_code == 200
    assert "Vælg en af rollerne på listen." in response.content.decode()


# --- revoking roles --------------------------------------------------------------------------


def test_it_revokes_a_role(client_for, personas):
    client = client_for("admin")
    assignment = RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE)
    response = client.post(revoke_url(assignment))
    assert response.status_code == 302
    assert response["Location"] == person_url(personas.lighthouse)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.get().action == "role.revoke"
    assert "Rollen er fjernet." in client.get(response["Location"]).content.decode()


def test_it_only_revokes_with_post(client_for, personas):
    assignment = RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE)
    assert client_for("admin").get(revoke_url(assignment)).status_code == 405
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_answers_404_when_the_role_belongs_to_someone_else(client_for, personas):
    assignment = RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE)
    url = reverse("core:admin_revoke_role", args=[personas.employee.pk, assignment.pk])
    assert client_for("admin").post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_will_not_remove_the_last_administrator(client_for, personas):
    client = client_for("admin")
    assignment = admin_assignment(personas.admin)
    response = client.post(revoke_url(assignment), follow=True)
    assert response.status_code == 200
    assert "Rollen kan ikke fjernes: kommunen skal have mindst én administrator." in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not AuditEvent.objects.exists()


def test_it_does_not_count_a_departed_person_as_an_administrator(client_for, personas):
    departed = make_person(personas.municipality, "Gammel Admin", roles=[(Role.ADMIN, personas.root)])
    departed.is_active = False
    departed.save(update_fields=["is_active"])
    response = client_for("admin").post(revoke_url(admin_assignment(personas.admin)), follow=True)
    assert "kommunen skal have mindst én administrator" in response.content.decode()
    assert RoleAssignment.objects.filter(person=personas.admin, role=Role.ADMIN).exists()


def test_it_removes_an_administrator_when_another_remains(client_for, personas):
    second = make_person(personas.municipality, "Anden Admin", roles=[(Role.ADMIN, personas.root)])
    response = client_for("admin").post(revoke_url(admin_assignment(second)))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(person=second, role=Role.ADMIN).exists()


def test_it_sends_an_administrator_who_removed_their_own_admin_role_home(client_for, personas):
    make_person(personas.municipality, "Anden Admin", roles=[(Role.ADMIN, personas.root)])
    client = client_for("admin")
    response = client.post(revoke_url(admin_assignment(personas.admin)))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:admin_people")).status_code == 404


# --- settings --------------------------------------------------------------------------------


def settings_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "level_names_text": "Direktion, Område, Team",
        "accessibility_statement_url": "https://test.example/was",
        "k_min": 5,
    }
    data.update(overrides)
    return data


def test_it_saves_the_settings(client_for, personas):
    client = client_for("admin")
    response = client.post(reverse("core:admin_settings"), settings_data(k_min=4))
    assert response.status_code == 302
    personas.municipality.refresh_from_db()
    assert personas.municipality.level_names == ["Direktion", "Område", "Team"]
    assert personas.municipality.accessibility_statement_url == "https://test.example/was"
    assert personas.municipality.k_min == 4
    assert AuditEvent.objects.get().action == "municipality.update_settings"
    assert "Indstillingerne er gemt." in client.get(response["Location"]).content.decode()


def test_it_refuses_a_group_size_below_three_beside_the_field_and_keeps_what_was_typed(client_for, personas):
    response = client_for("admin").post(reverse("core:admin_settings"), settings_data(k_min=2))
    assert response.status_code == 200
    html = response.content.decode()
    error = "Skriv et tal på mindst 3. Mindre grupper kan pege på den enkelte."
    # Once in the summary at the top, once in the field's own group, linked to the input.
    assert html.count(error) == 2
    assert html.rindex(error) > html.index('<div class="form-group form-error">')
    assert 'id="id_k_min-error"' in html
    assert 'aria-describedby="id_k_min-hint id_k_min-error"' in html
    assert 'value="Direktion, Område, Team"' in html
    assert 'value="https://test.example/was"' in html
    assert 'value="2"' in html
    personas.municipality.refresh_from_db()
    assert personas.municipality.k_min == 5
    assert personas.municipality.level_names == ["Direktion", "Center", "Institution", "Team"]
    assert not AuditEvent.objects.exists()


def test_it_does_not_show_a_refused_address_in_the_footer(client_for, personas):
    personas.municipality.accessibility_statement_url = "https://test.example/old"
    personas.municipality.save(update_fields=["accessibility_statement_url"])
    html = (
        client_for("admin")
        .post(
            reverse("core:admin_settings"), settings_data(k_min=1, accessibility_statement_url="https://x.example/new")
        )
        .content.decode()
    )
    footer = html[html.index("<footer") :]
    assert "https://test.example/old" in footer
    assert "https://x.example/new" not in footer


def test_it_refuses_empty_level_names_and_a_bad_address(client_for, personas):
    html = (
        client_for("admin")
        .post(reverse("core:admin_settings"), settings_data(level_names_text=" , ", accessibility_statement_url="nix"))
        .content.decode()
    )
    assert "Skriv mindst ét niveau." in html
    assert "Skriv en hel webadresse" in html
    assert not AuditEvent.objects.exists()


def test_it_takes_an_address_without_scheme_as_https(client_for, personas):
    client_for("admin").post(
        reverse("core:admin_settings"), settings_data(accessibility_statement_url="test.example/was")
    )
    personas.municipality.refresh_from_db()
    assert personas.municipality.accessibility_statement_url == "https://test.example/was"


def test_it_pages_the_people_list_and_keeps_the_search(personas, client_for):
    for n in range(60):
        make_person(personas.municipality, f"Søgbar Person {n:02d}")
    client = client_for("admin")
    html = client.get(reverse("core:admin_people"), {"q": "Søgbar"}).content.decode()
    assert "Side 1 af 2" in html
    assert "?q=S%C3%B8gbar&amp;side=2" in html
    second = client.get(reverse("core:admin_people"), {"q": "Søgbar", "side": 2}).content.decode()
    assert "Søgbar Person 59" in second
    assert "Søgbar Person 00" not in second


def test_it_filters_the_people_list_by_unit_and_below_and_by_role(client_for, personas):
    client = client_for("admin")
    # The list only: the header names the signed-in administrator too.
    in_institution = (
        client.get(reverse("core:admin_people"), {"enhed": personas.institution.pk})
        .content.decode()
        .split('id="main-content"', 1)[1]
    )
    # Everyone placed in the institution or its teams, nobody placed above it.
    # Names as links in the list (the signed-in administrator's name is also in the header).
    for name in ("Tina Teamleder", "Erik Medarbejder", "Frida Fyrtårn", "Maja MED"):
        assert f"{name}</a>" in in_institution
    for name in ("Carl Centerchef", "Ester Direktør", "Anders Admin"):
        assert f"{name}</a>" not in in_institution
    meds = client.get(reverse("core:admin_people"), {"rolle": "med"}).content.decode()
    assert "Maja MED" in meds and "Erik Medarbejder" not in meds
    both = client.get(reverse("core:admin_people"), {"rolle": "leader", "enhed": personas.team.pk}).content.decode()
    assert "Tina Teamleder" in both and "Carl Centerchef" not in both and "Erik Medarbejder" not in both


def test_it_refuses_a_forged_filter(client_for, personas):
    client = client_for("admin")
    assert client.get(reverse("core:admin_people"), {"rolle": "konge"}).status_code == 404
    assert client.get(reverse("core:admin_people"), {"enhed": personas.other_root.pk}).status_code == 404


def test_it_shows_the_unit_beside_each_name_and_the_way_back(client_for, personas):
    make_person(personas.municipality, "Erik Medarbejder", unit=personas.other_team)
    html = client_for("admin").get(reverse("core:admin_people"), {"q": "Erik"}).content.decode()
    # Two people of the same name, told apart by their units (Erik works in both teams).
    assert html.count("Erik Medarbejder</a>") == 2
    assert "Team Sol <span" in html and "Team Måne <span" in html
    assert "under Børnehuset Mælkebøtten" in html
    assert f'href="{reverse("core:admin_home")}" class="breadcrumbs__link"' in html


def test_it_numbers_the_pages_and_keeps_the_filters(personas, client_for):
    for n in range(160):
        make_person(personas.municipality, f"Person {n:03d}", unit=personas.team)
    html = (
        client_for("admin").get(reverse("core:admin_people"), {"enhed": personas.team.pk, "side": 2}).content.decode()
    )
    assert "Side 2 af 4" in html
    for number in (1, 3, 4):
        assert f'href="?enhed={personas.team.pk}&amp;side={number}"' in html
    assert '<span aria-current="page"><span class="sr-only">Side </span>2</span>' in html


def test_the_people_list_keeps_its_query_count_with_filters(client_for, personas, assert_num_queries_stable):
    def grow() -> None:
        for i in range(30):
            make_person(personas.municipality, f"Ny Person {i}", unit=personas.team, leader=i % 3 == 0)

    url = reverse("core:admin_people") + f"?rolle=leader&enhed={personas.institution.pk}"
    assert_num_queries_stable(client_for("admin"), url, grow)
