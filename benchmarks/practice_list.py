"""How long the use-case list takes at 2,000 use cases, and how many queries it makes.

    DEMO_MODE=1 .venv/bin/python benchmarks/practice_list.py                 # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forankring_bench DEMO_MODE=1 \\
        .venv/bin/python benchmarks/practice_list.py                         # PostgreSQL (database must exist)

It builds a municipality with 2,000 use cases (with value types, tools and joined units), then
fetches the list unfiltered, filtered by status, value type and tool, and searched, as a signed-in
team leader, and prints the median of --repeat runs for each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--use-cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    os.environ.setdefault("DEMO_MODE", "1")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Serve static URLs without a collected manifest, as the tests do.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from forankring.practice.models import UseCase, UseCaseUnit, UseCaseValue
    from tests.factories import build_personas, make_tool

    p = build_personas()
    tool = make_tool(p.municipality, name="Skriveassistent")
    area = p.team_leader.memberships.get().professional_area
    assert area is not None
    rows = UseCase.objects.bulk_create(
        UseCase(
            municipality=p.municipality,
            title=f"Skrive opgave nummer {i}",
            today="I dag",
            ai_help="Et udkast",
            human_decides="Et menneske",
            area=area,
            unit=p.team if i % 2 else p.other_team,
            status=["idea", "assessed", "pilot", "operation", "stopped"][i % 5],
        )
        for i in range(args.use_cases)
    )
    value = UseCaseValue.objects.create(municipality=p.municipality, key="time")
    UseCase.value_types.through.objects.bulk_create(
        UseCase.value_types.through(usecase_id=r.pk, usecasevalue_id=value.pk) for r in rows[::2]
    )
    UseCase.tools.through.objects.bulk_create(
        UseCase.tools.through(usecase_id=r.pk, tool_id=tool.pk) for r in rows[::3]
    )
    UseCaseUnit.objects.bulk_create(
        UseCaseUnit(municipality=p.municipality, use_case=r, unit=p.team) for r in rows[::4] if r.unit_id != p.team.pk
    )
    client = Client()
    assert p.team_leader.user is not None
    client.force_login(p.team_leader.user)
    url = reverse("practice:use_cases")
    print(f"{args.use_cases} use cases on {connection.vendor}; median of {args.repeat} runs")
    cases: list[tuple[str, dict[str, str | int]]] = [
        ("unfiltered", {}),
        ("status=pilot", {"status": "pilot"}),
        ("value=time", {"vaerdi": "time"}),
        ("tool", {"vaerktoej": tool.pk}),
        ("search 'nummer 19'", {"q": "nummer 19"}),
        ("my unit, page 20", {"enhed": p.team.pk, "side": 20}),
    ]
    for label, params in cases:
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, params)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        print(f"  {label:<20} {statistics.median(times) * 1000:7.1f} ms  {len(queries):3d} queries")


if __name__ == "__main__":
    main()
