"""Every free-text field of the project runs the personal-data screen.

If a test here fails on a field you added: use ScreenedCharField / ScreenedTextField (models) or
ScreenedFormField / screen_form_field (forms) from forankring.privacy.fields. Only if the field
is not text a person types, add it to an allow-list in forankring/privacy/enforcement.py with
the reason.
"""

from __future__ import annotations

import pytest
from django import forms
from django.db import models
from django.test.utils import isolate_apps

from forankring.core.forms import DKFDSFormMixin, MunicipalitySettingsForm
from forankring.core.models import Person
from forankring.privacy.enforcement import (
    anonymous_fields_without_name_check,
    fields_not_screened_at_write,
    project_form_classes,
    project_models,
    stale_allowances,
    unscreened_form_fields,
    unscreened_model_fields,
)
from forankring.privacy.fields import ScreenedCharField, ScreenedFormField, ScreenedTextField, screen_form_field
from forankring.privacy.forms import ConcernForm
from forankring.privacy.models import Concern
from forankring.privacy.namecheck import has_name_check

HOW_TO_FIX = (
    "\nUse ScreenedCharField/ScreenedTextField or ScreenedFormField/screen_form_field from "
    "forankring.privacy.fields, or, if it is not free text, allow-list it with a reason in "
    "forankring/privacy/enforcement.py."
)


def test_it_screens_every_free_text_field_of_every_model():
    unscreened = unscreened_model_fields()
    assert unscreened == [], (
        "Free-text model fields without the personal-data screen:\n" + "\n".join(unscreened) + HOW_TO_FIX
    )


@pytest.mark.django_db
def test_it_refuses_a_cpr_number_when_any_screened_field_is_written_without_validation():
    # Behaviour, not type: every screened field of every model refuses the number at the write
    # (get_db_prep_save and a real QuerySet.update), so no action, command, import or later
    # app can store it by skipping full_clean().
    assert fields_not_screened_at_write() == []


@isolate_apps("forankring.privacy")
@pytest.mark.django_db
def test_it_catches_a_screened_field_that_stopped_screening_its_writes():
    class LeakyField(ScreenedCharField):
        def get_db_prep_save(self, value, connection):
            return models.CharField.get_db_prep_save(self, value, connection)

    class Leaky(models.Model):
        kept = ScreenedCharField(max_length=100, anonymous=False)
        leaky = LeakyField(max_length=100, anonymous=False)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return str(self.pk)

    # The validator is still there (so the type check is satisfied); the write is not screened.
    assert unscreened_model_fields([Leaky]) == []
    assert fields_not_screened_at_write([Leaky]) == ["privacy.Leaky.leaky"]


@pytest.mark.django_db
def test_it_screens_every_free_text_field_of_every_form():
    # django_db: some forms query the database in __init__, and the check builds them.
    unscreened = unscreened_form_fields()
    assert unscreened == [], (
        "Free-text form fields without the personal-data screen:\n" + "\n".join(unscreened) + HOW_TO_FIX
    )


@pytest.mark.django_db
def test_it_keeps_no_exemption_for_a_field_that_is_gone():
    assert stale_allowances() == []


def test_it_finds_the_project_models_and_forms_it_checks():
    # Guards the guard: a discovery that found nothing would make the checks above pass.
    assert Person in project_models()
    assert MunicipalitySettingsForm in project_form_classes()


@isolate_apps("forankring.privacy")
def test_it_catches_an_unscreened_model_field():
    class Note(models.Model):
        title = models.CharField(max_length=100)
        body = models.TextField()
        data = models.JSONField(default=dict)
        screened_title = ScreenedCharField(max_length=100, anonymous=False)
        screened_body = ScreenedTextField(anonymous=True)
        kind = models.CharField(max_length=10, choices=[("a", "A")])
        slug = models.SlugField()
        link = models.URLField()
        email = models.EmailField()
        computed = models.CharField(max_length=10, editable=False)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return str(self.pk)

    # A slug, a link or an e-mail address is not prose, but a CPR number fits in each of them.
    assert unscreened_model_fields([Note]) == [
        "privacy.Note.title",
        "privacy.Note.body",
        "privacy.Note.data",
        "privacy.Note.slug",
        "privacy.Note.link",
        "privacy.Note.email",
    ]
    assert unscreened_model_fields(
        [Note],
        allowed={
            "privacy.Note.title": "a reason",
            "privacy.Note.data": "x",
            "privacy.Note.slug": "x",
            "privacy.Note.link": "x",
            "privacy.Note.email": "x",
        },
    ) == ["privacy.Note.body"]


