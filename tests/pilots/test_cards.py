"""Learning cards: published by the pilot's leader once the pilot is closed, one per pilot, in
a library everyone in the municipality can search; a stopped pilot's card looks like any other."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from forankring.core.models import AuditEvent
from forankring.pilots import actions_sharing, queries_sharing
from forankring.pilots.models import LearningCard, Pilot
from tests.factories import make_use_case
from tests.pilots.factories_sharing import make_card, make_closed_pilot


def _post(client, url, **data):
    page = client.get(url)
    token = page.context["form"]["submission_token"].value()
    return client.post(url, {"submission_token": token, **data})


def test_it_publishes_a_card_for_a_closed_pilot_and_shows_it_in_the_library(client_for, personas):
    pilot = make_closed_pilot(personas.team_leader, personas.team, title="Talegenkendelse i Team Sol")
    client = client_for("team_leader")
    response = _post(
        client,
        reverse("pilots:card_publish", args=[pilot.pk]),
        tried="Vi talte notater ind i fire uger.",
        learned="Det virkede ikke, og vi lærte at bruge en skabelon.",
        advice="",
    )
    card = LearningCard.objects.get(pilot=pilot)
    assert response.status_code == 302
    assert response["Location"] == reverse("pilots:card", args=[card.pk])
    assert card.decision == Pilot.Decision.STOP
    assert card.published_by == personas.team_leader
    assert AuditEvent.objects.filter(action="pilots.card.publish", actor=personas.team_leader).count() == 1
    library = client_for("employee").get(reverse("pilots:cards"))
    assert "Talegenkendelse i Team Sol" in library.content.decode()


def test_it_refuses_a_card_before_the_pilot_is_closed_and_saves_nothing(personas):
    pilot = make_closed_pilot(personas.team_leader, personas.team, status=Pilot.Status.EVALUATING)
    with pytest.raises(ValidationError):
        actions_sharing.publish_learning_card(actor=personas.team_leader, pilot=pilot, tried="x", learned="y")
    assert not LearningCard.objects.exists()
    assert not AuditEvent.objects.filter(action="pilots.card.publish").exists()


def test_it_lets_only_the_leader_or_who_decides_scale_or_stop_publish(client_for, personas):
    pilot = make_closed_pilot(personas.team_leader, personas.team)
    with pytest.raises(Http404):
        actions_sharing.publish_learning_card(actor=personas.employee, pilot=pilot, tried="x", learned="y")
    assert client_for("employee").get(reverse("pilots:card_publish", args=[pilot.pk])).status_code == 404
    # The direktion decides scale_or_stop by default (track 1's decision rights).
    card = actions_sharing.publish_learning_card(actor=personas.executive, pilot=pilot, tried="x", learned="y")
    assert card.published_by == personas.executive


def test_it_keeps_one_card_per_pilot(personas):
    pilot = make_closed_pilot(personas.team_leader, personas.team)
    actions_sharing.publish_learning_card(actor=personas.team_leader, pilot=pilot, tried="x", learned="y")
    with pytest.raises(ValidationError):
        actions_sharing.publish_learning_card(actor=personas.executive, pilot=pilot, tried="a", learned="b")
    assert LearningCard.objects.filter(pilot=pilot).count() == 1


def test_it_keeps_the_input_and_shows_the_error_beside_the_field(client_for, personas):
    pilot = make_closed_pilot(personas.team_leader, personas.team)
    response = _post(
        client_for("team_leader"), reverse("pilots:card_publish", args=[pilot.pk]), tried="Vi prøvede.", learned=""
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vi prøvede." in html
    assert 'id="id_learned-error"' in html
    assert not LearningCard.objects.exists()


def test_it_filters_the_library_by_decision_area_use_case_and_text(client_for, personas):
    stopped = make_card(personas.team_leader, personas.team, title="Talegenkendelse i Team Sol")
    scaled = make_card(personas.team_leader, personas.team, title="Referater i Team Sol", decision="scale")
    other_use_case = make_use_case(personas.municipality, title="Ugeplaner")
    Pilot.objects.filter(pk=scaled.pilot_id).update(use_case=other_use_case)
    client = client_for("employee")

    def titles(**params):
        page = client.get(reverse("pilots:cards"), params).context["page"]
        return {card.pilot.title for card in page.object_list}

    assert titles(beslutning="stop") == {stopped.pilot.title}
    assert titles(beslutning="scale") == {scaled.pilot.title}
    assert titles(anvendelse=other_use_case.pk) == {scaled.pilot.title}
    assert titles(q="talegenkendelse") == {stopped.pilot.title}
    assert titles(fagomraade=other_use_case.area_id) == {stopped.pilot.title, scaled.pilot.title}


def test_it_gives_a_stopped_pilots_card_the_same_layout_as_a_scaled_one(client_for, personas):
    make_card(personas.team_leader, personas.team, title="Stoppet afprøvning", decision="stop")
    make_card(personas.team_leader, personas.team, title="Udbredt afprøvning", decision="scale")
    html = client_for("employee").get(reverse("pilots:cards")).content.decode()
    items = html.split('<li class="app-data-card app-learning-card">')[1:]
    assert len(items) == 2
    # Nothing but the texts differs: no colour, no class or badge per outcome.
    assert "success" not in html and "danger" not in html and "alert-" not in html.split("<main", 1)[1]
    assert "samme form" in html


def test_it_finds_similar_cards_by_use_case_and_words_in_the_title(personas):
    card = make_card(personas.team_leader, personas.team, title="Talegenkendelse til dagbogsnotater")
    found = queries_sharing.similar_cards(personas.employee, text="Talegenkendelse i hjemmeplejen")
    assert found == [card]
    assert queries_sharing.similar_cards(personas.employee, use_case=card.pilot.use_case) == [card]
    assert queries_sharing.similar_cards(personas.employee, text="Noget helt andet") == []
    assert queries_sharing.similar_cards(personas.outsider, use_case=card.pilot.use_case_id) == []


def test_it_gives_the_pilot_page_a_form_then_the_card(personas):
    pilot = make_closed_pilot(personas.team_leader, personas.team)
    panel = queries_sharing.card_panel(personas.team_leader, pilot)
    assert panel["can_publish"] and panel["card"] is None
    assert not queries_sharing.card_panel(personas.employee, pilot)["can_publish"]
    card = actions_sharing.publish_learning_card(actor=personas.team_leader, pilot=pilot, tried="x", learned="y")
    panel = queries_sharing.card_panel(personas.employee, pilot)
    assert panel["card"] == card and not panel["can_publish"]


def test_it_lists_cards_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    make_card(personas.team_leader, personas.team)

    def grow():
        for n in range(5):
            make_card(personas.team_leader, personas.team, title=f"Afprøvning {n}")

    assert_num_queries_stable(client_for("employee"), reverse("pilots:cards"), grow=grow)


def test_it_renders_the_panels_the_pilot_pages_include(rf, personas):
    from django.template.loader import render_to_string

    pilot = make_closed_pilot(personas.team_leader, personas.team, title="Talegenkendelse i Team Sol")
    request = rf.get("/")
    html = render_to_string(
        "pilots/_card_panel.html",
        {"card_panel": queries_sharing.card_panel(personas.team_leader, pilot)},
        request=request,
    )
    assert reverse("pilots:card_publish", args=[pilot.pk]) in html and "submission_token" in html
    card = actions_sharing.publish_learning_card(
        actor=personas.team_leader, pilot=pilot, tried="x", learned="Vi lærte y"
    )
    html = render_to_string(
        "pilots/_card_panel.html", {"card_panel": queries_sharing.card_panel(personas.employee, pilot)}, request=request
    )
    assert "Vi lærte y" in html and reverse("pilots:card", args=[card.pk]) in html
    similar = queries_sharing.similar_cards(personas.employee, text="Talegenkendelse til ugeplaner")
    html = render_to_string("pilots/_similar_cards.html", {"similar_cards": similar}, request=request)
    assert "Talegenkendelse i Team Sol" in html
    assert render_to_string("pilots/_similar_cards.html", {"similar_cards": []}).strip() == ""
