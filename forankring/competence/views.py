"""Track 3's pages: thin views gluing queries and actions to templates."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from forankring.core import access, exports, submission
from forankring.core import queries as core_queries
from forankring.core.forms import add_action_errors
from forankring.core.http import PersonRequest
from forankring.core.views import person_required
from forankring.privacy import queries as privacy_queries

from . import actions, queries
from .forms import (
    ActivityForm,
    AttendanceForm,
    CompleteForm,
    LevelForm,
    PathStepForm,
    PromptForm,
    SessionForm,
    SettingsForm,
)
from .models import Activity, Prompt, Signup
from .notices import REFRESH_AHEAD


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


# --- Landing page ------------------------------------------------------------------------------


@person_required
@require_GET
def index(request: PersonRequest) -> HttpResponse:
    person = request.person
    switched_on = queries.leaders_see_mandatory(person)
    context = {
        "levels": queries.levels_for(person),
        "sessions": queries.mark_my_status(person, queries.upcoming_sessions(person)),
        "leaders_see_mandatory": switched_on,
        "sees_mandatory": bool(access.mandatory_scopes(person, switched_on=switched_on)),
        "can_manage": access.can_manage_learning(person),
        "can_edit_levels": access.can_edit_levels(person),
        "can_read_register": access.can_read_register(person),
        "sees_coverage": bool(access.competence_coverage_scopes(person)),
    }
    return render(request, "competence/index.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def settings(request: PersonRequest) -> HttpResponse:
    person = request.person
    if not access.can_edit_levels(person):
        access.deny()
    current = queries.settings_of(person)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        actions.save_settings(actor=person, leaders_see_mandatory=form.cleaned_data["leaders_see_mandatory"])
        messages.success(request, _("Indstillingen er gemt."))
        return redirect("competence:settings")
    return render(request, "competence/settings.html", {"form": form, "levels": queries.levels_for(person)})


@person_required
@require_http_methods(["GET", "POST"])
def level_edit(request: PersonRequest, pk: int | None = None) -> HttpResponse:
    person = request.person
    if not access.can_edit_levels(person):
        access.deny()
    level = queries.get_level_for(person, pk) if pk is not None else None
    form = LevelForm(request.POST or None, instance=level)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_level(
                actor=person, level=level, name=form.cleaned_data["name"], goals=form.cleaned_data["goals"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Niveauet er gemt."))
            return redirect("competence:settings")
    return render(request, "competence/level_edit.html", {"form": form, "level": level})


# --- Activities ---------------------------------------------------------------------------------


@person_required
@require_GET
def activities(request: PersonRequest) -> HttpResponse:
    person = request.person
    level, area, form_key = _int(request.GET.get("niveau")), _int(request.GET.get("fag")), request.GET.get("form", "")
    if form_key not in Activity.Form.values:
        form_key = ""
    context = {
        "activities": queries.activities_for(person, level=level, form=form_key, area=area),
        "levels": queries.levels_for(person),
        "forms": Activity.Form.choices,
        "areas": core_queries.professional_areas(person),
        "chosen": {"level": level, "form": form_key, "area": area},
        "can_manage": access.can_manage_learning(person),
    }
    return render(request, "competence/activities.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: PersonRequest, pk: int | None = None) -> HttpResponse:
    person = request.person
    if not access.can_manage_learning(person):
        access.deny()
    queries.levels_for(person)  # a municipality's first activity needs its levels
    activity = queries.get_activity_for(person, pk) if pk is not None else None
    form = ActivityForm(request.POST or None, instance=activity, person=person)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas, tools = data.pop("areas"), data.pop("tools")
        try:
            saved = actions.save_activity(actor=person, activity=activity, areas=areas, tools=tools, **data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Aktiviteten er gemt."))
            return redirect("competence:activity_detail", pk=saved.pk)
    return render(request, "competence/activity_edit.html", {"form": form, "activity": activity})


@person_required
@require_GET
def activity_detail(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    activity = queries.get_activity_for(person, pk)
    sessions = queries.sessions_of(person, activity)
    now = timezone.now()
    context = {
        "activity": activity,
        "upcoming": [s for s in sessions if s.starts_at > now],
        "past": [s for s in sessions if s.starts_at <= now],
        "records": [r for r in queries.my_records(person) if r.activity_id == activity.pk],
        "can_manage": access.can_manage_learning(person),
    }
    return render(request, "competence/activity_detail.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def activity_complete(request: PersonRequest, pk: int) -> HttpResponse:
    """Registering one's own completion: a page that asks for the date and a confirmation."""
    person = request.person
    activity = queries.get_activity_for(person, pk)
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback="competence:mine")
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != submission.FIELD}
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                actions.complete(actor=person, activity=activity, **data)
                spent.result_url = reverse("competence:mine")
        except submission.AlreadySubmittedError as repeat:  # two presses at the same moment
            return submission.answer_repeat(request, repeat, fallback="competence:mine")
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Det er registreret. Du kan se det på din side."))
            return redirect("competence:mine")
    return render(request, "competence/activity_complete.html", {"form": form, "activity": activity})


