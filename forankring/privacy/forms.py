from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DKFDSFormMixin
from forankring.core.models import Unit
from forankring.core.submission import OnceOnlyFormMixin

from .fields import ScreenedFormField
from .models import Concern


class ConcernForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Er det en bekymring eller et ønske?"),
        choices=[("", _("Vælg")), *Concern.Kind.choices],
        error_messages={"required": _("Vælg, om det er en bekymring eller et ønske.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Hvilken del af organisationen handler det om?"),
        help_text=_(
            "Ledere og MED-repræsentanter i enheden kan læse det. Du kan vælge din egen enhed eller en "
            "enhed over den, hvis der er mindst %(k)s personer i den."
        ),
        queryset=Unit.objects.none(),
        empty_label=_("Vælg enhed"),
        error_messages={
            "required": _("Vælg den del af organisationen, det handler om."),
            "invalid_choice": _("Vælg en af enhederne på listen: din egen enhed eller en enhed over den."),
        },
    )
    text = ScreenedFormField(
        anonymous=True,
        label=_("Hvad vil du gerne sige?"),
        help_text=_(
            "Skriv ikke navne, CPR-numre, telefonnumre, e-mailadresser eller oplysninger om nogens helbred. "
            "Så kan ingen regne ud, hvem det handler om – eller hvem der har skrevet det."
        ),
        max_length=2000,
        error_messages={"required": _("Skriv, hvad du gerne vil sige.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], k_min: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        unit_field.label_from_instance = _indented_unit_label  # type: ignore[method-assign,assignment]
        unit_field.help_text = str(unit_field.help_text) % {"k": k_min}


def _indented_unit_label(unit: Unit) -> str:
    return ("– " * unit.depth) + unit.name


class ConcernUnitForm(DKFDSFormMixin, forms.Form):
    """Picks which unit's concerns a leader or MED representative reads (a GET form)."""

    enhed = forms.ModelChoiceField(label=_("Enhed"), queryset=Unit.objects.none(), empty_label=None)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enhed"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        # Indented from the highest unit on the list, so a team leader's own team is not
        # shown three steps in.
        top = min((unit.depth for unit in units), default=0)

        def label(unit: Unit) -> str:
            return ("– " * (unit.depth - top)) + unit.name

        field.label_from_instance = label  # type: ignore[method-assign,assignment]
