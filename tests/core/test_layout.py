"""The shared layout (base.html): what every page carries in its header, head and footer."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from forankring.core import tracks
from tests.factories import Personas

INSTALLATION_STATEMENT = "https://was.digst.dk/installationens-erklaering"
MUNICIPALITY_STATEMENT = "https://was.digst.dk/testkommune"


def statement_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" class="function-link">Tilgængelighedserklæring</a>', html)


def test_it_links_to_the_installations_accessibility_statement_where_no_municipality_is_known(db, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = INSTALLATION_STATEMENT
    client = Client()
    for url in (reverse("core:login"), reverse("core:about")):
        assert statement_links(client.get(url).content.decode()) == [INSTALLATION_STATEMENT], url


def test_it_links_to_the_municipalitys_own_statement_once_signed_in(client_for, personas: Personas, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = INSTALLATION_STATEMENT
    personas.municipality.accessibility_statement_url = MUNICIPALITY_STATEMENT
    personas.municipality.save(update_fields=["accessibility_statement_url"])
    html = client_for("employee").get(reverse("core:about")).content.decode()
    assert statement_links(html) == [MUNICIPALITY_STATEMENT]


def test_it_falls_back_to_the_installations_statement_for_a_municipality_without_one(
    client_for, personas: Personas, settings
):
    settings.ACCESSIBILITY_STATEMENT_URL = INSTALLATION_STATEMENT
    personas.municipality.accessibility_statement_url = ""
    personas.municipality.save(update_fields=["accessibility_statement_url"])
    assert statement_links(client_for("employee").get(reverse("core:home")).content.decode()) == [
        INSTALLATION_STATEMENT
    ]


def test_it_shows_no_empty_statement_link_when_none_is_configured(db, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    assert "Tilgængelighedserklæring" not in Client().get(reverse("core:login")).content.decode()


def test_it_links_the_name_in_the_header_to_the_persons_own_page(client_for, personas: Personas):
    me = reverse("core:me")
    html = client_for("employee").get(reverse("core:home")).content.decode()
    link = re.search(r'<a href="([^"]*)" class="app-user-link"[^>]*>(.*?)</a>', html)
    assert link is not None
    assert link.group(1) == me
    assert personas.employee.name in link.group(2)
    assert "Mine oplysninger" in link.group(2)  # the hidden words that say where the link goes
    on_own_page = client_for("employee").get(me).content.decode()
    assert f'<a href="{me}" class="app-user-link" aria-current="page">' in on_own_page


def test_it_marks_the_tracks_that_are_not_built_yet_on_the_home_page(client_for, personas: Personas):
    page = client_for("employee").get(reverse("core:home")).content.decode()
    cards = page.split('class="app-tracks')[1].split("</ul>")[0].split("<li>")[1:]
    assert len(cards) == len(tracks.TRACKS)
    for track, card in zip(tracks.TRACKS, cards, strict=True):
        assert ("Kommer snart" in card) == (not track.has_page), track.key
