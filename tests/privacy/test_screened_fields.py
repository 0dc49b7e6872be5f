"""The screened field types: a hit blocks the save with a masked Danish message beside the field,
the form keeps what was typed, and the raw number goes nowhere else."""

from __future__ import annotations

import html
import logging
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.urls import reverse

from forankring.core import actions
from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import AuditEvent, Membership, Municipality, Person, Unit
from forankring.privacy.fields import (
    PersonalDataValidator,
    ScreenedCharField,
    ScreenedFormField,
    ScreenedTextField,
    is_screened,
)

# 150372-1240 passes modulus 11 (see tests/privacy/test_screen.py).
CPR = "150372-1240"
RAW_FORMS = ("150372-1240", "1503721240", "1240")
MASKED = "150372-XXXX"


def assert_no_raw_number(text: str) -> None:
    for raw in RAW_FORMS:
        assert raw not in text


def errors_of(form: forms.BaseForm, name: str) -> list[str]:
    return [str(message) for message in form.errors[name]]


class NoteForm(DKFDSFormMixin, forms.Form):
    title = ScreenedFormField(label="Titel", anonymous=False, max_length=100)
    body = ScreenedFormField(label="Tekst", anonymous=False, widget=forms.Textarea)


class AnonymousNoteForm(forms.Form):
    body = ScreenedFormField(label="Tekst", anonymous=True, widget=forms.Textarea)


def test_it_blocks_a_cpr_number_with_the_masked_number_why_and_what_to_do():
    form = NoteForm(data={"title": "Møde i teamet", "body": f"Borgeren med cpr {CPR} ringede."})

    assert not form.is_valid()
    assert list(form.errors) == ["body"]
    [message] = errors_of(form, "body")
    assert MASKED in message
    assert "må ikke gemmes" in message
    assert "Fjern nummeret" in message
    assert_no_raw_number(message)
    assert form.errors.as_data()["body"][0].code == "personal_data_cpr"


def test_it_lists_each_number_once_and_says_how_many():
    form = NoteForm(data={"title": "x", "body": f"{CPR} og igen {CPR} og 010190-1235"})

    assert not form.is_valid()
    [message] = errors_of(form, "body")
    assert "3 CPR-numre" in message
    assert message.count(MASKED) == 1
    assert "010190-XXXX" in message
    assert "Fjern numrene" in message


def test_it_keeps_everything_that_was_typed_in_the_rerendered_form():
    title = "Møde om ugeplaner & forældrebreve"
    body = f"Vi talte om borgeren ({CPR}) og om ugeplanerne."
    form = NoteForm(data={"title": title, "body": body})
    assert not form.is_valid()

    rendered = html.unescape(str(form))

    # Kept on purpose, also the number itself: it is the person's own input on their own screen,
    # and they must be able to find and remove it without typing the rest again.
    assert f'value="{title}"' in rendered
    assert body in rendered


def test_it_blocks_e_mail_and_phone_only_in_anonymous_fields():
    text = "Skriv til ole.hansen@kommune.dk eller ring på 23 45 67 89."

    named = NoteForm(data={"title": "x", "body": text})
    anonymous = AnonymousNoteForm(data={"body": text})

    assert named.is_valid()
    assert not anonymous.is_valid()
    codes = [error.code for error in anonymous.errors.as_data()["body"]]
    assert codes == ["personal_data_email", "personal_data_phone"]
    email_message, phone_message = errors_of(anonymous, "body")
    assert "o***@***.dk" in email_message
    assert "anonymt" in email_message
    assert "XX XX XX 89" in phone_message
    assert "ole.hansen" not in " ".join(errors_of(anonymous, "body"))
    assert "23 45 67" not in " ".join(errors_of(anonymous, "body"))


def test_it_blocks_cpr_numbers_in_anonymous_fields_too():
    form = AnonymousNoteForm(data={"body": f"personnummer {CPR}"})

    assert not form.is_valid()
    assert MASKED in errors_of(form, "body")[0]


def test_it_lets_ordinary_text_through():
    form = NoteForm(data={"title": "Fakturanr. 1503721240", "body": "Vi prøvede AI til referater i 4 uger."})

    assert form.is_valid(), form.errors


def test_it_recognises_the_screen_on_every_kind_of_field():
    assert is_screened(ScreenedCharField(max_length=10, anonymous=False))
    assert is_screened(ScreenedTextField(anonymous=True))
    assert is_screened(ScreenedFormField(anonymous=False))
    assert not is_screened(forms.CharField())


