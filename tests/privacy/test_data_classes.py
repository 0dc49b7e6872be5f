"""Data classes and tool tiers as data, and the "Data og værktøjer" page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forankring.core.actions import create_municipality
from forankring.privacy.data_classes import (
    DEFAULT_ALLOWANCES,
    DEFAULT_DATA_CLASSES,
    DEFAULT_TOOL_TIERS,
    ensure_default_data_classes,
    is_allowed,
)
from forankring.privacy.models import DataClass, TierAllowance, ToolTier

PAGE = reverse("privacy:data_tools")


@pytest.fixture
def seeded(personas):
    ensure_default_data_classes(personas.municipality)
    return personas


def test_it_seeds_seven_data_classes_four_tiers_and_every_pair(seeded):
    m = seeded.municipality
    assert list(DataClass.objects.filter(municipality=m).values_list("key", flat=True)) == [
        "public",
        "internal",
        "personal",
        "cpr",
        "sensitive",
        "criminal",
        "confidential",
    ]
    assert list(ToolTier.objects.filter(municipality=m).values_list("key", flat=True)) == [
        "consumer",
        "enterprise",
        "municipal",
        "built_in",
    ]
    assert TierAllowance.objects.filter(municipality=m).count() == 28
    assert len(DEFAULT_ALLOWANCES) == len(DEFAULT_DATA_CLASSES) * len(DEFAULT_TOOL_TIERS)


def test_it_seeds_again_without_duplicating_or_overwriting(seeded):
    m = seeded.municipality
    TierAllowance.objects.filter(municipality=m, data_class__key="personal", tool_tier__key="municipal").update(
        state=TierAllowance.State.NOT_ALLOWED, note="Ikke hos os."
    )
    ensure_default_data_classes(m)
    assert TierAllowance.objects.filter(municipality=m).count() == 28
    assert not is_allowed(m, "personal", "municipal")


def test_it_allows_only_public_data_in_public_tools(seeded):
    m = seeded.municipality
    allowed = [d.key for d in DEFAULT_DATA_CLASSES if is_allowed(m, d.key, "consumer")]
    assert allowed == ["public"]
    assert is_allowed(m, "personal", "enterprise")
    assert not is_allowed(m, "cpr", "enterprise")
    assert is_allowed(m, "sensitive", "built_in")
    # "Only if" is not a plain yes: whoever asks must check the condition.
    assert not is_allowed(m, "sensitive", "municipal")
    assert (
        TierAllowance.objects.get(municipality=m, data_class__key="sensitive", tool_tier__key="municipal").state
        == TierAllowance.State.ONLY_IF
    )


def test_it_fails_closed_for_what_nobody_has_decided(seeded):
    m = seeded.municipality
    assert not is_allowed(m, "no-such-class", "consumer")
    assert not is_allowed(m, "public", "no-such-tier")
    TierAllowance.objects.filter(municipality=m, data_class__key="public", tool_tier__key="consumer").delete()
    assert not is_allowed(m, "public", "consumer")


def test_it_keeps_each_municipality_to_its_own_compass(seeded):
    other = seeded.other_municipality
    assert not is_allowed(other, "public", "consumer")  # not seeded for Andenkommune
    ensure_default_data_classes(other)
    TierAllowance.objects.filter(municipality=other).update(state=TierAllowance.State.NOT_ALLOWED)
    assert is_allowed(seeded.municipality, "public", "consumer")


def test_it_seeds_a_new_municipality(db):
    municipality, _admin = create_municipality(
        name="Nyby Kommune", slug="nyby", root_unit_name="Direktionen", admin_name="Nina Ny", admin_username="nina"
    )
    assert is_allowed(municipality, "public", "consumer")
    assert DataClass.objects.filter(municipality=municipality).count() == 7


def test_it_shows_the_matrix_in_words_not_only_colour(seeded, client_for):
    page = client_for("employee").get(PAGE).content.decode()
    assert "<h1>Data og værktøjer</h1>" in page
    assert '<h3 class="h4">CPR-numre</h3>' in page
    assert "<dt>Offentlige AI-tjenester</dt>" in page
    states = [state for state, _ in DEFAULT_ALLOWANCES.values()]
    assert page.count("</span>Ikke tilladt</strong>") == states.count("not_allowed")
    assert page.count("</span>Kun hvis …</strong>") == states.count("only_if") > 0
    assert page.count("</span>Tilladt</strong>") == states.count("allowed")
    assert "CPR-numre hører hjemme i fagsystemerne." in page
    # The legal words are explained where they appear.
    assert "<dt>Hjemmel</dt>" in page and "<dt>Konsekvensanalyse (DPIA)</dt>" in page


def test_it_shows_the_seeded_texts_in_english_to_an_english_reader(seeded, client_for):
    client = client_for("employee")
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(PAGE).content.decode()
    assert '<h3 class="h4">CPR numbers</h3>' in page
    assert "CPR numbers belong in the specialist systems." in page
    assert "CPR-numre hører hjemme" not in page
    # A municipality's own Danish text without an English twin falls back to the Danish.
    DataClass.objects.filter(municipality=seeded.municipality, key="cpr").update(name="Personnumre", name_en="")
    assert '<h3 class="h4">Personnumre</h3>' in client.get(PAGE).content.decode()


def test_it_says_so_when_nothing_is_described_yet(personas, client_for):
    page = client_for("employee").get(PAGE).content.decode()
    assert "Kommunen har endnu ikke beskrevet" in page


def test_it_shows_only_the_own_municipalitys_matrix(seeded, client_for):
    ensure_default_data_classes(seeded.other_municipality)
    DataClass.objects.filter(municipality=seeded.other_municipality, key="cpr").update(name="Andenkommunes CPR")
    page = client_for("employee").get(PAGE).content.decode()
    assert "Andenkommunes CPR" not in page
    assert page.count('<li class="app-data-card">') == 7


def test_it_keeps_the_matrix_query_count_stable(seeded, client_for, assert_num_queries_stable):
    def grow():
        m = seeded.municipality
        tier = ToolTier.objects.create(municipality=m, key="local", name="Lokal model", position=9)
        extra = DataClass.objects.create(municipality=m, key="extra", name="Ekstra", sensitivity=9)
        TierAllowance.objects.create(municipality=m, data_class=extra, tool_tier=tier, state="allowed")

    assert_num_queries_stable(client_for("employee"), PAGE, grow)
