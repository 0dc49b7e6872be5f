"""Files people download (CSV and XLSX): written as they are read, and safe to open.

Every export goes through here, so two rules hold for all of them:

- **No formula runs.** A spreadsheet runs a cell that starts with =, +, - or @ as a formula
  ("CSV injection"), and one that starts with a TAB or CR can hide such a start from a program
  that trims it. `neutralise` puts an apostrophe in front, which spreadsheets read as "this is
  text" and do not show; `restore` takes exactly that apostrophe away again when one of our own
  files is imported, so an export imports to no change. XLSX needs no apostrophe: its text cells
  are written as text (inline strings), never as formulas.
- **Memory stays flat.** CSV lines are encoded in batches as the rows arrive from the database;
  XLSX is written in openpyxl's write-only mode, which spools the sheet to a temporary file,
  and the finished file is then sent in pieces. `download` wraps either in a streamed response
  that no browser or proxy keeps a copy of.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@")
# These start a formula after a spreadsheet has trimmed them, or start a new cell or line.
_CONTROL_START = ("\t", "\r", "\n")
# Lines per piece of a CSV download: big enough that the per-piece overhead is nothing,
# small enough that a piece is a few hundred kilobytes.
CSV_LINES_PER_CHUNK = 1000
XLSX_CHUNK_BYTES = 256 * 1024
# XML 1.0 cannot hold these control characters; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def is_formula_like(value: str) -> bool:
    """Would a spreadsheet run this, or might it after trimming leading white space?"""
    return value.startswith(_CONTROL_START) or value.lstrip().startswith(FORMULA_START)


def neutralise(value: str) -> str:
    """The text as a spreadsheet shows it and never runs it."""
    return "'" + value if is_formula_like(value) else value


def restore(value: str) -> str:
    """The exact inverse of `neutralise`, for reading our own files back: an apostrophe that
    `neutralise` did not put there (as in "'t Hooft") is kept."""
    if value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


class _Echo:
    """A file for csv.writer that hands back what is written instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(lines: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """UTF-8 with a byte order mark (Excel then reads æ, ø and å right) and ';' between columns
    (what Danish Excel expects). Every text cell is neutralised."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    batch: list[str] = []
    start = "\ufeff"
    for line in lines:
        batch.append(writer.writerow([neutralise(v) if isinstance(v, str) else v for v in line]))
        if len(batch) >= CSV_LINES_PER_CHUNK:
            yield (start + "".join(batch)).encode("utf-8")
            batch, start = [], ""
    if batch or start:
        yield (start + "".join(batch)).encode("utf-8")


def xlsx_chunks(lines: Iterable[Sequence[object]], *, title: str, widths: Sequence[int] = ()) -> Iterator[bytes]:
    """One sheet: the first line is the header, frozen at the top. Text is written as text, so
    "=X" stays the four characters "=X" in Excel and when it is imported again."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return value
        text = _XML_ILLEGAL.sub("", value)
        written = WriteOnlyCell(sheet, value=text)
        # openpyxl takes a text starting with "=" for a formula; this one is text.
        written.data_type = "s"
        if is_formula_like(text):
            # Excel keeps it text even when someone edits the cell and presses Enter.
            written.quotePrefix = True
        return written

    with tempfile.TemporaryFile() as spool:
        for line in lines:
            sheet.append([cell(v) for v in line])
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(XLSX_CHUNK_BYTES):
            yield chunk


def download(chunks: Iterable[bytes], *, fmt: str, filename: str) -> StreamingHttpResponse:
    """A streamed attachment. Every export holds names or other personal data, so none is kept
    in a browser's or a proxy's cache (Cache-Control: no-store)."""
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
