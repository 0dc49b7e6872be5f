from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, actions, oidc, queries, ratelimit, submission, tracks, unit_picker
from . import health as health_check
from .forms import GrantRoleForm, LoginForm, MunicipalitySettingsForm, PeopleFilterForm
from .http import PersonRequest
from .middleware import SESSION_KEY
from .models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

# HttpResponseBase so a decorated view may also stream (the log's CSV export does).
View = Callable[..., HttpResponseBase]


def person_required(view: View) -> View:
    """Signed in, and a person in some municipality. A signed-in user with no person (for
    instance an SSO user whose claims mapped to nothing) gets a plain 'no access' page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "person", None) is None:
            return render(request, "core/no_access.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view: View) -> View:
    @person_required
    @wraps(view)
    def wrapper(request: PersonRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.is_admin(request.person):
            access.deny()
        return view(request, *args, **kwargs)

    return wrapper


# --- Sign-in -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or "core:home")
    form = LoginForm(request, data=request.POST or None)
    blocked = False
    if request.method == "POST":
        username = request.POST.get("username", "")
        # Counted before the password is checked, so parallel attempts cannot slip past the limit.
        attempt = ratelimit.begin(
            username=username,
            address=ratelimit.client_address(request),
            browser=ratelimit.known_browser(request, username),
        )
        if attempt is None:
            blocked = True
            # An unbound form: rendering the bound one would validate it, and so check the
            # password, and its error message would tell a right password from a wrong one.
            form = LoginForm(request, initial={"username": username})
        elif form.is_valid():
            ratelimit.succeeded(attempt)
            auth_login(request, form.get_user())
            response = redirect(next_url or "core:home")
            ratelimit.remember_browser(request, response, username)
            return response
    context = {
        "form": form,
        "next": next_url,
        "blocked": blocked,
        # The counting window ends at the latest this long from now.
        "wait_minutes": max(1, -(-settings.LOGIN_RATE_WINDOW // 60)),
        "oidc_enabled": settings.OIDC_ENABLED,
        "demo_mode": settings.DEMO_MODE,
    }
    return render(request, "core/login.html", context, status=429 if blocked else 200)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    # Someone who signed in with the provider is signed out there too, when it has an
    # end-session endpoint; read before the session is flushed.
    target = oidc.provider_logout_url(request)
    auth_logout(request)
    return redirect(target)


@person_required
@require_http_methods(["GET", "POST"])
def choose_municipality(request: PersonRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = access.can_switch_to(request.user, request.POST.get("municipality"))
        if chosen is None:
            access.deny()
        request.session[SESSION_KEY] = chosen.municipality_id
        return redirect("core:home")
    return render(request, "core/choose_municipality.html", {"people": access.workplaces(request.user)})


# --- Pages for everyone --------------------------------------------------------------------


@person_required
@require_GET
def home(request: PersonRequest) -> HttpResponse:
    person = request.person
    context = {
        "tracks": tracks.TRACKS,
        "roles": [Role(r).label for r in access.roles_of(person)],
        # Read once per request and shared with the tracks' waiting providers below.
        "memberships": queries.placements(person),
        # Each track registers what waits for a person (core/tracks.py); core imports no track.
        "waiting": tracks.waiting_for(person),
        # Blocks the tracks add to the home page (tracks.register_home_panel).
        "home_panels": tracks.home_panels_for(person),
        # Concerns and wishes go to the leaders, MED and direktion of a unit (privacy app).
        # Decided from the role paths the request has read already: no query.
        "reads_concerns": access.can_read_concerns(person),
    }
    return render(request, "core/home.html", context)


def _track_page(key: str, title: StrOrPromise, summary: StrOrPromise) -> View:
    @person_required
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, "core/track.html", {"track_key": key, "title": title, "summary": summary})

    view.__name__ = f"track_{key}"
    return view


overview = _track_page(
    "overview",
    gettext_lazy("Overblik"),
    gettext_lazy("Her samles status på tværs af de fire spor, uden at nogen bliver målt som person."),
)
# "Kommer snart" for every track whose app has not claimed its page (core/tracks.py).
track_placeholders = {t.key: _track_page(t.key, t.title, t.summary) for t in tracks.TRACKS}
workshops = _track_page(
    "workshops",
    gettext_lazy("Workshops"),
    gettext_lazy("Faciliterede workshops med refleksionsspørgsmål, gruppearbejde pr. spor og fælles opsamling."),
)


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@person_required
@require_GET
def organisation(request: PersonRequest) -> HttpResponse:
    person = request.person
    search = request.GET.get("q", "").strip()[:100]
    found, more = queries.search_units(person, search)
    context = {
        "units": queries.top_units(person),
        "municipality": person.municipality,
        "search": search,
        "found": found,
        "more": more,
    }
    return render(request, "core/organisation.html", context)


@person_required
@require_GET
def unit_detail(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    unit = queries.get_unit_for(person, pk)
    children = queries.child_units(person, unit)
    if request.headers.get("HX-Request"):
        # htmx opens a subtree in place on the organisation page: only the units under this one.
        response = render(request, "core/_unit_tree.html", {"nodes": children})
    else:
        context = {
            "unit": unit,
            "ancestors": queries.ancestors_of(unit),
            "children": children,
            "members": queries.members_of(person, unit),
            "level_name": person.municipality.level_name(unit.depth),
        }
        response = render(request, "core/unit_detail.html", context)
    # The same URL answers with a whole page or a fragment; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@person_required
@require_GET
def me(request: PersonRequest) -> HttpResponse:
    person = request.person
    assignments = queries.roles_of_person(person)
    memberships = queries.memberships_of_person(person)
    return render(request, "core/me.html", {"assignments": assignments, "memberships": memberships})


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer's liveness check: 200 when the database answers and is migrated,
    503 with a short reason otherwise. Gives up within about a second (core/health.py)."""
    return _health_answer(health_check.problem(write=False))


