"""The landing page, purpose, focus areas, decision rights, "Sådan arbejder vi med AI" and the
core registry the track plugs into."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from forankring.core import tracks
from forankring.core.models import AuditEvent, Role
from forankring.direction import actions, rules
from forankring.direction.models import DecisionArea, FocusArea, Purpose
from tests.factories import make_compass, make_focus_area, make_tool

CORE = Path(__file__).resolve().parents[2] / "forankring" / "core"


def test_it_keeps_core_free_of_track_imports():
    for module in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n.startswith("forankring.direction") for n in names), module


def test_it_puts_the_track_page_in_the_menu_and_on_the_home_page(personas, client_for):
    page = client_for("employee").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("direction:index")}"' in page
    assert tracks.TRACKS_BY_KEY["direction"].url_name == "direction:index"
    # Every track's app has claimed its entry; none is left on core's "Kommer snart" page.
    assert all(track.has_page for track in tracks.TRACKS)


def test_it_refuses_an_unknown_track():
    with pytest.raises(ValueError):
        tracks.register_page("nope", "x:y")


def test_it_saves_the_purpose_and_shows_it(personas, client_for):
    client = client_for("executive")
    response = client.post(
        reverse("direction:purpose_edit"),
        {
            "why": "Mere tid til borgerne.",
            "ambitions": "Færre fejl\n\nKortere svartid",
            "governance": "",
            "whom_to_ask": "",
        },
    )
    assert response.status_code == 302
    assert Purpose.objects.get(municipality=personas.municipality).ambition_list() == ["Færre fejl", "Kortere svartid"]
    page = client_for("employee").get(reverse("direction:index")).content.decode()
    assert "Mere tid til borgerne." in page and "<li>Kortere svartid</li>" in page
    assert AuditEvent.objects.filter(action="direction.purpose").count() == 1


def test_it_refuses_a_fourth_focus_area_beside_the_field(personas, client_for):
    for name in ("Sagsbehandling", "HR", "Borgerkommunikation"):
        actions.add_focus_area(actor=personas.executive, name=name, why="Fordi.")
    with pytest.raises(ValidationError, match="højst være 3"):
        actions.add_focus_area(actor=personas.executive, name="Økonomi", why="Fordi.")
    assert FocusArea.objects.count() == 3
    # The page says so instead of offering the form.
    page = client_for("executive").get(reverse("direction:focus_areas")).content.decode()
    assert "Der er allerede 3 fokusområder" in page


def test_it_warns_when_there_are_fewer_than_two_focus_areas(personas, client_for):
    make_focus_area(personas.municipality)
    page = client_for("employee").get(reverse("direction:focus_areas")).content.decode()
    assert "Der skal være mindst 2 fokusområder." in page
    assert "Tilføj et fokusområde" not in page  # employees read only


def test_it_lets_only_the_deciding_roles_remove_a_focus_area(personas, client_for):
    area = make_focus_area(personas.municipality)
    client_for("med").post(reverse("direction:focus_area_remove", args=[area.pk]))
    assert FocusArea.objects.filter(pk=area.pk).exists()
    client_for("executive").post(reverse("direction:focus_area_remove", args=[area.pk]))
    assert not FocusArea.objects.filter(pk=area.pk).exists()


# --- Decision rights -------------------------------------------------------------------------


def test_it_answers_who_decides_from_the_defaults_and_then_from_the_municipalitys_own(personas):
    m = personas.municipality
    assert rules.who_decides(m, "publish_compass") == [Role.EXECUTIVE]
    assert rules.who_decides(m, "approve_pilot") == [Role.LEADER]
    assert rules.who_decides(m, "no-such-area") == []
    actions.save_decision_area(
        actor=personas.executive,
        key="approve_pilot",
        name="Godkende en afprøvning",
        scope="local",
        parts={"leader": "consulted", "lighthouse": "decides"},
    )
    assert rules.who_decides(m, "approve_pilot") == [Role.LIGHTHOUSE]
    assert DecisionArea.objects.filter(municipality=m).count() == len(rules.DEFAULT_AREAS)
    # The other municipality still has the defaults.
    assert rules.who_decides(personas.other_municipality, "approve_pilot") == [Role.LEADER]


def test_it_uses_the_decision_rights_for_who_publishes_the_compass(personas):
    actions.save_decision_area(
        actor=personas.executive,
        key="publish_compass",
        name="Offentliggøre AI-kompasset",
        scope="common",
        parts={"med": "decides", "executive": "consulted"},
    )
    compass = make_compass(personas.municipality, status="approved")
    with pytest.raises(Http404):
        actions.publish(actor=personas.executive, compass=compass)
    actions.publish(actor=personas.med, compass=compass)
    compass.refresh_from_db()
    assert compass.status == "published"


def test_it_refuses_a_decision_nobody_decides(personas, client_for):
    response = client_for("executive").post(
        reverse("direction:decision_new"), {"name": "Indkøb af licenser", "scope": "common", "role_it": "carries_out"}
    )
    assert "Mindst én rolle skal beslutte" in response.content.decode()
    assert not DecisionArea.objects.exists()


def test_it_shows_the_decision_rights_as_cards_and_a_matrix(personas, client_for):
    page = client_for("employee").get(reverse("direction:decisions")).content.decode()
    assert page.count('<li class="app-data-card">') == len(rules.DEFAULT_AREAS)
    assert "<caption" in page and "Offentliggøre AI-kompasset" in page


def test_it_lists_decisions_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    actions.save_decision_area(
        actor=personas.executive, key=None, name="Første", scope="common", parts={"executive": "decides"}
    )

    def grow():
        for i in range(3):
            actions.save_decision_area(
                actor=personas.executive, key=None, name=f"Egen {i}", scope="local", parts={"leader": "decides"}
            )

    assert_num_queries_stable(client_for("employee"), reverse("direction:decisions"), grow)


# --- "Sådan arbejder vi med AI" --------------------------------------------------------------


def test_it_assembles_the_whole_framework_on_one_printable_page(personas, client_for):
    Purpose.objects.create(municipality=personas.municipality, why="Bedre kvalitet.", whom_to_ask="Fyrtårnene.")
    make_focus_area(personas.municipality, "Sagsbehandling")
    make_compass(personas.municipality)
    make_tool(personas.municipality)  # seeds the data rules
    page = client_for("employee").get(reverse("direction:how_we_work")).content.decode()
    for text in (
        "Bedre kvalitet.",
        "Sagsbehandling",
        "Testkommune princip 1",
        "CPR-numre hører hjemme i fagsystemerne.",
        "Offentliggøre AI-kompasset",
        "Fyrtårnene.",
    ):
        assert text in page, text
    assert 'class="app-no-print"' in page


def test_it_shows_where_a_decision_is_made_as_radio_buttons_in_a_fieldset(client_for):
    text = client_for("executive").get(reverse("direction:decision_new")).content.decode()
    assert '<legend class="form-label">Hvor besluttes det?</legend>' in text
    assert text.count('class="form-radio"') == 2
    assert 'class="form-input"' not in text.split('<legend class="form-label">Hvor besluttes det?</legend>')[1][:600]
