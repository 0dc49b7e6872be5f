"""Uploads are bounded in time and memory: hostile files are refused quickly, with a Danish
reason, and a request too large to take is refused before its body is stored anywhere."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forankring.core import orgfile
from tests.core import bombs
from tests.core.orgdata import make_rows, to_csv

TOO_MANY_LINES = "Filen har mere end 50.000 linjer. Tomme linjer tæller med."
TOO_LARGE = "Excel-filen fylder for meget, når den pakkes ud."
UNREADABLE = "Filen kan ikke læses som Excel-fil."

# Smaller than the benchmark's (benchmarks/upload_bombs.py), so the suite stays quick, but each
# past the bound it tests.
CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("60 MB of empty rows", lambda: bombs.empty_rows(10_000_000), TOO_LARGE),
    ("a million empty rows in 6 MB", lambda: bombs.empty_rows(1_000_000), TOO_MANY_LINES),
    ("one line at row 1,048,576", bombs.far_row, TOO_MANY_LINES),
    ("1.5 million shared strings", lambda: bombs.shared_strings(1_500_000), TOO_LARGE),
    ("200,000 shared strings for one cell", lambda: bombs.shared_strings(200_000), TOO_LARGE),
    ("a row of a million cells", lambda: bombs.wide_row(1_000_000), TOO_LARGE),
    ("60 MB of sheet XML", lambda: bombs.large_sheet(60), TOO_LARGE),
    ("a text of a million characters", lambda: bombs.long_text(1_000_000), TOO_LARGE),
    ("entity expansion", bombs.entity_expansion, UNREADABLE),
]


def test_it_reads_the_hand_made_format_of_the_bombs():
    """Otherwise a bomb might be refused only because it is broken, and prove nothing."""
    result = orgfile.read_table(bombs.valid(3), "ansatte.xlsx")
    assert result.errors == []
    assert [r.get("employee_id") for r in result.records] == ["1002", "1003", "1004"]


@pytest.mark.parametrize(("name", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_it_refuses_a_bomb_within_two_seconds_and_100_mb(name, build, message):
    data = build()
    started = time.perf_counter()
    result = orgfile.read_table(data, "ansatte.xlsx")
    elapsed = time.perf_counter() - started
    assert [e.line for e in result.errors] == [0]
    assert message in result.errors[0].message
    assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
    # Again, measuring memory this time (tracemalloc slows Python down, so not both at once).
    tracemalloc.start()
    try:
        orgfile.read_table(data, "ansatte.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"{name}: {peak / 1e6:.0f} MB"


def test_it_trusts_no_size_the_zip_states():
    """zipfile stops inflating at the stated size, so a member that lies fails its checksum."""
    result = orgfile.read_table(bombs.lying_size(), "ansatte.xlsx")
    assert UNREADABLE in result.errors[0].message


def test_it_counts_empty_lines_toward_the_limit_in_csv_too():
    data = to_csv(make_rows(3)) + b";;;;;;\r\n" * 10
    result = orgfile.read_table(data, "ansatte.csv", max_rows=12)
    assert "mere end 12 linjer" in result.errors[0].message
    assert orgfile.read_table(data, "ansatte.csv", max_rows=13).errors == []


def test_it_refuses_more_shared_strings_than_the_cells_use():
    assert orgfile.read_table(bombs.shared_strings(orgfile.SHARED_STRINGS_SLACK), "a.xlsx").errors == []
    result = orgfile.read_table(bombs.shared_strings(orgfile.SHARED_STRINGS_SLACK + 2), "a.xlsx")
    assert TOO_LARGE in result.errors[0].message


# --- The request ---------------------------------------------------------------------------


def test_it_refuses_an_over_large_upload_before_storing_it(client_for, settings, tmp_path: Path):
    settings.ORG_IMPORT_MAX_BYTES = 100 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    # Without the early refusal Django would spool a file this size to the temporary directory.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = SimpleUploadedFile("ansatte.csv", b"x" * (300 * 1024), content_type="text/csv")
    response = client_for("admin").post(reverse("core:admin_import"), {"step": "preview", "file": big})
    assert response.status_code == 413
    html = response.content.decode()
    assert "<h1>Filen er for stor</h1>" in html
    assert "En fil må højst fylde 100 kB. Intet er gemt." in html
    assert list(tmp_path.iterdir()) == []


def test_it_lets_an_upload_within_the_limit_through_to_the_form(client_for, settings):
    """Just over the file limit but within the form's allowance: the form explains it."""
    settings.ORG_IMPORT_MAX_BYTES = 100 * 1024
    data = to_csv(make_rows(2000))[: 110 * 1024]
    response = client_for("admin").post(
        reverse("core:admin_import"), {"step": "preview", "file": SimpleUploadedFile("a.csv", data)}
    )
    assert response.status_code == 200
    assert "Filen er for stor. Den må højst fylde 100 kB." in response.content.decode()


def test_it_refuses_by_content_length_without_reading_the_body(client, settings):
    """A client that announces 50 MB is answered at once; Django's test client would otherwise
    fail on reading a body that is not there."""
    settings.ORG_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    response = client.generic(
        "POST", reverse("core:login"), b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH="52428800"
    )
    assert response.status_code == 413
    assert not response.has_header("Connection")  # hop-by-hop: WSGI servers refuse it
