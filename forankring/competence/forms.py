from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forankring.core import access
from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import Person, ProfessionalArea, RoleAssignment
from forankring.core.submission import OnceOnlyFormMixin
from forankring.direction.models import Tool
from forankring.privacy.fields import ScreenedFormField
from forankring.privacy.models import ToolTier

from .models import Activity, CompetenceSettings, LearningPath, Level, Prompt


class TierChoiceField(forms.ModelChoiceField):
    """Tool tiers by their name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class LevelChoiceField(forms.ModelChoiceField):
    """Competence levels by their name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def _queryset(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field: forms.ModelChoiceField = form.fields[name]  # type: ignore[assignment]
    field.queryset = queryset


class SettingsForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = CompetenceSettings
        fields = ["leaders_see_mandatory"]


class LevelForm(DKFDSFormMixin, forms.ModelForm):
    class Meta:
        model = Level
        fields = ["name", "goals", "name_en", "goals_en"]
        widgets = {"goals": forms.Textarea(attrs={"rows": 5}), "goals_en": forms.Textarea(attrs={"rows": 5})}


class ActivityForm(DKFDSFormMixin, forms.ModelForm):
    level = LevelChoiceField(label=_("Niveau"), queryset=Level.objects.none())

    class Meta:
        model = Activity
        fields = [
            "title",
            "level",
            "form",
            "description",
            "areas",
            "tasks",
            "duration_minutes",
            "version",
            "materials_url",
            "tools",
            "mandatory",
            "refresh_months",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "areas": forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
            "tools": forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        }

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        m = person.municipality_id
        _queryset(self, "level", Level.objects.filter(municipality_id=m))
        _queryset(self, "areas", ProfessionalArea.objects.filter(municipality_id=m))
        _queryset(self, "tools", Tool.objects.filter(municipality_id=m).exclude(status=Tool.Status.NOT_ALLOWED))


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SessionForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starter"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    ends_at = forms.DateTimeField(
        label=_("Slutter"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = ScreenedFormField(label=_("Sted"), anonymous=False, max_length=200, help_text=_("Fx lokale og adresse."))
    capacity = forms.IntegerField(label=_("Antal pladser"), min_value=1, max_value=1000)
    host = forms.ModelChoiceField(
        label=_("Ansvarlig"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Den facilitator eller leder, der holder holdet og registrerer fremmøde."),
    )

    def __init__(self, *args: Any, person: Person, host: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The people who run learning, the person filling in the form and the session's present
        # host (a leader, perhaps): a short list.
        # The runners' ids are read first (a handful): an OR of "this person" with a join or a
        # subquery over the role assignments made the database read every person of a
        # 45,000-person municipality in name order to find them.
        ids = {person.pk, *([host.pk] if host is not None else [])}
        ids.update(
            RoleAssignment.objects.filter(
                municipality_id=person.municipality_id, role__in=access.LEARNING_RUNNERS
            ).values_list("person_id", flat=True)
        )
        _queryset(
            self,
            "host",
            Person.objects.filter(pk__in=ids, municipality_id=person.municipality_id, is_active=True).order_by(
                "name", "pk"
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Holdet skal slutte, efter det er begyndt."))
        return data


class CompleteForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    completed_on = forms.DateField(label=_("Gennemført den"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = ScreenedFormField(
        label=_("Dokumentation"),
        anonymous=False,
        required=False,
        max_length=300,
        help_text=_("Fx kursusbevis eller et link. Intet om helbred, sager eller borgere."),
    )
    confirmed = forms.BooleanField(
        label=_("Jeg bekræfter, at jeg har gennemført aktiviteten"),
        error_messages={"required": _("Bekræft, at du har gennemført aktiviteten.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AttendanceForm(DKFDSFormMixin, forms.Form):
    people = forms.TypedMultipleChoiceField(
        label=_("Var med"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        error_messages={"required": _("Vælg mindst én, der var med.")},
    )
    evidence = ScreenedFormField(
        label=_("Dokumentation"),
        anonymous=False,
        required=False,
        max_length=300,
        help_text=_("Fx fremmødeliste fra holdet."),
    )

    def __init__(self, *args: Any, seats: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.TypedMultipleChoiceField = self.fields["people"]  # type: ignore[assignment]
        field.choices = seats
        if not self.is_bound:
            # Everyone with a seat is ticked: untick those who did not come.
            self.initial["people"] = [pk for pk, _name in seats]


class PathStepForm(DKFDSFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Forløb"), choices=LearningPath.For.choices)
    activity = forms.ModelChoiceField(label=_("Aktivitet"), queryset=Activity.objects.none())
    note = ScreenedFormField(label=_("Hvorfor dette trin"), anonymous=False, required=False, max_length=300)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "activity", Activity.objects.filter(municipality_id=person.municipality_id, is_active=True))


class PromptForm(DKFDSFormMixin, forms.ModelForm):
    tier = TierChoiceField(
        label=_("Værktøjstype"),
        queryset=ToolTier.objects.none(),
        help_text=_("Den mindst sikre type værktøj, prompten må bruges i."),
    )

    class Meta:
        model = Prompt
        fields = ["title", "area", "task", "text", "tier", "anonymise_first"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "area", ProfessionalArea.objects.filter(municipality_id=person.municipality_id))
        _queryset(self, "tier", ToolTier.objects.filter(municipality_id=person.municipality_id))
