"""Forms for rollouts. Free text goes through the personal-data screen (ScreenedFormField)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DATE_INPUT_FORMATS, DKFDSFormMixin
from forankring.core.models import Person
from forankring.core.submission import OnceOnlyFormMixin
from forankring.core.unit_picker import UnitPickerField
from forankring.direction.models import Tool
from forankring.privacy.fields import ScreenedFormField

from .models import Pilot


class _NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", None) or getattr(obj, "title", obj))


class RolloutForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    tool = _NamedChoice(
        label=_("Værktøj"),
        queryset=Tool.objects.none(),
        empty_label=_("Vælg et godkendt værktøj"),
        help_text=_("Kun værktøjer, der er godkendt i værktøjsregistret."),
        error_messages={"required": _("Vælg værktøjet."), "invalid_choice": _("Vælg et af værktøjerne på listen.")},
    )
    unit = UnitPickerField(label=_("Enhed, der skal tage værktøjet i brug"))
    pilot = _NamedChoice(
        label=_("Udbreder den en afprøvning?"),
        queryset=Pilot.objects.none(),
        required=False,
        empty_label=_("Nej, ingen afprøvning"),
        help_text=_("Afsluttede afprøvninger, der er besluttet udbredt."),
        error_messages={"invalid_choice": _("Vælg en af afprøvningerne på listen.")},
    )
    starts_on = forms.DateField(
        label=_("Start"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("De 30 dage regnes fra denne dag."),
        error_messages={"required": _("Skriv startdatoen."), "invalid": _("Skriv en dato som 31-12-2026.")},
    )
    purpose = ScreenedFormField(
        label=_("Det skal værktøjet hjælpe enheden med"),
        anonymous=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv opgaverne i hverdagen, ikke værktøjets funktioner."),
        error_messages={"required": _("Skriv, hvad værktøjet skal hjælpe med.")},
    )

    def __init__(
        self,
        *args: Any,
        person: Person,
        tools: QuerySet[Tool],
        pilots: QuerySet[Pilot],
        picker_data: Mapping[str, Any] | None,
        page_url: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = tools  # type: ignore[attr-defined]
        self.fields["pilot"].queryset = pilots  # type: ignore[attr-defined]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitPickerField)
        unit_field.prepare(person=person, name="unit", data=picker_data, page_url=page_url)


class OwnerForm(DKFDSFormMixin, forms.Form):
    owner = _NamedChoice(
        label=_("Leder, der ejer de 30 dage"),
        queryset=Person.objects.none(),
        empty_label=_("Vælg leder"),
        help_text=_("Ledere i enheden og i enhederne over den."),
        error_messages={"required": _("Vælg en leder."), "invalid_choice": _("Vælg en af lederne på listen.")},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = candidates  # type: ignore[attr-defined]


class WeekForm(DKFDSFormMixin, forms.Form):
    note = ScreenedFormField(
        label=_("Kort note om ugen"),
        anonymous=False,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvad gjorde I, og hvad lagde I mærke til? Ingen navne på medarbejdere eller borgere."),
    )


class CloseForm(DKFDSFormMixin, forms.Form):
    gains = ScreenedFormField(
        label=_("Gevinster"),
        anonymous=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hvad har enheden fået ud af det – tid, kvalitet, tryghed?"),
        error_messages={"required": _("Skriv, hvad enheden har fået ud af det – også hvis det er lidt.")},
    )
    barriers = ScreenedFormField(
        label=_("Barrierer"),
        anonymous=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hvad stod i vejen, og hvad skulle andre enheder vide på forhånd?"),
        error_messages={"required": _("Skriv, hvad der stod i vejen – eller at intet gjorde.")},
    )


class ProblemForm(DKFDSFormMixin, forms.Form):
    text = ScreenedFormField(
        label=_("Mit ene konkrete problem"),
        anonymous=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Én opgave fra din egen hverdag, som du vil løse med værktøjet. Kun du kan se teksten. "
            "Skriv ingen oplysninger om borgere eller kolleger."
        ),
        error_messages={"required": _("Skriv dit problem – én opgave er nok.")},
    )
    solved = forms.BooleanField(label=_("Jeg har løst det"), required=False)
