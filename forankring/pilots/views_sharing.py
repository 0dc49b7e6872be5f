"""Pages for learning cards, experiences and celebrations: thin views gluing the sharing queries
and actions to templates."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forankring.core import access, submission
from forankring.core.forms import add_action_errors
from forankring.core.http import PersonRequest
from forankring.core.views import person_required
from forankring.privacy import ratelimit

from . import actions_sharing as actions
from . import queries_sharing as queries
from .forms_sharing import (
    AnonymousExperienceForm,
    CelebrationForm,
    ExperienceForm,
    LearningCardEditForm,
    LearningCardForm,
)
from .models import Reaction

_RATE_LIMITED = gettext_lazy(
    "Du har delt mange anonyme bidrag i dag. Du kan dele flere i morgen. Tak for dit engagement."
)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _back(request: PersonRequest, fallback: str) -> str:
    """Where a small POST (a reaction, a take-down) returns to: the page it came from, if ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(fallback)


# --- Learning cards -------------------------------------------------------------------------


@person_required
@require_GET
def cards(request: PersonRequest) -> HttpResponse:
    person = request.person
    g = request.GET
    f = queries.CardFilter(
        q=g.get("q", "").strip()[:100],
        use_case=_int(g.get("anvendelse")),
        area=_int(g.get("fagomraade")),
        decision=g.get("beslutning", ""),
    )
    context = {
        "page": queries.cards_page(person, f, g.get("side")),
        "filter": f,
        "query": urlencode({k: str(v) for k, v in g.items() if k != "side" and v}),
        **queries.card_filter_choices(person),
    }
    return render(request, "pilots/card_library.html", context)


@person_required
@require_GET
def card(request: PersonRequest, pk: int) -> HttpResponse:
    return render(request, "pilots/card_detail.html", queries.card_page(request.person, pk))


