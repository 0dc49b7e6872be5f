"""Forms for learning cards, experiences and celebrations. Free text goes through the screen;
the anonymous ones also warn about names of persons (DKFDSFormMixin includes the name check)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import ProfessionalArea, Unit
from forankring.core.submission import OnceOnlyFormMixin
from forankring.privacy.fields import ScreenedFormField


class LearningCardEditForm(DKFDSFormMixin, forms.Form):
    """The learning card's fields. Editing a published card uses them as they are: a second post
    of the same edit changes nothing, so it needs no one-time token."""

    tried = ScreenedFormField(
        label=_("Det prøvede vi"),
        anonymous=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kort: hvad gjorde I, hvor længe og i hvilke teams?"),
        error_messages={"required": _("Skriv kort, hvad I prøvede.")},
    )
    learned = ScreenedFormField(
        label=_("Det lærte vi"),
        anonymous=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Også det, der ikke virkede. Det er ofte det mest værdifulde for de næste."),
        error_messages={"required": _("Skriv, hvad I lærte – også hvis det ikke virkede.")},
    )
    advice = ScreenedFormField(
        label=_("Råd til andre, der vil prøve"),
        anonymous=False,
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LearningCardForm(OnceOnlyFormMixin, LearningCardEditForm):
    """Publishing the card creates it, so a second post must not: the one-time token."""


class ExperienceForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    area = forms.ModelChoiceField(
        label=_("Fagområde"),
        queryset=ProfessionalArea.objects.none(),
        empty_label=_("Vælg fagområde"),
        error_messages={"required": _("Vælg det fagområde, erfaringen hører til.")},
    )
    title = ScreenedFormField(
        label=_("Overskrift"),
        anonymous=False,
        max_length=150,
        help_text=_("Fx »Sprogmodellen forstod ikke vores faglige ord« eller »Referatet tog 10 minutter«."),
        error_messages={"required": _("Giv erfaringen en kort overskrift.")},
    )
    text = ScreenedFormField(
        label=_("Erfaringen"),
        anonymous=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Hvad prøvede du, hvad skete der, og hvad ville du gøre igen eller anderledes? "
            "Skriv ikke navne eller oplysninger om borgere eller kolleger."
        ),
        error_messages={"required": _("Skriv din erfaring.")},
    )
    anonymous = forms.BooleanField(
        label=_("Del uden mit navn"),
        required=False,
        help_text=_("Så gemmes intet om, hvem der skrev. Du kan ikke selv rette eller slette opslaget bagefter."),
    )

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ProfessionalArea.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id
        ).order_by("name")


class AnonymousExperienceForm(ExperienceForm):
    """The same form when "Del uden mit navn" is ticked: the text is screened as anonymous, so
    it also warns about names of persons before anything is saved."""

    title = ScreenedFormField(
        label=_("Overskrift"),
        anonymous=True,
        max_length=150,
        help_text=_("Fx »Sprogmodellen forstod ikke vores faglige ord« eller »Referatet tog 10 minutter«."),
        error_messages={"required": _("Giv erfaringen en kort overskrift.")},
    )
    text = ScreenedFormField(
        label=_("Erfaringen"),
        anonymous=True,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Hvad prøvede du, hvad skete der, og hvad ville du gøre igen eller anderledes? "
            "Skriv ikke navne eller oplysninger om borgere eller kolleger."
        ),
        error_messages={"required": _("Skriv din erfaring.")},
    )


class CelebrationForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Unit.objects.none(),
        empty_label=None,
        help_text=_("Sejren vises som teamets. Dit navn gemmes ikke."),
        error_messages={"required": _("Vælg dit team.")},
    )
    area = forms.ModelChoiceField(
        label=_("Fagområde"),
        queryset=ProfessionalArea.objects.none(),
        required=False,
        empty_label=_("Intet bestemt fagområde"),
        help_text=_("Så vises sejren også i fagområdets AI-erfaringer."),
    )
    story = ScreenedFormField(
        label=_("Hvad lykkedes?"),
        anonymous=True,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Et par linjer er nok. Fx »Vi skrev ugebrevet på en halv time i stedet for to«."),
        error_messages={"required": _("Fortæl kort, hvad der lykkedes.")},
    )

    def __init__(self, *args: Any, units: list[Unit], municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by(  # type: ignore[attr-defined]
            "path"
        )
        self.fields["area"].queryset = ProfessionalArea.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id
        ).order_by("name")
