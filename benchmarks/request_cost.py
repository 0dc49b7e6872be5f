"""Where a request's time goes: for the pages of the mixed load (benchmarks/locustfile.py) and
its floor page, as the generated municipality's personas, in this process (no server): queries,
milliseconds in SQL, milliseconds in total, and each page's cost as a multiple of the floor's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forankring_bench DEMO_MODE=1 \\
        .venv/bin/python benchmarks/request_cost.py [--runs 15] [--profile /]

It needs the database `benchmarks/pages.py` builds. `--profile URL` prints cProfile's top
functions for that page as the first persona that opens it.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", default="", help="a page to profile with cProfile")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("SQLITE_PATH", str(ROOT / "var" / "bench-pages.sqlite3"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    os.environ.setdefault("DEMO_MODE", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    PAGES, FLOOR, SLUG, own_unit = _the_mix()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    sql_seconds = [0.0]
    sql_count = [0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - started
            sql_count[0] += 1

    rows = []
    floor_ms: list[float] = []
    for kind, urls in PAGES.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=f"{SLUG}-{kind}"))
        home = client.get("/").content.decode()
        own = own_unit.search(home)
        unit = own.group(1) if own else "/organisation/"
        for url in [FLOOR, *urls]:
            url = url.format(unit=unit)
            if args.profile and url == args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.runs):
                    client.get(url)
                profiler.disable()
                pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(45)
                args.profile = ""
            client.get(url)
            totals, sqls, counts = [], [], []
            with connection.execute_wrapper(timed):
                for _ in range(args.runs):
                    sql_seconds[0], sql_count[0] = 0.0, 0
                    started = time.perf_counter()
                    response = client.get(url)
                    totals.append((time.perf_counter() - started) * 1000)
                    sqls.append(sql_seconds[0] * 1000)
                    counts.append(sql_count[0])
            assert response.status_code == 200, f"{kind}: GET {url} gave {response.status_code}"
            ms = statistics.median(totals)
            if url == FLOOR:
                floor_ms.append(ms)
            rows.append((kind, url, counts[-1], statistics.median(sqls), ms, len(response.content) / 1024))
    floor = statistics.median(floor_ms)
    print(f"{'persona':<12} {'page':<40} {'queries':>7} {'sql ms':>7} {'ms':>7} {'x floor':>7} {'KB':>6}")
    for kind, url, count, sql, ms, kb in rows:
        print(f"{kind:<12} {url:<40} {count:>7} {sql:>7.1f} {ms:>7.1f} {ms / floor:>7.2f} {kb:>6.1f}")
    main = [ms for _k, url, _c, _s, ms, _kb in rows if url != FLOOR]
    mean = statistics.mean(main)
    print(f"\nfloor median {floor:.1f} ms; main pages: mean {mean:.1f} ms = {mean / floor:.2f} x floor")


def _the_mix() -> tuple[dict[str, list[str]], str, str, re.Pattern[str]]:
    """The pages of benchmarks/locustfile.py, read without importing locust (which patches the
    standard library as it is imported)."""
    found: dict[str, Any] = {}
    tree = ast.parse((ROOT / "benchmarks" / "locustfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if isinstance(target, ast.Name) and target.id in {"PAGES", "FLOOR"} and node.value is not None:
                found[target.id] = ast.literal_eval(node.value)
    slug = os.environ.get("LOAD_SLUG", "storby")
    return found["PAGES"], found["FLOOR"], slug, re.compile(r'href="(/organisation/\d+/)"')


if __name__ == "__main__":
    main()
