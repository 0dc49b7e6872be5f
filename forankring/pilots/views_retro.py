"""The retrospective's pages: one board page per pilot (which also answers htmx's refresh with
just the board), and a POST view per change. Every form works without JavaScript: it posts,
and the page comes back (with the error beside the field when something was wrong)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forankring.core import access, submission
from forankring.core.forms import add_action_errors
from forankring.core.http import PersonRequest
from forankring.core.views import person_required
from forankring.privacy import ratelimit

from . import actions_retro, queries_retro
from .forms_retro import ActionForm, CardForm, DecisionForm, GroupForm, NoteForm
from .models.retro import DOT_BUDGET, RetroBoard, RetroColumn
from .queries_retro import Retro

Phase = RetroBoard.Phase
# Phases in which the person running the board types into forms: their own page does not
# refresh itself then (a refresh would throw away what they are typing), and nothing else
# changes the board meanwhile.
_TYPING_PHASES = {Phase.GROUPING, Phase.DISCUSSION, Phase.DECISION, Phase.ACTIONS}


def _back(retro: Retro) -> HttpResponse:
    return redirect("pilots:retro", pk=retro.pilot.pk)


def _board(retro: Retro) -> RetroBoard:
    if retro.board is None:
        access.deny()
    return retro.board


def _phases(board: RetroBoard | None) -> list[dict[str, Any]]:
    current = board.phase if board else ""
    order = [p.value for p in Phase]
    at = order.index(current) if current else -1
    return [
        {"label": p.label, "current": p.value == current, "done": i < at or current == Phase.DONE}
        for i, p in enumerate(Phase)
        if p != Phase.DONE
    ]


def _group_forms(retro: Retro, data: Any = None, column: str = "") -> list[tuple[str, GroupForm]]:
    board = _board(retro)
    found = []
    for key, label in RetroColumn.choices:
        cards, groups = queries_retro.loose_cards_and_groups(board, key)
        form = GroupForm(data if key == column else None, prefix=key, cards=cards, groups=groups)
        found.append((str(label), form))
    return found


def _page(request: PersonRequest, retro: Retro, *, status: int = 200, **bound: Any) -> HttpResponse:
    board = retro.board
    context: dict[str, Any] = {
        "retro": retro,
        "pilot": retro.pilot,
        "board": board,
        "phases": _phases(board),
        "budget": DOT_BUDGET,
    }
    if board is not None:
        view = queries_retro.board_view(retro)
        context["view"] = view
        phase = board.phase
        context["poll"] = not (retro.runs and phase in _TYPING_PHASES) and phase != Phase.DONE
        if phase == Phase.CARDS and retro.takes_part:
            context["card_form"] = bound.get("card_form") or CardForm()
        if phase == Phase.VOTING and retro.takes_part:
            for topic in view.ranked:
                topic.token = submission.new_token()  # type: ignore[attr-defined]
        if retro.runs and phase == Phase.GROUPING:
            context["group_forms"] = bound.get("group_forms") or _group_forms(retro)
        if retro.runs and phase in (Phase.DISCUSSION, Phase.DECISION):
            note_forms = bound.get("note_forms", {})
            for topic in view.ranked:
                topic.note_form = note_forms.get(topic.group.pk) or NoteForm(  # type: ignore[attr-defined]
                    prefix=f"g{topic.group.pk}", initial={"note": topic.group.note}
                )
        if retro.decides and phase == Phase.DECISION:
            context["decision_form"] = bound.get("decision_form") or DecisionForm()
        if retro.runs and phase in (Phase.DECISION, Phase.ACTIONS):
            context["action_form"] = bound.get("action_form") or ActionForm(members=queries_retro.team_members(retro))
    if request.headers.get("HX-Request") and board is not None:
        response = render(request, "pilots/retro_fragment.html", context)
    else:
        context["errors"] = [f for f in bound.values() if isinstance(f, forms.BaseForm) and f.errors]
        response = render(request, "pilots/retro_board.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@person_required
@require_GET
def retro(request: PersonRequest, pk: int) -> HttpResponse:
    """The board. htmx asks for it every few seconds with the phase it shows: the same phase gets
    just the board, a new one reloads the whole page (its forms change with the phase)."""
    retro = queries_retro.get_retro_for(request.person, pk)
    if request.headers.get("HX-Request") and request.GET.get("fase", "") != retro.phase:
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        patch_vary_headers(response, ["HX-Request"])
        return response
    return _page(request, retro)


@person_required
@require_POST
def retro_open(request: PersonRequest, pk: int) -> HttpResponse:
    retro = queries_retro.get_retro_for(request.person, pk)
    try:
        actions_retro.open_board(actor=retro.person, pilot=retro.pilot)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Retrospektivet er åbent, og teamet har fået besked."))
    return _back(retro)


@person_required
@require_POST
def retro_phase(request: PersonRequest, pk: int) -> HttpResponse:
    retro = queries_retro.get_retro_for(request.person, pk)
    board = _board(retro)
    try:
        if request.POST.get("til") == "slut":
            actions_retro.finish(actor=retro.person, board=board)
        else:
            actions_retro.move_phase(actor=retro.person, board=board, forward=request.POST.get("til") != "tilbage")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(retro)


@person_required
@require_POST
def retro_card(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    retro = queries_retro.get_retro_for(person, pk)
    board = _board(retro)
    if repeat := submission.repeat_of(request, municipality=person.municipality):
        return submission.answer_repeat(request, repeat, fallback="pilots:index")
    form = CardForm(request.POST)
    if form.is_valid():
        try:
            with submission.once(form, municipality=person.municipality, anonymous=True):
                actions_retro.add_card(
                    actor=person, board=board, column=form.cleaned_data["column"], text=form.cleaned_data["text"]
                )
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="pilots:index")
        except ValidationError as error:
            add_action_errors(form, error)
        except ratelimit.RateLimited:
            form.add_error(None, _("Du har skrevet mange anonyme kort i dag. Du kan skrive flere i morgen."))
        else:
            messages.success(request, _("Dit kort er sat op – uden dit navn."))
            return _back(retro)
    return _page(request, retro, status=400, card_form=form)


@person_required
@require_POST
def retro_vote(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    retro = queries_retro.get_retro_for(person, pk)
    board = _board(retro)
    group = queries_retro.group_on_board(board, _int(request.POST.get("gruppe")))
    if repeat := submission.repeat_of(request, municipality=person.municipality):
        return submission.answer_repeat(request, repeat, fallback="pilots:index")
    token = request.POST.get("submission_token", "")
    try:
        with submission.once(token, municipality=person.municipality, anonymous=True):
            left = actions_retro.cast_vote(actor=person, group=group)
    except submission.AlreadySubmittedError as repeat:
        return submission.answer_repeat(request, repeat, fallback="pilots:index")
    except actions_retro.BudgetSpent:
        messages.info(request, _("Du har brugt alle dine prikker."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Din prik er sat. Du har %(left)s tilbage.") % {"left": left})
    return _back(retro)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@person_required
@require_POST
def retro_group(request: PersonRequest, pk: int) -> HttpResponse:
    retro = queries_retro.get_retro_for(request.person, pk)
    board = _board(retro)
    if not retro.runs:
        access.deny()
    column = request.POST.get("kolonne", "")
    if column not in RetroColumn.values:
        access.deny()
    group_forms = _group_forms(retro, request.POST, column)
    form = next(f for _label, f in group_forms if f.prefix == column)
    if form.is_valid():
        try:
            actions_retro.group_cards(
                actor=retro.person,
                board=board,
                cards=list(form.cleaned_data["cards"]),
                heading=form.cleaned_data["heading"],
                into=form.cleaned_data.get("into"),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Kortene er samlet."))
            return _back(retro)
    return _page(request, retro, status=400, group_forms=group_forms, group_form=form)


@person_required
@require_POST
def retro_ungroup(request: PersonRequest, pk: int) -> HttpResponse:
    retro = queries_retro.get_retro_for(request.person, pk)
    board = _board(retro)
    try:
        card_id = uuid.UUID(request.POST.get("kort", ""))
    except ValueError:
        access.deny()
    card = queries_retro.card_on_board(board, card_id)
    try:
        actions_retro.ungroup_card(actor=retro.person, card=card)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(retro)


@person_required
@require_POST
def retro_note(request: PersonRequest, pk: int) -> HttpResponse:
    retro = queries_retro.get_retro_for(request.person, pk)
    board = _board(retro)
    group = queries_retro.group_on_board(board, _int(request.POST.get("gruppe")))
    form = NoteForm(request.POST, prefix=f"g{group.pk}")
    if form.is_valid():
        try:
            actions_retro.save_note(actor=retro.person, group=group, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Noten er gemt."))
            return _back(retro)
    return _page(request, retro, status=400, note_forms={group.pk: form}, note_form=form)


@person_required
@require_POST
def retro_decide(request: PersonRequest, pk: int) -> HttpResponse:
    retro = queries_retro.get_retro_for(request.person, pk)
    board = _board(retro)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            actions_retro.decide(
                actor=retro.person, board=board, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Beslutningen er truffet, og afprøvningen er afsluttet."))
            return _back(retro)
    return _page(request, retro, status=400, decision_form=form)


@person_required
@require_POST
def retro_action(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    retro = queries_retro.get_retro_for(person, pk)
    board = _board(retro)
    if repeat := submission.repeat_of(request, municipality=person.municipality):
        return submission.answer_repeat(request, repeat, fallback="pilots:index")
    form = ActionForm(request.POST, members=queries_retro.team_members(retro))
    if form.is_valid():
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                actions_retro.add_action(
                    actor=person,
                    board=board,
                    what=form.cleaned_data["what"],
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                )
                spent.result_url = reverse("pilots:retro", kwargs={"pk": retro.pilot.pk})
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="pilots:index")
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Handlingen er gemt, og den ansvarlige har fået besked."))
            return _back(retro)
    return _page(request, retro, status=400, action_form=form)
