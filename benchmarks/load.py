"""Mixed load against gunicorn as `make run` starts it: the main pages and a trivial floor page
in the same run, and how the main pages fare against the floor.

    DEMO_MODE=1 .venv/bin/python benchmarks/load.py                      # SQLite, var/bench-pages.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/forankring_bench DEMO_MODE=1 \\
        .venv/bin/python benchmarks/load.py                              # PostgreSQL

It needs the database `benchmarks/pages.py` builds (run that first). It starts gunicorn on
127.0.0.1:--port with 2 workers x 4 threads, as `make run` does, runs locust headless with
--users clients for --seconds (half open the main pages as the generated municipality's
personas, half the floor page, each sending the next request as soon as the last is answered,
on a new connection unless --keep-alive;
benchmarks/locustfile.py), stops gunicorn, and prints requests per second, the 50th/95th/99th
percentiles and the ratios to the floor. It fails (exit 1) below the limits of
docs/performance.md: main pages under 0.6 x the floor's requests per second, or a 95th
percentile over 2 x the floor's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The persona kinds the load uses (benchmarks/locustfile.py says what each opens).
PERSONAS = ("direktion", "centerchef", "teamleder", "medarbejder", "med", "admin")
MIN_THROUGHPUT_RATIO = 0.6
MAX_P95_RATIO = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="keep each client's connection open (by default every request has its own, see locustfile.py)",
    )
    args = parser.parse_args()
    env = dict(os.environ)
    if args.keep_alive:
        env["LOAD_KEEP_ALIVE"] = "1"
    env.setdefault("DEMO_MODE", "1")
    if not env.get("DATABASE_URL"):
        env.setdefault("SQLITE_PATH", str(ROOT / "var" / "bench-pages.sqlite3"))
        if not Path(env["SQLITE_PATH"]).exists():
            sys.exit("No benchmark database yet: run benchmarks/pages.py first.")
    sessions = Path(tempfile.mkdtemp()) / "sessions.json"
    sessions.write_text(json.dumps(_sessions(env)), encoding="utf-8")
    env["LOAD_SESSIONS"] = str(sessions)
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "forankring.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(f"{host}/sundhed/", server)
        load_before = _load_average()
        with tempfile.TemporaryDirectory() as tmp:
            prefix = str(Path(tmp) / "load")
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "locustfile.py"),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.users),
                    "--run-time",
                    f"{args.seconds}s",
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            stats = _read(Path(f"{prefix}_stats.csv"))
            args.load = (load_before, _load_average())
    finally:
        server.terminate()
        server.wait(timeout=30)
    sys.exit(_report(stats, args))


def _sessions(env: dict[str, str]) -> dict[str, str]:
    """A signed-in session for each persona the load uses, made directly in the session store."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    found = {"cookie": settings.SESSION_COOKIE_NAME}
    slug = env.get("LOAD_SLUG", "storby")
    for kind in PERSONAS:
        user = get_user_model().objects.get(username=f"{slug}-{kind}")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        assert session.session_key is not None
        found[kind] = session.session_key
    return found


def _load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server on 127.0.0.1
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer")


def _read(path: Path) -> dict[str, dict[str, float]]:
    with path.open(encoding="utf-8") as f:
        return {
            row["Name"]: {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
            for row in csv.DictReader(f)
        }


def _report(stats: dict[str, dict[str, float]], args: argparse.Namespace) -> int:
    connections = "kept open per client" if args.keep_alive else "one per request"
    print(f"{args.users} clients for {args.seconds} s against gunicorn 2 workers x 4 threads ({connections})")
    # The machine's own load beside the run: the ratios hold only while it leaves CPU to spare.
    print(f"load average (1 min) before and after: {args.load[0]} / {args.load[1]} on {os.cpu_count()} CPUs\n")
    print(f"{'':<8} {'requests':>9} {'failed':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name in ("main", "floor"):
        s = stats[name]
        print(
            f"{name:<8} {s['requests']:>9.0f} {s['failures']:>7.0f} {s['rps']:>7.1f} "
            f"{s['p50']:>7.0f} {s['p95']:>7.0f} {s['p99']:>7.0f}"
        )
    main, floor = stats["main"], stats["floor"]
    throughput = main["rps"] / floor["rps"]
    p95 = main["p95"] / floor["p95"]
    print(f"\nmain / floor: {throughput:.2f} x the requests per second, {p95:.2f} x the 95th percentile")
    failures = []
    if throughput < MIN_THROUGHPUT_RATIO:
        failures.append(f"throughput {throughput:.2f} x the floor's, below {MIN_THROUGHPUT_RATIO}")
    if p95 > MAX_P95_RATIO:
        failures.append(f"95th percentile {p95:.2f} x the floor's, above {MAX_P95_RATIO}")
    if main["failures"] or floor["failures"]:
        failures.append("some requests failed")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    main()
