"""Track 1's pages: thin views gluing queries and actions to templates."""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forankring.core import access, tracks
from forankring.core.forms import add_action_errors
from forankring.core.http import PersonRequest
from forankring.core.views import person_required
from forankring.privacy.models import Concern
from forankring.privacy.queries import data_tool_matrix

from . import actions, queries, rules
from .forms import (
    DECISION_FORM_ROLES,
    CommentForm,
    ConcernAnswerForm,
    DataNamesForm,
    DataRulesForm,
    DecisionAreaForm,
    EthicsForm,
    FocusAreaForm,
    HearingForm,
    MayIUseForm,
    PrincipleForm,
    PurposeForm,
    RuleForm,
    ToolForm,
)
from .models import MAX_FOCUS_AREAS, MIN_FOCUS_AREAS, Compass

# --- Landing page, purpose and focus areas ----------------------------------------------------


@person_required
@require_GET
def index(request: PersonRequest) -> HttpResponse:
    person = request.person
    compass = queries.current_compass(person)
    context = {
        "purpose": queries.purpose_of(person),
        "focus_areas": queries.focus_areas_of(person),
        "compass": compass,
        "acknowledged": compass is not None and queries.has_acknowledged(person, compass),
        "can_edit": access.can_edit_direction(person),
        "can_edit_tools": access.can_edit_tools(person),
        "sees_coverage": bool(access.coverage_scopes(person)),
        "reads_concerns": access.can_read_concerns(person),
    }
    return render(request, "direction/index.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def purpose_edit(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not access.can_edit_direction(person):
        access.deny()
    form = PurposeForm(request.POST or None, instance=queries.purpose_of(person))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_purpose(actor=person, **{f: form.cleaned_data[f] for f in PurposeForm.Meta.fields})
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Formålet er gemt."))
            return redirect("direction:index")
    return render(request, "direction/purpose_edit.html", {"form": form})


@person_required
@require_http_methods(["GET", "POST"])
def focus_areas(request: PersonRequest) -> HttpResponse:
    person = request.person
    can_edit = access.can_decide(person, rules.who_decides(person.municipality, "focus_areas"))
    form = FocusAreaForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            access.deny()
        if form.is_valid():
            try:
                actions.add_focus_area(actor=person, name=form.cleaned_data["name"], why=form.cleaned_data["why"])
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Fokusområdet er tilføjet."))
                return redirect("direction:focus_areas")
    areas = queries.focus_areas_of(person)
    context = {
        "areas": areas,
        "form": form,
        "can_edit": can_edit,
        "too_few": len(areas) < MIN_FOCUS_AREAS,
        "full": len(areas) >= MAX_FOCUS_AREAS,
        "min": MIN_FOCUS_AREAS,
        "max": MAX_FOCUS_AREAS,
    }
    return render(request, "direction/focus_areas.html", context)


@person_required
@require_POST
def focus_area_remove(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    actions.remove_focus_area(actor=person, area=queries.get_focus_area_for(person, pk))
    messages.success(request, _("Fokusområdet er fjernet."))
    return redirect("direction:focus_areas")


# --- The AI-kompas ----------------------------------------------------------------------------


@person_required
@require_GET
def compass(request: PersonRequest) -> HttpResponse:
    person = request.person
    current = queries.current_compass(person)
    versions = queries.versions_for(person)
    # Only one version is on its way at a time (actions.start_draft): link to it instead of
    # offering a "new version" button that would lead there anyway.
    done = {Compass.Status.PUBLISHED, Compass.Status.RETIRED}
    context = {
        "compass": current,
        "acknowledged": current is not None and queries.has_acknowledged(person, current),
        "versions": versions,
        "on_the_way": next((v for v in versions if v.status not in done), None),
        "can_edit": access.can_edit_direction(person),
        "sees_coverage": bool(access.coverage_scopes(person)),
    }
    return render(request, "direction/compass.html", context)


@person_required
@require_POST
def compass_new(request: PersonRequest) -> HttpResponse:
    draft = actions.start_draft(actor=request.person)
    return redirect("direction:compass_edit", pk=draft.pk)


@person_required
@require_http_methods(["GET", "POST"])
def compass_detail(request: PersonRequest, pk: int) -> HttpResponse:
    """One version; MED comment here while it is in hearing."""
    person = request.person
    version = queries.compass_for(person, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not access.can_comment_in_hearing(person):
            access.deny()
        if form.is_valid():
            try:
                actions.comment_in_hearing(actor=person, compass=version, text=form.cleaned_data["text"])
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Tak. Din kommentar er sendt til direktionen."))
                return redirect("direction:compass_detail", pk=version.pk)
    context = {
        "compass": version,
        "comments": queries.hearing_comments(person, version),
        "form": form,
        "can_comment": version.status == Compass.Status.HEARING and access.can_comment_in_hearing(person),
        "can_edit": access.can_edit_direction(person),
        "can_publish": access.can_decide(person, rules.who_decides(person.municipality, "publish_compass")),
        "principles_error": actions.principle_count_error(version.principles.count())
        if version.status == Compass.Status.APPROVED
        else None,
        "acknowledged": version.status == Compass.Status.PUBLISHED and queries.has_acknowledged(person, version),
        "hearing_form": HearingForm(),
    }
    return render(request, "direction/compass_detail.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def compass_edit(request: PersonRequest, pk: int) -> HttpResponse:
    """The draft: ethics, principles and do/don't rules, one small form each (no JavaScript)."""
    person = request.person
    if not access.can_edit_direction(person):
        access.deny()
    draft = queries.compass_for(person, pk)
    if not draft.is_editable:
        return redirect("direction:compass_detail", pk=draft.pk)
    what = request.POST.get("what", "")
    ethics_form = EthicsForm(request.POST if what == "ethics" else None, initial={"ethics": draft.ethics})
    principle_form = PrincipleForm(request.POST if what == "principle" else None, prefix="principle")
    rule_form = RuleForm(request.POST if what == "rule" else None, prefix="rule")
    hearing_form = HearingForm(request.POST if what == "hearing" else None)
    if request.method == "POST":
        try:
            if what == "ethics" and ethics_form.is_valid():
                actions.save_ethics(actor=person, compass=draft, ethics=ethics_form.cleaned_data["ethics"])
                messages.success(request, _("De etiske retningslinjer er gemt."))
                return redirect("direction:compass_edit", pk=draft.pk)
            if what == "principle" and principle_form.is_valid():
                actions.add_principle(actor=person, compass=draft, **principle_form.cleaned_data)
                messages.success(request, _("Princippet er tilføjet."))
                return redirect("direction:compass_edit", pk=draft.pk)
            if what == "rule" and rule_form.is_valid():
                actions.add_rule(actor=person, compass=draft, **rule_form.cleaned_data)
                messages.success(request, _("Reglen er tilføjet."))
                return redirect("direction:compass_edit", pk=draft.pk)
            item = request.POST.get("item", "")
            if what in ("remove_principle", "remove_rule") and not item.isdigit():
                access.deny()
            if what == "remove_principle":
                found = queries.principle_of(draft, int(item))
                actions.remove_principle(actor=person, principle=found)
                return redirect("direction:compass_edit", pk=draft.pk)
            if what == "remove_rule":
                found_rule = queries.rule_of(draft, int(item))
                actions.remove_rule(actor=person, rule=found_rule)
                return redirect("direction:compass_edit", pk=draft.pk)
            if what == "hearing" and hearing_form.is_valid():
                actions.send_to_hearing(actor=person, compass=draft, deadline=hearing_form.cleaned_data["deadline"])
                messages.success(request, _("Kompasset er sendt i høring i MED."))
                return redirect("direction:compass_detail", pk=draft.pk)
        except ValidationError as error:
            target = {"ethics": ethics_form, "principle": principle_form, "rule": rule_form}.get(what, hearing_form)
            add_action_errors(target, error)
    context = {
        "compass": draft,
        "ethics_form": ethics_form,
        "principle_form": principle_form,
        "rule_form": rule_form,
        "hearing_form": hearing_form,
        "principles_error": actions.principle_count_error(draft.principles.count()),
    }
    return render(request, "direction/compass_edit.html", context)


@person_required
@require_POST
def compass_step(request: PersonRequest, pk: int) -> HttpResponse:
    """Approve, publish or send back to draft (the buttons on a version's page)."""
    person = request.person
    version = queries.compass_for(person, pk)
    step = request.POST.get("step")
    done = {
        "approve": (actions.approve, _("Kompasset er godkendt. Offentliggør det, når det skal gælde.")),
        "publish": (actions.publish, _("Kompasset er offentliggjort. Alle bliver bedt om at læse det.")),
        "reopen": (actions.reopen, _("Kompasset er sendt tilbage til kladde.")),
    }
    if step not in done:
        access.deny()
    action, text = done[step]
    try:
        action(actor=person, compass=version)
    except ValidationError as error:
        # Shown beside the principles on the version's page (or at its top).
        messages.error(request, " ".join(error.messages))
        return redirect("direction:compass_detail", pk=version.pk)
    messages.success(request, text)
    if step == "reopen":
        return redirect("direction:compass_edit", pk=version.pk)
    return redirect("direction:compass_detail", pk=version.pk)


@person_required
@require_POST
def compass_acknowledge(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    version = queries.compass_for(person, pk)
    try:
        actions.acknowledge(actor=person, compass=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tak. Du har kvitteret for, at du har læst og forstået AI-kompasset."))
    return redirect("direction:compass")


@person_required
@require_GET
def compass_diff(request: PersonRequest) -> HttpResponse:
    person = request.person
    versions = queries.versions_for(person)
    by_pk = {str(v.pk): v for v in versions}
    old, new = by_pk.get(request.GET.get("fra", "")), by_pk.get(request.GET.get("til", ""))
    if (old is None or new is None) and len(versions) >= 2:
        new, old = versions[0], versions[1]
    lines = (
        queries.side_by_side(queries.compass_for(person, old.pk), queries.compass_for(person, new.pk))
        if old and new
        else []
    )
    context = {"versions": versions, "old": old, "new": new, "lines": lines}
    return render(request, "direction/compass_diff.html", context)


@person_required
@require_GET
def coverage(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not access.coverage_scopes(person):
        access.deny()
    current = queries.current_compass(person)
    # A unit and the units under it; the top of the person's scopes until one is opened.
    tables = queries.coverage_for(person, current, request.GET.get("enhed")) if current else []
    columns = [_("Enhed"), _("Medarbejdere"), _("Har læst")]
    return render(request, "direction/coverage.html", {"compass": current, "tables": tables, "columns": columns})


# --- Tools and data ---------------------------------------------------------------------------


@person_required
@require_GET
def tools(request: PersonRequest) -> HttpResponse:
    person = request.person
    context = {"tools": queries.tools_for(person), "can_edit": access.can_edit_tools(person)}
    return render(request, "direction/tools.html", context)


@person_required
@require_GET
def tool_detail(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    tool = queries.tool_for(person, pk)
    return render(request, "direction/tool_detail.html", {"tool": tool, "can_edit": access.can_edit_tools(person)})


@person_required
@require_http_methods(["GET", "POST"])
def tool_edit(request: PersonRequest, pk: int | None = None) -> HttpResponse:
    person = request.person
    if not access.can_edit_tools(person):
        access.deny()
    tool = queries.tool_for(person, pk) if pk is not None else None
    # A copy: validating a ModelForm writes the typed values onto its instance, and the action
    # must compare against the tool as it is saved.
    form = ToolForm(
        request.POST or None,
        instance=copy.copy(tool),
        tiers=queries.tiers_of(person),
        data_classes=queries.data_classes_of(person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.save_tool(
                actor=person,
                tool=tool,
                tier=data["tier"],
                data_classes=list(data["data_classes"]),
                values=data,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Værktøjet er gemt."))
            return redirect("direction:tool_detail", pk=saved.pk)
    return render(request, "direction/tool_edit.html", {"form": form, "tool": tool})


@person_required
@require_http_methods(["GET", "POST"])
def data_rules(request: PersonRequest) -> HttpResponse:
    person = request.person
    can_edit = access.can_edit_data_rules(person)
    if request.method == "POST" and not can_edit:
        access.deny()
    form = None
    if can_edit:
        form = DataRulesForm(
            request.POST or None,
            classes=list(queries.data_classes_of(person)),
            tiers=list(queries.tiers_of(person)),
            allowances=queries.allowances_of(person),
        )
        if request.method == "POST" and form.is_valid():
            try:
                version = actions.save_data_rules(actor=person, cells=form.cells(), note=form.cleaned_data["note"])
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Reglerne er gemt som version %(n)d.") % {"n": version.number})
                return redirect("direction:data_rules")
    context = {"form": form, "versions": queries.rules_versions(person), "matrix": data_tool_matrix(person)}
    return render(request, "direction/data_rules.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def data_names(request: PersonRequest) -> HttpResponse:
    """The names of the data classes and tool tiers, in Danish and English: seeded defaults the
    municipality may rename."""
    person = request.person
    if not access.can_edit_data_rules(person):
        access.deny()
    form = DataNamesForm(
        request.POST or None, classes=list(queries.data_classes_of(person)), tiers=list(queries.tiers_of(person))
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_data_names(actor=person, texts=form.texts())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Navnene er gemt."))
            return redirect("direction:data_rules")
    return render(request, "direction/data_names.html", {"form": form})


@person_required
@require_GET
def may_i_use(request: PersonRequest) -> HttpResponse:
    person = request.person
    search = request.GET.get("q", "").strip()[:100]
    found = queries.search_tools(person, search)
    # "Få svar" sends the tool and the kind of data; "Søg" (or Enter in the search field) sends "soeg".
    # Only an asked question is validated, so a search never shows "choose a tool" errors.
    asked = "soeg" not in request.GET and ("tool" in request.GET or "data_class" in request.GET)
    initial = request.GET.dict()
    if search and len(found) == 1 and not initial.get("tool"):
        initial["tool"] = str(found[0].pk)  # one match: chosen already, one step less
    form = MayIUseForm(
        request.GET if asked else None,
        initial=None if asked else initial,
        tools=found,
        data_classes=queries.data_classes_of(person),
    )
    result = None
    if asked and form.is_valid():
        result = queries.may_i_use(person, form.cleaned_data["tool"], form.cleaned_data["data_class"])
    context = {"form": form, "result": result, "found": found, "search": search, "purpose": queries.purpose_of(person)}
    return render(request, "direction/may_i_use.html", context)


# --- Decision rights --------------------------------------------------------------------------


@person_required
@require_GET
def decisions(request: PersonRequest) -> HttpResponse:
    person = request.person
    rows = queries.decision_rows(person)
    roles = queries.DECISION_ROLES
    context = {
        "rows": rows,
        "roles": [r.label for r in roles],
        "matrix": [(row, row.cells([str(r) for r in roles])) for row in rows],
        "purpose": queries.purpose_of(person),
        "can_edit": access.can_edit_direction(person),
    }
    return render(request, "direction/decisions.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: PersonRequest, key: str | None = None) -> HttpResponse:
    person = request.person
    if not access.can_edit_direction(person):
        access.deny()
    row = queries.decision_row(person, key) if key is not None else None
    initial: dict[str, str] = {"scope": "common"}
    if row is not None:
        initial = {"name": row.raw_name, "scope": row.scope} | {
            f"role_{r}": row.parts.get(r, "") for r in DECISION_FORM_ROLES
        }
    form = DecisionAreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_decision_area(
                actor=person,
                key=key,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                parts=form.parts(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Beslutningsretten er gemt."))
            return redirect("direction:decisions")
    return render(request, "direction/decision_edit.html", {"form": form, "row": row})


# --- Concerns and wishes answered -------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def concerns(request: PersonRequest) -> HttpResponse:
    """The leaders', MED's and direktion's list: each concern with its status and answer, and a
    small form to move it on. Never who wrote it: nobody knows."""
    person = request.person
    result = queries.concerns_to_answer(person, request.GET.get("side"))
    bound: ConcernAnswerForm | None = None
    posted: Concern | None = None
    if request.method == "POST":
        posted = queries.concern_to_answer(person, request.POST.get("concern", ""))
        prefix = request.POST.get("prefix", "")
        if not (prefix.isascii() and prefix.isalpha() and prefix.islower() and len(prefix) <= 6):
            access.deny()
        bound = ConcernAnswerForm(request.POST, prefix=prefix)
        if bound.is_valid():
            try:
                actions.answer_concern(
                    actor=person,
                    concern=posted,
                    status=bound.cleaned_data["status"],
                    answer=bound.cleaned_data["answer"],
                )
            except ValidationError as error:
                add_action_errors(bound, error)
            else:
                messages.success(request, _("Status og svar er gemt."))
                # Back to the same page of the list, with the form closed again.
                side = request.GET.get("side")
                return redirect(reverse("direction:concerns") + (f"?{urlencode({'side': side})}" if side else ""))
    # Only the concern the person chose to answer (?svar=) gets its form: a form per concern
    # was most of the page's time and size.
    opened = request.GET.get("svar", "")
    rows = []
    for index, concern in enumerate(result.concerns):
        answer = getattr(concern, "answer", None)
        form: ConcernAnswerForm | None = None
        if bound is not None and posted is not None and posted.pk == concern.pk:
            form = bound
        elif str(concern.pk) == opened:
            initial = {"status": answer.status, "answer": answer.answer} if answer else {}
            form = ConcernAnswerForm(initial=initial, prefix=_letters(index))
        rows.append((concern, answer, form, _letters(index)))
    return render(request, "direction/concerns.html", {"result": result, "rows": rows})


def _letters(index: int) -> str:
    """a, b, …, z, ba, bb, …: form prefixes without digits or ids, so no element id on the page
    carries a number that could be mistaken for (or be) an identifier."""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if index == 0:
            return letters


@person_required
@require_GET
def answered(request: PersonRequest) -> HttpResponse:
    person = request.person
    result = queries.answered_concerns(person, request.GET.get("side"))
    return render(request, "direction/answered.html", {"result": result})


# --- "Sådan arbejder vi med AI" ---------------------------------------------------------------


@person_required
@require_GET
def how_we_work(request: PersonRequest) -> HttpResponse:
    person = request.person
    context = {
        "purpose": queries.purpose_of(person),
        "compass": queries.current_compass(person),
        "focus_areas": queries.focus_areas_of(person),
        "matrix": data_tool_matrix(person),
        "rows": queries.decision_rows(person),
        # Sections other tracks add (core.tracks.register_how_we_work), e.g. the lighthouses.
        "panels": tracks.how_we_work_panels(person),
    }
    return render(request, "direction/how_we_work.html", context)
