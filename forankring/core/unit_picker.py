"""Choosing one unit out of thousands: search, then choose. Never a list of every unit.

A form declares `UnitPickerField(...)` and calls `field.prepare(...)` from its `__init__` with the
person, the scope and the submitted data. The widget (components/search_picker.html) is a search
box with a "Søg" button and, below it, the matching units as radio buttons (at most
`queries.UNIT_SEARCH_LIMIT`, each with its parent's name so two "Team Nord" can be told apart):

- without JavaScript, "Søg" submits the form, the page comes back with the matches and keeps
  whatever else was typed, and the person picks one and submits again;
- with JavaScript, htmx fetches the same page with only the search text as the person types and
  swaps in the list of matches (`hx-select`), so no extra URL and no JSON.

`within` scopes the picker to subtrees (materialised paths): a picker for the concerns a MED
representative reads only finds units below their roles. A chosen id outside the scope is an
invalid choice, like a forged select option.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from . import queries
from .models import Person, Unit, under_paths

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

SEARCH_SUFFIX = "_soeg"
FIND_SUFFIX = "_find"


def is_search(data: Mapping[str, Any], name: str) -> bool:
    """True when the form was sent with the picker's "Søg" button, not to be saved."""
    return name + FIND_SUFFIX in data


class SearchPickerWidget(forms.Widget):
    """A search box and the matches as radio buttons (components/search_picker.html), for any
    kind of object: a subclass names the template of one choice's label and the texts. The
    field fills `search`, `found`, `more`, `chosen` and `page_url` in its `prepare()`.
    `UnitPickerWidget` below is one; track 4's use-case picker is another."""

    template_name = "components/search_picker.html"
    option_template = ""  # renders one choice's label; gets `choice`
    legend: StrOrPromise = ""
    more_text: StrOrPromise = ""
    none_text: StrOrPromise = ""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search = ""
        self.found: list[Any] = []
        self.more = False
        self.chosen: Any = None
        self.page_url = ""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        # The project's template engine (components/ and the {% translate %} builtin), not the
        # form renderer's, which only knows Django's own widget templates.
        return mark_safe(loader.render_to_string(template_name, context))  # noqa: S308 - a rendered template

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        choices = list(self.found)
        if self.chosen is not None and all(c.pk != self.chosen.pk for c in choices):
            choices.insert(0, self.chosen)
        context["widget"].update(
            {
                "search_name": name + SEARCH_SUFFIX,
                "find_name": name + FIND_SUFFIX,
                "search": self.search,
                "choices": choices,
                "chosen_pk": self.chosen.pk if self.chosen else None,
                "more": self.more,
                "page_url": self.page_url,
                "option_template": self.option_template,
                "legend": self.legend,
                "more_text": self.more_text,
                "none_text": self.none_text,
            }
        )
        return context


class UnitPickerWidget(SearchPickerWidget):
    option_template = "components/unit_picker_option.html"
    legend = _("Vælg enheden")
    more_text = _("Der er flere enheder, der passer. Skriv mere af navnet for at finde den rigtige.")
    none_text = _("Ingen enheder passer på søgningen.")


class SearchPickerField(forms.Field):
    """The field behind a `SearchPickerWidget`: a subclass says how to search (`_search`) and how
    to find one chosen object by its id within the person's reach (`_lookup`, None for anything
    else, which is refused like a forged option). Its `prepare()` calls `_prepare_widget`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.person: Person | None = None

    def _search(self, text: str) -> tuple[list[Any], bool]:
        raise NotImplementedError

    def _lookup(self, value: object) -> Any:
        raise NotImplementedError

    def _prepare_widget(
        self, *, person: Person, name: str, data: Mapping[str, Any] | None, page_url: str
    ) -> SearchPickerWidget:
        """Run the search typed in `data` for `person`; `page_url` is the page the form is on,
        which htmx asks for the matches."""
        self.person = person
        widget = self.widget
        assert isinstance(widget, SearchPickerWidget)
        widget.page_url = page_url
        widget.search = str((data or {}).get(name + SEARCH_SUFFIX, "")).strip()[:100]
        widget.found, widget.more = self._search(widget.search)
        return widget

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        widget = self.widget
        assert isinstance(widget, SearchPickerWidget)
        found = widget.chosen if widget.chosen is not None and str(widget.chosen.pk) == str(value) else None
        if found is None:
            assert self.person is not None, "call prepare() first"
            found = self._lookup(value)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class UnitPickerField(SearchPickerField):
    widget = UnitPickerWidget
    default_error_messages = {
        "required": _("Søg efter enheden, og vælg den på listen."),
        "invalid_choice": _("Vælg en af enhederne på listen."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("Skriv en del af enhedens navn, og tryk Søg. Vælg så enheden på listen under feltet.")
        )
        super().__init__(**kwargs)
        self.within: list[str] | None = None

    def prepare(
        self,
        *,
        person: Person,
        name: str,
        data: Mapping[str, Any] | None,
        page_url: str,
        within: list[str] | None = None,
        initial: Unit | None = None,
    ) -> None:
        """Scope the field to `person`'s municipality (and the subtrees `within`), run the search
        typed in `data` and remember the unit chosen there (or `initial`). `page_url` is the
        page the form is on, which htmx asks for the matches."""
        self.within = within
        widget = self._prepare_widget(person=person, name=name, data=data, page_url=page_url)
        chosen = (data or {}).get(name)
        widget.chosen = self._lookup(chosen) if chosen else initial

    def _search(self, text: str) -> tuple[list[Any], bool]:
        assert self.person is not None
        return queries.search_units(self.person, text, within=self.within)

    def _lookup(self, value: object) -> Unit | None:
        assert self.person is not None, "call prepare() first"
        try:
            pk = int(str(value))
        except ValueError:
            return None
        units = queries.municipality_units(self.person).filter(pk=pk)
        if self.within is not None:
            units = units.filter(under_paths(self.within))
        return units.first()