@person_required
@require_http_methods(["GET", "POST"])
def card_edit(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    card = queries.get_card_to_edit(person, pk)
    initial = {"tried": card.tried, "learned": card.learned, "advice": card.advice}
    form = LearningCardEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_learning_card(
                actor=person,
                card=card,
                tried=form.cleaned_data["tried"],
                learned=form.cleaned_data["learned"],
                advice=form.cleaned_data["advice"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Læringskortet er rettet. Det står samme sted i biblioteket som før."))
            return redirect("pilots:card", pk=card.pk)
    status = 400 if form.errors else 200
    return render(request, "pilots/card_edit.html", {"card": card, "form": form}, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def card_publish(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    pilot = queries.pilot_for_card(person, pk)
    panel = queries.card_panel(person, pilot)
    if panel["card"] is not None:
        return redirect("pilots:card", pk=panel["card"].pk)  # type: ignore[attr-defined]
    if not panel["can_publish"]:
        # Not closed yet, or not theirs to publish: the same answer as a missing pilot.
        access.deny()
    form = LearningCardForm(request.POST or None)
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback="pilots:cards")
    if request.method == "POST" and form.is_valid():
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                new = actions.publish_learning_card(
                    actor=person,
                    pilot=pilot,
                    tried=form.cleaned_data["tried"],
                    learned=form.cleaned_data["learned"],
                    advice=form.cleaned_data["advice"],
                )
                spent.result_url = reverse("pilots:card", kwargs={"pk": new.pk})
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="pilots:cards")
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Tak. Læringskortet står nu i biblioteket, hvor alle kan lære af det."))
            return redirect(spent.result_url)
    status = 400 if form.errors else 200
    return render(request, "pilots/card_publish.html", {"pilot": pilot, "form": form}, status=status)


# --- Experiences ----------------------------------------------------------------------------


@person_required
@require_GET
def experiences(request: PersonRequest) -> HttpResponse:
    person = request.person
    area = queries.get_area_for(person, _int(request.GET.get("fagomraade")))
    page, items = queries.experiences_page(person, area, request.GET.get("side"))
    context = {
        "area": area,
        "areas": queries.areas_for(person),
        "page": page,
        "items": items,
        "celebrations": queries.latest_celebrations(person, area=area, limit=queries.FEED_CELEBRATIONS),
        "query": urlencode({"fagomraade": area.pk}) if area else "",
        "is_admin": access.is_admin(person),
    }
    return render(request, "pilots/experience_feed.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def experience_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    anonymous = request.POST.get("anonymous") == "on"
    form_class = AnonymousExperienceForm if anonymous else ExperienceForm
    initial: dict[str, int | None] = {}
    if area_id := _int(request.GET.get("fagomraade")):
        initial["area"] = area_id
    else:
        initial["area"] = queries.own_area_id(person)
    form = form_class(request.POST or None, initial=initial, municipality_id=person.municipality_id)
    status = 200
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback="pilots:experiences")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submission.once(form, municipality=person.municipality, anonymous=anonymous) as spent:
                post = actions.share_experience(
                    actor=person, area=data["area"], title=data["title"], text=data["text"], anonymous=anonymous
                )
                if not anonymous:
                    spent.result_url = reverse("pilots:experiences") + f"?fagomraade={post.area_id}"
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="pilots:experiences")
        except ValidationError as error:
            add_action_errors(form, error)
        except ratelimit.RateLimited:
            form.add_error(None, _RATE_LIMITED)
            status = 429
        else:
            if anonymous:
                messages.success(request, _("Tak fordi du delte. Din erfaring står nu i feedet uden dit navn."))
            else:
                messages.success(request, _("Tak fordi du delte. Din erfaring står nu i feedet."))
            return redirect(reverse("pilots:experiences") + f"?fagomraade={post.area_id}")
    if form.errors and status == 200:
        status = 400
    return render(request, "pilots/experience_form.html", {"form": form}, status=status)


@person_required
@require_POST
def experience_take_down(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    actions.take_down_experience(actor=person, experience=queries.get_experience_for(person, pk))
    messages.success(request, _("Opslaget er taget ned."))
    return redirect(_back(request, "pilots:experiences"))


@person_required
@require_POST
def anonymous_experience_take_down(request: PersonRequest, pk: uuid.UUID) -> HttpResponse:
    person = request.person
    actions.take_down_experience(actor=person, experience=queries.get_anonymous_experience_for(person, pk))
    messages.success(request, _("Opslaget er taget ned."))
    return redirect(_back(request, "pilots:experiences"))


# --- Celebrations ---------------------------------------------------------------------------


@person_required
@require_GET
def celebrations(request: PersonRequest) -> HttpResponse:
    person = request.person
    area = queries.get_area_for(person, _int(request.GET.get("fagomraade")))
    page, items = queries.celebrations_page(person, area, request.GET.get("side"))
    context = {
        "area": area,
        "areas": queries.areas_for(person),
        "page": page,
        "items": items,
        "query": urlencode({"fagomraade": area.pk}) if area else "",
    }
    return render(request, "pilots/celebration_list.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def celebration_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    units = actions.celebration_units(person)
    initial = {"area": queries.own_area_id(person)}
    form = CelebrationForm(request.POST or None, initial=initial, units=units, municipality_id=person.municipality_id)
    status = 200
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback="pilots:celebrations")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submission.once(form, municipality=person.municipality, anonymous=True):
                actions.celebrate(actor=person, unit=data["unit"], story=data["story"], area=data["area"])
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="pilots:celebrations")
        except ValidationError as error:
            add_action_errors(form, error)
        except ratelimit.RateLimited:
            form.add_error(None, _RATE_LIMITED)
            status = 429
        else:
            messages.success(request, _("Tillykke! Sejren er delt som teamets."))
            return redirect("pilots:celebrations")
    if form.errors and status == 200:
        status = 400
    return render(request, "pilots/celebration_form.html", {"form": form, "units": units}, status=status)


@person_required
@require_POST
def celebration_react(request: PersonRequest, pk: uuid.UUID) -> HttpResponse:
    person = request.person
    celebration = queries.get_celebration_for(person, pk)
    reaction = request.POST.get("reaction", "")
    if reaction not in Reaction.values:
        access.deny()
    actions.react(actor=person, celebration=celebration, reaction=reaction)
    if request.headers.get("HX-Request"):
        # htmx swaps the one celebration in place, with its new counts.
        item = queries.latest_celebration_item(person, celebration.pk)
        return render(
            request, "pilots/celebration_item.html", {"item": item, "next": _back(request, "pilots:celebrations")}
        )
    return redirect(_back(request, "pilots:celebrations"))


@person_required
@require_POST
def celebration_take_down(request: PersonRequest, pk: uuid.UUID) -> HttpResponse:
    person = request.person
    actions.take_down_celebration(actor=person, celebration=queries.get_celebration_for(person, pk))
    messages.success(request, _("Sejren er taget ned."))
    return redirect(_back(request, "pilots:celebrations"))
