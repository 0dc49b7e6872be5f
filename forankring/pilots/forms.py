"""Track 4's forms: the pilot with its checklist and AI Act questions, the steps of its status
and the weekly pulse. Free text goes through the personal-data screen; the pulse's texts are
anonymous, so they are name-checked too."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DATE_INPUT_FORMATS, DKFDSFormMixin
from forankring.core.models import Person, ProfessionalArea, Unit
from forankring.core.submission import OnceOnlyFormMixin
from forankring.core.unit_picker import (
    SEARCH_SUFFIX,
    SearchPickerField,
    SearchPickerWidget,
    UnitPickerField,
    UnitPickerWidget,
    is_search,
)
from forankring.direction.forms import LocalizedMultipleChoiceField
from forankring.direction.models import Tool
from forankring.practice.forms import Checkboxes
from forankring.practice.models import UseCase
from forankring.privacy.fields import ScreenedFormField
from forankring.privacy.models import DataClass

from . import queries, rules
from .models import Pilot

# A pilot is small: at most this many teams, each chosen with its own picker.
MAX_TEAMS = 6
ADD_TEAM = "add_team"
_TEAM = re.compile(r"^team_(\d+)(?:" + re.escape(SEARCH_SUFFIX) + r")?$")
YES_NO = [("ja", _("Ja")), ("nej", _("Nej"))]


def team_name(i: int) -> str:
    return f"team_{i}"


def team_count(data: Mapping[str, Any] | None, initial_units: int = 0) -> int:
    """How many team pickers the form shows: those sent, one more after "Tilføj et team mere"."""
    highest = initial_units
    for key in data or {}:
        match = _TEAM.match(str(key))
        if match:
            highest = max(highest, int(match.group(1)))
    if data and ADD_TEAM in data:
        highest += 1
    return max(1, min(highest, MAX_TEAMS))


def is_lookup(data: Mapping[str, Any]) -> bool:
    """The form was sent to search a team or add a picker, not to be saved."""
    return (
        ADD_TEAM in data
        or is_search(data, USE_CASE)
        or any(is_search(data, team_name(i)) for i in range(1, MAX_TEAMS + 1))
    )


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


USE_CASE = "use_case"


class UseCasePickerWidget(SearchPickerWidget):
    """A search box and the matching use cases as radio buttons, as the unit picker
    (core/unit_picker.py): "Søg" sends the form back with the matches, htmx fetches them."""

    option_template = "pilots/_use_case_option.html"
    legend = _("Vælg anvendelsen")
    more_text = _("Der er flere anvendelser, der passer. Skriv mere af opgaven for at finde den rigtige.")
    none_text = _("Ingen anvendelser passer på søgningen. Beskriv den nye anvendelse herunder.")


class UseCasePickerField(SearchPickerField):
    """Choosing one use case out of hundreds by searching; never a list of every one."""

    widget = UseCasePickerWidget
    default_error_messages = {"invalid_choice": _("Vælg en af anvendelserne på listen.")}

    def prepare(self, *, person: Person, data: Mapping[str, Any] | None, page_url: str, initial: object) -> None:
        widget = self._prepare_widget(person=person, name=USE_CASE, data=data, page_url=page_url)
        chosen = (data or {}).get(USE_CASE) or initial
        widget.chosen = self._lookup(chosen) if chosen else None

    def _search(self, text: str) -> tuple[list[Any], bool]:
        assert self.person is not None
        return queries.search_use_cases(self.person, text)

    def _lookup(self, value: object) -> UseCase | None:
        assert self.person is not None, "call prepare() first"
        return queries.use_case_choice(self.person, value)


def _text(label: Any, max_length: int, *, required: bool = True, rows: int = 3, **kwargs: Any) -> ScreenedFormField:
    return ScreenedFormField(
        label=label,
        anonymous=False,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class PilotForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    title = ScreenedFormField(
        label=_("Titel"),
        anonymous=False,
        max_length=150,
        help_text=_("Fx »AI til referater i 4 uger« eller »AI til ugeplaner i to teams«."),
        error_messages={"required": _("Giv afprøvningen en kort titel.")},
    )
    use_case = UseCasePickerField(
        label=_("Hvilken anvendelse afprøver I?"),
        required=False,
        help_text=_(
            "Anvendelserne kommer fra registret under Faglig forankring. Skriv en del af opgaven, og tryk Søg. "
            "Vælg så anvendelsen på listen – eller beskriv en ny herunder."
        ),
    )
    uc_title = ScreenedFormField(
        label=_("Opgaven"),
        anonymous=False,
        max_length=150,
        required=False,
        help_text=_("Kun hvis anvendelsen ikke findes. Begynd med et udsagnsord, fx »Skrive referat af teammøder«."),
    )
    uc_today = _text(_("Sådan løses opgaven i dag"), 2000, required=False, rows=2)
    uc_ai_help = _text(_("Sådan kunne AI hjælpe"), 2000, required=False, rows=2)
    uc_area = forms.ModelChoiceField(
        label=_("Fagområde"),
        queryset=ProfessionalArea.objects.none(),
        required=False,
        empty_label=_("Vælg fagområde"),
    )
    leader = LeaderChoiceField(
        label=_("Ansvarlig leder"),
        queryset=Person.objects.none(),
        empty_label=_("Vælg den ansvarlige leder"),
        help_text=_("En leder for et af teamene. Vælg teamene først, så kommer deres ledere på listen."),
        error_messages={
            "required": _("Vælg den ansvarlige leder."),
            "invalid_choice": _("Vælg en leder fra listen."),
        },
    )
    goal = _text(_("Mål"), 1500, error_messages={"required": _("Skriv, hvad I vil opnå.")})
    look_at = _text(
        _("Det ser vi efter"),
        1500,
        help_text=_("Hvad vil I holde øje med undervejs – tid, kvalitet, arbejdsmiljø?"),
        error_messages={"required": _("Skriv, hvad I vil holde øje med.")},
    )
    starts_on = forms.DateField(
        label=_("Start"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": _("Vælg startdatoen."), "invalid": _("Skriv datoen som dd-mm-åååå.")},
    )
    ends_on = forms.DateField(
        label=_("Slut"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Fire uger er et godt udgangspunkt. Mere end 12 uger kræver en begrundelse."),
        error_messages={"required": _("Vælg slutdatoen."), "invalid": _("Skriv datoen som dd-mm-åååå.")},
    )
    long_reason = _text(_("Hvorfor længere end 12 uger?"), 1000, required=False, rows=2)
    small_and_safe = forms.BooleanField(label=_("Afprøvningen er lille, tryg og tidsafgrænset"), required=False)
    data_classes = LocalizedMultipleChoiceField(
        label=_("Hvilke slags data indgår?"), queryset=DataClass.objects.none(), required=False, widget=Checkboxes()
    )
    tools = forms.ModelMultipleChoiceField(
        label=_("Hvilke AI-værktøjer bruger I?"),
        queryset=Tool.objects.none(),
        required=False,
        widget=Checkboxes(),
        help_text=_("Tjekkes mod kommunens regler for data og værktøjer."),
    )
    med_considered = forms.BooleanField(label=_("Arbejdsmiljøet er drøftet med MED"), required=False)
    med_note = _text(_("Det aftalte vi med MED"), 1000, required=False, rows=2)
    human_decides = _text(
        _("Her beslutter et menneske"),
        1000,
        rows=2,
        help_text=_("Fx: pædagogen læser og retter hvert referat, før det sendes ud."),
        error_messages={"required": _("Skriv, hvor et menneske altid beslutter.")},
    )

    def __init__(
        self,
        *args: Any,
        person: Person,
        picker_data: Mapping[str, Any] | None,
        page_url: str,
        pilot: Pilot | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        m = person.municipality_id
        use_case = self.fields[USE_CASE]
        assert isinstance(use_case, UseCasePickerField)
        use_case.prepare(
            person=person,
            data=picker_data,
            page_url=page_url,
            initial=self.initial.get(USE_CASE) or (pilot.use_case_id if pilot is not None else None),
        )
        self.fields["uc_area"].queryset = queries.areas(person)  # type: ignore[attr-defined]
        self.fields["data_classes"].queryset = DataClass.objects.filter(municipality_id=m)  # type: ignore[attr-defined]
        self.fields["tools"].queryset = Tool.objects.filter(municipality_id=m).order_by("name", "pk")  # type: ignore[attr-defined]
        # The teams: one picker each, scoped to where the person may start a pilot.
        existing = list(pilot.units.all()) if pilot is not None else []
        count = team_count(picker_data if picker_data is not None else None, len(existing))
        within = queries.proposer_paths(person)
        chosen: list[Unit] = []
        fields = dict(self.fields)
        teams: dict[str, forms.Field] = {}
        for i in range(1, count + 1):
            field = UnitPickerField(
                label=_("Team") if i == 1 else _("Team %(number)d") % {"number": i},
                required=i == 1,
                help_text=_("Skriv en del af teamets navn, og tryk Søg. Vælg så teamet på listen."),
            )
            field.prepare(
                person=person,
                name=team_name(i),
                data=picker_data,
                page_url=page_url,
                within=within,
                initial=existing[i - 1] if i <= len(existing) else None,
            )
            widget = field.widget
            assert isinstance(widget, UnitPickerWidget)
            if widget.chosen is not None:
                chosen.append(widget.chosen)
            teams[team_name(i)] = field
        self.team_names = list(teams)
        self.can_add_team = count < MAX_TEAMS
        # The teams come right after the use case, before the leader who depends on them.
        order = list(fields)
        at = order.index("leader")
        self.fields = {
            **{k: fields[k] for k in order[:at]},
            **teams,
            **{k: fields[k] for k in order[at:]},
        }
        leaders = queries.leader_choices(person, chosen) if chosen else Person.objects.filter(pk=person.pk)
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]
        for key in ("leader",):
            self.fields[key].widget.attrs.setdefault("class", "form-select")
        for q in (*rules.FORBIDDEN, *rules.HIGH_RISK):
            self.fields[f"ai_{q.key}"] = forms.ChoiceField(
                label=q.question,
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"class": "form-radio"}),
                error_messages={"required": _("Svar ja eller nej.")},
            )
        if pilot is not None:
            self.initial.setdefault("data_classes", list(pilot.data_classes.all()))
            self.initial.setdefault("tools", list(pilot.tools.all()))
            areas = set(pilot.ai_act_areas.split(","))
            for q in (*rules.FORBIDDEN, *rules.HIGH_RISK):
                self.initial.setdefault(f"ai_{q.key}", "ja" if q.key in areas else "nej")

    def ai_fields(self) -> list[forms.BoundField]:
        return [self[f"ai_{q.key}"] for q in (*rules.FORBIDDEN, *rules.HIGH_RISK)]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("ai_")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        units: list[Unit] = []
        for name in self.team_names:
            unit = cleaned.get(name)
            if unit is not None and all(u.pk != unit.pk for u in units):
                units.append(unit)
        cleaned["units"] = units
        if cleaned.get("use_case") is None:
            if not (cleaned.get("uc_title") or "").strip():
                self.add_error("use_case", _("Vælg en anvendelse, eller beskriv en ny herunder."))
            else:
                for name, message in (
                    ("uc_today", _("Beskriv, hvordan opgaven løses i dag.")),
                    ("uc_ai_help", _("Beskriv, hvordan AI kunne hjælpe.")),
                    ("uc_area", _("Vælg fagområdet.")),
                ):
                    if not cleaned.get(name):
                        self.add_error(name, message)
        cleaned["ai_act_answers"] = {
            q.key: cleaned.get(f"ai_{q.key}") == "ja" for q in (*rules.FORBIDDEN, *rules.HIGH_RISK)
        }
        return cleaned


class NoteForm(DKFDSFormMixin, forms.Form):
    """A step of the status with an optional note (start, evaluate)."""

    note = ScreenedFormField(
        label=_("Bemærkning"),
        anonymous=False,
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(NoteForm):
    legal_review_note = ScreenedFormField(
        label=_("Juridisk vurdering"),
        anonymous=False,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvem har vurderet afprøvningen, hvad blev konklusionen, og hvilke krav skal den leve op til?"),
    )

    def __init__(self, *args: Any, high_risk: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not high_risk:
            del self.fields["legal_review_note"]


class CloseForm(DKFDSFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslutning"),
        choices=Pilot.Decision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"required": _("Vælg udbred, justér eller stop.")},
    )
    note = ScreenedFormField(
        label=_("Begrundelse"),
        anonymous=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv kort, hvorfor I har besluttet det.")},
    )


class ExtendForm(DKFDSFormMixin, forms.Form):
    ends_on = forms.DateField(
        label=_("Ny slutdato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": _("Vælg den nye slutdato."), "invalid": _("Skriv datoen som dd-mm-åååå.")},
    )
    reason = ScreenedFormField(
        label=_("Hvorfor forlænger I?"),
        anonymous=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv, hvorfor afprøvningen skal forlænges.")},
    )


class PulseForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Hvordan går det?"),
        coerce=int,
        choices=[
            (1, _("1 – Det går skidt")),
            (2, _("2 – Det går ikke så godt")),
            (3, _("3 – Både og")),
            (4, _("4 – Det går godt")),
            (5, _("5 – Det går rigtig godt")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"required": _("Vælg et tal fra 1 til 5.")},
    )
    easier = ScreenedFormField(
        label=_("Hvad gjorde det lettere?"),
        anonymous=True,
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv om opgaven og værktøjet, ikke om kolleger."),
    )
    harder = ScreenedFormField(
        label=_("Hvad gjorde det sværere?"),
        anonymous=True,
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FilterForm(DKFDSFormMixin, forms.Form):
    """The list's filters, sent with GET."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    fagomraade = forms.ModelChoiceField(
        label=_("Fagområde"), queryset=ProfessionalArea.objects.none(), required=False, empty_label=_("Alle")
    )
    enhed = UnitPickerField(label=_("Enhed"), required=False)

    def __init__(self, *args: Any, person: Person, page_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alle")), *Pilot.Status.choices]  # type: ignore[attr-defined]
        self.fields["fagomraade"].queryset = queries.areas(person)  # type: ignore[attr-defined]
        picker = self.fields["enhed"]
        assert isinstance(picker, UnitPickerField)
        picker.prepare(person=person, name="enhed", data=self.data, page_url=page_url)
