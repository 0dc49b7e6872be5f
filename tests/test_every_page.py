"""Every page, for every persona who may see it, in Danish and in English: the markup rules that
hold on all pages (one <h1>, a language, a title, a skip link, static files that exist, nothing
the Content-Security-Policy would refuse).

The pages come from tests/access_table.py, so a new page is checked here as soon as it has a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.db import connection, reset_queries
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.access_table import ANONYMOUS, Route, pages
from tests.factories import Personas, grow_organisation


@dataclass
class Page:
    """What the checks need from one HTML document."""

    html_lang: str | None = None
    title: str = ""
    tags_in_title: list[str] = field(default_factory=list)  # markup in the <title> is shown as text
    h1_count: int = 0
    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # every <a href>
    static_refs: list[str] = field(default_factory=list)  # every href/src (any tag) under STATIC_URL
    inline_scripts: int = 0
    style_elements: int = 0
    style_attributes: list[str] = field(default_factory=list)
    event_handlers: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        page = self.page
        if self._in_title:
            page.tags_in_title.append(tag)
        if tag == "html":
            page.html_lang = values.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            page.h1_count += 1
        elif tag == "script" and "src" not in values and values.get("type") != "application/json":
            # json_script's data blocks are not run, so the policy allows them.
            page.inline_scripts += 1
        elif tag == "style":
            page.style_elements += 1
        elif tag == "a" and "href" in values:
            page.links.append(values["href"])
        if "id" in values:
            page.ids.append(values["id"])
        if "style" in values:
            page.style_attributes.append(f"<{tag} style={values['style']!r}>")
        page.event_handlers += [f"<{tag} {name}>" for name in values if name.startswith("on")]
        for name in ("href", "src"):
            if values.get(name, "").startswith(settings.STATIC_URL):
                page.static_refs.append(values[name])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


def problems_with(html: str, *, language: str) -> list[str]:
    page = parse(html)
    found = []
    if page.html_lang != language:
        found.append(f'<html lang="{page.html_lang}">, expected "{language}"')
    if not page.title.strip() or page.title.strip().startswith("–"):
        found.append(f"the <title> is empty or starts with the separator: {page.title.strip()!r}")
    if page.tags_in_title:
        found.append(f"markup inside the <title>: {page.tags_in_title}")
    if page.h1_count != 1:
        found.append(f"{page.h1_count} <h1> elements, expected exactly one")
    if "#main-content" not in page.links:
        found.append("no skip link to #main-content")
    if "main-content" not in page.ids:
        found.append("no element with id main-content")
    duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
    if duplicates:
        found.append(f"duplicate ids: {duplicates}")
    for ref in page.static_refs:
        name = ref[len(settings.STATIC_URL) :].split("?")[0]
        if finders.find(name) is None:
            found.append(f"static file not found: {ref}")
    if page.inline_scripts:
        found.append(f"{page.inline_scripts} inline <script> (the Content-Security-Policy refuses them)")
    if page.style_elements:
        found.append(f"{page.style_elements} <style> elements (the Content-Security-Policy refuses them)")
    found += [f"inline style (refused by the Content-Security-Policy): {s}" for s in page.style_attributes]
    found += [f"inline event handler (refused by the Content-Security-Policy): {h}" for h in page.event_handlers]
    return found


def client_as(personas: Personas, who: str, *, language: str) -> Client:
    client = Client()
    if who != ANONYMOUS:
        client.force_login(getattr(personas, who).user)
    if language != settings.LANGUAGE_CODE:
        # Through the language switch itself, as a person would.
        response = client.post(reverse("set_language"), {"language": language, "next": "/"})
        assert response.status_code == 302
    return client


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("route", pages(), ids=lambda r: r.name)
def test_it_keeps_the_markup_rules_on_every_page(route: Route, language: str, personas: Personas):
    failures = []
    for who in sorted(route.allowed):
        url = route.url(personas, who)
        response = client_as(personas, who, language=language).get(url)
        if response.status_code != 200:
            failures.append(f"  {who}: GET {url} gave {response.status_code}")
            continue
        failures += [
            f"  {who}: {url}: {problem}" for problem in problems_with(response.content.decode(), language=language)
        ]
    assert not failures, f"{route.name} ({language}):\n" + "\n".join(failures)


@pytest.mark.parametrize("who", ["employee", ANONYMOUS])
def test_it_keeps_the_markup_rules_on_the_not_found_page(who: str, personas: Personas):
    response = client_as(personas, who, language="da").get("/findes-ikke/")
    assert response.status_code == 404
    assert problems_with(response.content.decode(), language="da") == []


def test_it_keeps_the_markup_rules_on_the_no_access_page(db):
    # Signed in, but a person in no municipality (an SSO user whose claims mapped to nothing).
    client = Client()
    client.force_login(User.objects.create_user(username="nobody"))
    response = client.get(reverse("core:home"))
    assert response.status_code == 403
    assert problems_with(response.content.decode(), language="da") == []


def test_it_finds_each_kind_of_markup_problem():
    # The checks above pass only if they can fail: one page with every problem they look for.
    html = """<!DOCTYPE html><html><head><title> – Forankring</title><title>A<h2>B</h2></title>
    <link rel="stylesheet" href="/static/findes/ikke.css"><script>alert(1)</script><style>p{}</style></head>
    <body><h1>En</h1><h1 id="x">To</h1><p id="x" style="color:red" onclick="go()">Tekst</p>
    <script type="application/json" id="data">{}</script></body></html>"""
    found = "\n".join(problems_with(html, language="da"))
    for expected in (
        '<html lang="None">',
        "<title> is empty",
        "markup inside the <title>: ['h2']",
        "2 <h1> elements",
        "no skip link",
        "no element with id main-content",
        "duplicate ids: ['x']",
        "static file not found: /static/findes/ikke.css",
        "1 inline <script>",
        "1 <style> elements",
        "inline style",
        "inline event handler",
    ):
        assert expected in found


def test_it_keeps_the_markup_rules_on_the_server_error_page():
    # A plain page without the layout (the database may be what failed), so no skip link.
    found = problems_with(loader.get_template("core/500.html").render(), language="da")
    assert [p for p in found if "main-content" not in p] == []


# --- Query counts --------------------------------------------------------------------------
#
# Every page's number of queries, pinned, for the persona named (the administrator where they
# may open the page, else the first allowed persona by name). A change here is a decision: say
# in the commit why a page needs a query more. The test below also holds every persona's count
# the same on a ten times larger organisation.
PINNED_QUERIES: dict[str, int] = {
    "core:login": 0,
    "core:about": 3,
    "core:home": 14,  # 4 of its own; the rest are the tracks' waiting items and home panels (core/tracks.py)
    "core:choose_municipality": 4,
    "core:overview": 3,
    "pilots:index": 13,
    "pilots:list": 7,
    "pilots:new": 7,
    "pilots:detail": 22,
    "pilots:edit": 15,
    "pilots:pulse": 7,
    "pilots:retro": 13,  # the board: pilot, its teams, roles, decision rights, board, groups, cards, dots, actions
    "core:workshops": 3,
    "core:organisation": 4,
    "core:me": 5,
    "core:unit_detail": 7,
    "core:admin_home": 3,
    "core:admin_settings": 3,
    "core:admin_people": 6,
    "core:admin_person": 6,
    "core:admin_import": 3,
    "core:admin_audit": 9,
    "privacy:concern_new": 5,
    "privacy:concern_list": 7,
    "privacy:data_tools": 6,
    "direction:index": 9,
    "direction:purpose_edit": 4,
    "direction:focus_areas": 6,
    "direction:compass": 8,
    "direction:compass_diff": 10,
    "direction:coverage": 8,
    "direction:compass_detail": 10,
    "direction:compass_edit": 6,
    "direction:tools": 5,
    "direction:tool_new": 5,
    "direction:tool_detail": 5,
    "direction:tool_edit": 7,
    "direction:data_rules": 10,
    "direction:data_names": 5,
    "direction:may_i_use": 7,
    "direction:decisions": 5,
    "direction:decision_new": 3,
    "direction:decision_edit": 4,
    "direction:concerns": 5,
    "direction:answered": 7,
    "direction:how_we_work": 14,
    "competence:index": 7,
    "competence:settings": 5,
    "competence:level_new": 3,
    "competence:level_edit": 4,
    "competence:activities": 8,
    "competence:activity_new": 7,
    "competence:activity_detail": 8,
    "competence:activity_edit": 10,
    "competence:activity_complete": 6,
    "competence:session_new": 8,
    "competence:session_detail": 7,
    "competence:session_edit": 6,
    "competence:mine": 6,
    "competence:register": 8,
    "competence:coverage": 8,
    "competence:mandatory": 6,
    "competence:tools": 9,
    "competence:paths": 7,
    "competence:prompts": 8,
    "competence:prompt_new": 5,
    "competence:prompt_detail": 5,
    "practice:index": 4,
    "practice:focus_areas": 8,
    "practice:use_cases": 11,
    "practice:use_case_new": 8,
    "practice:use_case_similar": 3,
    "practice:use_case": 18,
    "practice:use_case_edit": 15,
    "practice:ideas": 7,
    "practice:idea_new": 7,
    "practice:idea": 6,
    "practice:anonymous_idea": 5,
    "practice:lighthouses": 13,  # own units from the placements and roles; the areas without the tools
    "practice:lighthouse_remove": 8,  # the lighthouse, track 1's decision rights, the unanswered count
    "practice:lighthouse_ask": 4,
    "practice:lighthouse_questions": 5,
    "practice:lighthouse_question": 4,
    "practice:teams": 4,
    "practice:team": 5,
    "practice:team_kit": 9,
    "pilots:rollouts": 7,
    "pilots:rollout_new": 7,
    "pilots:rollout": 15,
    "pilots:rollout_owner": 7,
    "pilots:rollout_week": 5,
    "pilots:rollout_close": 4,
    "pilots:rollout_problem": 6,
    "notifications:list": 7,
    "notifications:preference": 4,
    "pilots:cards": 7,
    "pilots:card": 6,  # +2: track 1's decision rights (scale_or_stop), for the "Redigér" link
    "pilots:card_publish": 7,
    "pilots:card_edit": 6,
    "pilots:experiences": 10,
    "pilots:experience_new": 5,
    "pilots:celebrations": 7,
    "pilots:celebration_new": 8,
}


def _pinned_persona(route: Route) -> str:
    return "admin" if "admin" in route.allowed else sorted(route.allowed)[0]


def _query_counts(personas: Personas) -> dict[tuple[str, str], int]:
    counts = {}
    for route in pages():
        for who in sorted(route.allowed):
            client = client_as(personas, who, language="da")
            url = route.url(personas, who)
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, f"{who}: GET {url}"
            counts[(route.name, who)] = len(captured)
    return counts


def test_it_keeps_every_pages_query_count_pinned_and_flat_on_a_ten_times_larger_organisation(personas: Personas):
    # Some of everything first, so every page shows a list rather than its empty state (an empty
    # page needs no query for the rows it would show); then ten times as much.
    grow_organisation(personas, times=3)
    small = _query_counts(personas)
    grow_organisation(personas, times=10)
    large = _query_counts(personas)
    grew = [
        f"  {name} as {who}: {small[key]} -> {large[key]}"
        for key in small
        for name, who in [key]
        if small[key] != large[key]
    ]
    assert not grew, "queries that grow with the organisation:\n" + "\n".join(grew)
    pinned = {route.name: small[(route.name, _pinned_persona(route))] for route in pages()}
    assert pinned == PINNED_QUERIES, f"pinned query counts changed: {pinned}"
