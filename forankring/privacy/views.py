from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from forankring.core import access, submission
from forankring.core.http import PersonRequest
from forankring.core.views import person_required

from . import actions, queries, ratelimit
from .forms import ConcernForm, ConcernUnitForm
from .suppression import k_min_for


@person_required
@require_http_methods(["GET", "POST"])
def concern_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    units = queries.concern_units_for(person)
    k_min = k_min_for(person.municipality)
    form = ConcernForm(
        request.POST or None,
        units=units,
        k_min=k_min,
    )
    status = 200
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback="privacy:concern_new")
    if request.method == "POST" and form.is_valid():
        try:
            with submission.once(form, municipality=person.municipality, anonymous=True):
                concern = actions.submit_concern(
                    actor=person,
                    unit=form.cleaned_data["unit"],
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                )
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="privacy:concern_new")
        except ValidationError as error:
            form.add_error(None, error)
        except ratelimit.RateLimited:
            form.add_error(
                None, _("Du har sendt mange anonyme bidrag i dag. Du kan sende flere i morgen. Tak for dit engagement.")
            )
            status = 429
        else:
            # The message names neither the item nor the sender, only what happens next.
            if concern.kind == concern.Kind.WISH:
                text = _("Tak. Dit ønske er sendt anonymt til ledere og MED i %(unit)s.")
            else:
                text = _("Tak. Din bekymring er sendt anonymt til ledere og MED i %(unit)s.")
            messages.success(request, text % {"unit": concern.unit.name})
            return redirect("privacy:concern_new")
    context = {"form": form, "units": units, "k_min": k_min}
    return render(request, "privacy/concern_form.html", context, status=status)


@person_required
@require_GET
def concern_list(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not access.can_read_concerns(person):
        access.deny()
    paths = access.concern_scopes(person)
    if request.GET.get("enhed"):
        picker = ConcernUnitForm(
            request.GET,
            person=person,
            within=paths,
            picker_data=request.GET,
            page_url=request.path,
            initial_unit=None,
        )
        if not picker.is_valid():
            access.deny()
        unit = picker.cleaned_data["enhed"]
    else:
        first = queries.first_concern_unit(person)
        if first is None:
            access.deny()
        unit = first
        # Unbound, but the search typed so far is shown (htmx asks with the search text alone).
        picker = ConcernUnitForm(
            None,
            person=person,
            within=paths,
            picker_data=request.GET,
            page_url=request.path,
            initial_unit=unit,
        )
    result = queries.concerns_for(person, unit, page_number=request.GET.get("side"))
    context = {"result": result, "picker": picker, "page_query": f"enhed={result.unit.pk}"}
    return render(request, "privacy/concern_list.html", context)


@person_required
@require_GET
def data_tools(request: PersonRequest) -> HttpResponse:
    person = request.person
    return render(request, "privacy/data_tools.html", {"matrix": queries.data_tool_matrix(person)})
