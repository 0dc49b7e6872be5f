"""How much a worker's memory grows while it streams the organisation export of a large municipality.

    DEMO_MODE=1 .venv/bin/python benchmarks/export_stream.py                 # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forankring_bench DEMO_MODE=1 \\
        .venv/bin/python benchmarks/export_stream.py                         # PostgreSQL (database must exist)

It creates a municipality of 45,000 people in about 2,000 units (bulk inserts: this measures
the export, not the import), then, in a fresh process for each format, signs in as its
administrator, downloads the export through the real view and counts the bytes without
keeping them. Printed: time, size, and the growth of the process's peak resident memory
(VmHWM, reset just before the download) over its memory before. `--compare` adds the same
file built whole in memory, as the export did before it streamed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SLUG = "stor-bench"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    os.environ.setdefault("DEMO_MODE", "1")
    import django

    django.setup()


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _reset_peak() -> None:
    # Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) to the current.
    Path("/proc/self/clear_refs").write_text("5")


def create(people: int, units: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from forankring.core import actions
    from forankring.core.models import Membership, Municipality, Person, Unit

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if Municipality.objects.filter(slug=SLUG).exists():
        return
    municipality, _admin = actions.create_municipality(
        name="Storby Kommune", slug=SLUG, root_unit_name="Direktionen", admin_name="Anna Admin",
        admin_username="bench-admin",
    )  # fmt: skip
    root = Unit.objects.get(municipality=municipality, parent__isnull=True)
    with transaction.atomic():
        # Four levels under the root: 10 centres, 10 institutions each, then teams to `units`.
        level: list[Unit] = [root]
        teams_per_institution = max(1, -(-(units - 111) // 100))
        for depth, fan_out, label in ((1, 10, "Center"), (2, 10, "Institution"), (3, teams_per_institution, "Team")):
            created = Unit.objects.bulk_create(
                Unit(municipality=municipality, name=f"{label} {n + 1}", parent=parent, depth=depth)
                for parent in level
                for n in range(fan_out)
            )
            for unit in created:
                assert unit.parent is not None
                unit.path = f"{unit.parent.path}{unit.pk}/"
            Unit.objects.bulk_update(created, ["path"], batch_size=500)
            level = created
        teams = level
        first = ["Anne", "Mette", "Søren", "Jens", "Fatima", "Ali", "Birgitte", "Kasper", "Ida", "Ole"]
        last = ["Nielsen", "Jørgensen", "Hansen", "Møller", "Kjær", "Østergaard", "Lund", "Bach", "Friis"]
        persons = Person.objects.bulk_create(
            (
                Person(
                    municipality=municipality,
                    employee_id=str(100000 + n),
                    name=f"{first[n % len(first)]} {last[(n // len(first)) % len(last)]}",
                    email=f"m{100000 + n}@storby.example",
                )
                for n in range(people)
            ),
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            (
                Membership(
                    municipality=municipality,
                    person=person,
                    unit=teams[n % len(teams)],
                    job_title="Pædagog",
                    is_leader=n < len(teams),
                )
                for n, person in enumerate(persons)
            ),
            batch_size=2000,
        )
    # As an import does: without fresh statistics PostgreSQL plans the export's cursor for a
    # handful of rows, and reading 45,000 took 30 s instead of 1.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(fmt: str, compare: bool) -> None:
    from django.test import Client
    from django.urls import reverse

    from forankring.core.models import Person

    admin = Person.objects.select_related("user").get(municipality__slug=SLUG, user__username="bench-admin")
    assert admin.user is not None
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin.user)
    url = reverse("core:admin_export", args=[fmt])
    # Warm up: imports, templates and openpyxl loaded before anything is measured.
    warm_up: Any = client.get(url + "?skabelon=1")
    b"".join(warm_up.streaming_content)
    before = _rss_kb("VmRSS")
    _reset_peak()
    started = time.perf_counter()
    response: Any = client.get(url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    seconds = time.perf_counter() - started
    growth = (_rss_kb("VmHWM") - before) / 1024
    print(f"{fmt:>5} {'streamed':>10} {seconds:>8.2f} {size / 1e6:>9.1f} {growth:>12.1f}")
    if compare:
        from forankring.core import orgfile, queries

        before = _rss_kb("VmRSS")
        _reset_peak()
        started = time.perf_counter()
        rows = list(queries.organisation_rows_of(admin.municipality))
        data = orgfile.write(rows, fmt)
        seconds = time.perf_counter() - started
        growth = (_rss_kb("VmHWM") - before) / 1024
        print(f"{fmt:>5} {'in memory':>10} {seconds:>8.2f} {len(data) / 1e6:>9.1f} {growth:>12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=45_000)
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--compare", action="store_true", help="also build the whole file in memory")
    parser.add_argument("--child", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup()
        measure(args.child, args.compare)
        return
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    _setup()
    from django.db import connection

    started = time.perf_counter()
    create(args.people, args.units)
    from forankring.core.models import Membership, Unit

    print(
        f"database: {connection.vendor}; {Membership.objects.filter(municipality__slug=SLUG).count():,} memberships "
        f"in {Unit.objects.filter(municipality__slug=SLUG).count():,} units (created in "
        f"{time.perf_counter() - started:.0f} s)"
    )
    print(f"{'fmt':>5} {'how':>10} {'seconds':>8} {'MB sent':>9} {'growth MB':>12}")
    for fmt in ("csv", "xlsx"):
        command = [sys.executable, __file__, "--child", fmt, *(["--compare"] if args.compare else [])]
        subprocess.run(command, check=True, env=os.environ.copy())


if __name__ == "__main__":
    main()
