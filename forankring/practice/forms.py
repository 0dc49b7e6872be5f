from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import Person, ProfessionalArea, Unit
from forankring.core.submission import OnceOnlyFormMixin
from forankring.core.unit_picker import UnitPickerField
from forankring.direction.forms import LocalizedMultipleChoiceField
from forankring.direction.models import FocusArea, Tool
from forankring.privacy.fields import ScreenedFormField
from forankring.privacy.models import DataClass

from .models import CentreFocusArea, IdeaStatus, Lighthouse, LighthouseQuestion, TeamNote, UseCase, ValueType


class Checkboxes(forms.CheckboxSelectMultiple):
    """DKFDS checkboxes: the class on each box, not on the wrapper (a hidden wrapper with the
    checkbox class would lie over the boxes and take their clicks)."""

    template_name = "practice/widgets/checkboxes.html"

    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-checkbox"})


class UnitChoiceField(forms.ModelChoiceField):
    """One of the person's own units (the view passes them; never every unit)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CentreFocusAreaForm(DKFDSFormMixin, forms.ModelForm):
    unit = UnitChoiceField(label=_("Center"), queryset=Unit.objects.none(), empty_label=None)
    strategic = forms.ModelChoiceField(
        label=_("Hvilket af direktionens fokusområder hører det under?"),
        queryset=FocusArea.objects.none(),
        empty_label=_("Vælg fokusområde"),
        error_messages={"required": _("Vælg et af direktionens fokusområder.")},
    )

    class Meta:
        model = CentreFocusArea
        fields = ["unit", "strategic", "name", "why", "success"]
        widgets = {"why": forms.Textarea(attrs={"rows": 3}), "success": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": _("Skriv fokusområdets navn.")},
            "why": {"required": _("Skriv, hvorfor centret vælger netop det.")},
            "success": {"required": _("Skriv, hvordan I kan se, at det lykkes.")},
        }

    def __init__(self, *args: Any, units: list[Unit], strategic: QuerySet[FocusArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]
        self.fields["strategic"].queryset = strategic  # type: ignore[attr-defined]


class UseCaseForm(DKFDSFormMixin, forms.ModelForm):
    # Searched, not listed: a centre chief's units can be hundreds (CONTRIBUTING, "Choose a unit
    # by searching"). Scoped to the person's own units and the units under them.
    unit = UnitPickerField(
        label=_("Hvilken enhed ejer anvendelsen?"),
        error_messages={"required": _("Søg efter den enhed, der ejer anvendelsen, og vælg den på listen.")},
    )
    area = forms.ModelChoiceField(
        label=_("Fagområde"),
        queryset=ProfessionalArea.objects.none(),
        empty_label=_("Vælg fagområde"),
        error_messages={"required": _("Vælg fagområdet.")},
    )
    value_types = forms.MultipleChoiceField(
        label=_("Hvad kan det give?"),
        choices=ValueType.choices,
        widget=Checkboxes(),
        error_messages={"required": _("Vælg mindst én slags værdi.")},
    )
    data_classes = LocalizedMultipleChoiceField(
        label=_("Hvilke slags data indgår?"),
        queryset=DataClass.objects.none(),
        required=False,
        widget=Checkboxes(),
    )
    tools = forms.ModelMultipleChoiceField(
        label=_("Hvilke AI-værktøjer tænker I på?"),
        queryset=Tool.objects.none(),
        required=False,
        widget=Checkboxes(),
        help_text=_("Tjekkes mod kommunens regler for data og værktøjer."),
    )
    focus_area = forms.ModelChoiceField(
        label=_("Centerets fokusområde"), queryset=CentreFocusArea.objects.none(), required=False
    )
    confirm_new = forms.BooleanField(label=_("Det er en ny anvendelse, ikke en af dem ovenfor"), required=False)

    class Meta:
        model = UseCase
        fields = ["title", "today", "ai_help", "human_decides", "area", "unit", "focus_area"]
        widgets = {
            "today": forms.Textarea(attrs={"rows": 3}),
            "ai_help": forms.Textarea(attrs={"rows": 3}),
            "human_decides": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "title": {"required": _("Skriv opgaven, begyndende med et udsagnsord.")},
            "today": {"required": _("Beskriv, hvordan opgaven løses i dag.")},
            "ai_help": {"required": _("Beskriv, hvordan AI kunne hjælpe.")},
            "human_decides": {"required": _("Skriv, hvor et menneske altid skal beslutte.")},
        }

    # The fields that send a list (kept as lists when "Søg" sends the form back).
    MULTIPLE = ("value_types", "data_classes", "tools")

    def __init__(
        self,
        *args: Any,
        municipality_id: int,
        person: Person,
        within: list[str],
        picker_data: Mapping[str, Any] | None,
        page_url: str,
        initial_unit: Unit | None = None,
        **kwargs: Any,
    ) -> None:
        """`within`: the paths of the person's own units, under which the owner is searched;
        `initial_unit`: the unit offered before any search (a new use case's likely owner)."""
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitPickerField)
        unit_field.prepare(
            person=person,
            name="unit",
            data=picker_data,
            page_url=page_url,
            within=within,
            initial=self.instance.unit if self.instance.unit_id else initial_unit,
        )
        self.fields["area"].queryset = ProfessionalArea.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]
        self.fields["data_classes"].queryset = DataClass.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]
        self.fields["tools"].queryset = Tool.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]
        self.fields["focus_area"].queryset = CentreFocusArea.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial.setdefault("value_types", [v.key for v in self.instance.value_types.all()])
            self.initial.setdefault("data_classes", list(self.instance.data_classes.all()))
            self.initial.setdefault("tools", list(self.instance.tools.all()))
            del self.fields["confirm_new"]
        else:
            # While the title is typed, htmx asks for similar use cases (the form works without it).
            self.fields["title"].widget.attrs.update(
                {
                    "hx-get": reverse("practice:use_case_similar"),
                    "hx-trigger": "keyup changed delay:400ms",
                    "hx-target": "#similar-use-cases",
                    "hx-swap": "outerHTML",
                }
            )

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"]).strip()
        return title[:1].upper() + title[1:]


