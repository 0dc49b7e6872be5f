"""How long the organisation import takes, and how many queries it makes, as the file grows.

    DEMO_MODE=1 .venv/bin/python benchmarks/org_import.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forankring_bench DEMO_MODE=1 \\
        .venv/bin/python benchmarks/org_import.py                    # PostgreSQL (database must exist)

For each size it reads and checks a CSV file, imports it into an empty municipality, and
imports the same file again (which must change nothing). Sizes: 2,000 / 10,000 / 20,000 lines.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,10000,20000")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    os.environ.setdefault("DEMO_MODE", "1")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forankring.core import actions, orgfile
    from tests.core.orgdata import HEADER, make_rows

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(f"{'lines':>7} {'read+check s':>13} {'import s':>9} {'queries':>8} {'again s':>8} {'queries':>8}")
    for n, size in enumerate(int(s) for s in args.sizes.split(",")):
        municipality, _admin = actions.create_municipality(
            name=f"Benchmark {n}",
            slug=f"bench{n}",
            root_unit_name="Direktionen",
            admin_name="A",
            admin_username=f"a{n}",
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(make_rows(size))
        data = buffer.getvalue().encode("utf-8")

        started = time.perf_counter()
        parsed = orgfile.parse(data, "staff.csv", existing_roots=["Direktionen"], max_bytes=len(data) + 1)
        read_seconds = time.perf_counter() - started
        assert parsed.ok, parsed.errors[:3]

        timings = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = actions.import_organisation(
                    actor=None, rows=parsed.rows, source_name="staff.csv", municipality=municipality
                )
                timings.append((time.perf_counter() - started, len(queries)))
        assert not result.changed, "a second identical import must change nothing"
        (first_s, first_q), (again_s, again_q) = timings
        print(f"{size:>7} {read_seconds:>13.2f} {first_s:>9.2f} {first_q:>8} {again_s:>8.2f} {again_q:>8}")


if __name__ == "__main__":
    main()
