from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Role, Unit


class DKFDSFormMixin:
    """Gives every widget the design system's classes and links hints and errors to the field
    with aria-describedby, so a screen reader reads them with the field."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-checkbox")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                widget.attrs.setdefault("class", "form-file-input")
            else:
                widget.attrs.setdefault("class", "form-input")

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
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


class LoginForm(DKFDSFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Brugernavn eller adgangskode er forkert. Prøv igen."),
        "inactive": _("Din bruger er ikke aktiv. Kontakt kommunens administrator."),
    }


class MunicipalitySettingsForm(DKFDSFormMixin, forms.ModelForm):
    level_names_text = forms.CharField(
        label=_("Niveauer i organisationen"),
        help_text=_(
            "Navnene på niveauerne fra toppen og ned, adskilt af komma. Fx: Direktion, Center, Institution, Team"
        ),
        max_length=300,
    )

    class Meta:
        model = Municipality
        fields = ["accessibility_statement_url", "k_min"]

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


class GrantRoleForm(DKFDSFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)
    unit = forms.ModelChoiceField(label=_("Gælder for enheden og alt under den"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        unit_field.label_from_instance = _indented_unit_label  # type: ignore[method-assign,assignment]


def _indented_unit_label(unit: Unit) -> str:
    return ("– " * unit.depth) + unit.name