# --- Sessions -----------------------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def session_new(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    if not access.can_manage_learning(person):
        access.deny()
    activity = queries.get_activity_for(person, pk)
    form = SessionForm(request.POST or None, person=person, initial={"host": person.pk})
    if request.method == "POST" and (repeat := submission.repeat_of(request, municipality=person.municipality)):
        return submission.answer_repeat(request, repeat, fallback="competence:activities")
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != submission.FIELD}
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                session = actions.add_session(actor=person, activity=activity, **data)
                spent.result_url = reverse("competence:session_detail", kwargs={"pk": session.pk})
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="competence:activities")
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Holdet er oprettet."))
            return redirect(spent.result_url)
    return render(request, "competence/session_new.html", {"form": form, "activity": activity})


@person_required
@require_http_methods(["GET", "POST"])
def session_edit(request: PersonRequest, pk: int) -> HttpResponse:
    """Move a session, change its place, seats or host, or call it off (a form of its own)."""
    person = request.person
    if not access.can_manage_learning(person):
        access.deny()
    session = queries.get_session_for(person, pk)
    initial = {
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "place": session.place,
        "capacity": session.capacity,
        "host": session.host_id,
    }
    form = SessionForm(request.POST or None, person=person, initial=initial, host=session.host)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != submission.FIELD}
        try:
            actions.change_session(actor=person, session=session, **data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Holdet er ændret. De tilmeldte har fået besked."))
            return redirect("competence:session_detail", pk=session.pk)
    context = {"form": form, "session": session, "ahead": session.starts_at > timezone.now()}
    return render(request, "competence/session_edit.html", context)


@person_required
@require_POST
def session_call_off(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    if not access.can_manage_learning(person):
        access.deny()
    session = queries.get_session_for(person, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Sæt flueben for at bekræfte, at holdet skal aflyses."))
        return redirect("competence:session_edit", pk=session.pk)
    try:
        actions.call_off_session(actor=person, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Holdet er aflyst. De tilmeldte har fået besked."))
    return redirect("competence:session_detail", pk=session.pk)


@person_required
@require_http_methods(["GET", "POST"])
def session_detail(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    session = queries.get_session_for(person, pk)
    roster = queries.roster_for(person, session)
    form = None
    if roster is not None:
        seats = [(s.person_id, s.person.name) for s in roster.seats]
        form = AttendanceForm(request.POST or None, seats=seats)
        if request.method == "POST" and form.is_valid():
            try:
                created = actions.register_attendance(
                    actor=person,
                    session=session,
                    person_ids=form.cleaned_data["people"],
                    evidence=form.cleaned_data["evidence"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Fremmødet er registreret for %(n)d person.",
                        "Fremmødet er registreret for %(n)d personer.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
                return redirect("competence:session_detail", pk=session.pk)
    elif request.method == "POST":
        access.deny()
    signup = queries.signup_of(person, session)
    context = {
        "session": session,
        "signup": signup,
        "position": queries.waiting_position(signup) if signup and signup.status == Signup.Status.WAITING else None,
        "roster": roster,
        "form": form,
        "started": session.starts_at <= timezone.now(),
        "can_manage": access.can_manage_learning(person),
        "full": session.seats_taken >= session.capacity,  # type: ignore[attr-defined]
    }
    return render(request, "competence/session_detail.html", context)


@person_required
@require_POST
def session_signup(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    session = queries.get_session_for(person, pk)
    try:
        signup = actions.sign_up(actor=person, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if getattr(signup, "already", False):
            # A second press, or the same form sent twice at once: the first one's place stands.
            if signup.status == Signup.Status.SEAT:
                messages.info(request, _("Du var allerede tilmeldt, så intet er ændret."))
            else:
                messages.info(request, _("Du stod allerede på ventelisten, så intet er ændret."))
        elif signup.status == Signup.Status.SEAT:
            messages.success(request, _("Du er tilmeldt. Hent holdet til din kalender herunder."))
        else:
            messages.info(request, _("Holdet er fuldt. Du står på ventelisten og rykker op, hvis nogen melder fra."))
    return redirect("competence:session_detail", pk=session.pk)


@person_required
@require_POST
def session_cancel(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    session = queries.get_session_for(person, pk)
    try:
        actions.cancel(actor=person, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Du er afmeldt."))
    return redirect("competence:session_detail", pk=session.pk)


@person_required
@require_GET
def session_ics(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    session = queries.get_session_for(person, pk)
    calendar = Calendar()
    calendar.add("prodid", "-//Forankring//Kompetenceudvikling//DA")
    calendar.add("version", "2.0")
    event = Event()
    # Stable, so a second download updates the same calendar entry instead of adding one.
    event.add("uid", f"session-{session.pk}@{person.municipality.slug}.forankring")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.activity.title)
    event.add("location", session.place)
    event.add("url", request.build_absolute_uri(reverse("competence:session_detail", kwargs={"pk": session.pk})))
    event.add("description", session.activity.description)
    if session.cancelled_at is not None:
        # The same UID: a calendar that imports it again shows the entry as cancelled.
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hold-{session.pk}.ics"'
    response["Cache-Control"] = "no-store"
    return response


# --- The person's own page and the register ------------------------------------------------------


@person_required
@require_GET
def mine(request: PersonRequest) -> HttpResponse:
    person = request.person
    context = {
        "records": queries.my_records(person),
        "signups": queries.my_signups(person),
        "today": timezone.localdate(),
        "refresh_soon": timezone.localdate() + REFRESH_AHEAD,
        "leaders_see_mandatory": queries.leaders_see_mandatory(person),
    }
    return render(request, "competence/mine.html", context)


@person_required
@require_GET
def register(request: PersonRequest) -> HttpResponse:
    person = request.person
    page, lines = queries.register_page(person, request.GET.get("side"))
    return render(request, "competence/register.html", {"page": page, "lines": lines})


@person_required
@require_GET
def register_export(request: PersonRequest, fmt: str) -> StreamingHttpResponse:
    person = request.person
    if fmt not in ("csv", "xlsx"):
        access.deny()
    rows = queries.register_rows(person)
    # Taking the header runs the access check now, before a streamed response has begun.
    lines = itertools.chain([next(rows)], rows)
    filename = f"ai-faerdigheder-{person.municipality.slug}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        chunks = exports.csv_chunks(lines)
    else:
        chunks = exports.xlsx_chunks(lines, title="AI-færdigheder", widths=[24, 14, 28, 20, 20, 24, 30])
    return exports.download(chunks, fmt=fmt, filename=filename)


@person_required
@require_GET
def coverage(request: PersonRequest) -> HttpResponse:
    person = request.person
    view = queries.coverage_for(person, unit=_int(request.GET.get("enhed")))
    return render(request, "competence/coverage.html", {"view": view})


@person_required
@require_GET
def mandatory(request: PersonRequest) -> HttpResponse:
    person = request.person
    found = queries.mandatory_for(
        person, activity=_int(request.GET.get("aktivitet")), page_number=request.GET.get("side")
    )
    return render(request, "competence/mandatory.html", {"found": found, "per_page": queries.MISSING_PER_PAGE})


@person_required
@require_GET
def tools(request: PersonRequest) -> HttpResponse:
    person = request.person
    context = {
        "trainings": queries.tool_training_for(person),
        "sees_coverage": bool(access.competence_coverage_scopes(person)),
    }
    return render(request, "competence/tools.html", context)


# --- Learning paths -------------------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def paths(request: PersonRequest) -> HttpResponse:
    person = request.person
    can_edit = access.can_edit_levels(person)
    form = PathStepForm(request.POST or None, person=person) if can_edit else None
    if request.method == "POST":
        if form is None:
            access.deny()
        if form.is_valid():
            try:
                actions.add_path_step(actor=person, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Trinnet er tilføjet."))
                return redirect("competence:paths")
    return render(request, "competence/paths.html", {"paths": queries.paths_for(person), "form": form})


@person_required
@require_POST
def path_step_remove(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    actions.remove_path_step(actor=person, step=queries.get_step_for(person, pk))
    messages.success(request, _("Trinnet er fjernet."))
    return redirect("competence:paths")


# --- Prompt library ------------------------------------------------------------------------------


@person_required
@require_GET
def prompts(request: PersonRequest) -> HttpResponse:
    person = request.person
    area, tier = _int(request.GET.get("fag")), _int(request.GET.get("type"))
    page = queries.prompts_for(person, area=area, tier=tier, page_number=request.GET.get("side"))
    pending, more_pending = queries.pending_prompts_for(person)
    chosen = {key: value for key, value in (("fag", area), ("type", tier)) if value}
    context = {
        "page": page,
        "prompts": page.object_list,
        "query": urlencode(chosen),
        "pending": pending,
        "more_pending": more_pending,
        "areas": core_queries.professional_areas(person),
        "tiers": privacy_queries.tool_tiers(person),
        "chosen": {"area": area, "tier": tier},
        "can_decide": access.can_decide_prompts(person),
    }
    return render(request, "competence/prompts.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def prompt_new(request: PersonRequest) -> HttpResponse:
    person = request.person
    form = PromptForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            prompt = actions.propose_prompt(actor=person, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Tak. Et fyrtårn eller en leder ser på forslaget, før andre kan se det."))
            return redirect("competence:prompt_detail", pk=prompt.pk)
    return render(request, "competence/prompt_new.html", {"form": form})


@person_required
@require_GET
def prompt_detail(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    prompt = queries.get_prompt_for(person, pk)
    context = {
        "prompt": prompt,
        "can_decide": access.can_decide_prompts(person) and prompt.status == Prompt.Status.PROPOSED,
        "marked": queries.has_marked_useful(person, prompt),
    }
    return render(request, "competence/prompt_detail.html", context)


@person_required
@require_POST
def prompt_decide(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    prompt = queries.get_prompt_for(person, pk)
    approve = request.POST.get("decision") == "approve"
    actions.decide_prompt(actor=person, prompt=prompt, approve=approve)
    messages.success(request, _("Prompten er godkendt.") if approve else _("Prompten er afvist."))
    return redirect("competence:prompts")


@person_required
@require_POST
def prompt_useful(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    marked = actions.toggle_useful(actor=person, prompt=queries.get_prompt_for(person, pk))
    messages.success(request, _("Tak for markeringen.") if marked else _("Din markering er taget tilbage."))
    return redirect("competence:prompt_detail", pk=pk)