def test_it_requires_the_anonymous_choice():
    with pytest.raises(TypeError):
        ScreenedCharField(max_length=10)  # type: ignore[call-arg]


def test_it_deconstructs_with_the_anonymous_choice_and_no_validator_object():
    for field in (ScreenedCharField("titel", max_length=10, anonymous=True), ScreenedTextField(anonymous=False)):
        _name, path, args, kwargs = field.deconstruct()

        assert path.startswith("forankring.privacy.fields.")
        assert kwargs["anonymous"] is field.anonymous
        assert "validators" not in kwargs
        rebuilt = type(field)(*args, **kwargs)
        assert rebuilt.anonymous is field.anonymous
        assert rebuilt.validators == field.validators


def test_it_keeps_the_anonymous_choice_when_it_builds_the_form_field():
    field = ScreenedTextField(anonymous=True).formfield()

    assert isinstance(field, forms.CharField)
    assert isinstance(field.widget, forms.Textarea)
    assert PersonalDataValidator(anonymous=True) in field.validators


@pytest.mark.django_db
def test_it_screens_a_model_form_built_from_the_core_models(personas):
    form_class = modelform_factory(Person, fields=["name", "employee_id"])

    form = form_class(data={"name": "Ida Jensen", "employee_id": CPR})

    assert not form.is_valid()
    assert list(form.errors) == ["employee_id"]
    assert MASKED in errors_of(form, "employee_id")[0]


@pytest.mark.django_db
def test_it_screens_the_core_models_on_full_clean(personas):
    membership = Membership.objects.filter(person=personas.employee).first()
    assert membership is not None
    membership.job_title = f"Pædagog, cpr {CPR}"
    unit = Unit(municipality=personas.municipality, parent=personas.root, name=f"Team {CPR}")

    for obj, field in ((membership, "job_title"), (unit, "name")):
        with pytest.raises(ValidationError) as raised:
            obj.full_clean()
        assert raised.value.error_dict[field][0].code == "personal_data_cpr"
        assert_no_raw_number(" ".join(raised.value.messages))


@pytest.mark.django_db
def test_it_refuses_a_cpr_number_in_level_names_in_the_action_too(personas):
    before = list(Municipality.objects.get(pk=personas.municipality.pk).level_names)

    with pytest.raises(ValidationError):
        actions.update_municipality_settings(
            actor=personas.admin,
            level_names=["Direktion", f"Center {CPR}"],
            accessibility_statement_url="",
            k_min=5,
        )

    assert Municipality.objects.get(pk=personas.municipality.pk).level_names == before


@pytest.mark.django_db
def test_it_blocks_the_settings_page_beside_the_field_and_saves_nothing(personas, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    municipality = Municipality.objects.get(pk=personas.municipality.pk)
    level_names, k_min = list(municipality.level_names), municipality.k_min
    audit_rows = AuditEvent.objects.count()
    typed = f"Direktion, Center {CPR}, Team"

    response = client_for("admin").post(
        reverse("core:admin_settings"),
        {
            "level_names_text": typed,
            "accessibility_statement_url": "https://testkommune.dk/was",
            "k_min": "7",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    # Beside the field, linked to it for screen readers...
    beside = re.search(
        r'<span class="form-error-message" id="id_level_names_text-error">(.*?)</span>\s*<input', page, re.S
    )
    assert beside is not None
    assert MASKED in beside.group(1)
    assert 'aria-describedby="id_level_names_text-hint id_level_names_text-error"' in page
    # ...and in the summary at the top, with a link to the field.
    summary = re.search(r'<div class="alert alert-error".*?</div>', page, re.S)
    assert summary is not None
    assert 'href="#id_level_names_text"' in summary.group(0)
    assert MASKED in summary.group(0)
    # Everything typed is still there.
    assert f'value="{typed}"' in page
    assert 'value="https://testkommune.dk/was"' in page
    assert 'value="7"' in page
    # Nothing saved, nothing logged to the audit trail.
    municipality.refresh_from_db()
    assert municipality.level_names == level_names
    assert municipality.k_min == k_min
    assert AuditEvent.objects.count() == audit_rows
    # And the raw number is in no log record, formatted or not.
    for record in caplog.records:
        assert_no_raw_number(record.getMessage())
        assert_no_raw_number(repr(record.args))
