"""A deterministic organisation file for the import tests: 5 centres, 20 institutions, 60 teams
under "Direktionen" (the personas' root), and as many staff lines as asked for."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from forankring.core.models import AuditEvent, Membership, Municipality, Person, ProfessionalArea, RoleAssignment, Unit

HEADER = ["medarbejdernummer", "navn", "email", "enhed", "stilling", "fagområde", "leder"]
FIRST = ["Anne", "Mette", "Søren", "Jens", "Fatima", "Ali", "Birgitte", "Kasper", "Ida", "Ole", "Åse", "Ærø"]
LAST = ["Nielsen", "Jørgensen", "Hansen", "Møller", "Kjær", "Østergaard", "Lund", "Bach", "Friis", "Dam"]
AREAS = ["Dagtilbud", "Ældre og sundhed", "Social og beskæftigelse", "Teknik og miljø", "Administration"]
TITLES = ["Pædagog", "Social- og sundhedshjælper", "Socialrådgiver", "Ingeniør", "Konsulent"]


def team_paths() -> list[tuple[str, int]]:
    """(unit path, area index) for each of the 60 teams."""
    paths = []
    for c in range(5):
        for i in range(4):
            for t in range(3):
                paths.append((f"Direktionen / Center {c + 1} / Institution {c + 1}.{i + 1} / Team {t + 1}", c))
    return paths


def make_rows(total: int = 2000) -> list[list[str]]:
    """`total` data lines. Each team's first person leads it, and every 40th person also works
    in their institution, so some people have two lines."""
    teams = team_paths()
    rows: list[list[str]] = []
    n = 0
    while len(rows) < total:
        path, area = teams[n % len(teams)]
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"
        employee_id = f"{10000 + n}"
        email = f"m{10000 + n}@kommune.example"
        leader = "ja" if n < len(teams) else "nej"
        rows.append([employee_id, name, email, path, TITLES[area], AREAS[area], leader])
        if n % 40 == 39 and len(rows) < total:
            institution = path.rsplit(" / ", 1)[0]
            rows.append([employee_id, name, email, institution, "Konsulent", "Administration", "nej"])
        n += 1
    return rows


def inject_bad_lines(rows: list[list[str]]) -> tuple[list[list[str]], list[int]]:
    """Five bad lines; returns the new rows and their line numbers as Excel shows them."""
    bad = [list(r) for r in rows]
    positions = [101, 502, 903, 1404, 1905]  # row indexes; line = index + 2
    bad[101][0] = ""  # missing employee number
    bad[502][2] = "ikke-en-mail@"  # bad e-mail
    bad[903][0] = bad[10][0]  # an earlier person's number with another name and unit
    bad[1404][6] = "måske"  # bad leader value
    bad[1905][4] = "Pædagog 010190-1234"  # a CPR number in the job title
    return bad, [p + 2 for p in positions]


def to_csv(rows: list[list[str]], *, delimiter: str = ";", bom: bool = True, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    text = buffer.getvalue()
    return (("\ufeff" if bom else "") + text).encode(encoding)


def to_xlsx(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        # Excel keeps numbers as numbers: the employee number arrives as an int, as from HR.
        sheet.append([int(row[0]) if row[0].isdigit() else row[0], *row[1:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def snapshot(municipality: Municipality) -> dict[str, list[tuple[object, ...]]]:
    """Every row the import may touch, so two snapshots compare equal only if nothing changed."""
    m = municipality
    return {
        "people": list(
            Person.objects.filter(municipality=m)
            .order_by("pk")
            .values_list("pk", "employee_id", "name", "email", "is_active")
        ),
        "memberships": list(
            Membership.objects.filter(municipality=m)
            .order_by("pk")
            .values_list("pk", "person_id", "unit_id", "job_title", "professional_area_id", "is_leader")
        ),
        "roles": list(
            RoleAssignment.objects.filter(municipality=m)
            .order_by("pk")
            .values_list("pk", "person_id", "role", "unit_id", "source")
        ),
        "units": list(
            Unit.objects.filter(municipality=m)
            .order_by("pk")
            .values_list("pk", "parent_id", "name", "path", "depth", "is_active")
        ),
        "areas": list(ProfessionalArea.objects.filter(municipality=m).order_by("pk").values_list("pk", "name")),
        "audit": list(AuditEvent.objects.filter(municipality=m).order_by("seq").values_list("seq", "action")),
    }
