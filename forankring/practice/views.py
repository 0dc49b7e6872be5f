"""Track 2's pages: thin views gluing queries and actions to templates."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forankring.core import access, submission, unit_picker
from forankring.core.forms import add_action_errors
from forankring.core.http import PersonRequest
from forankring.core.models import Person, Unit
from forankring.core.views import person_required
from forankring.direction import rules as direction_rules
from forankring.privacy.queries import concern_units_for

from . import actions, queries, rules
from .forms import (
    AnonymousIdeaForm,
    AnswerForm,
    CentreFocusAreaForm,
    IdeaForm,
    JoinForm,
    LighthouseForm,
    QuestionAnswerForm,
    QuestionForm,
    StatusForm,
    TeamNoteForm,
    UseCaseForm,
)
from .kit import stage_label
from .models import MAX_CENTRE_FOCUS_AREAS, AnonymousIdea, Idea, IdeaStatus, UseCase, ValueType


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- Landing page and focus areas -------------------------------------------------------------


@person_required
@require_GET
def index(request: PersonRequest) -> HttpResponse:
    person = request.person
    return render(
        request,
        "practice/index.html",
        {
            "focus_areas": queries.centre_focus_areas(person),
            "can_register": access.can_register_use_case(person),
        },
    )


@person_required
@require_http_methods(["GET", "POST"])
def focus_areas(request: PersonRequest) -> HttpResponse:
    person = request.person
    centres = queries.centres_led_by(person)
    form = CentreFocusAreaForm(request.POST or None, units=centres, strategic=queries.strategic_focus_areas(person))
    if request.method == "POST":
        if not centres:
            access.deny()
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.add_centre_focus_area(
                    actor=person,
                    unit=data["unit"],
                    strategic=data["strategic"],
                    name=data["name"],
                    why=data["why"],
                    success=data["success"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Fokusområdet er tilføjet."))
                return redirect("practice:focus_areas")
    context = {
        "areas": queries.centre_focus_areas(person),
        "centres": centres,
        "form": form,
        "max": MAX_CENTRE_FOCUS_AREAS,
        "editable": {c.pk for c in centres},
    }
    return render(request, "practice/focus_areas.html", context)


@person_required
@require_POST
def focus_area_remove(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    actions.remove_centre_focus_area(actor=person, area=queries.get_centre_focus_area_for(person, pk))
    messages.success(request, _("Fokusområdet er fjernet."))
    return redirect("practice:focus_areas")


# --- Use cases ------------------------------------------------------------------------------


@person_required
@require_GET
def use_cases(request: PersonRequest) -> HttpResponse:
    person = request.person
    g = request.GET
    f = queries.UseCaseFilter(
        q=g.get("q", "").strip()[:100],
        area=_int(g.get("fagomraade")),
        unit=_int(g.get("enhed")),
        status=g.get("status", ""),
        value=g.get("vaerdi", ""),
        tool=_int(g.get("vaerktoej")),
    )
    query = urlencode({k: v for k, v in g.items() if k != "side" and v})
    context = {
        "page": queries.use_cases_page(person, f, g.get("side")),
        "filter": f,
        "query": query,
        "statuses": UseCase.Status.choices,
        "values": ValueType.choices,
        "can_register": access.can_register_use_case(person),
        **queries.filter_choices(person),
    }
    return render(request, "practice/use_cases.html", context)


def _use_case_form(request: PersonRequest, person: Person, use_case: UseCase | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    idea: Idea | None = None
    anonymous_idea: AnonymousIdea | None = None
    source = request.GET.get("idee") or request.POST.get("idee")
    anonymous_source = request.GET.get("anonym") or request.POST.get("anonym")
    if use_case is None and _int(source):
        idea = queries.get_idea_for(person, int(source or 0))
    elif use_case is None and anonymous_source:
        try:
            anonymous_idea = queries.get_anonymous_idea_for(person, uuid.UUID(anonymous_source))
        except ValueError:
            access.deny()
    origin = idea or anonymous_idea
    if origin is not None:
        if not access.can_answer_idea(person, origin.unit):
            access.deny()
        initial = {"title": origin.title, "ai_help": origin.description}
    searching = request.method == "POST" and unit_picker.is_search(request.POST, "unit")
    if searching:
        # "Søg" in the unit picker: show the matches and keep what was typed; nothing is saved.
        initial = {
            name: request.POST.getlist(name) if name in UseCaseForm.MULTIPLE else request.POST.get(name, "")
            for name in UseCaseForm.base_fields
            if name != "unit"
        }
    own = queries.own_units(person)
    form = UseCaseForm(
        request.POST if request.method == "POST" and not searching else None,
        instance=use_case,
        initial=initial,
        municipality_id=person.municipality_id,
        person=person,
        within=[unit.path for unit in own],
        picker_data=request.POST if request.method == "POST" else request.GET,
        page_url=request.path,
        # Most people register for their own unit: it is chosen already, another is searched.
        initial_unit=own[-1] if own else None,
    )
    similar: list[UseCase] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        similar = (
            queries.similar_use_cases(person, data["title"]) if use_case is None and not data.get("confirm_new") else []
        )
        if similar:
            # Without JavaScript the suggestions come after the first submit: join one of them,
            # or tick the box to say this one is new.
            form.add_error("confirm_new", _("Der findes lignende anvendelser. Se dem, før du opretter en ny."))
        else:
            try:
                saved = actions.save_use_case(
                    actor=person,
                    title=data["title"],
                    today=data["today"],
                    ai_help=data["ai_help"],
                    human_decides=data["human_decides"],
                    area=data["area"],
                    unit=data["unit"],
                    value_types=data["value_types"],
                    data_classes=data["data_classes"],
                    tools=data["tools"],
                    focus_area=data["focus_area"],
                    use_case=use_case,
                    idea=idea,
                    anonymous_idea=anonymous_idea,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Anvendelsen er gemt."))
                return redirect("practice:use_case", pk=saved.pk)
    context = {
        "form": form,
        "use_case": use_case,
        "similar": similar,
        "idea": idea,
        "anonymous_idea": anonymous_idea,
        "origin": origin,
    }
    return render(request, "practice/use_case_form.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def use_case_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not access.can_register_use_case(person):
        access.deny()
    return _use_case_form(request, person, None)


@person_required
@require_http_methods(["GET", "POST"])
def use_case_edit(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    use_case = queries.get_use_case_for(person, pk)
    if not access.can_edit_use_case(person, use_case.unit, use_case.created_by_id):
        access.deny()
    return _use_case_form(request, person, use_case)


@person_required
@require_GET
def use_case_similar(request: PersonRequest) -> HttpResponse:
    """Similar use cases for the title being typed: a fragment for htmx, a page otherwise."""
    person = request.person
    title = request.GET.get("title", "")[:150]
    similar = queries.similar_use_cases(person, title)
    template = "practice/_similar.html" if request.headers.get("HX-Request") else "practice/similar.html"
    return render(request, template, {"similar": similar, "title": title})


def _status_choices(person: Person, use_case: UseCase) -> list[tuple[str, str]]:
    """The next steps the person may take, as track 1's decision rights say."""
    choices = []
    for status in rules.NEXT.get(use_case.status, ()):
        roles = direction_rules.who_decides(person.municipality, rules.decision_area(use_case.status, status))
        if access.can_decide_for_unit(person, roles, use_case.unit):
            choices.append((status, str(UseCase.Status(status).label)))
    return choices