@require_GET
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: as /sundhed/, and the database also takes a write."""
    return _health_answer(health_check.problem(write=True))


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    """An internal system: no search engine should list any of it (base.html also says noindex)."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain; charset=utf-8")


def _health_answer(reason: str) -> HttpResponse:
    response = JsonResponse(
        {"status": "error", "reason": reason} if reason else {"status": "ok"}, status=503 if reason else 200
    )
    response["Cache-Control"] = "no-store"
    return response


PEOPLE_PER_PAGE = 50

# --- Administration ------------------------------------------------------------------------


@admin_required
@require_GET
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/admin_home.html")


@admin_required
@require_http_methods(["GET", "POST"])
def admin_settings(request: PersonRequest) -> HttpResponse:
    person = request.person
    # A copy: validating a ModelForm writes the typed values onto its instance, and the
    # request's municipality must not show a refused value (e.g. in the footer's link).
    form = MunicipalitySettingsForm(request.POST or None, instance=copy.copy(person.municipality))
    if request.method == "POST" and form.is_valid():
        actions.update_municipality_settings(
            actor=person,
            level_names=form.cleaned_data["level_names_text"],
            accessibility_statement_url=form.cleaned_data["accessibility_statement_url"],
            k_min=form.cleaned_data["k_min"],
        )
        messages.success(request, _("Indstillingerne er gemt."))
        return redirect("core:admin_settings")
    return render(request, "core/admin_settings.html", {"form": form})


@admin_required
@require_GET
def admin_people(request: PersonRequest) -> HttpResponse:
    person = request.person
    filters = PeopleFilterForm(request.GET, person=person, page_url=request.path)
    if not filters.is_valid():
        # Only a forged value gets here (an unknown role, a unit of another municipality).
        access.deny()
    wanted = filters.cleaned_data
    people = queries.people_list_for_admin(
        person, search=wanted["q"].strip(), unit=wanted["enhed"], role=wanted["rolle"]
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("side"))
    kept = {key: value for key, value in (("q", wanted["q"].strip()), ("rolle", wanted["rolle"])) if value}
    if wanted["enhed"] is not None:
        kept["enhed"] = wanted["enhed"].pk
    context = {
        "page": page,
        "filters": filters,
        "query": urlencode(kept),
        "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "filtered": bool(kept),
    }
    return render(request, "core/admin_people.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def admin_person(request: PersonRequest, pk: int) -> HttpResponse:
    actor = request.person
    target = queries.get_person_for_admin(actor, pk)
    held = {(a.role, a.unit_id) for a in target.role_assignments.all()}
    here = reverse("core:admin_person", args=[target.pk])
    searching = request.method == "POST" and unit_picker.is_search(request.POST, "unit")
    bound = request.POST if request.method == "POST" and not searching else None
    if bound is not None and (repeat := submission.repeat_of(request, municipality=actor.municipality)):
        return submission.answer_repeat(request, repeat, fallback=here)
    form = GrantRoleForm(
        bound,
        # "Søg" only looks units up: the role chosen so far is kept, nothing is checked or saved.
        initial={"role": request.POST.get("role", "")} if searching else None,
        person=actor,
        picker_data=request.POST if request.method == "POST" else request.GET,
        page_url=request.path,
        held=held,
    )
    if bound is not None and form.is_valid():
        try:
            with submission.once(form, municipality=actor.municipality) as spent:
                actions.grant_role(
                    actor=actor, person=target, role=form.cleaned_data["role"], unit=form.cleaned_data["unit"]
                )
                spent.result_url = here
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback=here)
        messages.success(request, _("Rollen er tildelt."))
        return redirect(here)
    return render(request, "core/admin_person.html", {"target": target, "form": form})


@admin_required
@require_POST
def admin_revoke_role(request: PersonRequest, pk: int, assignment_pk: int) -> HttpResponse:
    actor = request.person
    target = queries.get_person_for_admin(actor, pk)
    assignment = queries.get_role_assignment_for_admin(actor, target, assignment_pk)
    try:
        actions.revoke_role(actor=actor, assignment=assignment)
    except actions.LastAdministratorError:
        messages.error(request, _("Rollen kan ikke fjernes: kommunen skal have mindst én administrator."))
    else:
        messages.success(request, _("Rollen er fjernet."))
        access.forget_roles(actor)
        if not access.is_admin(actor):
            # The administrator removed their own last admin role: the person page is no
            # longer theirs to see.
            return redirect("core:home")
    return redirect("core:admin_person", pk=target.pk)
