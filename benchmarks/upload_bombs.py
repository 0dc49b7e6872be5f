"""What each hostile organisation file costs before it is refused: time and memory growth.

    DEMO_MODE=1 .venv/bin/python benchmarks/upload_bombs.py            # every bomb
    DEMO_MODE=1 .venv/bin/python benchmarks/upload_bombs.py --legit    # and a real 50,000-line file

Each bomb (tests/core/bombs.py) is built here, written to a temporary file and read by
`orgfile.read_table` in a fresh process, which reports the time and the growth of its peak
resident memory (VmHWM, reset just before reading) over its memory before. The bound for
each: refused, with a Danish message, in under 2 s and under 100 MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
    os.environ.setdefault("DEMO_MODE", "1")
    import django

    django.setup()


def _kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def read(path: str) -> None:
    """In the child: read the file as the upload view does, print seconds, MB and the answer."""
    _setup()
    from django.utils import translation

    from forankring.core import orgfile

    translation.activate("da")
    data = Path(path).read_bytes()
    orgfile.read_table(b"x", "warm-up.csv")  # imports done before measuring
    before = _kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # Linux: reset the peak to the current size
    started = time.perf_counter()
    result = orgfile.read_table(data, "ansatte.xlsx", max_bytes=len(data) + 1)
    seconds = time.perf_counter() - started
    growth = (_kb("VmHWM") - before) / 1024
    answer = result.errors[0].message if result.errors else f"read: {len(result.records):,} lines"
    print(f"{seconds:.3f}\t{growth:.1f}\t{answer}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--legit", action="store_true", help="also read a real 50,000-line file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        read(args.child)
        return
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    _setup()  # the bombs use the organisation file's header
    from tests.core import bombs

    cases = dict(bombs.BOMBS)
    if args.legit:
        from tests.core.orgdata import make_rows, to_xlsx

        cases["real-50,000-lines"] = (lambda: to_xlsx(make_rows(50_000)), "a real file at the line limit")
    print(f"{'file':<20} {'packed':>9} {'seconds':>8} {'growth MB':>10}  answer")
    failed = False
    with tempfile.TemporaryDirectory() as directory:
        for name, (build, what) in cases.items():
            path = Path(directory) / f"{name}.xlsx"
            path.write_bytes(build())
            output = (
                subprocess.run(
                    [sys.executable, __file__, "--child", str(path)], check=True, capture_output=True, text=True
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            seconds, growth, answer = output.split("\t", 2)
            within = float(seconds) < 2 and float(growth) < 100
            failed |= not name.startswith("real") and not within
            packed = path.stat().st_size / 1024
            print(f"{name:<20} {packed:>7.0f} kB {float(seconds):>8.2f} {float(growth):>10.1f}  {answer}")
            print(f"{'':<20} {what}")
    if failed:
        sys.exit("A bomb took 2 s or more, or grew memory by 100 MB or more.")


if __name__ == "__main__":
    main()