def test_it_catches_an_unscreened_form_field():
    class NoteForm(forms.Form):
        title = forms.CharField()
        body = forms.CharField(widget=forms.Textarea)
        screened = ScreenedFormField(anonymous=False)
        email = forms.EmailField()
        password = forms.CharField(widget=forms.PasswordInput)
        count = forms.IntegerField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["added_later"] = forms.CharField()
            self.fields["added_and_screened"] = screen_form_field(forms.CharField(), anonymous=True)

    prefix = f"{__name__}.test_it_catches_an_unscreened_form_field.<locals>.NoteForm"
    assert unscreened_form_fields([NoteForm]) == [f"{prefix}.title", f"{prefix}.body", f"{prefix}.added_later"]


def test_it_checks_the_declared_fields_of_a_form_it_cannot_build():
    class NeedsArgumentsForm(forms.Form):
        title = forms.CharField()

        def __init__(self, *args, units, **kwargs):
            super().__init__(*args, **kwargs)

    assert [label.rsplit(".", 1)[1] for label in unscreened_form_fields([NeedsArgumentsForm])] == ["title"]


@isolate_apps("forankring.privacy")
def test_it_screens_a_model_form_built_from_screened_fields_by_itself():
    class Story(models.Model):
        text = ScreenedTextField(anonymous=True)
        plain = models.CharField(max_length=10)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return str(self.pk)

    class StoryForm(forms.ModelForm):
        class Meta:
            model = Story
            fields = ["text", "plain"]

    assert [label.rsplit(".", 1)[1] for label in unscreened_form_fields([StoryForm])] == ["plain"]


# --- Every anonymous field warns about names ------------------------------------------------


@pytest.mark.django_db
def test_it_runs_the_name_check_on_every_anonymous_field():
    missing = anonymous_fields_without_name_check()
    assert missing == [], (
        "Anonymous fields that do not warn about names of persons:\n"
        + "\n".join(missing)
        + "\nBuild the form on DKFDSFormMixin (or NameCheckFormMixin) and screen the field with "
        "anonymous=True through forankring.privacy.fields."
    )


def test_it_finds_the_anonymous_fields_it_checks():
    # Guards the guard: the concern form and model are anonymous, so the check above saw them.
    assert anonymous_fields_without_name_check([ConcernForm], [Concern]) == []
    assert "text" in ConcernForm.base_fields
    assert has_name_check(Concern._meta.get_field("text").formfield())


def test_it_catches_an_anonymous_field_without_the_name_check():
    class PlainForm(forms.Form):  # not on DKFDSFormMixin: nothing would run the check
        story = ScreenedFormField(anonymous=True)
        title = ScreenedFormField(anonymous=False)

    class UnmarkedForm(DKFDSFormMixin, forms.Form):
        story = ScreenedFormField(anonymous=True)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            setattr(self.fields["story"], "name_check", False)  # noqa: B010 - the attribute is not declared

    class GoodForm(DKFDSFormMixin, forms.Form):
        story = ScreenedFormField(anonymous=True)
        later = forms.CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            screen_form_field(self.fields["later"], anonymous=True)

    labels = anonymous_fields_without_name_check([PlainForm, UnmarkedForm, GoodForm], [])
    assert [label.rsplit(".", 2)[1:] for label in labels] == [["PlainForm", "story"], ["UnmarkedForm", "story"]]


@isolate_apps("forankring.privacy")
def test_it_checks_anonymous_model_fields_through_their_form_field():
    class Story(models.Model):
        text = ScreenedTextField(anonymous=True)
        title = ScreenedCharField(max_length=100, anonymous=False)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return str(self.pk)

    assert anonymous_fields_without_name_check([], [Story]) == []
    assert has_name_check(Story._meta.get_field("text").formfield())
    assert not has_name_check(Story._meta.get_field("title").formfield())
