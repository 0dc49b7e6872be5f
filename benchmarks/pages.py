"""Every page for every persona, on the demo municipality and on a large one, in one run.

    DEMO_MODE=1 .venv/bin/python benchmarks/pages.py                     # SQLite, var/bench-pages.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forankring_bench DEMO_MODE=1 \\
        .venv/bin/python benchmarks/pages.py                             # PostgreSQL (database must exist)

The first run builds the database: the demo ("Eksempel Kommune", about 800 people, with every
track's generated objects added in proportion, as the large one gets them) and
`generate_municipality` (45,000 people, 2,000 units). Later runs reuse it; `--fresh` starts over.

The pages are the HTML pages of tests/access_table.py (so a new page is measured as soon as it
has a row there; a page of one object needs an entry in benchmarks/bench_objects.py, which
finds an object near the persona in each municipality, and the run names the object pages it
could not measure), each opened by every persona the table allows, as the same persona kind in
each municipality. For each: queries, median milliseconds of --runs requests in this process
(no network, no server), and HTML size; then the large/demo ratio. The run fails (exit 1) when a
page breaks the limits of docs/performance.md: large over 1.5 x demo time, or over 100 KB of HTML
on the large municipality. A different number of queries is listed as a note, not a failure:
the two municipalities' personas do not have the same things (the demo's employee has no
notification, the large one's has some), and a page skips the query for a list it knows is
empty. Whether a count grows with the data is tested on the same data made ten times larger
(tests/test_every_page.py), where any difference fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Test persona name (tests/factories.py) -> the demo's login name for the same kind.
PERSONA_LOGINS = {
    "executive": "direktion",
    "centre_chief": "centerchef",
    "team_leader": "teamleder",
    "employee": "medarbejder",
    "lighthouse": "fyrtaarn",
    "it": "it",
    "med": "med",
    "facilitator": "facilitator",
    "admin": "admin",
}
LARGE_SLUG = "storby"
MAX_RATIO = 1.5
MAX_KB = 100.0
# Object pages no object was found for (benchmarks/objects.py), named at the end of the run.
UNMEASURED: set[str] = set()


@dataclass
class Measure:
    queries: int
    ms: float
    kb: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="requests per page and persona (median taken)")
    parser.add_argument("--people", type=int, default=45_000)
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database first (SQLite only)")
    parser.add_argument("--only", default="", help="comma-separated route names to measure (default: every page)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # rows as they are measured
    if not os.environ.get("DATABASE_URL"):
        path = Path(os.environ.get("SQLITE_PATH", ROOT / "var" / "bench-pages.sqlite3"))
        if args.fresh and path.exists():
            path.unlink()
        os.environ["SQLITE_PATH"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    os.environ.setdefault("DEMO_MODE", "1")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from forankring.core.models import Municipality

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `make run` serves them
    if not Municipality.objects.filter(slug="eksempel").exists():
        build(args.people, args.units)
    print(f"database: {connection.vendor}; median of {args.runs} requests per page and persona\n")
    rows = measure_all(args.runs, only={name for name in args.only.split(",") if name})
    failures = print_table(rows)
    if UNMEASURED:
        print(f"\n{len(UNMEASURED)} page views not measured (an object page with no object for the persona):")
        for line in sorted(UNMEASURED):
            print(f"  {line}")
    if failures:
        print(f"\n{len(failures)} over the limits:")
        for failure in failures:
            print(f"  {failure}")
        sys.exit(1)


def build(people: int, units: int) -> None:
    from forankring.core.demo import load_demo
    from forankring.core.generate import add_track_objects, generate_municipality, refresh_database_statistics
    from forankring.core.models import Municipality

    started = time.monotonic()
    load_demo()
    demo = Municipality.objects.get(slug="eksempel")
    for line in add_track_objects(demo, seed=2026):
        print(f"demo {line}")
    generated = generate_municipality(name="Storby Kommune", slug=LARGE_SLUG, people=people, units=units)
    refresh_database_statistics()
    seconds = time.monotonic() - started
    print(f"built the demo and {generated.people} people in {generated.units} units in {seconds:.0f} s")


def urls_for(login: str, only: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(route name, URL) of every page the persona behind `login` may open."""
    from bench_objects import OBJECTS
    from django.test import Client
    from django.urls import reverse

    from forankring.core.models import Membership, Person
    from tests.access_table import pages

    large = login.startswith(f"{LARGE_SLUG}-")
    slug = LARGE_SLUG if large else "eksempel"
    # The demo's facilitator also works in Nabo Kommune; the site shows Eksempel Kommune first.
    person = Person.objects.get(user__username=login, municipality__slug=slug)
    kind = next(k for k, v in PERSONA_LOGINS.items() if login == v or login.endswith(f"-{v}"))
    membership = Membership.objects.filter(person=person).order_by("unit__path").first()
    employee = Person.objects.get(
        user__username=f"{LARGE_SLUG}-medarbejder" if large else "medarbejder", municipality__slug=slug
    )
    objects: dict[str, dict[str, object]] = {
        "core:unit_detail": {"pk": membership.unit_id if membership else None},
        "core:admin_person": {"pk": employee.pk},
    }
    found = []
    client = None
    for route in pages():
        if kind not in route.allowed or getattr(route, "kind", "page") != "page" or (only and route.name not in only):
            continue
        if not route.own:
            found.append((route.name, reverse(route.name)))
            continue
        if route.name in objects:
            kwargs = objects[route.name]
            if None not in kwargs.values():
                found.append((route.name, reverse(route.name, kwargs=kwargs)))
            continue
        # A page of one object: the first nearby object the persona may open (benchmarks/objects.py).
        if client is None:
            client = Client()
            assert person.user is not None  # a persona has a login
            client.force_login(person.user)
        pick = OBJECTS.get(route.name)
        url = next(
            (
                candidate
                for candidate in (reverse(route.name, kwargs=kwargs) for kwargs in (pick(person) if pick else []))
                if client.get(candidate).status_code == 200
            ),
            None,
        )
        if url is None:
            UNMEASURED.add(f"{route.name} as {kind} ({'no object found' if pick else 'not in benchmarks/objects.py'})")
        else:
            found.append((route.name, url))
    return found


