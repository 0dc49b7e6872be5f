"""The name warning on anonymous forms: the concern form stops once, shows the name masked, and
lets the person rewrite the text or confirm that it is not a person. Nothing is saved, logged or
counted before they have chosen."""

from __future__ import annotations

import logging

import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse

from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import AuditEvent
from forankring.privacy import roster
from forankring.privacy.fields import ScreenedFormField
from forankring.privacy.models import Concern

NEW = reverse("privacy:concern_new")
NAMED = "Min leder Tina Teamleder siger, at vi gerne må lægge referater i ChatGPT."
REWRITTEN = "Min leder siger, at vi gerne må lægge referater i ChatGPT."


@pytest.fixture(autouse=True)
def _fresh(db):
    cache.clear()
    roster.invalidate()
    yield
    cache.clear()
    roster.invalidate()


def post(client, personas, text, **extra):
    return client.post(NEW, {"kind": "bekymring", "unit": personas.centre.pk, "text": text, **extra})


def test_it_stops_once_and_shows_the_name_masked(personas, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    response = post(client_for("employee"), personas, NAMED)
    page = response.content.decode()
    assert response.status_code == 200
    assert "T… T…" in page
    assert "kan afsløre en kollega – eller dig" in page
    assert "«en kollega» eller «min leder»" in page
    assert 'name="text_ikke_person"' in page
    assert "Det er ikke en person" in page
    assert NAMED in page  # kept, so it can be rewritten
    assert not Concern.objects.exists()
    assert "Teamleder" not in caplog.text


def test_it_sends_the_rewritten_text(personas, client_for):
    client = client_for("employee")
    post(client, personas, NAMED)
    response = post(client, personas, REWRITTEN)
    assert response.status_code == 302
    assert Concern.objects.get().text == REWRITTEN


def test_it_sends_when_the_person_confirms_it_is_not_a_person(personas, client_for):
    text = "Vi har fået en chatbot, der hedder Karen Jensen, og den svarer forkert."
    client = client_for("employee")
    assert 'name="text_ikke_person"' in post(client, personas, text).content.decode()
    response = post(client, personas, text, text_ikke_person="on")
    assert response.status_code == 302
    assert Concern.objects.get().text == text


def test_it_counts_no_submission_before_the_person_has_chosen(personas, client_for, settings):
    # The daily limit is counted by the action; a stopped form never reaches it.
    client = client_for("employee")
    before = AuditEvent.objects.count()
    for _ in range(3):
        post(client, personas, NAMED)
    assert not Concern.objects.exists()
    assert AuditEvent.objects.count() == before
    assert post(client, personas, REWRITTEN).status_code == 302


def test_it_keeps_blocking_a_cpr_number_even_when_confirmed(personas, client_for):
    text = "Karen Jensen med cpr 070761-4285 skal ikke i en chatbot."
    response = post(client_for("employee"), personas, text, text_ikke_person="on")
    assert response.status_code == 200
    assert "070761-XXXX" in response.content.decode()
    assert not Concern.objects.exists()


def test_it_uses_the_municipality_roster(personas, client_for):
    # "Frida Fyrtårn" is in no shipped list, only on Testkommune's roster.
    response = post(client_for("employee"), personas, "pædagog Frida bruger sin private ChatGPT.")
    assert "F…" in response.content.decode()
    assert not Concern.objects.exists()


def test_it_marks_the_confirm_box_for_assistive_technology(personas, client_for):
    page = post(client_for("employee"), personas, NAMED).content.decode()
    assert 'id="id_text_ikke_person"' in page
    assert 'for="id_text_ikke_person"' in page
    assert 'aria-describedby="id_text_ikke_person-hint"' in page
    assert 'aria-invalid="true"' in page


class AnonymousNoteForm(DKFDSFormMixin, forms.Form):
    note = ScreenedFormField(anonymous=True)


class NamedNoteForm(DKFDSFormMixin, forms.Form):
    note = ScreenedFormField(anonymous=False)


def test_it_warns_in_any_anonymous_form_without_more_code():
    form = AnonymousNoteForm(data={"note": "Spørg pædagog Karen."})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["note"]] == ["personal_data_name"]
    assert "note_ikke_person" in form.fields
    assert list(form.fields) == ["note", "note_ikke_person"]
    confirmed = AnonymousNoteForm(data={"note": "Spørg pædagog Karen.", "note_ikke_person": "on"})
    assert confirmed.is_valid()
    assert confirmed.cleaned_data["note"] == "Spørg pædagog Karen."


def test_it_does_not_warn_about_names_in_a_named_contribution():
    form = NamedNoteForm(data={"note": "Min leder Karen Jensen har godkendt piloten."})
    assert form.is_valid()
    assert "note_ikke_person" not in form.fields


def test_it_shows_no_confirm_box_until_a_name_is_found():
    assert list(AnonymousNoteForm().fields) == ["note"]
    assert list(AnonymousNoteForm(data={"note": "Alt er godt."}).fields) == ["note"]


def test_it_warns_in_english_for_an_english_reader(personas, client_for):
    client = client_for("employee")
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    page = post(client, personas, NAMED).content.decode()
    assert "The text seems to name a person (T… T…)" in page
    assert "This is not a person" in page
    assert "Teksten" not in page
    assert not Concern.objects.exists()
