"""Every URL × every persona, compared with the declared table in tests/access_table.py.

A URL pattern without a row in the table fails here: whoever adds a page decides who may see it.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern

from forankring.core.models import RoleAssignment
from tests.access_table import (
    ALL_PERSONAS,
    ANONYMOUS,
    IGNORED,
    LOGIN,
    ROUTES,
    ROUTES_BY_NAME,
    SIGNED_IN,
    Route,
    in_other_municipality,
)
from tests.factories import Personas


def walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> list[str]:
    """Every pattern's key: its namespaced URL name, or the view's dotted path if it has none."""
    keys: list[str] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            keys.extend(walk(entry.url_patterns, inner or ""))
        elif entry.name:
            keys.append(f"{namespace}:{entry.name}" if namespace else entry.name)
        else:
            keys.append(entry.lookup_str)
    return keys


def project_url_keys() -> list[str]:
    return walk(get_resolver().url_patterns)


def signed_in_client(personas: Personas, who: str) -> Client:
    client = Client()
    if who != ANONYMOUS:
        client.force_login(getattr(personas, who).user)
    return client


def describe(response: HttpResponseBase) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def matches(response: HttpResponseBase, expected: int | str, url: str) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(f"{reverse('core:login')}?next=")
    return response.status_code == expected


def body_of(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[arg-type]
    assert isinstance(response, HttpResponse)
    return response.content.decode(errors="replace")


def normalised(body: str, url: str) -> str:
    """A page with the per-request parts (CSRF tokens, the URL itself) blanked out."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', body)
    # The print line's "printed at" time (base.html) differs between any two requests.
    body = re.sub(r'<time datetime="[^"]*">[^<]*</time>', "<time></time>", body)
    return body.replace(url, "URL")


# --- The table covers the project ------------------------------------------------------------


def test_it_has_a_row_for_every_url_pattern():
    missing = [key for key in project_url_keys() if key not in ROUTES_BY_NAME and key not in IGNORED]
    assert not missing, (
        f"URL patterns without a row in tests/access_table.py: {missing}. "
        "Add a Route saying who may open each (see CONTRIBUTING.md, 'Add a page')."
    )


def test_it_has_no_rows_for_urls_that_do_not_exist():
    keys = set(project_url_keys())
    stale = [route.name for route in ROUTES if route.name not in keys]
    assert not stale, f"Rows in tests/access_table.py for URL names that no longer exist: {stale}"


def test_it_would_notice_the_oidc_urls_when_sign_in_with_oidc_is_switched_on():
    # The OIDC patterns are only mounted when a provider is configured, which the test settings
    # do not do; walk them anyway so a new one there is noticed too.
    oidc = URLResolver(RegexPattern(r"^/"), [path("oidc/", include("mozilla_django_oidc.urls"))])
    missing = [key for key in walk(oidc.url_patterns) if key not in ROUTES_BY_NAME and key not in IGNORED]
    assert not missing, f"OIDC URL patterns without a row or a reason to ignore them: {missing}"


def test_it_names_only_known_personas_in_the_table():
    unknown = {(route.name, who) for route in ROUTES for who in route.allowed if who not in ALL_PERSONAS}
    assert not unknown


def _unused_view(request):  # pragma: no cover - only routed, never called
    return HttpResponse()


def test_it_walks_nested_namespaced_and_unnamed_patterns():
    # If the walk missed a kind of pattern, the coverage test above would pass by not looking.
    nested: list[URLPattern | URLResolver] = [
        path("a/", _unused_view, name="plain"),
        path("b/", include(([path("c/", _unused_view, name="inner")], "ns"))),
        path("d/", _unused_view),
    ]
    assert walk(nested) == ["plain", "ns:inner", f"{__name__}._unused_view"]