def measure_pair(demo: tuple[str, str], large: tuple[str, str], runs: int) -> tuple[Measure, Measure]:
    """Median time of the same page as the same persona kind on each municipality. The two are
    timed in turns, so a moment of load from something else on the machine hits both alike."""
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients, sizes, queries = [], [], []
    for login, url in (demo, large):
        client = Client()
        client.force_login(get_user_model().objects.get(username=login))
        response = client.get(url)
        assert response.status_code == 200, f"{login}: GET {url} gave {response.status_code}"
        # A request starts by emptying the query log; start from an empty one too, or the
        # capture's starting point lies beyond the log's end.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        clients.append(client)
        sizes.append(len(response.content) / 1024)
        queries.append(len(captured))
    timings: list[list[float]] = [[], []]
    for _ in range(runs):
        for n, (_login, url) in enumerate((demo, large)):
            started = time.perf_counter()
            clients[n].get(url)
            timings[n].append((time.perf_counter() - started) * 1000)
    demo_measure, large_measure = (Measure(queries[n], statistics.median(timings[n]), sizes[n]) for n in range(2))
    return demo_measure, large_measure


def measure_all(runs: int, only: set[str]) -> list[tuple[str, str, Measure, Measure]]:
    rows = []
    for kind, demo_login in PERSONA_LOGINS.items():
        large_login = f"{LARGE_SLUG}-{demo_login}"
        large_urls = dict(urls_for(large_login, only))
        for name, url in urls_for(demo_login, only):
            if only and name not in only:
                continue
            if name not in large_urls:
                UNMEASURED.add(f"{name} as {kind} (no object on the large municipality)")
                continue
            demo, large = measure_pair((demo_login, url), (large_login, large_urls[name]), runs)
            rows.append((name, kind, demo, large))
    return rows


def print_table(rows: list[tuple[str, str, Measure, Measure]]) -> list[str]:
    header = (
        f"{'page':<26} {'persona':<13} {'queries':>9} {'demo ms':>8} {'large ms':>9} {'ratio':>6} "
        f"{'demo KB':>8} {'large KB':>9}"
    )
    print(header)
    print("-" * len(header))
    failures: list[str] = []
    notes: list[str] = []
    for name, kind, demo, large in rows:
        ratio = large.ms / demo.ms if demo.ms else 0.0
        queries = f"{demo.queries}" if demo.queries == large.queries else f"{demo.queries}/{large.queries}"
        flag = ""
        if ratio > MAX_RATIO:
            failures.append(f"{name} as {kind}: {ratio:.2f} x the demo's time")
            flag += " TIME"
        if large.kb > MAX_KB:
            failures.append(f"{name} as {kind}: {large.kb:.0f} KB of HTML")
            flag += " SIZE"
        if demo.queries != large.queries:
            notes.append(f"{name} as {kind}: {demo.queries} queries on the demo, {large.queries} on the large one")
            flag += " queries"
        print(
            f"{name:<26} {kind:<13} {queries:>9} {demo.ms:>8.1f} {large.ms:>9.1f} {ratio:>6.2f} "
            f"{demo.kb:>8.1f} {large.kb:>9.1f}{flag}"
        )
    ratios = [large.ms / demo.ms for _, _, demo, large in rows if demo.ms]
    print("-" * len(header))
    print(
        f"{len(rows)} page views; ratio median {statistics.median(ratios):.2f}, worst {max(ratios):.2f}; "
        f"largest page {max(large.kb for *_, large in rows):.1f} KB"
    )
    if notes:
        print(f"\n{len(notes)} with another number of queries on the two (what the personas have differs):")
        for note in notes:
            print(f"  {note}")
    return failures


if __name__ == "__main__":
    main()
