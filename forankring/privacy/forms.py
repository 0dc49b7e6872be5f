from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forankring.core.forms import DKFDSFormMixin, ListedUnitField
from forankring.core.models import Person, Unit
from forankring.core.submission import OnceOnlyFormMixin
from forankring.core.unit_picker import UnitPickerField

from .fields import ScreenedFormField
from .models import Concern


class ConcernForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Er det en bekymring eller et ønske?"),
        choices=[("", _("Vælg")), *Concern.Kind.choices],
        error_messages={"required": _("Vælg, om det er en bekymring eller et ønske.")},
    )
    unit = ListedUnitField(
        label=_("Hvilken del af organisationen handler det om?"),
        help_text=_(
            "Ledere og MED-repræsentanter i enheden kan læse det. Du kan vælge din egen enhed eller en "
            "enhed over den, hvis der er mindst %(k)s personer i den."
        ),
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

    def __init__(self, *args: Any, units: list[Unit], k_min: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, ListedUnitField)
        unit_field.set_units(units)
        unit_field.help_text = str(unit_field.help_text) % {"k": k_min}


class ConcernUnitForm(DKFDSFormMixin, forms.Form):
    """Picks which unit's concerns a leader or MED representative reads (a GET form): a unit
    search scoped to the units they read for, never a list of all of them."""

    enhed = UnitPickerField(label=_("Enhed"))

    def __init__(
        self,
        *args: Any,
        person: Person,
        within: list[str],
        picker_data: Mapping[str, Any],
        page_url: str,
        initial_unit: Unit | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enhed"]
        assert isinstance(field, UnitPickerField)
        field.prepare(
            person=person, name="enhed", data=picker_data, page_url=page_url, within=within, initial=initial_unit
        )