# --- Every URL × every persona --------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_it_answers_every_persona_as_the_table_declares(route: Route, personas: Personas):
    wrong = []
    for who in ALL_PERSONAS:
        url = route.url(personas, who)
        response = signed_in_client(personas, who).get(url)
        expected = route.expected(who)
        if not matches(response, expected, url):
            wrong.append(f"  {who}: GET {url} gave {describe(response)}, the table says {expected}")
    assert not wrong, f"{route.name} does not match tests/access_table.py:\n" + "\n".join(wrong)


# --- Tenant isolation -----------------------------------------------------------------------

OBJECT_ROUTES = [route for route in ROUTES if route.is_object_url]


def test_it_has_object_urls_to_check():
    assert {r.name for r in OBJECT_ROUTES} >= {"core:unit_detail", "core:admin_person", "core:admin_revoke_role"}


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_it_answers_404_for_every_object_of_the_other_municipality(route: Route, personas: Personas):
    """The outsider against Testkommune's objects, and every Testkommune persona who may use the
    URL against Andenkommune's: the same 404 as for an id that does not exist."""
    method = "post" if route.kind == "post" else "get"
    checked = []
    for who in sorted(route.allowed & SIGNED_IN):
        client = signed_in_client(personas, who)
        foreign_url = route.foreign_url(personas, who)
        missing_url = route.missing_url(personas, who)
        foreign = getattr(client, method)(foreign_url)
        missing = getattr(client, method)(missing_url)
        assert foreign.status_code == 404, f"{who}: {method.upper()} {foreign_url} gave {describe(foreign)}"
        assert missing.status_code == 404, f"{who}: {method.upper()} {missing_url} gave {describe(missing)}"
        foreign_body = body_of(foreign)
        assert normalised(foreign_body, foreign_url) == normalised(body_of(missing), missing_url), (
            f"{who}: {foreign_url} answers differently from an id that does not exist, so ids can be probed"
        )
        assert route.foreign_name is not None
        assert route.foreign_name(personas, who) not in foreign_body
        checked.append(who)
    assert "outsider" in checked, "the outsider must be checked against Testkommune's objects"
    assert any(not in_other_municipality(who) for who in checked), "a Testkommune persona must be checked too"


def test_it_keeps_the_role_when_the_other_municipality_tries_to_revoke_it(personas: Personas):
    route = ROUTES_BY_NAME["core:admin_revoke_role"]
    before = RoleAssignment.objects.count()
    for who in ("admin", "outsider"):
        signed_in_client(personas, who).post(route.foreign_url(personas, who))
    assert RoleAssignment.objects.count() == before


def test_it_answers_404_for_a_person_paired_with_a_role_of_the_other_municipality(personas: Personas):
    # Own person, foreign assignment: the assignment must be looked up inside the municipality.
    outsider_role = RoleAssignment.objects.filter(person=personas.outsider).first()
    assert outsider_role is not None
    url = reverse("core:admin_revoke_role", kwargs={"pk": personas.employee.pk, "assignment_pk": outsider_role.pk})
    assert signed_in_client(personas, "admin").post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=outsider_role.pk).exists()


# Names that belong to one municipality only (unit names like "Direktionen" exist in both).
def _names_of_municipality(personas: Personas, *, other: bool) -> list[str]:
    if other:
        return [personas.other_municipality.name, personas.outsider.name]
    people = [getattr(personas, who).name for who in SIGNED_IN if not in_other_municipality(who)]
    return [personas.municipality.name, personas.team.name, personas.institution.name, *people]


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kind != "post"], ids=lambda r: r.name)
def test_it_never_shows_names_from_the_other_municipality(route: Route, personas: Personas):
    leaks = []
    for who in sorted(route.allowed & SIGNED_IN):
        body = body_of(signed_in_client(personas, who).get(route.url(personas, who)))
        for name in _names_of_municipality(personas, other=not in_other_municipality(who)):
            if name in body:
                leaks.append(f"  {who} sees {name!r} on {route.url(personas, who)}")
    assert not leaks, "\n".join(leaks)
