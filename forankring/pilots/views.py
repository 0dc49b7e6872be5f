"""Track 4's pages: thin views gluing queries and actions to templates."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forankring.core import access, submission
from forankring.core.forms import add_action_errors
from forankring.core.http import PersonRequest
from forankring.core.models import Person
from forankring.core.views import person_required

from . import actions, queries, queries_retro, queries_rollout, queries_sharing, rules
from .forms import (
    ApproveForm,
    CloseForm,
    ExtendForm,
    FilterForm,
    NoteForm,
    PilotForm,
    PulseForm,
    is_lookup,
)
from .models import Pilot

S = Pilot.Status


# --- The landing page and the list -------------------------------------------------------------


@person_required
@require_GET
def index(request: PersonRequest) -> HttpResponse:
    person = request.person
    context = {"landing": queries.landing(person), "can_propose": access.can_propose_pilot(person)}
    return render(request, "pilots/index.html", context)


@person_required
@require_GET
def pilot_list(request: PersonRequest) -> HttpResponse:
    person = request.person
    form = FilterForm(request.GET or None, person=person, page_url=request.path)
    f = queries.PilotFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        f = queries.PilotFilter(
            status=data.get("status") or "",
            area=data["fagomraade"].pk if data.get("fagomraade") else None,
            unit=data.get("enhed"),
        )
    kept = {k: v for k, v in request.GET.items() if k in ("status", "fagomraade", "enhed") and v}
    context = {
        "form": form,
        "page": queries.pilots_page(person, f, request.GET.get("side")),
        "query": urlencode(kept),
        "filtered": bool(kept),
        "can_propose": access.can_propose_pilot(person),
    }
    return render(request, "pilots/pilot_list.html", context)


# --- Create and edit ----------------------------------------------------------------------------


def _initial(request: PersonRequest, person: Person, pilot: Pilot | None) -> dict[str, Any]:
    if request.method == "POST":
        # "Søg" or "Tilføj et team mere": keep what was typed, check and save nothing.
        multi = ("data_classes", "tools")
        return {k: request.POST.getlist(k) if k in multi else request.POST.get(k) for k in request.POST}
    if pilot is not None:
        return {
            "title": pilot.title,
            "use_case": pilot.use_case_id,
            "leader": pilot.leader_id,
            "goal": pilot.goal,
            "look_at": pilot.look_at,
            "starts_on": pilot.starts_on,
            "ends_on": pilot.ends_on,
            "long_reason": pilot.long_reason,
            "small_and_safe": pilot.small_and_safe,
            "med_considered": pilot.med_considered,
            "med_note": pilot.med_note,
            "human_decides": pilot.human_decides,
        }
    starts = timezone.localdate()
    initial: dict[str, Any] = {"starts_on": starts, "ends_on": rules.default_end(starts)}
    if access.is_leader(person):
        initial["leader"] = person.pk
    return initial


def _pilot_form(request: PersonRequest, person: Person, pilot: Pilot | None) -> HttpResponse:
    here = request.path
    lookup = request.method == "POST" and is_lookup(request.POST)
    bound = request.POST if request.method == "POST" and not lookup else None
    fallback = reverse("pilots:list")
    if bound is not None and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback=fallback)
    form = PilotForm(
        bound,
        initial=_initial(request, person, pilot),
        person=person,
        picker_data=request.POST if request.method == "POST" else request.GET,
        page_url=here,
        pilot=pilot,
    )
    if bound is not None and form.is_valid():
        data = form.cleaned_data
        new_use_case = None
        if data.get("use_case") is None:
            new_use_case = actions.NewUseCase(
                title=data["uc_title"], today=data["uc_today"], ai_help=data["uc_ai_help"], area=data["uc_area"]
            )
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                saved = actions.save_pilot(
                    actor=person,
                    title=data["title"],
                    units=data["units"],
                    leader=data["leader"],
                    goal=data["goal"],
                    look_at=data["look_at"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    long_reason=data["long_reason"],
                    small_and_safe=data["small_and_safe"],
                    data_classes=data["data_classes"],
                    tools=data["tools"],
                    med_considered=data["med_considered"],
                    med_note=data["med_note"],
                    human_decides=data["human_decides"],
                    ai_act_answers=data["ai_act_answers"],
                    use_case=data.get("use_case"),
                    new_use_case=new_use_case,
                    pilot=pilot,
                )
                spent.result_url = reverse("pilots:detail", kwargs={"pk": saved.pk})
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback=fallback)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                # The AI Act refusal names its question; "units" belongs beside the first team.
                renamed = {("ai_" + k if f"ai_{k}" in form.fields else k): v for k, v in error.error_dict.items()}
                if "units" in renamed:
                    renamed["team_1"] = renamed.pop("units")
                error = ValidationError(renamed)
            add_action_errors(form, error)
        else:
            messages.success(request, _("Afprøvningen er gemt."))
            return redirect(spent.result_url)
    context = {
        "form": form,
        "pilot": pilot,
        "refused": _refusals(form),
        "similar_cards": _similar_cards(person, form, pilot),
    }
    return render(request, "pilots/pilot_form.html", context)


def _similar_cards(person: Person, form: BaseForm, pilot: Pilot | None) -> list[Any]:
    """Learning cards from pilots like this one: from what was typed (after a search, an added
    team or an error), or from the pilot being edited. A fresh form has nothing to compare yet."""
    if form.is_bound:
        use_case = str(form.data.get("use_case", ""))
        title = f"{form.data.get('title', '')} {form.data.get('uc_title', '')}"
        return queries_sharing.similar_cards(person, use_case=int(use_case) if use_case.isdigit() else None, text=title)
    if pilot is not None:
        return queries_sharing.similar_cards(person, use_case=pilot.use_case_id, text=pilot.title)
    return []


def _refusals(form: PilotForm) -> list[str]:
    """The AI Act refusals, shown once more in a box above the form: they are not a typo to fix."""
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return []
    return [rules.refusal(q) for q in rules.screen(form.cleaned_data.get("ai_act_answers", {})).forbidden]


@person_required
@require_http_methods(["GET", "POST"])
def pilot_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not access.can_propose_pilot(person):
        access.deny()
    return _pilot_form(request, person, None)


@person_required
@require_http_methods(["GET", "POST"])
def pilot_edit(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    pilot = queries.get_pilot_for(person, pk)
    if not access.can_edit_pilot(
        person, leader_id=pilot.leader_id, created_by_id=pilot.created_by_id, is_idea=pilot.status == S.IDEA
    ):
        access.deny()
    return _pilot_form(request, person, pilot)


# --- One pilot ----------------------------------------------------------------------------------


def _detail(request: PersonRequest, person: Person, pilot: Pilot, **forms: BaseForm) -> HttpResponse:
    flags = queries.flags_for(pilot)
    approver = pilot.status == S.IDEA and actions.can_approve(person, pilot)
    runner = pilot.status in (S.APPROVED, S.RUNNING) and actions.can_run(person, pilot)
    decider = pilot.status in (S.RUNNING, S.EVALUATING) and actions.can_decide_outcome(person, pilot)
    high_risk = pilot.ai_act_flag == Pilot.AiActFlag.HIGH_RISK
    participant = pilot.status == S.RUNNING and queries.is_participant(person, pilot)
    context = {
        "pilot": pilot,
        "flags": flags,
        "blockers": rules.approval_blockers(pilot, flags) if pilot.status == S.IDEA else [],
        "high_risk_areas": rules.high_risk_areas(pilot),
        "long": rules.needs_long_reason(pilot.starts_on, pilot.ends_on),
        "can_edit": access.can_edit_pilot(
            person, leader_id=pilot.leader_id, created_by_id=pilot.created_by_id, is_idea=pilot.status == S.IDEA
        ),
        "approve_form": forms.get("approve_form") or (ApproveForm(high_risk=high_risk) if approver else None),
        "start_form": forms.get("start_form")
        or (NoteForm(prefix="start") if runner and pilot.status == S.APPROVED else None),
        "evaluate_form": forms.get("evaluate_form")
        or (NoteForm(prefix="evaluate") if runner and pilot.status == S.RUNNING else None),
        "extend_form": forms.get("extend_form") or (ExtendForm() if runner else None),
        "close_form": forms.get("close_form") or (CloseForm() if decider else None),
        "results": queries.pulse_results(person, pilot),
        "participant": participant,
        "answered": participant and queries.has_answered(person, pilot),
        "card_panel": queries_sharing.card_panel(person, pilot),
        "retro_panel": queries_retro.retro_panel(person, pilot),
        "rollout_panel": queries_rollout.pilot_rollouts(person, pilot),
    }
    return render(request, "pilots/pilot_detail.html", context, status=400 if forms else 200)


@person_required
@require_GET
def pilot_detail(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    return _detail(request, person, queries.get_pilot_for(person, pk))


def _step(request: PersonRequest, pk: int, form: BaseForm, form_name: str, run: Any, done: str) -> HttpResponse:
    """A status step posted from the detail page: the action, or the page again with the error."""
    person = request.person
    pilot = queries.get_pilot_for(person, pk)
    if form.is_valid():
        try:
            run(person, pilot, form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("pilots:detail", pk=pk)
    return _detail(request, person, queries.get_pilot_for(person, pk), **{form_name: form})


@person_required
@require_POST
def pilot_approve(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    pilot = queries.get_pilot_for(person, pk)
    if not actions.can_approve(person, pilot):
        access.deny()
    form = ApproveForm(request.POST, high_risk=pilot.ai_act_flag == Pilot.AiActFlag.HIGH_RISK)
    return _step(
        request,
        pk,
        form,
        "approve_form",
        lambda actor, p, d: actions.approve_pilot(
            actor=actor, pilot=p, note=d["note"], legal_review_note=d.get("legal_review_note", "")
        ),
        _("Afprøvningen er godkendt."),
    )


@person_required
@require_POST
def pilot_start(request: PersonRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        NoteForm(request.POST, prefix="start"),
        "start_form",
        lambda actor, p, d: actions.start_pilot(actor=actor, pilot=p, note=d["note"]),
        _("Afprøvningen er i gang. Deltagerne kan nu give deres ugentlige puls."),
    )


@person_required
@require_POST
def pilot_evaluate(request: PersonRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        NoteForm(request.POST, prefix="evaluate"),
        "evaluate_form",
        lambda actor, p, d: actions.evaluate_pilot(actor=actor, pilot=p, note=d["note"]),
        _("Afprøvningen evalueres nu."),
    )


@person_required
@require_POST
def pilot_extend(request: PersonRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        ExtendForm(request.POST),
        "extend_form",
        lambda actor, p, d: actions.extend_pilot(actor=actor, pilot=p, ends_on=d["ends_on"], reason=d["reason"]),
        _("Afprøvningen er forlænget."),
    )


@person_required
@require_POST
def pilot_close(request: PersonRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        CloseForm(request.POST),
        "close_form",
        lambda actor, p, d: actions.close_pilot(actor=actor, pilot=p, decision=d["decision"], note=d["note"]),
        _("Afprøvningen er afsluttet med en beslutning."),
    )


# --- The weekly pulse ---------------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def pulse(request: PersonRequest, pk: int) -> HttpResponse:
    """A participant's weekly answer. Anonymous: the token is spent on its own and nothing
    points back to the page the person came from."""
    person = request.person
    pilot = queries.get_running_pilot_for_pulse(person, pk)
    here = reverse("pilots:pulse", kwargs={"pk": pk})
    detail = reverse("pilots:detail", kwargs={"pk": pk})
    answered = queries.has_answered(person, pilot)
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback=detail)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and not answered and form.is_valid():
        data = form.cleaned_data
        try:
            with submission.once(form, municipality=person.municipality, anonymous=True):
                actions.give_pulse(
                    actor=person, pilot=pilot, score=data["score"], easier=data["easier"], harder=data["harder"]
                )
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback=detail)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Tak for dit svar. Det er gemt uden dit navn."))
            return redirect(detail)
    return render(request, "pilots/pulse_form.html", {"pilot": pilot, "form": form, "answered": answered, "here": here})
