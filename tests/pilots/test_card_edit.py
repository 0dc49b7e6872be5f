"""Editing a published learning card: by whoever may publish it, with the same screened form,
an audit row, the same id and URL, and "Redigeret <date>" on the card."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core.models import AuditEvent
from forankring.pilots import actions_sharing
from forankring.pilots.models import LearningCard
from tests.pilots.factories_sharing import make_card

CPR = "010203-1234"


def test_it_edits_the_card_in_place_with_an_audit_row_and_shows_when(client_for, personas):
    card = make_card(personas.team_leader, personas.team, title="Talegenkendelse i Team Sol")
    url = reverse("pilots:card_edit", args=[card.pk])
    client = client_for("team_leader")
    form = client.get(url)
    assert form.status_code == 200
    assert card.learned in form.content.decode()  # the form starts from the card as it is
    response = client.post(
        url, {"tried": card.tried, "learned": "Det virkede ikke – men en skabelon hjalp.", "advice": "Start småt."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("pilots:card", args=[card.pk])
    assert LearningCard.objects.count() == 1
    edited = LearningCard.objects.get(pk=card.pk)
    assert (edited.learned, edited.advice) == ("Det virkede ikke – men en skabelon hjalp.", "Start småt.")
    assert edited.published_at == card.published_at and edited.published_by == personas.team_leader
    assert edited.edited_at is not None
    row = AuditEvent.objects.get(action="pilots.card.edit")
    assert (row.actor, row.object_id, row.changes) == (
        personas.team_leader,
        str(card.pk),
        {"changed": ["advice", "learned"]},
    )
    page = client_for("employee").get(reverse("pilots:card", args=[card.pk])).content.decode()
    assert "Start småt." in page
    assert f"Redigeret {timezone.localtime(edited.edited_at).day}." in page


def test_it_shows_no_edit_mark_on_a_card_never_edited(client_for, personas):
    card = make_card(personas.team_leader, personas.team)
    page = client_for("employee").get(reverse("pilots:card", args=[card.pk])).content.decode()
    assert "Redigeret" not in page


def test_it_lets_only_whoever_may_publish_edit(client_for, personas):
    card = make_card(personas.team_leader, personas.team)
    for who in ("employee", "lighthouse", "centre_chief"):
        with pytest.raises(Http404):
            actions_sharing.edit_learning_card(
                actor=getattr(personas, who), card=card, tried="x", learned="y", advice=""
            )
        assert client_for(who).get(reverse("pilots:card_edit", args=[card.pk])).status_code == 404
        assert (
            reverse("pilots:card_edit", args=[card.pk])
            not in client_for(who).get(reverse("pilots:card", args=[card.pk])).content.decode()
        )
    # The direktion decides scale_or_stop by default, so it may edit as it may publish.
    assert (
        reverse("pilots:card_edit", args=[card.pk])
        in client_for("executive").get(reverse("pilots:card", args=[card.pk])).content.decode()
    )
    actions_sharing.edit_learning_card(actor=personas.executive, card=card, tried="x", learned="y", advice="")
    assert LearningCard.objects.get(pk=card.pk).learned == "y"
    with pytest.raises(Http404):  # another municipality's administrator
        actions_sharing.edit_learning_card(actor=personas.outsider, card=card, tried="a", learned="b", advice="")


def test_it_refuses_a_cpr_number_and_keeps_the_card_as_it_was(client_for, personas):
    card = make_card(personas.team_leader, personas.team)
    with pytest.raises(ValidationError):
        actions_sharing.edit_learning_card(
            actor=personas.team_leader, card=card, tried=card.tried, learned=f"Borger {CPR}", advice=""
        )
    response = client_for("team_leader").post(
        reverse("pilots:card_edit", args=[card.pk]), {"tried": card.tried, "learned": f"Borger {CPR}", "advice": ""}
    )
    assert response.status_code == 400
    assert 'id="id_learned-error"' in response.content.decode()
    stored = LearningCard.objects.get(pk=card.pk)
    assert (stored.learned, stored.edited_at) == (card.learned, None)
    assert not AuditEvent.objects.filter(action="pilots.card.edit").exists()


def test_it_keeps_the_input_and_shows_the_error_beside_the_field(client_for, personas):
    card = make_card(personas.team_leader, personas.team)
    response = client_for("team_leader").post(
        reverse("pilots:card_edit", args=[card.pk]), {"tried": "Vi prøvede noget nyt.", "learned": "", "advice": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vi prøvede noget nyt." in html and 'id="id_learned-error"' in html
    assert html.count("<title>Fejl:") == 1 or "Fejl:" in html.split("</title>")[0]
    assert LearningCard.objects.get(pk=card.pk).tried == card.tried


def test_it_writes_nothing_when_nothing_changed(personas):
    card = make_card(personas.team_leader, personas.team)
    actions_sharing.edit_learning_card(
        actor=personas.team_leader, card=card, tried=card.tried, learned=card.learned, advice=card.advice
    )
    assert LearningCard.objects.get(pk=card.pk).edited_at is None
    assert not AuditEvent.objects.filter(action="pilots.card.edit").exists()


def test_it_keeps_the_cards_place_in_the_library(client_for, personas):
    older = make_card(personas.team_leader, personas.team, title="Ældste kort")
    LearningCard.objects.filter(pk=older.pk).update(published_at=timezone.now() - datetime.timedelta(days=30))
    make_card(personas.team_leader, personas.team, title="Nyeste kort")
    actions_sharing.edit_learning_card(
        actor=personas.team_leader, card=LearningCard.objects.get(pk=older.pk), tried="Nyt.", learned="Nyt.", advice=""
    )
    html = client_for("employee").get(reverse("pilots:cards")).content.decode()
    assert html.index("Nyeste kort") < html.index("Ældste kort")
