"""Exports: one rule against spreadsheet formulas for every file, a round trip that changes
nothing, no copy in any cache, and rows streamed as they are read."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from forankring.core import actions, exports, orgfile, queries
from forankring.core.models import Membership, Person, Role
from tests.core.orgdata import make_rows, snapshot, to_csv
from tests.core.test_org_import_views import confirm, token_of, upload
from tests.factories import make_person

HOSTILE = ["=1+1", "+45 1234", "-2", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1", "  @x", "\tTekst", "\rTekst"]
HARMLESS = ["Mette", "'t Hooft", "", "1-2", "a=b", "Team @ home", "'"]


@pytest.mark.parametrize("value", HOSTILE)
def test_it_neutralises_every_formula_start_and_restores_it_exactly(value):
    assert exports.neutralise(value) == "'" + value
    assert exports.restore(exports.neutralise(value)) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_it_leaves_harmless_text_alone_both_ways(value):
    assert exports.neutralise(value) == value
    assert exports.restore(value) == value


def _csv_rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(raw), delimiter=";"))


def test_every_csv_export_neutralises_the_same_way(client_for, personas):
    """The organisation CSV once let TAB and CR through while the log caught them."""
    client = client_for("admin")
    for n, name in enumerate(HOSTILE):
        person = make_person(personas.municipality, name, employee_id=f"90{n}")
        person.memberships.create(municipality=personas.municipality, unit=personas.team)
        actions.grant_role(actor=personas.admin, person=person, role=Role.IT, unit=personas.team)
    org_names = {row[1] for row in _csv_rows(client.get(reverse("core:admin_export", args=["csv"])))}
    log_names = {row[7] for row in _csv_rows(client.get(reverse("core:admin_audit_export")))}
    for name in HOSTILE:
        assert exports.neutralise(name) in org_names
        assert exports.neutralise(name) in log_names


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_imports_its_own_export_of_formula_like_values_to_no_change(client_for, personas, fmt):
    """Today "=X" came back from the XLSX as "'=X"."""
    client = client_for("admin")
    rows = make_rows(20)
    rows[3][1] = "=Navn(1)"
    rows[4][4] = "-Leder"
    rows[5][5] = "@Område"
    confirm(client, token_of(upload(client, to_csv(rows))))
    assert Person.objects.filter(municipality=personas.municipality, name="=Navn(1)").exists()
    before = snapshot(personas.municipality)
    response = client.get(reverse("core:admin_export", args=[fmt]))
    data = b"".join(response.streaming_content)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        cell = next(c for c in sheet["B"] if c.value == "=Navn(1)")
        assert cell.data_type == "s"
    html = upload(client, data, f"eksport.{fmt}").content.decode()
    assert "Intet at ændre" in html
    assert snapshot(personas.municipality) == before


@pytest.mark.parametrize(
    "url",
    [
        reverse("core:admin_export", args=["csv"]),
        reverse("core:admin_export", args=["xlsx"]),
        reverse("core:admin_audit_export"),
    ],
)
def test_every_export_with_personal_data_is_kept_in_no_cache(client_for, url):
    response = client_for("admin").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.streaming


def test_it_reads_the_organisation_for_an_export_in_two_queries_whatever_its_size(personas):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries_made:
            data = b"".join(queries.export_organisation(personas.admin, "csv"))
        assert data.startswith(b"\xef\xbb\xbf")
        return len(queries_made)

    small = count()
    orgfile_rows = make_rows(300)
    parsed = orgfile.parse(to_csv(orgfile_rows), "a.csv", existing_roots=queries.root_unit_names(personas.admin))
    actions.import_organisation(actor=personas.admin, rows=parsed.rows, source_name="a.csv")
    assert count() == small


def test_it_writes_the_csv_in_pieces_as_the_rows_come():
    lines = ([str(n), "x"] for n in range(exports.CSV_LINES_PER_CHUNK * 3))
    pieces = list(exports.csv_chunks(lines))
    assert len(pieces) == 3
    assert b"".join(pieces).count(b"\r\n") == exports.CSV_LINES_PER_CHUNK * 3


def _add_people(personas, first: int, count: int) -> None:
    people = Person.objects.bulk_create(
        Person(municipality=personas.municipality, employee_id=str(first + n), name=f"Ansat {first + n}")
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(municipality=personas.municipality, person=person, unit=personas.team) for person in people
    )


def _peak_while_streaming(personas, fmt: str) -> int:
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in queries.export_organisation(personas.admin, fmt))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert size > 0
    return peak


def test_it_streams_the_organisation_export_in_flat_memory(personas):
    """Four times the people, about the same memory: rows are written as they are read. (The
    XLSX, slow under tracemalloc, is measured by benchmarks/export_stream.py: 45,000 people.)"""
    _add_people(personas, 500_000, 2_500)
    small = _peak_while_streaming(personas, "csv")
    _add_people(personas, 600_000, 7_500)
    large = _peak_while_streaming(personas, "csv")
    assert large < small * 1.5, f"{small / 1e6:.1f} MB for 2,500 people, {large / 1e6:.1f} MB for 10,000"