def _use_case_page(request: PersonRequest, person: Person, use_case: UseCase, **forms: BaseForm) -> HttpResponse:
    choices = _status_choices(person, use_case)
    units = [u for u in queries.own_units(person) if u.pk != use_case.unit_id]
    joined_ids = {j.unit_id for j in use_case.joined.all()}
    units = [u for u in units if u.pk not in joined_ids]
    context = {
        "use_case": use_case,
        "flags": queries.flags_for(use_case),
        "status_form": forms.get("status_form") or (StatusForm(choices=choices) if choices else None),
        "join_form": forms.get("join_form") or (JoinForm(units=units) if units else None),
        "following": queries.is_following(person, use_case),
        "can_edit": access.can_edit_use_case(person, use_case.unit, use_case.created_by_id),
    }
    return render(request, "practice/use_case.html", context, status=400 if forms else 200)


@person_required
@require_GET
def use_case(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    return _use_case_page(request, person, queries.get_use_case_for(person, pk))


@person_required
@require_POST
def use_case_status(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    use_case = queries.get_use_case_for(person, pk)
    choices = _status_choices(person, use_case)
    if not choices:
        access.deny()
    form = StatusForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            actions.change_status(
                actor=person,
                use_case=use_case,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Status er ændret."))
            return redirect("practice:use_case", pk=pk)
    return _use_case_page(request, person, queries.get_use_case_for(person, pk), status_form=form)


@person_required
@require_POST
def use_case_join(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    use_case = queries.get_use_case_for(person, pk)
    form = JoinForm(request.POST, units=queries.own_units(person))
    if form.is_valid():
        try:
            actions.join_use_case(actor=person, use_case=use_case, unit=form.cleaned_data["unit"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Din enhed er nu med i anvendelsen."))
            return redirect("practice:use_case", pk=pk)
    return _use_case_page(request, person, queries.get_use_case_for(person, pk), join_form=form)


@person_required
@require_POST
def use_case_follow(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    use_case = queries.get_use_case_for(person, pk)
    follow = request.POST.get("follow") == "1"
    actions.follow_use_case(actor=person, use_case=use_case, follow=follow)
    messages.success(request, _("Du følger anvendelsen.") if follow else _("Du følger ikke længere anvendelsen."))
    return redirect("practice:use_case", pk=pk)


# --- Ideas ----------------------------------------------------------------------------------


@person_required
@require_GET
def ideas(request: PersonRequest) -> HttpResponse:
    person = request.person
    status = request.GET.get("status", "")
    context = {
        "page": queries.ideas_page(person, request.GET.get("side"), status=status),
        "anonymous_page": queries.anonymous_ideas_page(person, request.GET.get("aside"), status=status),
        "status": status,
        "statuses": IdeaStatus.choices,
        "query": urlencode({"status": status}) if status else "",
    }
    return render(request, "practice/ideas.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def idea_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    anonymous = request.POST.get("anonymous") == "on"
    units = concern_units_for(person) if anonymous else queries.idea_units(person)
    form_class = AnonymousIdeaForm if anonymous else IdeaForm
    form = form_class(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = actions.point_to_workflow(
                actor=person,
                title=data["title"],
                description=data["description"],
                unit=data["unit"],
                anonymous=anonymous,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if isinstance(idea, AnonymousIdea):
                # The only way back to it: the page's address, shown once and never stored with them.
                messages.success(request, _("Tak. Gem adressen på denne side, så kan du følge svaret."))
                return redirect("practice:anonymous_idea", pk=idea.pk)
            messages.success(request, _("Tak. Lederen svarer dig, og du får besked under Notifikationer."))
            return redirect("practice:idea", pk=idea.pk)
    return render(request, "practice/idea_new.html", {"form": form})


def _idea_page(request: PersonRequest, person: Person, idea: Idea | AnonymousIdea) -> HttpResponse:
    can_answer = access.can_answer_idea(person, idea.unit)
    form = AnswerForm(request.POST or None, initial={"status": idea.status if idea.status != IdeaStatus.NEW else ""})
    if request.method == "POST":
        if not can_answer:
            access.deny()
        if form.is_valid():
            try:
                actions.answer_idea(
                    actor=person, idea=idea, status=form.cleaned_data["status"], answer=form.cleaned_data["answer"]
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Dit svar er gemt."))
                return redirect(request.path)
    use_case = getattr(idea, "use_case", None) if _has_use_case(idea) else None
    context = {
        "idea": idea,
        "anonymous": isinstance(idea, AnonymousIdea),
        "answer_form": form if can_answer else None,
        "use_case": use_case,
        "can_register": can_answer and access.can_register_use_case(person) and use_case is None,
        "following": isinstance(idea, Idea) and idea.followers.filter(pk=person.pk).exists(),
        "is_proposer": isinstance(idea, Idea) and idea.proposer_id == person.pk,
    }
    return render(request, "practice/idea.html", context, status=400 if form.errors else 200)


def _has_use_case(idea: Idea | AnonymousIdea) -> bool:
    try:
        idea.use_case  # noqa: B018 - the reverse one-to-one raises when there is none
    except UseCase.DoesNotExist:
        return False
    return True


@person_required
@require_http_methods(["GET", "POST"])
def idea(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    return _idea_page(request, person, queries.get_idea_for(person, pk))


@person_required
@require_http_methods(["GET", "POST"])
def anonymous_idea(request: PersonRequest, pk: uuid.UUID) -> HttpResponse:
    person = request.person
    return _idea_page(request, person, queries.get_anonymous_idea_for(person, pk))


@person_required
@require_POST
def idea_follow(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    actions.follow_idea(actor=person, idea=queries.get_idea_for(person, pk))
    messages.success(request, _("Du får besked, når der kommer svar."))
    return redirect("practice:idea", pk=pk)


# --- Lighthouses ----------------------------------------------------------------------------


def _can_appoint(person: Person) -> list[Unit]:
    """The person's own units in which they may appoint lighthouses (track 1's decision rights)."""
    roles = direction_rules.who_decides(person.municipality, "lighthouses")
    return [unit for unit in queries.own_units(person) if access.can_decide_for_unit(person, roles, unit)]


@person_required
@require_http_methods(["GET", "POST"])
def lighthouses(request: PersonRequest) -> HttpResponse:
    """ "Find dit fyrtårn": who to ask about AI in each professional area and unit."""
    person = request.person
    units = _can_appoint(person)
    form = (
        LighthouseForm(
            request.POST or None,
            people=queries.appointable_people(person),
            units=units,
            municipality_id=person.municipality_id,
        )
        if units
        else None
    )
    if request.method == "POST":
        if form is None:
            access.deny()
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.appoint_lighthouse(
                    actor=person,
                    person=data["person"],
                    unit=data["unit"],
                    area=data["area"],
                    helps_with=data["helps_with"],
                    contact=data["contact"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Fyrtårnet er udpeget."))
                return redirect("practice:lighthouses")
    area = _int(request.GET.get("fagomraade"))
    context = {
        "page": queries.lighthouses_page(person, request.GET.get("side"), area=area),
        "areas": queries.professional_areas(person),
        "area": area,
        "query": urlencode({"fagomraade": area}) if area else "",
        "form": form,
        "appoint_units": {u.pk for u in units},
    }
    return render(request, "practice/lighthouses.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def lighthouse_remove(request: PersonRequest, pk: int) -> HttpResponse:
    """Confirm ending an appointment: says how many questions are still unanswered."""
    person = request.person
    lighthouse, unanswered = queries.get_lighthouse_to_remove(person, pk)
    if request.method == "POST":
        told = actions.remove_lighthouse(actor=person, lighthouse=lighthouse)
        if told:
            messages.success(
                request,
                ngettext(
                    "Fyrtårnet er fjernet fra oversigten. Den, der havde et ubesvaret spørgsmål, har fået besked.",
                    "Fyrtårnet er fjernet fra oversigten. De %(count)s, der havde et ubesvaret spørgsmål, "
                    "har fået besked.",
                    told,
                )
                % {"count": told},
            )
        else:
            messages.success(request, _("Fyrtårnet er fjernet fra oversigten."))
        return redirect("practice:lighthouses")
    context = {"lighthouse": lighthouse, "unanswered": unanswered, "is_self": lighthouse.person_id == person.pk}
    return render(request, "practice/lighthouse_remove.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def lighthouse_ask(request: PersonRequest, pk: int) -> HttpResponse:
    """Ask a lighthouse a question; the answer comes on the question's own page."""
    person = request.person
    lighthouse = queries.get_lighthouse_to_ask(person, pk)
    fallback = reverse("practice:lighthouse_questions")
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback=fallback)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                question = actions.ask_lighthouse(actor=person, lighthouse=lighthouse, text=form.cleaned_data["text"])
                spent.result_url = reverse("practice:lighthouse_question", kwargs={"pk": question.pk})
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback=fallback)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Dit spørgsmål er sendt. Du får besked, når fyrtårnet har svaret."))
            return redirect(spent.result_url)
    context = {"lighthouse": lighthouse, "form": form, "is_self": lighthouse.person_id == person.pk}
    return render(request, "practice/lighthouse_ask.html", context, status=400 if form.errors else 200)


@person_required
@require_GET
def lighthouse_questions(request: PersonRequest) -> HttpResponse:
    """The person's questions to lighthouses and, for a lighthouse, the questions to them."""
    person = request.person
    context = {
        "to_me": queries.questions_to_me(person, request.GET.get("side")),
        "mine": queries.my_questions(person, request.GET.get("mine")),
    }
    return render(request, "practice/lighthouse_questions.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def lighthouse_question(request: PersonRequest, pk: int) -> HttpResponse:
    """One question: the asker reads it and the answer; the lighthouse answers it here."""
    person = request.person
    question = queries.get_question_for(person, pk)
    is_lighthouse = question.lighthouse.person_id == person.pk
    form = QuestionAnswerForm(request.POST or None, initial={"answer": question.answer}) if is_lighthouse else None
    if request.method == "POST":
        if form is None:
            access.deny()
        if form.is_valid():
            try:
                actions.answer_lighthouse_question(actor=person, question=question, answer=form.cleaned_data["answer"])
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Dit svar er sendt."))
                return redirect("practice:lighthouse_question", pk=pk)
    context = {"question": question, "form": form}
    return render(request, "practice/lighthouse_question.html", context, status=400 if form and form.errors else 200)


# --- The team's AI item ---------------------------------------------------------------------


@person_required
@require_GET
def teams(request: PersonRequest) -> HttpResponse:
    person = request.person
    return render(request, "practice/teams.html", {"teams": queries.my_teams(person)})


@person_required
@require_http_methods(["GET", "POST"])
def team(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    unit = queries.get_team_for(person, pk)
    can_write = access.can_write_team_note(person, unit)
    form = TeamNoteForm(request.POST or None) if can_write else None
    if request.method == "POST":
        if form is None:
            access.deny()
        if form.is_valid():
            try:
                actions.write_team_note(actor=person, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Noten fra AI-punktet er gemt."))
                return redirect("practice:team", pk=pk)
    context = {"unit": unit, "notes": queries.team_notes(person, unit), "form": form}
    return render(request, "practice/team.html", context)


@person_required
@require_GET
def team_kit(request: PersonRequest, pk: int) -> HttpResponse:
    """The printable meeting kit for the team's AI item."""
    person = request.person
    kit = queries.meeting_kit(person, queries.get_team_for(person, pk))
    return render(request, "practice/team_kit.html", {"kit": kit, "stage_label": stage_label(kit.stage)})
