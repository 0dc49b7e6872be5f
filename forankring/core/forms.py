from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from forankring.privacy.fields import ScreenedFormField
from forankring.privacy.namecheck import NameCheckFormMixin

from . import orgfile
from .models import Municipality, Person, Role, Unit
from .submission import OnceOnlyFormMixin
from .unit_picker import UnitPickerField


@dataclass(frozen=True)
class ErrorSummaryItem:
    """One line of the error summary at the top of a form (components/error_summary.html)."""

    message: str
    label: str = ""  # the field's label; empty for an error about the form as a whole
    target: str = ""  # the id of the input the line links to; empty for no link


class DKFDSFormMixin(NameCheckFormMixin):
    """Gives every widget the design system's classes and links hints and errors to the field
    with aria-describedby, so a screen reader reads them with the field. Through
    NameCheckFormMixin every anonymous field of every form also warns about names of persons."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-checkbox")
            elif isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-radio")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                widget.attrs.setdefault("class", "form-file-input")
            else:
                widget.attrs.setdefault("class", "form-input")

    def full_clean(self) -> None:
        super().full_clean()
        bound: forms.BaseForm = self  # type: ignore[assignment]
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"{bound[name].auto_id}-hint")
            errors = bound.errors.get(name) if bound.is_bound else None
            if errors:
                described.append(f"{bound[name].auto_id}-error")
                for i in range(2, len(errors) + 1):
                    described.append(f"{bound[name].auto_id}-error-{i}")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def error_summary(self) -> list[ErrorSummaryItem]:
        """Every error of a submitted form, in the order of the form, each field's linked to its input."""
        bound: forms.BaseForm = self  # type: ignore[assignment]
        items = [ErrorSummaryItem(message=str(error)) for error in bound.non_field_errors()]
        for field in bound:
            # A group of radio buttons or checkboxes has no single input; its first option takes the focus.
            target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
            label = "" if field.is_hidden else str(field.label or "")
            items += [ErrorSummaryItem(message=str(e), label=label, target=target) for e in field.errors]
        return items


