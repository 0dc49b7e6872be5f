"""The error summary at the top of a form (components/error_summary.html), on the login form."""

from __future__ import annotations

import re

from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

from forankring.core.forms import DKFDSFormMixin, ErrorSummaryItem, MunicipalitySettingsForm
from tests.factories import Personas


def summary(html: str) -> str:
    found = re.search(r'<div class="alert alert-error"[^>]*data-module="error-summary">.*?</ul>', html, re.S)
    return found.group(0) if found else ""


def test_it_shows_no_summary_and_no_error_title_before_anything_failed(db):
    html = Client().get(reverse("core:login")).content.decode()
    assert summary(html) == ""
    assert "<title>Fejl:" not in html
    assert 'data-module="error-summary"' not in html


def test_it_counts_the_errors_and_links_each_to_its_field(db):
    html = Client().post(reverse("core:login"), {"username": "", "password": ""}).content.decode()
    found = summary(html)
    assert '<h2 class="alert-heading" id="error-summary-heading">Der er 2 fejl i formularen</h2>' in found
    assert '<a class="function-link" href="#id_username">Brugernavn – Dette felt er påkrævet.</a>' in found
    assert '<a class="function-link" href="#id_password">Adgangskode – Dette felt er påkrævet.</a>' in found
    assert "<title>Fejl: " in html


def test_it_takes_the_focus_instead_of_being_read_as_a_live_region(db):
    found = summary(Client().post(reverse("core:login"), {"username": "", "password": ""}).content.decode())
    # The design system's module focuses [data-module=error-summary]; tabindex -1 lets it take the focus.
    assert 'tabindex="-1"' in found
    assert 'data-module="error-summary"' in found
    assert 'aria-labelledby="error-summary-heading"' in found
    assert 'role="alert"' not in found
    assert "aria-live" not in found


def test_it_lists_an_error_of_the_whole_form_without_a_link(personas: Personas):
    html = Client().post(reverse("core:login"), {"username": "employee", "password": "forkert"}).content.decode()
    found = summary(html)
    assert "Der er 1 fejl i formularen" in found
    assert "<li>Brugernavn eller adgangskode er forkert. Prøv igen.</li>" in found


def test_it_counts_in_english(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    two = summary(client.post(reverse("core:login"), {"username": "", "password": ""}).content.decode())
    assert ">There are 2 problems with the form</h2>" in two
    one = summary(client.post(reverse("core:login"), {"username": "x", "password": ""}).content.decode())
    assert ">There is 1 problem with the form</h2>" in one


class ChoiceForm(DKFDSFormMixin, forms.Form):
    answer = forms.ChoiceField(label="Svar", choices=[("ja", "Ja"), ("nej", "Nej")], widget=forms.RadioSelect)


def test_it_links_a_group_of_options_to_its_first_option():
    # A radio group has no single input its label points at; its first option takes the focus.
    assert ChoiceForm(data={}).error_summary() == [
        ErrorSummaryItem(message="Dette felt er påkrævet.", label="Svar", target="id_answer_0")
    ]


def test_it_says_what_to_write_when_the_level_names_are_left_empty(personas: Personas):
    form = MunicipalitySettingsForm(data={"level_names_text": "", "k_min": 5}, instance=personas.municipality)
    with translation.override("da"):
        assert form.errors["level_names_text"] == ["Skriv mindst ét niveau."]
