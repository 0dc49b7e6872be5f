"""Fields that run the personal-data screen, so every free-text field uses one mechanism.

Use them instead of the plain Django fields for anything a person types::

    from forankring.privacy.fields import ScreenedCharField, ScreenedTextField, ScreenedFormField

    class Experience(models.Model):                       # an anonymous contribution
        text = ScreenedTextField(_("erfaring"), anonymous=True)

    class Pilot(models.Model):                             # a named one
        title = ScreenedCharField(_("titel"), max_length=200, anonymous=False)

    class FilterForm(DKFDSFormMixin, forms.Form):          # a form that is not a ModelForm
        note = ScreenedFormField(label=_("Note"), anonymous=False)

``anonymous`` must always be given, so whoever adds a field decides it: ``True`` also blocks
e-mail addresses and phone numbers (they identify a person in an anonymous contribution),
``False`` blocks CPR numbers only (a named contribution may carry the author's own contact
details). A ModelForm field generated from a screened model field is screened by itself, and
``Model.full_clean()`` in an action screens again, so a save through the API is covered as well.
``screen_form_field(field, anonymous=...)`` screens a field someone else created, such as a
field of a third-party form. An anonymous form field also gets the name warning of
``privacy/namecheck.py``: names of persons are not refused like CPR numbers, the form asks once.

A hit is a ``ValidationError`` on the field, shown beside it by components/field.html and in the
error summary. The message names what was found in its masked form (``DDMMYY-XXXX``), why it
may not be saved and what to do instead. The raw value is never put into the message, a log or
an exception; it is only rendered back into the person's own form input, on purpose: they must
be able to find and remove the number without retyping the rest, and it is their own input on
their own screen over HTTPS. Nothing is saved, so nothing is stored.

**The screen at the write itself.** Validation runs only where someone calls it (a form,
``full_clean()``). Everything else that writes (``objects.create``, ``bulk_create``,
``QuerySet.update``, ``bulk_update``, ``save(update_fields=...)``, ``get_or_create``,
``update_or_create``, ``loaddata``, data migrations) reaches the database through one method of
the field: ``get_db_prep_save()``. Django's insert and update compilers call it for every value
of every row, whether it is a plain value or an expression (in Django 5.2 also for expressions),
and nothing else does: filters and lookups use ``get_db_prep_value``. So the screened fields screen
there, and a hit raises ``PersonalDataRefused`` before any SQL runs; inside the action's
transaction nothing of the change is saved. That is one choke point for every path, now and for
every later app, without a custom manager to remember (a manager can be bypassed with
``_base_manager`` or a related manager; the field cannot) and without a database trigger (the
screen's rules - calendar dates, modulus 11, context words - cannot be written as a CHECK
constraint on SQLite and PostgreSQL alike, and a crude pattern would refuse invoice numbers the
screen lets through on purpose).

An expression is screened by the text of its literal parts joined together (``Concat(Value("150372-"),
Value("1240"))`` is caught). What the database computes from other columns (``F("other")``) is
not seen; those columns are screened where they were written, and a text column that is not
screened is on the allow-list in ``enforcement.py`` with its reason. Raw SQL is not seen at all.

``PersonalDataRefused`` is a ``ValidationError`` keyed by the field's name, so a form or an action
that already handles validation errors shows it beside the field; its messages begin with the
model field (``core.Person.name: ...``) so a management command, an import or a sign-in log says
exactly which field refused, with the match masked and never the raw value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Value
from django.utils.deconstruct import deconstructible
from django.utils.translation import ngettext

from .screen import Finding, Kind, screen_text

__all__ = [
    "PersonalDataRefused",
    "PersonalDataValidator",
    "ScreenedCharField",
    "ScreenedEmailField",
    "ScreenedFormField",
    "ScreenedSlugField",
    "ScreenedTextField",
    "ScreenedURLField",
    "is_screened",
    "screen_for_write",
    "screen_form_field",
]

# A field with twenty numbers in it needs the first few to be found; the rest are "…".
_MAX_LISTED: Final = 3

_CPR_KINDS: Final = frozenset({Kind.CPR, Kind.REPLACEMENT_CPR, Kind.ECPR})


@deconstructible
class PersonalDataValidator:
    """Raises a ValidationError, one message per kind of data found, when ``value`` holds
    personal data that may not be saved. Callable on its own, e.g. in an action that stores
    text which did not come through a form field."""

    def __init__(self, *, anonymous: bool) -> None:
        self.anonymous = anonymous

    def __call__(self, value: object) -> None:
        if not isinstance(value, str) or not value:
            return
        findings = screen_text(value, anonymous=self.anonymous)
        if findings:
            raise ValidationError(_messages(findings))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonalDataValidator) and other.anonymous == self.anonymous

    def __hash__(self) -> int:
        return hash((PersonalDataValidator, self.anonymous))

    def __repr__(self) -> str:
        return f"PersonalDataValidator(anonymous={self.anonymous})"


def _messages(findings: Sequence[Finding]) -> list[ValidationError]:
    errors = []
    cpr = [f.masked for f in findings if f.kind in _CPR_KINDS]
    emails = [f.masked for f in findings if f.kind is Kind.EMAIL]
    phones = [f.masked for f in findings if f.kind is Kind.PHONE]
    # Translated at validation time (inside the request, in the person's language), so plain
    # ngettext is right here and the plural form can follow the count.
    if cpr:
        message = ngettext(
            "Feltet ser ud til at indeholde et CPR-nummer: %(masked)s. CPR-numre må ikke gemmes i "
            "Forankring, fordi et CPR-nummer er en fortrolig oplysning, der peger direkte på én person. "
            "Fjern nummeret, eller skriv fx «borgeren» i stedet.",
            "Feltet ser ud til at indeholde %(count)d CPR-numre: %(masked)s. CPR-numre må ikke gemmes i "
            "Forankring, fordi et CPR-nummer er en fortrolig oplysning, der peger direkte på én person. "
            "Fjern numrene, eller skriv fx «borgeren» i stedet.",
            len(cpr),
        )
        errors.append(ValidationError(message, code="personal_data_cpr", params=_params(cpr)))
    if emails:
        message = ngettext(
            "Feltet indeholder en e-mailadresse: %(masked)s. Det, du skriver her, er anonymt, og en "
            "e-mailadresse kan vise, hvem du eller andre er. "
            "Fjern adressen, eller skriv fx «en kollega» i stedet.",
            "Feltet indeholder %(count)d e-mailadresser: %(masked)s. Det, du skriver her, er anonymt, og en "
            "e-mailadresse kan vise, hvem du eller andre er. "
            "Fjern adresserne, eller skriv fx «en kollega» i stedet.",
            len(emails),
        )
        errors.append(ValidationError(message, code="personal_data_email", params=_params(emails)))
    if phones:
        message = ngettext(
            "Feltet ser ud til at indeholde et telefonnummer: %(masked)s. Det, du skriver her, er anonymt, og "
            "et telefonnummer kan vise, hvem du eller andre er. "
            "Fjern nummeret, eller skriv fx «en kollega» i stedet.",
            "Feltet ser ud til at indeholde %(count)d telefonnumre: %(masked)s. Det, du skriver her, er "
            "anonymt, og et telefonnummer kan vise, hvem du eller andre er. "
            "Fjern numrene, eller skriv fx «en kollega» i stedet.",
            len(phones),
        )
        errors.append(ValidationError(message, code="personal_data_phone", params=_params(phones)))
    return errors


class PersonalDataRefused(ValidationError):
    """A value with personal data reached a database write (see the module docstring).

    ``label`` names the model field ("core.Person.name"); every message begins with it and
    shows the match masked."""

    def __init__(self, *, label: str, field_name: str, findings: Sequence[Finding]) -> None:
        self.label = label
        messages = [ValidationError(f"{label}: {message}") for message in _rendered(findings)]
        super().__init__({field_name: messages})

    def __str__(self) -> str:
        return " ".join(self.messages)


def _rendered(findings: Sequence[Finding]) -> list[str]:
    # The parameters filled in, so the text can be prefixed and still be read outside a form.
    return [str(error.message) % (error.params or {}) for error in _messages(findings)]


def screen_for_write(value: object, *, label: str, field_name: str, anonymous: bool) -> None:
    """Raise PersonalDataRefused if `value`, about to be written to `label`, holds personal data.

    A string is screened as it is; an expression by the literal text inside it, joined."""
    text = value if isinstance(value, str) else _literal_text(value)
    if not text:
        return
    findings = screen_text(text, anonymous=anonymous)
    if findings:
        raise PersonalDataRefused(label=label, field_name=field_name, findings=findings)


def _literal_text(value: object) -> str:
    """The string literals of an expression tree, in order and joined, so pieces that only form
    a number together are seen together."""
    if isinstance(value, Value):
        return value.value if isinstance(value.value, str) else ""
    sources = getattr(value, "get_source_expressions", None)
    if sources is None:
        return ""
    return "".join(_literal_text(source) for source in sources() if source is not None)


def _params(masked: list[str]) -> dict[str, Any]:
    # The same number twice is listed once; the count still says how many places to fix.
    distinct = list(dict.fromkeys(masked))
    listed = ", ".join(distinct[:_MAX_LISTED])
    if len(distinct) > _MAX_LISTED:
        listed += ", …"
    return {"masked": listed, "count": len(masked)}


def is_screened(field: forms.Field | models.Field[Any, Any]) -> bool:
    """Whether a form field or model field runs the personal-data screen."""
    return any(isinstance(v, PersonalDataValidator) for v in field.validators)


def screen_form_field(field: forms.Field, *, anonymous: bool) -> forms.Field:
    """Adds the screen to a form field (in place) and returns it. Calling it twice replaces
    the first validator, so the stricter or looser choice made last wins."""
    # Field.__init__ gives every instance its own validators list, so this does not leak into
    # other instances or the field's class.
    field.validators = [v for v in field.validators if not isinstance(v, PersonalDataValidator)]
    field.validators.append(PersonalDataValidator(anonymous=anonymous))
    # An anonymous field also warns about names of persons; forms do that (privacy/namecheck.py).
    field.name_check = anonymous  # type: ignore[attr-defined]
    return field


class ScreenedFormField(forms.CharField):
    """A form CharField that runs the screen; for forms that are not ModelForms."""

    def __init__(self, *, anonymous: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.anonymous = anonymous
        screen_form_field(self, anonymous=anonymous)


class _ScreenedModelField(models.Field):
    """What both screened model fields share: the validator, `anonymous` in migrations and
    the screened form field."""

    def __init__(self, *args: Any, anonymous: bool, **kwargs: Any) -> None:
        self.anonymous = anonymous
        # Set before Field.__init__ so the validator is in `validators` but not in the
        # `validators` kwarg: migrations then record only `anonymous`, not a validator object.
        self.default_validators = [PersonalDataValidator(anonymous=anonymous)]
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["anonymous"] = self.anonymous
        return name, path, args, kwargs

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        # The one place every insert and update passes through (module docstring).
        model = getattr(self, "model", None)
        label = f"{model._meta.label}.{self.name}" if model is not None else self.name
        screen_for_write(value, label=label, field_name=self.name, anonymous=self.anonymous)
        return super().get_db_prep_save(value, connection)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        field = super().formfield(form_class=form_class, choices_form_class=choices_form_class, **kwargs)
        if field is not None:
            screen_form_field(field, anonymous=self.anonymous)
        return field


class ScreenedCharField(_ScreenedModelField, models.CharField):
    """A CharField whose value is screened for personal data (see the module docstring)."""

    description = "String screened for personal data"
    # The screen lives in Python only; without this, SQLite would rebuild the table for it.
    non_db_attrs = (*models.CharField.non_db_attrs, "anonymous")


class ScreenedTextField(_ScreenedModelField, models.TextField):
    """A TextField whose value is screened for personal data (see the module docstring)."""

    description = "Text screened for personal data"
    non_db_attrs = (*models.TextField.non_db_attrs, "anonymous")


# Identifiers are not prose, but a CPR number fits in them all the same: a slug "150372-1240", an
# e-mail address "150372-1240@kommune.dk", a link ending in a CPR number. They are screened at
# the write with anonymous=False (CPR numbers only: an e-mail field holds an e-mail address).


class ScreenedSlugField(_ScreenedModelField, models.SlugField):
    """A SlugField that refuses a CPR number (see the module docstring)."""

    non_db_attrs = (*models.SlugField.non_db_attrs, "anonymous")


class ScreenedEmailField(_ScreenedModelField, models.EmailField):
    """An EmailField that refuses a CPR number (see the module docstring)."""

    non_db_attrs = (*models.EmailField.non_db_attrs, "anonymous")


class ScreenedURLField(_ScreenedModelField, models.URLField):
    """A URLField that refuses a CPR number (see the module docstring)."""

    non_db_attrs = (*models.URLField.non_db_attrs, "anonymous")
