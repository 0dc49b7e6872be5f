from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import Role
from forankring.privacy.fields import ScreenedFormField
from forankring.privacy.models import DataClass, TierAllowance, ToolTier

from .models import CompassRule, ConcernAnswer, DecisionArea, DecisionRight, FocusArea, Principle, Purpose, Tool


class LocalizedChoiceField(forms.ModelChoiceField):
    """Data classes and tool tiers by their name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class LocalizedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PurposeForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Purpose
        fields = ["why", "ambitions", "governance", "whom_to_ask"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class FocusAreaForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["name", "why"]
        widgets = {"why": forms.Textarea(attrs={"rows": 3})}


class EthicsForm(DKFDSFormMixin, forms.Form):
    ethics = ScreenedFormField(
        label=_("Etiske retningslinjer"),
        anonymous=False,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Fx: vi er åbne om, hvornår AI har hjulpet, og et menneske står altid for afgørelsen."),
    )


class PrincipleForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Principle
        fields = ["headline", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}


class RuleForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = CompassRule
        fields = ["kind", "text", "example"]
        widgets = {"example": forms.Textarea(attrs={"rows": 2})}


class HearingForm(DKFDSFormMixin, forms.Form):
    deadline = forms.DateField(
        label=_("Høringsfrist"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("MED kan kommentere til og med denne dag."),
    )


class CommentForm(DKFDSFormMixin, forms.Form):
    text = ScreenedFormField(
        label=_("Din kommentar"), anonymous=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ToolForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Tool
        fields = [
            "name",
            "vendor",
            "purpose",
            "tier",
            "data_classes",
            "status",
            "dpa_status",
            "dpa_reference",
            "dpia_status",
            "dpia_reference",
            "technical_owner",
            "professional_owner",
            "licences",
            "yearly_cost",
            "training",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "training": forms.Textarea(attrs={"rows": 2}),
            "data_classes": forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        }
        field_classes = {"tier": LocalizedChoiceField, "data_classes": LocalizedMultipleChoiceField}

    def __init__(self, *args: Any, tiers: QuerySet[ToolTier], data_classes: QuerySet[DataClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tier_field: forms.ModelChoiceField = self.fields["tier"]  # type: ignore[assignment]
        tier_field.queryset = tiers
        tier_field.empty_label = _("Vælg værktøjets type")
        classes_field: forms.ModelMultipleChoiceField = self.fields["data_classes"]  # type: ignore[assignment]
        classes_field.queryset = data_classes
        classes_field.help_text = _(
            "Kun data, som reglerne for værktøjets type tillader. Et værktøj kan være strengere."
        )


class DataRulesForm(DKFDSFormMixin, forms.Form):
    """The whole matrix on one page: for every data class and tool tier, the answer and a note
    in Danish and English. Field names are c<class id>_t<tier id>_<part>."""

    note = ScreenedFormField(
        label=_("Hvad er ændret, og hvorfor?"),
        anonymous=False,
        max_length=300,
        help_text=_("Står ved den nye version af reglerne."),
    )

    def __init__(
        self,
        *args: Any,
        classes: list[DataClass],
        tiers: list[ToolTier],
        allowances: dict[tuple[int, int], TierAllowance],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pairs: list[tuple[DataClass, ToolTier]] = [(dc, t) for dc in classes for t in tiers]
        for dc, tier in self.pairs:
            found = allowances.get((dc.pk, tier.pk))
            prefix = f"c{dc.pk}_t{tier.pk}"
            self.fields[f"{prefix}_state"] = forms.ChoiceField(
                label=tier.display_name,
                choices=TierAllowance.State.choices,
                initial=found.state if found else TierAllowance.State.NOT_ALLOWED,
            )
            self.fields[f"{prefix}_note"] = ScreenedFormField(
                label=_("Bemærkning"),
                anonymous=False,
                required=False,
                max_length=300,
                initial=found.note if found else "",
            )
            self.fields[f"{prefix}_note_en"] = ScreenedFormField(
                label=_("Bemærkning på engelsk"),
                anonymous=False,
                required=False,
                max_length=300,
                initial=found.note_en if found else "",
            )
        # DKFDSFormMixin set the classes before these fields existed.
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-input"
            )

    def groups(self) -> list[tuple[DataClass, list[tuple[ToolTier, Any, Any, Any]]]]:
        """For the template: per data class, per tier the three bound fields."""
        result: dict[int, tuple[DataClass, list[tuple[ToolTier, Any, Any, Any]]]] = {}
        for dc, tier in self.pairs:
            prefix = f"c{dc.pk}_t{tier.pk}"
            result.setdefault(dc.pk, (dc, []))[1].append(
                (tier, self[f"{prefix}_state"], self[f"{prefix}_note"], self[f"{prefix}_note_en"])
            )
        return list(result.values())

    def cells(self) -> dict[tuple[int, int], tuple[str, str, str]]:
        data = self.cleaned_data
        return {
            (dc.pk, tier.pk): (
                data[f"c{dc.pk}_t{tier.pk}_state"],
                data[f"c{dc.pk}_t{tier.pk}_note"],
                data[f"c{dc.pk}_t{tier.pk}_note_en"],
            )
            for dc, tier in self.pairs
        }


class DataNamesForm(DKFDSFormMixin, forms.Form):
    """Names and descriptions of the data classes and tool tiers in Danish and English. Field
    names are <class|tier><id>_<field>."""

    def __init__(self, *args: Any, classes: list[DataClass], tiers: list[ToolTier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[str, DataClass | ToolTier]] = [("class", c) for c in classes] + [
            ("tier", t) for t in tiers
        ]
        labels = {
            "name": _("Navn"),
            "description": _("Beskrivelse"),
            "name_en": _("Navn på engelsk"),
            "description_en": _("Beskrivelse på engelsk"),
        }
        for kind, row in self.rows:
            for field, label in labels.items():
                is_name = field.startswith("name")
                self.fields[f"{kind}{row.pk}_{field}"] = ScreenedFormField(
                    label=label,
                    anonymous=False,
                    required=field == "name",
                    max_length=100 if is_name else 2000,
                    initial=getattr(row, field),
                    widget=forms.TextInput() if is_name else forms.Textarea(attrs={"rows": 2}),
                )
        for form_field in self.fields.values():
            form_field.widget.attrs.setdefault("class", "form-input")

    def groups(self) -> list[tuple[str, str, list[Any]]]:
        """(kind, the row's current name, its four bound fields) for the template."""
        names = ("name", "description", "name_en", "description_en")
        return [(kind, row.name, [self[f"{kind}{row.pk}_{n}"] for n in names]) for kind, row in self.rows]

    def texts(self) -> dict[tuple[str, int], tuple[str, str, str, str]]:
        data = self.cleaned_data
        return {
            (kind, row.pk): (
                data[f"{kind}{row.pk}_name"],
                data[f"{kind}{row.pk}_description"],
                data[f"{kind}{row.pk}_name_en"],
                data[f"{kind}{row.pk}_description_en"],
            )
            for kind, row in self.rows
        }


PART_CHOICES = [("", _("Ingen rolle")), *DecisionRight.Part.choices]


class DecisionAreaForm(DKFDSFormMixin, forms.Form):
    name = ScreenedFormField(
        label=_("Beslutning"),
        anonymous=False,
        max_length=150,
        error_messages={"required": _("Skriv, hvad der skal besluttes.")},
    )
    scope = forms.ChoiceField(
        label=_("Hvor besluttes det?"), choices=DecisionArea.Scope.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role in DECISION_FORM_ROLES:
            self.fields[f"role_{role}"] = forms.ChoiceField(
                label=Role(role).label, choices=PART_CHOICES, required=False
            )
            self.fields[f"role_{role}"].widget.attrs["class"] = "form-select"

    def parts(self) -> dict[str, str]:
        return {role: self.cleaned_data[f"role_{role}"] for role in DECISION_FORM_ROLES}


DECISION_FORM_ROLES = [str(r) for r in (Role.EXECUTIVE, Role.LEADER, Role.IT, Role.MED, Role.LIGHTHOUSE, Role.EMPLOYEE)]


class MayIUseForm(DKFDSFormMixin, forms.Form):
    """GET form: search a tool, choose it and the kind of data. Nothing is stored."""

    q = forms.CharField(label=_("Søg efter et værktøj eller en opgave"), required=False, max_length=100)
    # Both are needed for an answer; the view binds the form only when "Få svar" was pressed, so a
    # search alone never shows these errors.
    tool = forms.ModelChoiceField(
        label=_("Værktøj"),
        queryset=Tool.objects.none(),
        error_messages={"required": _("Vælg det værktøj, du vil bruge.")},
    )
    data_class = LocalizedChoiceField(
        label=_("Slags data"),
        queryset=DataClass.objects.none(),
        error_messages={"required": _("Vælg den slags data, du vil bruge det til.")},
    )

    def __init__(self, *args: Any, tools: list[Tool], data_classes: QuerySet[DataClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tool_field: forms.ModelChoiceField = self.fields["tool"]  # type: ignore[assignment]
        tool_field.queryset = Tool.objects.filter(pk__in=[t.pk for t in tools]).order_by("name")
        tool_field.empty_label = _("Vælg et værktøj")
        data_field: forms.ModelChoiceField = self.fields["data_class"]  # type: ignore[assignment]
        data_field.queryset = data_classes
        data_field.empty_label = _("Vælg den slags data")


class ConcernAnswerForm(DKFDSFormMixin, forms.Form):
    """One per concern on the list; a prefix of letters (see views._letters) keeps the ids apart."""

    status = forms.ChoiceField(label=_("Status"), choices=ConcernAnswer.Status.choices)
    answer = ScreenedFormField(
        label=_("Svar"),
        anonymous=False,
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Svaret kan læses af alle, der kan læse bekymringen, og på siden med besvarede bekymringer."),
    )
