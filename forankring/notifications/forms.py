from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DKFDSFormMixin

from .models import Frequency


class PreferenceForm(DKFDSFormMixin, forms.Form):
    frequency = forms.ChoiceField(
        label=_("Hvornår vil du have e-mail om dine notifikationer?"),
        help_text=_("Du kan altid se dem alle her på siden, uanset hvad du vælger."),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg, hvornår du vil have e-mail.")},
    )
