"""The name warning on anonymous form fields: stop once, show the masked name, let the person choose.

Every form field that screens in anonymous mode (``ScreenedFormField(anonymous=True)``,
``screen_form_field(field, anonymous=True)`` and the form fields of an anonymous
``ScreenedTextField``/``ScreenedCharField``) is marked with ``name_check``. Every form built on
``DKFDSFormMixin`` (which all forms of the project use) includes ``NameCheckFormMixin``, which
after the normal validation:

1. looks for names of persons in each marked field's text (``names.find_names``, with the
   municipality's roster: ``roster.current_index``);
2. if it finds one, adds an error beside the field that shows the name masked ("K… J…"), says in
   plain Danish why a name does not belong in an anonymous text and what to write instead, and
   adds a checkbox "Det er ikke en person" right after the field;
3. lets the form through when the person has rewritten the text, or ticked the box and sent again.

So the form stops at most once for the same text, and because the form is invalid until the
person has chosen, the view saves, logs and counts nothing before that. Named contributions
(``anonymous=False``) are not checked for names: there the author is known anyway. Names never
block a save at the model level; the write-path screen (``screen.screen_text``) knows nothing of
them.

``tests/privacy/test_every_text_field_is_screened.py`` proves that every anonymous field of the
project runs this check (``enforcement.anonymous_fields_without_name_check``).
"""

from __future__ import annotations

from typing import Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .names import NameFinding, find_names

__all__ = ["CONFIRM_SUFFIX", "NameCheckFormMixin", "confirm_field_name", "has_name_check", "names_in"]

# The checkbox's name is the field's name plus this: "text" -> "text_ikke_person".
CONFIRM_SUFFIX: Final = "_ikke_person"
_MAX_LISTED: Final = 3


def has_name_check(field: forms.Field | None) -> bool:
    """Whether a form field warns about names (set by ``fields.screen_form_field``)."""
    return bool(getattr(field, "name_check", False))


def confirm_field_name(name: str) -> str:
    return name + CONFIRM_SUFFIX


def names_in(text: str) -> list[NameFinding]:
    """Names of persons in ``text``, checked against the current municipality's roster."""
    # Imported here: roster needs the core models, whose fields import this app's fields module.
    from .roster import current_index

    return find_names(text, current_index())


class NameCheckFormMixin:
    """Adds the name warning to every field marked ``name_check`` (see the module docstring)."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: forms.BaseForm = self  # type: ignore[assignment]
        if not form.is_bound:
            return
        for name, field in list(self.fields.items()):
            if not has_name_check(field) or name not in form.cleaned_data:
                continue
            value = form.cleaned_data[name]
            if not isinstance(value, str) or not value.strip():
                continue
            found = names_in(value)
            if not found:
                continue
            masked = _listed([finding.masked for finding in found])
            self._add_confirm_field(name, masked)
            confirm = confirm_field_name(name)
            confirmed = forms.CheckboxInput().value_from_datadict(form.data, form.files, form.add_prefix(confirm))
            if not confirmed:
                form.add_error(name, _warning(masked, len({finding.masked for finding in found})))

    def _add_confirm_field(self, name: str, masked: str) -> None:
        checkbox = forms.BooleanField(
            required=False,
            label=_("Det er ikke en person"),
            help_text=_("Sæt kun kryds, hvis %(masked)s ikke er en person, men fx et sted, en enhed eller et program.")
            % {"masked": masked},
            widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
        )
        # Right after the text field, so the choice is made where the warning is read.
        fields: dict[str, forms.Field] = {}
        for key, field in self.fields.items():
            fields[key] = field
            if key == name:
                fields[confirm_field_name(name)] = checkbox
        self.fields = fields


def _warning(masked: str, count: int) -> ValidationError:
    # Plain ngettext: translated at validation time, in the person's language.
    message = ngettext(
        "Teksten ser ud til at nævne en person (%(masked)s). Det, du skriver her, er anonymt, men et navn kan "
        "afsløre en kollega – eller dig. Skriv fx «en kollega» eller «min leder» i stedet. Er det ikke en "
        "person, så sæt kryds i «Det er ikke en person» og send igen.",
        "Teksten ser ud til at nævne %(count)d personer (%(masked)s). Det, du skriver her, er anonymt, men "
        "navne kan afsløre dine kolleger – eller dig. Skriv fx «en kollega» eller «min leder» i stedet. Er "
        "det ikke personer, så sæt kryds i «Det er ikke en person» og send igen.",
        count,
    )
    return ValidationError(message, code="personal_data_name", params={"masked": masked, "count": count})


def _listed(masked: list[str]) -> str:
    distinct = list(dict.fromkeys(masked))
    listed = ", ".join(distinct[:_MAX_LISTED])
    return listed + (", …" if len(distinct) > _MAX_LISTED else "")
