"""The organisation file: reading and checking it (orgfile), importing it (actions), exporting it
(queries) and the two management commands."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from forankring.core import actions, orgfile, queries
from forankring.core.models import AuditEvent, Membership, Person, ProfessionalArea, Role, RoleAssignment, Unit
from tests.core.orgdata import HEADER, inject_bad_lines, make_rows, snapshot, to_csv, to_xlsx
from tests.factories import make_unit

ROOTS = ["Direktionen"]


def parse_csv(rows: list[list[str]], **kwargs) -> orgfile.ParseResult:
    return orgfile.parse(to_csv(rows, **kwargs), "ansatte.csv", existing_roots=ROOTS)


def one_row(**changes: str) -> list[str]:
    row = dict(
        zip(
            HEADER,
            ["1001", "Mette Jensen", "mette@kommune.example", "Direktionen / Center 1", "Pædagog", "Dagtilbud", "nej"],
            strict=True,
        )
    )
    row.update(changes)
    return [row[h] for h in HEADER]


def messages_of(result: orgfile.ParseResult) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in result.errors]


def import_file(personas, data: bytes, name: str = "ansatte.csv", actor=None) -> actions.ImportResult:
    parsed = orgfile.parse(data, name, existing_roots=queries.root_unit_names(personas.admin))
    assert parsed.ok, parsed.errors[:5]
    return actions.import_organisation(actor=actor or personas.admin, rows=parsed.rows, source_name=name)


# --- Reading -------------------------------------------------------------------------------


def test_it_reads_csv_from_danish_excel_with_semicolons_and_windows_characters():
    data = to_csv([one_row(navn="Åse Ørum Bækgaard")], bom=False, encoding="cp1252")
    result = orgfile.parse(data, "ansatte.csv", existing_roots=ROOTS)
    assert result.ok
    assert result.rows[0].name == "Åse Ørum Bækgaard"
    assert result.rows[0].unit_path == ("Direktionen", "Center 1")


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [True, False])
def test_it_reads_utf8_csv_with_any_common_separator_and_with_or_without_bom(delimiter, bom):
    result = parse_csv([one_row(navn="Søren Ærø"), one_row(medarbejdernummer="1002")], delimiter=delimiter, bom=bom)
    assert result.ok, result.errors
    assert [r.employee_id for r in result.rows] == ["1001", "1002"]
    assert result.rows[0].name == "Søren Ærø"


def test_it_reads_xlsx_and_turns_excel_numbers_back_into_employee_numbers():
    result = orgfile.parse(to_xlsx([one_row(leder="ja")]), "ansatte.xlsx", existing_roots=ROOTS)
    assert result.ok, result.errors
    assert result.rows[0].employee_id == "1001"
    assert result.rows[0].is_leader is True


def test_it_accepts_english_headers_in_any_order_and_case_and_ignores_extra_columns():
    header = ["Unit Path", " NAME ", "E-mail", "employee_id", "Leader", "job_title", "Professional_Area", "Løn"]
    row = ["Direktionen / Center 1", "Mette Jensen", "m@kommune.example", "1001", "yes", "Pædagog", "Dagtilbud", "99"]
    result = orgfile.parse(to_xlsx([row], header=header), "staff.xlsx", existing_roots=ROOTS)
    assert result.ok, result.errors
    assert result.rows[0] == orgfile.OrgRow(
        2, "1001", "Mette Jensen", "m@kommune.example", ("Direktionen", "Center 1"), "Pædagog", "Dagtilbud", True
    )


def test_it_names_every_missing_column_on_line_one():
    data = b"medarbejdernummer;navn;enhed\n1;A;Direktionen\n"
    result = orgfile.parse(data, "x.csv", existing_roots=ROOTS)
    assert not result.ok
    [error] = result.errors
    assert error.line == 1
    assert "email, stilling, fagområde, leder" in error.message


def test_it_refuses_an_old_xls_file_and_a_broken_xlsx_with_a_danish_reason():
    old = orgfile.parse(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "ansatte.xls")
    assert "Gamle Excel-filer (.xls)" in old.errors[0].message
    broken = orgfile.parse(b"PK\x03\x04 not really a zip", "ansatte.xlsx")
    assert "kan ikke læses som Excel-fil" in broken.errors[0].message


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.ORG_IMPORT_MAX_BYTES = 100
    result = orgfile.parse(to_csv([one_row()] * 5), "x.csv")
    assert [e.line for e in result.errors] == [0]
    assert "for stor" in result.errors[0].message


def test_it_refuses_more_lines_than_the_limit():
    data = to_csv([one_row(medarbejdernummer=str(i)) for i in range(11)])
    result = orgfile.read_table(data, "x.csv", max_rows=10)
    assert [e.line for e in result.errors] == [0]
    assert "mere end 10 linjer" in result.errors[0].message


def test_it_counts_blank_lines_so_line_numbers_match_excel():
    rows = [one_row(), ["", "", "", "", "", "", ""], one_row(medarbejdernummer="", navn="Uden Nummer")]
    result = parse_csv(rows)
    assert [(e.line, e.column) for e in result.errors] == [(4, "medarbejdernummer")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ja", True),
        ("JA", True),
        ("yes", True),
        ("1", True),
        ("x", True),
        ("nej", False),
        ("No", False),
        ("0", False),
        ("", False),
    ],
)
def test_it_reads_the_leader_column(value, expected):
    result = parse_csv([one_row(leder=value)])
    assert result.ok
    assert result.rows[0].is_leader is expected


def test_it_splits_unit_paths_on_a_slash_with_spaces_only():
    result = parse_csv([one_row(enhed="Direktionen /  Borgerservice / Pas/kørekort")])
    assert result.rows[0].unit_path == ("Direktionen", "Borgerservice", "Pas/kørekort")


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"medarbejdernummer": ""}, "medarbejdernummer", "Mangler medarbejdernummer."),
        ({"navn": "  "}, "navn", "Mangler navn."),
        ({"email": "ikke en mail"}, "email", "Ugyldig e-mail: ikke en mail"),
        ({"enhed": ""}, "enhed", "Mangler enhed."),
        ({"enhed": "Direktionen /  / Team"}, "enhed", "Enheden har et tomt niveau."),
        ({"leder": "måske"}, "leder", "Leder skal være ja eller nej"),
        ({"navn": "x" * 151}, "navn", "Feltet er for langt: 151 tegn. Der må højst være 150."),
        ({"fagområde": "y" * 101}, "fagområde", "Der må højst være 100."),
        ({"medarbejdernummer": "10 01"}, "medarbejdernummer", "må ikke indeholde mellemrum"),
        ({"enhed": "Direktionen / " + " / ".join(f"N{i}" for i in range(12))}, "enhed", "for mange niveauer"),
    ],
)
def test_it_explains_each_kind_of_bad_value_in_danish(changes, column, message):
    result = parse_csv([one_row(), one_row(**{"medarbejdernummer": "1002", **changes})])
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert [r.line for r in result.rows] == [2]


def test_it_masks_a_cpr_number_in_any_free_text_and_never_repeats_it():
    rows = [
        one_row(stilling="Pædagog 010190-1234"),
        one_row(medarbejdernummer="1002", navn="Anne 020291-2345"),
        one_row(medarbejdernummer="1003", enhed="Direktionen / Team 030392-3456"),
        one_row(medarbejdernummer="1004", fagområde="Dagtilbud 040493 4567"),
        one_row(medarbejdernummer="0505942345"),
    ]
    result = parse_csv(rows)
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "stilling"),
        (3, "navn"),
        (4, "enhed"),
        (5, "fagområde"),
        (6, "medarbejdernummer"),
    ]
    assert "ligner et CPR-nummer (010190-XXXX)" in result.errors[0].message
    everything = " ".join(e.message for e in result.errors)
    for tail in ("1234", "2345", "3456", "4567"):
        assert tail not in everything


def test_it_allows_one_person_on_several_lines_for_several_units():
    result = parse_csv([one_row(leder="ja"), one_row(enhed="Direktionen / Center 2", stilling="Konsulent")])
    assert result.ok
    assert [r.unit_path[-1] for r in result.rows] == ["Center 1", "Center 2"]


def test_it_reports_the_later_line_when_an_employee_number_repeats_wrongly():
    result = parse_csv(
        [
            one_row(),
            one_row(medarbejdernummer="1002"),
            one_row(stilling="Leder"),  # same person, same unit
            one_row(navn="En Anden", enhed="Direktionen / Center 2"),  # same number, another name
            one_row(email="anden@kommune.example", enhed="Direktionen / Center 3"),
        ]
    )
    assert messages_of(result) == [
        (4, "medarbejdernummer", "Medarbejdernummer 1001 står også på linje 2 med samme enhed."),
        (5, "medarbejdernummer", "Medarbejdernummer 1001 står også på linje 2 med et andet navn."),
        (6, "medarbejdernummer", "Medarbejdernummer 1001 står også på linje 2 med en anden e-mail."),
    ]


def test_it_refuses_a_file_whose_top_unit_is_not_the_municipalitys():
    result = parse_csv([one_row(enhed="Byrådet / Center 1")])
    assert [(e.line, e.column) for e in result.errors] == [(0, "enhed")]
    assert "kommunens øverste enhed hedder »Direktionen«" in result.errors[0].message
    assert result.rows == []


def test_it_refuses_lines_under_another_top_unit_than_the_rest_of_a_first_file():
    rows = [one_row(), one_row(medarbejdernummer="1002"), one_row(medarbejdernummer="1003", enhed="Andet / X")]
    result = orgfile.parse(to_csv(rows), "x.csv", existing_roots=[])
    assert [(e.line, e.column) for e in result.errors] == [(4, "enhed")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_reports_exactly_the_five_bad_lines_of_a_2000_line_file(fmt):
    rows, bad_lines = inject_bad_lines(make_rows(2000))
    data = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    result = orgfile.parse(data, f"ansatte.{fmt}", existing_roots=ROOTS)
    assert sorted({e.line for e in result.errors}) == bad_lines
    assert len(result.errors) == 5
    assert [e.column for e in result.errors] == ["medarbejdernummer", "email", "medarbejdernummer", "leder", "stilling"]
    assert "står også på linje 12" in result.errors[2].message
    assert "010190-XXXX" in result.errors[4].message


# --- Writing -------------------------------------------------------------------------------


def test_it_writes_csv_for_danish_excel_and_reads_it_back_the_same():
    rows = orgfile.validate([orgfile.Record(2, tuple(one_row(navn="Åse Ø")))], existing_roots=ROOTS)[0]
    data = orgfile.write_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf" + "medarbejdernummer;navn;email;enhed;stilling;fagområde;leder".encode())
    assert orgfile.parse(data, "x.csv", existing_roots=ROOTS).rows == rows


def test_it_escapes_a_formula_in_exported_csv_and_reads_it_back_as_it_was():
    row = orgfile.OrgRow(2, "1", "=cmd()", "", ("Direktionen", "@Team"), "\tx", "-2", False)
    data = orgfile.write_csv([row])
    line = data.decode("utf-8-sig").splitlines()[1]
    assert line == "1;'=cmd();;Direktionen / @Team;'\tx;'-2;nej"
    read = orgfile.read_table(data, "x.csv")
    assert read.records[0].values == ("1", "=cmd()", "", "Direktionen / @Team", "\tx", "-2", "nej")


def test_it_writes_xlsx_text_cells_as_text_never_as_formulas():
    row = orgfile.OrgRow(2, "1", "=cmd()", "", ("Direktionen",), "+45 1234", "", False)
    sheet = load_workbook(io.BytesIO(orgfile.write_xlsx([row]))).worksheets[0]
    assert sheet["B2"].value == "=cmd()"
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].quotePrefix  # Excel keeps it text when the cell is edited
    assert sheet["E2"].value == "+45 1234"
    assert sheet["E2"].data_type == "s"
    read = orgfile.read_table(orgfile.write_xlsx([row]), "x.xlsx")
    assert read.records[0].values[1] == "=cmd()"


# --- Importing -----------------------------------------------------------------------------


def test_it_refuses_the_bad_file_and_then_imports_it_fixed_and_a_second_time_changes_nothing(personas):
    good = make_rows(2000)
    bad, bad_lines = inject_bad_lines(good)
    before = snapshot(personas.municipality)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_organisation", "test", _write(bad, "csv"), stderr=err, stdout=io.StringIO())
    assert [int(n) for n in re.findall(r"^linje (\d+),", err.getvalue(), re.MULTILINE)] == bad_lines
    assert snapshot(personas.municipality) == before

    started = time.monotonic()
    first = import_file(personas, to_csv(good))
    elapsed = time.monotonic() - started
    assert first.created == 1952  # 2,000 lines, 48 people on two lines
    assert first.units_created == 5 + 20 + 60
    assert first.changed
    assert elapsed < 10, f"2,000 lines took {elapsed:.1f} s"
    assert Person.objects.filter(municipality=personas.municipality, employee_id__startswith="1").count() == 1952
    assert Membership.objects.filter(municipality=personas.municipality, person__employee_id="10039").count() == 2

    after_first = snapshot(personas.municipality)
    second = import_file(personas, to_xlsx(good), name="ansatte.xlsx")
    assert (second.created, second.updated, second.deactivated, second.unchanged) == (0, 0, 0, 1952)
    assert not second.changed
    assert snapshot(personas.municipality) == after_first


def test_it_creates_units_with_a_correct_tree_and_roles_from_the_file(personas):
    rows = [
        one_row(enhed="Direktionen / Center 1 / Team A", leder="ja"),
        one_row(medarbejdernummer="1002", navn="Bo Berg", enhed="Direktionen / Center 1 / Team A"),
    ]
    import_file(personas, to_csv(rows))
    team = Unit.objects.get(municipality=personas.municipality, name="Team A")
    centre = team.parent
    assert centre is not None and centre.parent == personas.root
    assert (centre.depth, team.depth) == (1, 2)
    assert centre.path == f"{personas.root.path}{centre.pk}/"
    assert team.path == f"{centre.path}{team.pk}/"
    leader = Person.objects.get(municipality=personas.municipality, employee_id="1001")
    assert sorted(leader.role_assignments.values_list("role", "unit__name", "source")) == [
        ("employee", "Team A", "import"),
        ("leader", "Team A", "import"),
    ]
    assert ProfessionalArea.objects.filter(municipality=personas.municipality, name="Dagtilbud").count() == 1


def test_it_deactivates_people_who_left_without_deleting_them_and_keeps_roles_given_by_hand(personas):
    rows = make_rows(200)
    import_file(personas, to_csv(rows))
    leaving = Person.objects.get(municipality=personas.municipality, employee_id=rows[5][0])
    RoleAssignment.objects.create(
        municipality=personas.municipality, person=leaving, role=Role.LIGHTHOUSE, unit=personas.root
    )
    result = import_file(personas, to_csv([r for r in rows if r[0] != leaving.employee_id]))
    assert result.deactivated == 1
    assert result.deactivated_people == [(leaving.employee_id, leaving.name)]
    leaving.refresh_from_db()
    assert leaving.is_active is False
    assert list(leaving.role_assignments.values_list("role", "source")) == [("lighthouse", "manual")]
    assert leaving.memberships.count() == 1  # kept as history
    # The persona E1 was not in either file: made inactive by the first import, left alone after.
    assert not Person.objects.get(pk=personas.employee.pk).is_active

    back = import_file(personas, to_csv(rows))
    assert (back.updated, back.created) == (1, 0)
    leaving.refresh_from_db()
    assert leaving.is_active


def test_it_moves_a_person_and_their_leader_role_and_never_duplicates_a_role_given_by_hand(personas):
    rows = [one_row(enhed="Direktionen / Center 1", leder="ja")]
    import_file(personas, to_csv(rows))
    person = Person.objects.get(municipality=personas.municipality, employee_id="1001")
    centre2 = make_unit(personas.municipality, "Center 2", personas.root)
    RoleAssignment.objects.create(municipality=personas.municipality, person=person, role=Role.EMPLOYEE, unit=centre2)

    result = import_file(personas, to_csv([one_row(enhed="Direktionen / Center 2", stilling="Konsulent")]))
    assert (result.updated, result.unchanged) == (1, 0)
    assert list(person.memberships.values_list("unit__name", "job_title", "is_leader")) == [
        ("Center 2", "Konsulent", False)
    ]
    assert sorted(person.role_assignments.values_list("role", "unit__name", "source")) == [
        ("employee", "Center 2", "manual")
    ]
    # Center 1 has nothing left in it, so it is hidden; nothing is deleted.
    assert result.units_deactivated == 1
    assert not Unit.objects.get(municipality=personas.municipality, name="Center 1").is_active


def test_it_keeps_a_unit_active_while_something_not_from_the_file_uses_it(personas):
    import_file(personas, to_csv([one_row()]))
    result = import_file(personas, to_csv([one_row(enhed="Direktionen / Center 2")]))
    # The personas' own units hold people without employee numbers: they stay.
    assert Unit.objects.get(pk=personas.team.pk).is_active
    assert result.units_deactivated == 1
    centre1 = Unit.objects.get(municipality=personas.municipality, name="Center 1")
    RoleAssignment.objects.create(municipality=personas.municipality, person=personas.it, role=Role.IT, unit=centre1)
    Unit.objects.filter(pk=centre1.pk).update(is_active=True)
    again = import_file(personas, to_csv([one_row(enhed="Direktionen / Center 2")]))
    assert again.units_deactivated == 0
    centre1.refresh_from_db()
    assert centre1.is_active


def test_it_writes_one_audit_row_for_an_import_and_none_when_nothing_changes(personas):
    rows = make_rows(300)
    count = AuditEvent.objects.filter(municipality=personas.municipality).count()
    import_file(personas, to_csv(rows), name="ansatte 010190-1234.csv")
    events = list(AuditEvent.objects.filter(municipality=personas.municipality).order_by("seq"))[count:]
    assert [e.action for e in events] == ["organisation.import"]
    assert events[0].actor_id == personas.admin.pk
    assert events[0].changes["people_created"] == 293
    # Not even the masked number: DDMMYY-XXXX would still hold a birth date.
    assert events[0].changes["file"] == "ansatte [CPR-nummer].csv"
    import_file(personas, to_csv(rows))
    assert AuditEvent.objects.filter(municipality=personas.municipality).count() == count + 1


def test_it_refuses_an_import_that_would_deactivate_the_importing_administrator(personas):
    Person.objects.filter(pk=personas.admin.pk).update(employee_id="ADM1")
    personas.admin.refresh_from_db()
    before = snapshot(personas.municipality)
    parsed = parse_csv(make_rows(20))
    with pytest.raises(actions.OrganisationImportRefused) as refused:
        actions.import_organisation(actor=personas.admin, rows=parsed.rows, source_name="x.csv")
    assert "dit medarbejdernummer ADM1" in refused.value.reasons[0]
    assert snapshot(personas.municipality) == before


def test_it_refuses_an_import_that_would_leave_no_active_administrator(personas):
    Person.objects.filter(pk=personas.admin.pk).update(employee_id="ADM1")
    parsed = parse_csv(make_rows(20))
    result = actions.import_organisation(
        actor=None, rows=parsed.rows, source_name="x.csv", municipality=personas.municipality, dry_run=True
    )
    assert any("sidste administrator" in r for r in result.blocking)


def test_it_refuses_a_non_administrator_and_an_administrator_of_another_municipality(personas):
    parsed = parse_csv(make_rows(20))
    with pytest.raises(Http404):
        actions.import_organisation(actor=personas.team_leader, rows=parsed.rows, source_name="x.csv")
    with pytest.raises(Http404):
        actions.import_organisation(
            actor=personas.outsider, rows=parsed.rows, source_name="x.csv", municipality=personas.municipality
        )


def test_it_leaves_the_other_municipality_untouched(personas):
    before = snapshot(personas.other_municipality)
    import_file(personas, to_csv(make_rows(200)))
    assert snapshot(personas.other_municipality) == before


def test_it_does_not_grow_its_queries_with_the_number_of_lines(personas):
    """Reading and planning is a fixed number of queries. Writing is bulk: on PostgreSQL one
    statement per table; SQLite caps a statement at 999 parameters, so there it is one statement
    per batch of 100-200 rows. The bound asserted: fewer than one query per 25 lines."""
    small, large = make_rows(200), [[f"9{r[0]}", *r[1:]] for r in make_rows(2000)]
    counts = {}
    for name, rows in (("small", small), ("large", large)):
        parsed = parse_csv(rows)
        with CaptureQueriesContext(connection) as first:
            actions.import_organisation(actor=personas.admin, rows=parsed.rows, source_name="x.csv")
        with CaptureQueriesContext(connection) as again:
            actions.import_organisation(actor=personas.admin, rows=parsed.rows, source_name="x.csv")
        counts[name] = (len(first), len(again))
    assert counts["large"][1] == counts["small"][1], counts  # an unchanged import only reads
    assert counts["large"][0] < 2000 / 25, counts
    if connection.vendor == "postgresql":
        assert counts["large"][0] <= counts["small"][0] + 2, counts


# --- Exporting and the round trip ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_a_file_that_imports_to_no_change(personas, fmt):
    import_file(personas, to_csv(make_rows(400)))
    before = snapshot(personas.municipality)
    data = b"".join(queries.export_organisation(personas.admin, fmt))
    result = import_file(personas, data, name=f"eksport.{fmt}")
    assert not result.changed
    assert result.unchanged == 391
    assert snapshot(personas.municipality) == before


def test_it_exports_only_for_an_administrator(personas):
    with pytest.raises(Http404):
        queries.export_organisation(personas.team_leader, "csv")


# --- The management commands ---------------------------------------------------------------


def _write(rows: list[list[str]], fmt: str) -> str:
    import tempfile

    handle = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)  # noqa: SIM115
    handle.write(to_csv(rows) if fmt == "csv" else to_xlsx(rows))
    handle.close()
    return handle.name


def test_the_import_command_prints_every_bad_line_and_writes_nothing(personas):
    bad, bad_lines = inject_bad_lines(make_rows(2000))
    before = snapshot(personas.municipality)
    err = io.StringIO()
    with pytest.raises(CommandError, match="5 problems on 5 lines"):
        call_command("import_organisation", "test", _write(bad, "xlsx"), stderr=err, stdout=io.StringIO())
    printed = err.getvalue()
    for line in bad_lines:
        assert f"linje {line}," in printed
    assert "1234" not in printed
    assert snapshot(personas.municipality) == before


def test_the_import_command_dry_runs_imports_and_names_the_command_line_in_the_log(personas):
    path = _write(make_rows(100), "csv")
    before = snapshot(personas.municipality)
    out = io.StringIO()
    call_command("import_organisation", "test", path, "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "people_created=98" in out.getvalue()
    assert snapshot(personas.municipality) == before
    call_command("import_organisation", "test", path, stdout=io.StringIO())
    event = AuditEvent.objects.filter(municipality=personas.municipality).order_by("-seq").first()
    assert event is not None and event.action == "organisation.import"
    assert (event.actor_id, event.actor_label) == (None, actions.COMMAND_LINE_LABEL)
    out = io.StringIO()
    call_command("import_organisation", "test", path, stdout=out)
    assert "Nothing to change" in out.getvalue()


def test_the_import_command_records_the_named_administrator_and_refuses_others(personas):
    Person.objects.filter(pk=personas.admin.pk).update(employee_id="ADM1")
    Person.objects.filter(pk=personas.team_leader.pk).update(employee_id="TL1")
    rows = [*make_rows(50), ["ADM1", "Anders Admin", "", "Direktionen", "", "", "nej"]]
    rows.append(["TL1", "Tina Teamleder", "", "Direktionen", "", "", "ja"])
    path = _write(rows, "csv")
    with pytest.raises(CommandError, match="not an administrator"):
        call_command("import_organisation", "test", path, "--actor-employee-id", "TL1", stdout=io.StringIO())
    call_command("import_organisation", "test", path, "--actor-employee-id", "ADM1", stdout=io.StringIO())
    event = AuditEvent.objects.filter(municipality=personas.municipality).order_by("-seq").first()
    assert event is not None and event.actor_id == personas.admin.pk


def test_the_export_command_writes_a_file_the_import_command_finds_unchanged(personas, tmp_path):
    call_command("import_organisation", "test", _write(make_rows(120), "xlsx"), stdout=io.StringIO())
    target = tmp_path / "organisation.xlsx"
    call_command("export_organisation", "test", str(target), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_organisation", "test", str(target), stdout=out)
    assert "Nothing to change" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("export_organisation", "test", str(tmp_path / "x.pdf"), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("export_organisation", "nowhere", str(target), stdout=io.StringIO())


def test_it_accepts_danish_letters_before_the_at_in_an_e_mail():
    result = parse_csv([one_row(email="søren.ærø@kommune.example")])
    assert result.ok, result.errors


def test_it_round_trips_the_demo_municipality_unchanged(db):
    from forankring.core.demo import load_demo
    from forankring.core.models import Municipality

    load_demo()
    municipality = Municipality.objects.get(slug="eksempel")
    before = snapshot(municipality)
    for fmt in ("csv", "xlsx"):
        data = orgfile.write(queries.organisation_rows_of(municipality), fmt)
        roots = Unit.objects.filter(municipality=municipality, parent__isnull=True).values_list("name", flat=True)
        parsed = orgfile.parse(data, f"eksport.{fmt}", existing_roots=list(roots))
        assert parsed.ok, parsed.errors[:3]
        result = actions.import_organisation(
            actor=None, rows=parsed.rows, source_name=f"eksport.{fmt}", municipality=municipality
        )
        assert not result.changed, result.counts()
    assert snapshot(municipality) == before
