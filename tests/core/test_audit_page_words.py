"""The log page in words an administrator who is no developer understands."""

from __future__ import annotations

from django.urls import reverse

from forankring.core import audit
from tests.factories import Personas


def test_it_names_the_demo_datas_number_in_plain_words(client_for, personas: Personas):
    audit.record(
        municipality=personas.municipality,
        actor=None,
        action="demo.load",
        obj=personas.municipality,
        changes={"seed": 2026},
    )
    html = client_for("admin").get(reverse("core:admin_audit")).content.decode()
    assert "Demodata indlæst" in html
    assert "Demodatasæt nr.:</span>" in html
    assert "Seed" not in html and "Startværdi" not in html


def test_it_says_what_the_chain_check_does_and_who_can_run_it_nightly(client_for):
    html = client_for("admin").get(reverse("core:admin_audit")).content.decode()
    assert "tjekker, at ingen post er ændret, slettet eller sat ind bagefter" in html
    assert "Jeres it-drift kan også lade den køre af sig selv hver nat" in html
