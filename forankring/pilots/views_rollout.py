"""Rollout pages: thin views gluing queries_rollout and actions_rollout to templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forankring.core import access, submission, unit_picker
from forankring.core.forms import add_action_errors
from forankring.core.http import PersonRequest
from forankring.core.views import person_required

from . import actions_rollout as actions
from . import queries_rollout as queries
from .forms_rollout import CloseForm, OwnerForm, ProblemForm, RolloutForm, WeekForm
from .models.rollout import PLAN_WEEKS


@person_required
@require_GET
def rollouts(request: PersonRequest) -> HttpResponse:
    person = request.person
    page = queries.rollout_page(person, request.GET.get("side"))
    today = timezone.localdate()
    context = {
        "page": page,
        "rows": [(r, queries.status_label(r, today)) for r in page.object_list],
        "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "can_start": access.can_start_rollout(person, queries.deciding_roles(person)),
    }
    return render(request, "pilots/rollout_list.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def rollout_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not access.can_start_rollout(person, queries.deciding_roles(person)):
        access.deny()
    here = reverse("pilots:rollout_new")
    searching = request.method == "POST" and unit_picker.is_search(request.POST, "unit")
    bound = request.POST if request.method == "POST" and not searching else None
    if bound is not None and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback="pilots:rollouts")
    form = RolloutForm(
        bound,
        # "Søg" only looks units up: what was typed so far is kept, nothing is checked or saved.
        initial={key: request.POST.get(key, "") for key in ("tool", "pilot", "starts_on", "purpose")}
        if searching
        # A closed pilot's page links here with ?afproevning=<id> to scale it.
        else {"starts_on": timezone.localdate(), "pilot": request.GET.get("afproevning", "")},
        person=person,
        tools=queries.approved_tools(person),
        pilots=queries.scalable_pilots(person),
        picker_data=request.POST if request.method == "POST" else request.GET,
        page_url=here,
    )
    if bound is not None and form.is_valid():
        data = form.cleaned_data
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                rollout = actions.start_rollout(
                    actor=person,
                    tool=data["tool"],
                    unit=data["unit"],
                    pilot=data["pilot"],
                    starts_on=data["starts_on"],
                    purpose=data["purpose"],
                )
                spent.result_url = reverse("pilots:rollout", args=[rollout.pk])
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="pilots:rollouts")
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Udrulningen er oprettet. Vælg nu den leder, der ejer de 30 dage."))
            return redirect(spent.result_url)
    return render(request, "pilots/rollout_new.html", {"form": form})


@person_required
@require_GET
def rollout(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    item = queries.get_rollout_for(person, pk)
    today = timezone.localdate()
    roles = queries.deciding_roles(person)
    is_member = queries.is_member(person, item.unit)
    context = {
        "rollout": item,
        "status": queries.status_label(item, today),
        "ends_on": queries.ends_on(item),
        "readiness": queries.readiness(item, person, today),
        "show_detail": access.can_see_rollout_readiness(person, roles, item.unit),
        "can_choose_owner": item.closed_at is None and access.can_choose_rollout_owner(person, roles, item.unit),
        "is_owner": access.can_run_rollout_plan(person, item.owner_id),
        "plan": queries.plan(item, today),
        "closing_due": queries.closing_due(item, today),
        "may_close": queries.may_close(item, today),
        "is_member": is_member,
        "own_problem": queries.own_problem(person, item) if is_member else None,
        "count": queries.problem_count(person, item),
    }
    return render(request, "pilots/rollout_detail.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def rollout_owner(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    item = queries.get_rollout_for(person, pk)
    if not access.can_choose_rollout_owner(person, queries.deciding_roles(person), item.unit):
        access.deny()
    form = OwnerForm(
        request.POST or None,
        candidates=queries.owner_candidates(item).order_by("name", "pk"),
        initial={"owner": item.owner_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.choose_owner(actor=person, rollout=item, owner=form.cleaned_data["owner"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ejeren af de 30 dage er valgt og har fået besked."))
            return redirect("pilots:rollout", pk=item.pk)
    return render(request, "pilots/rollout_owner.html", {"rollout": item, "form": form})


@person_required
@require_http_methods(["GET", "POST"])
def rollout_week(request: PersonRequest, pk: int, week: int) -> HttpResponse:
    person = request.person
    item = queries.get_rollout_for(person, pk)
    if not access.can_run_rollout_plan(person, item.owner_id) or not 1 <= week <= PLAN_WEEKS:
        access.deny()
    today = timezone.localdate()
    plan_week = queries.plan(item, today)[week - 1]
    form = WeekForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.tick_week(actor=person, rollout=item, week=week, note=form.cleaned_data["note"], today=today)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Uge %(week)d er sat flueben ved.") % {"week": week})
            return redirect("pilots:rollout", pk=item.pk)
    return render(request, "pilots/rollout_week.html", {"rollout": item, "week": plan_week, "form": form})


@person_required
@require_http_methods(["GET", "POST"])
def rollout_close(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    item = queries.get_rollout_for(person, pk)
    if not access.can_run_rollout_plan(person, item.owner_id):
        access.deny()
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_rollout(
                actor=person, rollout=item, gains=form.cleaned_data["gains"], barriers=form.cleaned_data["barriers"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Udrulningen er afsluttet. Tak for afslutningsnoten."))
            return redirect("pilots:rollout", pk=item.pk)
    today = timezone.localdate()
    context = {"rollout": item, "form": form, "may_close": queries.may_close(item, today)}
    return render(request, "pilots/rollout_close.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def rollout_problem(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    item = queries.get_rollout_for(person, pk)
    if not queries.is_member(person, item.unit):
        access.deny()
    problem = queries.own_problem(person, item)
    initial = {"text": problem.text, "solved": problem.solved} if problem else None
    form = ProblemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_concrete_problem(
                actor=person, rollout=item, text=form.cleaned_data["text"], solved=form.cleaned_data["solved"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Dit problem er gemt. Kun du kan se det."))
            return redirect("pilots:rollout_problem", pk=item.pk)
    context = {"rollout": item, "form": form, "problem": problem, "closed": item.closed_at is not None}
    return render(request, "pilots/rollout_problem.html", context)


@person_required
@require_POST
def rollout_problem_delete(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    item = queries.get_rollout_for(person, pk)
    actions.delete_concrete_problem(actor=person, rollout=item)
    messages.success(request, _("Dit problem er slettet."))
    return redirect("pilots:rollout_problem", pk=item.pk)
