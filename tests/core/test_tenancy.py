"""The current municipality: one person per municipality, and a facilitator who works in two."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from forankring.core.models import Person, Role, RoleAssignment
from tests.factories import Personas


def _second_municipality_for(personas: Personas, name: str) -> Person:
    """Gives the persona a person in Andenkommune too, linked to the same sign-in."""
    first = getattr(personas, name)
    second = Person.objects.create(municipality=personas.other_municipality, name=first.name, user=first.user)
    RoleAssignment.objects.create(
        municipality=personas.other_municipality, person=second, role=Role.FACILITATOR, unit=personas.other_root
    )
    return second


def test_it_shows_the_first_municipality_until_another_is_chosen(personas, client_for):
    _second_municipality_for(personas, "facilitator")
    client = client_for("facilitator")
    page = client.get(reverse("core:home")).content.decode()
    assert "Andenkommune" in page  # alphabetically first
    assert "Skift kommune" in page


def test_it_switches_municipality_for_a_facilitator(personas, client_for):
    _second_municipality_for(personas, "facilitator")
    client = client_for("facilitator")
    response = client.post(reverse("core:choose_municipality"), {"municipality": personas.municipality.pk})
    assert response.status_code == 302
    page = client.get(reverse("core:organisation"), {"q": "team"}).content.decode()
    assert "Team Sol" in page
    client.post(reverse("core:choose_municipality"), {"municipality": personas.other_municipality.pk})
    page = client.get(reverse("core:organisation"), {"q": "team"}).content.decode()
    assert "Team Sol" not in page


def test_it_refuses_to_switch_to_a_municipality_the_person_is_not_in(personas, client_for):
    client = client_for("employee")
    response = client.post(reverse("core:choose_municipality"), {"municipality": personas.other_municipality.pk})
    assert response.status_code == 404


def test_it_hides_the_switch_from_people_in_one_municipality(client_for):
    page = client_for("employee").get(reverse("core:home")).content.decode()
    assert "Skift kommune" not in page


def test_it_gives_no_access_to_a_signed_in_user_without_a_person(db):
    from django.contrib.auth.models import User

    user = User.objects.create_user(username="nobody", password="x-very-long-password")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 403
    assert "Ingen adgang endnu" in response.content.decode()


def test_it_gives_no_access_to_a_deactivated_person(personas, client_for):
    client = client_for("employee")
    Person.objects.filter(pk=personas.employee.pk).update(is_active=False)
    assert client.get(reverse("core:home")).status_code == 403


def test_it_speaks_danish_even_to_an_english_browser(client_for):
    response = client_for("employee").get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert b'<html lang="da">' in response.content
    assert response["Content-Language"] == "da"


def test_it_switches_to_english_when_chosen(client_for):
    client = client_for("employee")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get(reverse("core:home"))
    assert b'<html lang="en">' in response.content
    assert "Local pilots and learning" in response.content.decode()


def test_it_answers_the_health_check_without_sign_in(client, db):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_reads_each_municipalitys_roles_with_the_person_and_only_there(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forankring.core import access

    _second_municipality_for(personas, "facilitator")
    # A forged row: a role in Testkommune's unit, filed under Andenkommune. It counts nowhere.
    RoleAssignment.objects.create(
        municipality=personas.other_municipality, person=personas.facilitator, role=Role.ADMIN, unit=personas.root
    )
    with CaptureQueriesContext(connection) as captured:
        people = access.workplaces(personas.facilitator.user)
        roles = {p.municipality_id: access.role_paths(p) for p in people}
    assert len(captured) == 1
    assert [p.municipality_id for p in people] == [personas.other_municipality.pk, personas.municipality.pk]
    assert roles[personas.other_municipality.pk] == {Role.FACILITATOR: [personas.other_root.path]}
    assert Role.ADMIN not in roles[personas.municipality.pk]
    assert not access.is_admin(people[1])