class ListedUnitField(forms.ChoiceField):
    """One unit out of a short list that a query has already read (a person's own units and
    those above them, say): shown and checked against that list, so no second query.
    `cleaned_data` holds the `Unit`. Call `set_units(units)` from the form's `__init__`."""

    def __init__(self, *, empty_label: str | Promise = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.units: dict[str, Unit] = {}

    def set_units(self, units: Iterable[Unit]) -> None:
        self.units = {str(unit.pk): unit for unit in units}
        self.choices = [("", self.empty_label), *((key, indented_unit_label(u)) for key, u in self.units.items())]

    def clean(self, value: Any) -> Unit | None:
        key = super().clean(value)
        return self.units[key] if key else None

    def prepare_value(self, data: Any) -> Any:
        return str(data.pk) if isinstance(data, Unit) else data


def indented_unit_label(unit: Unit) -> str:
    """A unit's name in a list ordered by path, indented one step per level below the top."""
    return ("– " * unit.depth) + unit.name


class LoginForm(DKFDSFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Brugernavn eller adgangskode er forkert. Prøv igen."),
        "inactive": _("Din bruger er ikke aktiv. Kontakt kommunens administrator."),
    }


class MunicipalitySettingsForm(DKFDSFormMixin, forms.ModelForm):
    level_names_text = ScreenedFormField(
        anonymous=False,
        label=_("Niveauer i organisationen"),
        help_text=_(
            "Navnene på niveauerne fra toppen og ned, adskilt af komma. Fx: Direktion, Center, Institution, Team"
        ),
        max_length=300,
        error_messages={"required": _("Skriv mindst ét niveau.")},
    )
    # Declared here rather than generated so an address typed without a scheme is taken as
    # https, as browsers do (Django's generated field would assume http).
    accessibility_statement_url = forms.URLField(
        label=_("Link til tilgængelighedserklæring"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Skriv en hel webadresse, fx https://kommune.dk/tilgaengelighed.")},
    )

    class Meta:
        model = Municipality
        fields = ["accessibility_statement_url", "k_min"]
        error_messages = {
            "k_min": {
                "min_value": _("Skriv et tal på mindst 3. Mindre grupper kan pege på den enkelte."),
                "invalid": _("Skriv et helt tal, fx 5."),
                "required": _("Skriv den mindste gruppestørrelse, fx 5."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level_names_text"].initial = ", ".join(self.instance.level_names or [])
        self.order_fields(["level_names_text", "accessibility_statement_url", "k_min"])

    def clean_level_names_text(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["level_names_text"].split(",") if n.strip()]
        if not names:
            raise forms.ValidationError(_("Skriv mindst ét niveau."))
        if any(len(n) > 50 for n in names):
            raise forms.ValidationError(_("Hvert niveaunavn må højst være 50 tegn."))
        return names


class GrantRoleForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[("", _("Vælg rolle")), *Role.choices],
        error_messages={"required": _("Vælg en rolle."), "invalid_choice": _("Vælg en af rollerne på listen.")},
    )
    unit = UnitPickerField(label=_("Gælder for enheden og alt under den"))

    def __init__(
        self,
        *args: Any,
        person: Person,
        picker_data: Mapping[str, Any] | None,
        page_url: str,
        held: set[tuple[str, int]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`person`: who gives the role (any unit of their municipality may be chosen);
        `picker_data`: the request's data, for the unit search; `held`: (role, unit id) pairs
        the person already has."""
        super().__init__(*args, **kwargs)
        self.held = held or set()
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitPickerField)
        unit_field.prepare(person=person, name="unit", data=picker_data, page_url=page_url)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role and unit is not None and (role, unit.pk) in self.held:
            self.add_error("role", _("Personen har allerede denne rolle i den valgte enhed."))
        return cleaned


# What a browser without a date picker lets people type, besides the picker's own ISO format.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]


class AuditFilterForm(DKFDSFormMixin, forms.Form):
    """Filters for the log page, sent with GET so a filtered view can be bookmarked and shared.

    Links bookmarked under the filters' earlier Danish names (?handling=…&fra=…) are read by
    `LEGACY_NAMES` (views_audit.py)."""

    action = forms.ChoiceField(label=_("Handling"), required=False)
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=100,
        help_text=_("Hvem der ændrede, eller hvem det gjaldt."),
    )
    object_type = forms.ChoiceField(label=_("Hvad blev ændret"), required=False)
    date_from = forms.DateField(
        label=_("Fra og med dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _("Skriv en dato som 31-12-2026.")},
    )
    date_to = forms.DateField(
        label=_("Til og med dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _("Skriv en dato som 31-12-2026.")},
    )

    def __init__(
        self, *args: Any, actions: list[tuple[str, Any]], object_types: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_error = {"invalid_choice": _("Vælg en af mulighederne på listen.")}
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Alle handlinger")), *actions]
        action.error_messages.update(choice_error)
        object_type = self.fields["object_type"]
        assert isinstance(object_type, forms.ChoiceField)
        object_type.choices = [("", _("Alt")), *object_types]
        object_type.error_messages.update(choice_error)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Til-datoen skal være samme dag som fra-datoen eller senere."))
        return cleaned


class OrganisationFileForm(DKFDSFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fil med organisationen"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
        error_messages={"required": _("Vælg en fil."), "empty": _("Filen er tom.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The limits go in the hint, which the input is described by, so a screen reader hears them.
        self.fields["file"].help_text = _(
            "CSV-fil (semikolon eller komma) eller Excel-fil (.xlsx). Første linje er kolonnenavnene. "
            "Højst %(size)s og %(rows)s linjer."
        ) % {
            "size": orgfile.size_text(settings.ORG_IMPORT_MAX_BYTES),
            "rows": orgfile.number_text(orgfile.MAX_ROWS),
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.ORG_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Filen er for stor. Den må højst fylde %(size)s."), params={"size": orgfile.size_text(limit)}
            )
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(
                _("Gamle Excel-filer (.xls) kan ikke læses. Gem filen som .xlsx eller som CSV.")
            )
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Filen skal være en CSV-fil eller en Excel-fil (.xlsx)."))
        return upload


class PeopleFilterForm(DKFDSFormMixin, forms.Form):
    """Narrows the administrator's people list (a GET form; every field may be left empty)."""

    q = forms.CharField(label=_("Navn eller medarbejdernummer"), required=False, max_length=100)
    rolle = forms.ChoiceField(label=_("Rolle"), required=False, choices=[("", _("Alle roller")), *Role.choices])
    enhed = UnitPickerField(
        label=_("Enhed"),
        required=False,
        help_text=_("Personer i enheden og i enhederne under den. Skriv en del af navnet, og tryk Søg."),
    )

    def __init__(self, data: Mapping[str, Any], *, person: Person, page_url: str) -> None:
        super().__init__(data)
        unit_field = self.fields["enhed"]
        assert isinstance(unit_field, UnitPickerField)
        unit_field.prepare(person=person, name="enhed", data=data, page_url=page_url)


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """An action's ValidationError shown beside the field it names, else at the top of the form,
    so a view keeps the person's input and shows why the action refused it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
