"""The name check for anonymous texts: which names it finds, which words it leaves alone, and the
roster it reads from the municipality (in memory only)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from forankring.core.models import Person, Unit
from forankring.privacy import roster
from forankring.privacy.names import DATA_DIR, NameIndex, common_index, find_names, mask_name

# A small roster, as roster.index_for builds it from the database.
ROSTER = common_index().with_roster(
    people=["Xenia Quistgaard", "Bo Lund", "Rose Vang", "Ahmad Rezaei", "Tina Teamleder"],
    not_persons=["Team Sol", "Plejecenter Karen Jensen", "Børnehuset Ida Holm", "Sofia"],
)


def names(text: str, index: NameIndex = ROSTER) -> list[str]:
    return [text[f.start : f.end] for f in find_names(text, index)]


MUST_WARN = [
    # A first name and a surname (common lists).
    ("Min leder Karen Jensen siger, at vi ikke må bruge AI.", "Karen Jensen"),
    ("Karen Jensen sagde det på mødet.", "Karen Jensen"),
    ("Jeg har talt med Lars Nielsen om det.", "Lars Nielsen"),
    ("Spørg Mette Sørensen, hun ved det.", "Mette Sørensen"),
    ("Anne-Marie Bach Sørensen bruger ChatGPT til alt.", "Anne-Marie Bach Sørensen"),
    ("Det var Jens P. Hansen, der bestemte det.", "Jens P. Hansen"),
    ("Hele teamet ved, at Karen Jensens notater ender i Copilot.", "Karen Jensens"),
    ("«Søren Kristensen» skrev referatet.", "Søren Kristensen"),
    ("Mohammed Ali og jeg er uenige om piloten.", "Mohammed Ali"),
    ("Vi fik besked fra Fatima Hassan i går.", "Fatima Hassan"),
    ("Vi talte med Rose Holm om vagtplanen.", "Rose Holm"),
    ("Sammen med Bo Jensen lavede vi en prompt.", "Bo Jensen"),
    ("Bo Jensen bruger sin private konto.", "Bo Jensen"),
    ("Ida Skovgaard-Nielsen deler skærm med borgere.", "Ida Skovgaard-Nielsen"),
    # The roster: names only the municipality knows.
    ("Xenia Quistgaard har lagt borgerdata i en chatbot.", "Xenia Quistgaard"),
    ("Vi ved, at Ahmad Rezaei ikke har fået kurset.", "Ahmad Rezaei"),
    ("Bo Lund sagde, vi skulle lade være.", "Bo Lund"),
    ("Rose Vang er vores nye leder.", "Rose Vang"),
    ("Tina Teamleder bestemmer det alene.", "Tina Teamleder"),
    # A role word and a first name.
    ("pædagog Karen har brugt AI til forældrebreve.", "Karen"),
    ("Min leder Jens siger, at det er i orden.", "Jens"),
    ("kollegaen Fatima har ikke fået oplæring.", "Fatima"),
    ("Pædagogen Mette skrev statusnotatet med AI.", "Mette"),
    ("Vores teamleder Tina vil ikke lytte.", "Tina"),
    ("Sygeplejersken Lone brugte en app til journalen.", "Lone"),
    ("Jeg synes, at kollegaen Xenia gør det godt.", "Xenia"),
    ("Afdelingslederen Ole har sagt nej.", "Ole"),
    ("Vikaren Sara vidste ikke, hvad reglerne var.", "Sara"),
    ("Vores TR Bent var med til mødet.", "Bent"),
    ("borgeren Maja fik et brev skrevet af AI.", "Maja"),
    # A word-like name made a name by its role word.
    ("Min kollega Bo har fundet en god prompt.", "Bo"),
    ("pædagog Rose er bekymret.", "Rose"),
    ("Lederen Holm er ikke et navn, vi kender, men kollega Storm er.", "Storm"),
    # Several names.
    ("Karen Jensen og Lars Nielsen er uenige.", "Karen Jensen"),
]

MUST_NOT_WARN = [
    "Spørg Karen om det.",  # a first name alone
    "Jens mener, at vi skal have et kursus.",
    "Bo i Aarhus er dyrt.",  # a word at the start of a sentence
    "Rose Holm er en plante i haven.",  # both words are also words, at the start of a sentence
    "Holm Skov ligger ved Grenaa.",
    "Sol og regn hele ugen.",
    "Vi holder møde i Team Sol på fredag.",  # a unit
    "Plejecenter Karen Jensen har fået nye tablets.",  # a unit named after a person
    "Børnehuset Ida Holm bruger ikke AI.",
    "Vi bruger ChatGPT og Microsoft Copilot.",  # tools
    "Karen Blixens Vej er lukket.",  # a street
    "Mødet er på Niels Bohrs Allé.",
    "H.C. Andersen Skolen har fået ny ledelse.",
    "Jens Hansens Plads er ryddet.",
    "Lederen sagde, at alle skal på kursus.",  # role words without names
    "Min leder siger, vi skal bruge Copilot.",
    "Pædagogen har skrevet et godt notat.",
    "Leder. Karen er ikke en rolle her.",  # a sentence between the role and the name
    "Borgeren bor i Aarhus og har ingen pårørende.",
    "Vi har talt med en kollega i Odense.",
    "Vores leder i Randers bruger Teams.",
    "karen jensen skrev det uden store bogstaver.",  # no capitals: not checked
    "Referatet fra MED-udvalget er klar.",
    "Teamet i hjemmeplejen har afprøvet sprogmodeller.",
    "Hvad siger Datatilsynet om Copilot?",
    "AI-kompasset blev vedtaget i Byrådet.",
    "Vi bruger Aula og Momo hver dag.",
    "Sofia er ikke en kollega, men et mødelokale.",
    "Kontakt Sofia Lokale 2, hvis I skal bruge projektor.",  # a roster non-person
    "Mark Skov er et sted, hvor vi går tur.",
    "Storm Vinter var hård.",
    "Frank Lund fortalte intet.",  # all word-like, at sentence start: read as words
]


@pytest.mark.parametrize(("text", "name"), MUST_WARN, ids=[t[:40] for t, _ in MUST_WARN])
def test_it_finds_names_of_persons(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", MUST_NOT_WARN, ids=[t[:40] for t in MUST_NOT_WARN])
def test_it_leaves_words_that_are_not_persons_alone(text: str) -> None:
    assert names(text) == []


def test_it_has_large_enough_tables() -> None:
    assert len(MUST_WARN) >= 30
    assert len(MUST_NOT_WARN) >= 30


def test_it_needs_the_roster_for_names_only_the_municipality_knows() -> None:
    text = "Xenia Quistgaard har lagt borgerdata i en chatbot."
    assert names(text, common_index()) == []
    assert names(text) == ["Xenia Quistgaard"]


def test_it_masks_each_word_to_its_initial() -> None:
    (finding,) = find_names("Min leder Karen Jensen siger nej.", ROSTER)
    assert finding.masked == "K… J…"
    assert mask_name(["Anne-Marie", "Bach", "Sørensen"]) == "A… B… S…"
    assert "Karen" not in repr(finding) and "K…" not in repr(finding)


def test_it_has_no_field_for_the_raw_name() -> None:
    assert {f.name for f in dataclasses.fields(find_names("Karen Jensen", ROSTER)[0])} == {"masked", "start", "end"}


def test_it_reports_each_name_once_in_text_order() -> None:
    text = "Karen Jensen og pædagog Lars Nielsen og Karen Jensen igen."
    found = find_names(text, ROSTER)
    assert [text[f.start : f.end] for f in found] == ["Karen Jensen", "Lars Nielsen", "Karen Jensen"]


def test_it_ships_name_lists_with_their_source() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "Danmarks Statistik" in readme and "licen" in readme
    index = common_index()
    assert len(index.first_names) > 300 and len(index.surnames) > 200
    assert {"karen", "jens", "fatima"} <= index.first_names
    assert {"jensen", "nielsen", "hansen"} <= index.surnames
    # A first name that is also listed as a non-person would never be found.
    assert not index.first_names & {phrase for phrases in index.not_persons.values() for phrase in phrases}


# --- The roster from the database ------------------------------------------------------------


@pytest.fixture
def fresh_roster():
    roster.invalidate()
    yield
    roster.invalidate()


def test_it_reads_the_municipality_roster_and_units(personas, fresh_roster) -> None:
    index = roster.index_for(personas.municipality.pk)
    assert names("Erik Medarbejder har delt sin skærm.", index) == ["Erik Medarbejder"]
    # Another municipality's people are not in it.
    assert names("Ulla Udefra har delt sin skærm.", index) == []
    assert names("Ulla Udefra har delt sin skærm.", roster.index_for(personas.outsider.municipality_id)) == [
        "Ulla Udefra"
    ]


def test_it_keeps_the_roster_in_memory_and_checks_its_version_cheaply(
    personas, fresh_roster, django_assert_max_num_queries
) -> None:
    m = personas.municipality
    first = roster.index_for(m.pk)
    with django_assert_max_num_queries(2):  # the version check only
        assert roster.index_for(m.pk) is first


def test_it_sees_a_new_person_and_a_bulk_import_at_once(personas, fresh_roster) -> None:
    m = personas.municipality
    text = "Zelda Wirkkala har brugt AI til en afgørelse."
    assert names(text, roster.index_for(m.pk)) == []
    Person.objects.create(municipality=m, name="Zelda Wirkkala")
    assert names(text, roster.index_for(m.pk)) == ["Zelda Wirkkala"]
    # bulk_create sends no signals; the version query still notices.
    Person.objects.bulk_create([Person(municipality=m, name="Quentin Øby")])
    assert names("Quentin Øby sagde nej.", roster.index_for(m.pk)) == ["Quentin Øby"]


def test_it_sees_a_renamed_person_and_a_new_unit(personas, fresh_roster) -> None:
    m = personas.municipality
    person = personas.employee
    roster.index_for(m.pk)
    person.name = "Yrsa Thorvaldsdottir"
    person.save()
    assert names("Yrsa Thorvaldsdottir sagde nej.", roster.index_for(m.pk)) == ["Yrsa Thorvaldsdottir"]
    Unit.objects.create_in_tree(municipality=m, name="Karen Jensen Huset", parent=personas.root)
    assert names("Vi arbejder i Karen Jensen Huset.", roster.index_for(m.pk)) == []


def test_it_takes_non_person_words_from_registered_sources(personas, fresh_roster) -> None:
    text = "Vi har prøvet Karen Jensen Assistent i en uge."

    def tools(municipality_id: int) -> list[str]:
        return ["Karen Jensen Assistent"] if municipality_id == personas.municipality.pk else []

    assert names(text, roster.index_for(personas.municipality.pk)) == ["Karen Jensen"]
    roster.register_non_person_source(tools)
    try:
        assert names(text, roster.index_for(personas.municipality.pk)) == []
    finally:
        roster._sources.remove(tools)
        roster.invalidate()


def test_it_writes_no_name_anywhere(personas, fresh_roster, django_assert_max_num_queries) -> None:
    # Building the index only reads: two version aggregates, the people, the units, and one read
    # per registered source of non-person words (track 1's tool register).
    with django_assert_max_num_queries(4 + len(roster._sources)) as queries:
        roster.index_for(personas.municipality.pk)
    # PostgreSQL reads a large result through a server-side cursor ("DECLARE … CURSOR FOR SELECT").
    reads = [re.sub(r"^DECLARE .*? CURSOR FOR ", "", q["sql"].lstrip(), flags=re.I) for q in queries.captured_queries]
    assert all(sql.upper().startswith("SELECT") for sql in reads), [sql[:80] for sql in reads]
