"""The retrospective's forms. Cards are anonymous: the text is screened in anonymous mode, so the
form also warns about names of persons (privacy/namecheck.py) before anything is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import Person
from forankring.core.submission import OnceOnlyFormMixin
from forankring.practice.forms import Checkboxes
from forankring.privacy.fields import ScreenedFormField

from .models import Pilot
from .models.retro import RetroCard, RetroColumn, RetroGroup


class CardForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    column = forms.ChoiceField(
        label=_("Hvor hører kortet til?"),
        choices=RetroColumn.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg, hvilken kolonne kortet hører til.")},
    )
    text = ScreenedFormField(
        anonymous=True,
        label=_("Dit kort"),
        help_text=_("Kort og konkret. Kortet vises uden dit navn. Skriv ikke navne på kolleger eller borgere."),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv, hvad der står på kortet.")},
    )


class CardChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text)


class GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.heading or _("Gruppe uden overskrift"))


class GroupForm(DKFDSFormMixin, forms.Form):
    """One per column: tick the cards that say the same, and give them a heading (or put them in
    a group the column already has)."""

    cards = CardChoices(
        label=_("Kort, der hører sammen"),
        queryset=RetroCard.objects.none(),
        widget=Checkboxes(),
        error_messages={"required": _("Vælg de kort, der hører sammen.")},
    )
    into = GroupChoice(
        label=_("Læg dem i"),
        queryset=RetroGroup.objects.none(),
        required=False,
        empty_label=_("En ny gruppe"),
    )
    heading = ScreenedFormField(
        anonymous=False,
        label=_("Overskrift"),
        help_text=_("Fx »Mere tid til beboerne« – højst 120 tegn."),
        max_length=120,
        required=False,
    )

    def __init__(self, *args: Any, cards: QuerySet[RetroCard], groups: QuerySet[RetroGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cards"].queryset = cards  # type: ignore[attr-defined]
        self.fields["into"].queryset = groups  # type: ignore[attr-defined]
        if not groups.exists():
            del self.fields["into"]


class NoteForm(DKFDSFormMixin, forms.Form):
    note = ScreenedFormField(
        anonymous=False,
        label=_("Det talte vi om"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(DKFDSFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Hvad beslutter I?"),
        choices=Pilot.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg, om afprøvningen skal udbredes, justeres eller stoppes.")},
    )
    note = ScreenedFormField(
        anonymous=False,
        label=_("Hvorfor?"),
        help_text=_("Det, I har lært, og det, der talte for beslutningen. Det står på afprøvningen bagefter."),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv kort, hvorfor I beslutter det.")},
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ActionForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    what = ScreenedFormField(
        anonymous=False,
        label=_("Hvad gør vi?"),
        help_text=_("Begynd med et udsagnsord, fx »Lave en fælles skabelon til referater«."),
        max_length=200,
        error_messages={"required": _("Skriv, hvad I gør.")},
    )
    owner = PersonChoice(
        label=_("Hvem har bolden?"),
        queryset=Person.objects.none(),
        empty_label=_("Vælg en person"),
        error_messages={
            "required": _("Vælg, hvem der har bolden."),
            "invalid_choice": _("Vælg en person fra afprøvningens teams."),
        },
    )
    due_on = forms.DateField(
        label=_("Senest"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vælg en dato."), "invalid": _("Skriv datoen som dag.måned.år, fx 15.1.2027.")},
    )

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]