class StatusForm(DKFDSFormMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("Ny status"), choices=UseCase.Status.choices)
    note = ScreenedFormField(
        label=_("Begrundelse"),
        anonymous=False,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices  # type: ignore[attr-defined]


class JoinForm(DKFDSFormMixin, forms.Form):
    unit = UnitChoiceField(
        label=_("Hvilken af dine enheder vil også?"),
        queryset=Unit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Vælg en af dine egne enheder.")},
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]


class IdeaForm(DKFDSFormMixin, forms.Form):
    title = ScreenedFormField(
        label=_("Hvilken arbejdsgang tænker du på?"),
        anonymous=False,
        max_length=150,
        help_text=_("Fx »Skrive ugeplaner til forældrene«."),
        error_messages={"required": _("Skriv, hvilken arbejdsgang du tænker på.")},
    )
    description = ScreenedFormField(
        label=_("Hvordan kunne AI hjælpe?"),
        anonymous=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv ikke navne eller oplysninger om borgere eller kolleger."),
        error_messages={"required": _("Beskriv kort, hvad AI kunne hjælpe med.")},
    )
    unit = UnitChoiceField(
        label=_("Hvor hører arbejdsgangen til?"),
        queryset=Unit.objects.none(),
        empty_label=None,
        help_text=_("Lederen af enheden svarer dig."),
    )
    anonymous = forms.BooleanField(
        label=_("Send uden mit navn"),
        required=False,
        help_text=_("Så gemmes intet om dig. Du kan følge svaret via et link, du får bagefter."),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]


class AnonymousIdeaForm(IdeaForm):
    """The same form when "Send uden mit navn" is ticked: the text is screened as anonymous, so
    the form also warns about names of persons (privacy/namecheck.py) before anything is saved."""

    title = ScreenedFormField(
        label=_("Hvilken arbejdsgang tænker du på?"),
        anonymous=True,
        max_length=150,
        help_text=_("Fx »Skrive ugeplaner til forældrene«."),
        error_messages={"required": _("Skriv, hvilken arbejdsgang du tænker på.")},
    )
    description = ScreenedFormField(
        label=_("Hvordan kunne AI hjælpe?"),
        anonymous=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv ikke navne eller oplysninger om borgere eller kolleger."),
        error_messages={"required": _("Beskriv kort, hvad AI kunne hjælpe med.")},
    )


class AnswerForm(DKFDSFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Hvad er svaret?"),
        choices=[c for c in IdeaStatus.choices if c[0] != IdeaStatus.NEW],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg, hvad svaret er.")},
    )
    answer = ScreenedFormField(
        label=_("Dit svar"),
        anonymous=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv et svar, så forslagsstilleren ved, hvad der sker.")},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LighthouseForm(DKFDSFormMixin, forms.ModelForm):
    person = PersonChoiceField(
        label=_("Hvem?"),
        queryset=Person.objects.none(),
        empty_label=_("Vælg kollega"),
        error_messages={"required": _("Vælg den kollega, der bliver fyrtårn.")},
    )
    unit = UnitChoiceField(label=_("For hvilken enhed?"), queryset=Unit.objects.none(), empty_label=None)
    area = forms.ModelChoiceField(
        label=_("Fagområde"),
        queryset=ProfessionalArea.objects.none(),
        empty_label=_("Vælg fagområde"),
        error_messages={"required": _("Vælg fagområdet.")},
    )

    class Meta:
        model = Lighthouse
        fields = ["person", "unit", "area", "helps_with", "contact"]
        widgets = {"helps_with": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "helps_with": {"required": _("Skriv, hvad fyrtårnet gerne hjælper med.")},
            "contact": {"required": _("Skriv, hvordan man fanger fyrtårnet.")},
        }

    def __init__(
        self, *args: Any, people: QuerySet[Person], units: list[Unit], municipality_id: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]
        self.fields["area"].queryset = ProfessionalArea.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]


class QuestionForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = LighthouseQuestion
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"text": {"required": _("Skriv dit spørgsmål.")}}


class QuestionAnswerForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = LighthouseQuestion
        fields = ["answer"]
        labels = {"answer": _("Dit svar")}
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"answer": {"required": _("Skriv dit svar.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank in the table until answered; the form is for answering.
        self.fields["answer"].required = True


class TeamNoteForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = TeamNote
        fields = ["held_on", "how_it_goes", "gains", "barriers", "adjustments"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            **{name: forms.Textarea(attrs={"rows": 2}) for name in ("how_it_goes", "gains", "barriers", "adjustments")},
        }
        help_texts = {"how_it_goes": _("Skriv om teamet som helhed – aldrig om den enkelte.")}
        error_messages = {
            "held_on": {"required": _("Skriv datoen for mødet."), "invalid": _("Skriv datoen som dd-mm-åååå.")},
            "how_it_goes": {"required": _("Skriv kort, hvordan det går i teamet.")},
        }
