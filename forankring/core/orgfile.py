"""Reading, checking and writing the organisation file from HR (units and staff).

Pure: nothing here touches the database, so every rule can be tested on bytes alone. The file
has one row per membership (a person in several units has several rows) with these columns:

    medarbejdernummer; navn; email; enhed; stilling; fagområde; leder

`enhed` is the unit's path of names from the root down, separated by " / " (a slash with spaces
around it, so a name such as "Pas/kørekort" keeps its slash). docs/organisation-import.md is the
guide for HR; this module is its implementation.

Reading is split from checking so that the view can keep the read records between the dry run
and the confirmation and check them again, against the database as it is then.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, TYPE_CHECKING
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forankring.privacy.screen import screen_text

from . import exports
from .models import Membership, Person, ProfessionalArea, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

MAX_ROWS = 50_000
# Unit.path is 255 characters of "/<pk>"; 12 levels of even 19-digit keys still fit.
MAX_DEPTH = 12
# An XLSX file is a zip of XML; these bound what reading one may cost, whatever its few
# kilobytes unpack to. 50,000 real lines of the seven columns unpack to about 24 MB, with shared
# strings (as Excel writes them) or inline ones (as openpyxl and our own export do), so 48 MB
# leaves room for columns of HR's own and refuses a bomb before it inflates.
MAX_XLSX_UNPACKED = 48 * 1024 * 1024
# XML elements in the whole file: 50,000 lines of twenty cells with their values and shared
# strings are about 2.5 million. Each costs time to parse, so the bound is also a time bound.
MAX_XLSX_ELEMENTS = 4_000_000
# Elements inside one <row>: a row is held in memory whole while it is read. Excel itself
# allows 16,384 columns.
MAX_XLSX_ROW_ELEMENTS = 40_000
# Characters in one cell value or shared string: Excel's own limit for a cell.
MAX_XLSX_TEXT = 32_767
# Shared strings beyond the string cells that use them (Excel can keep a few stale ones):
# every shared string is read into memory before the first row.
SHARED_STRINGS_SLACK = 10_000
# Shared strings in any case: 50,000 lines with every cell of twenty columns different.
MAX_SHARED_STRINGS = 1_000_000
PATH_SEPARATOR = " / "
# A slash with a space on at least one side separates levels; "Pas/kørekort" is one name.
_PATH_SPLIT = re.compile(r"\s+/|/\s+|^/|/$")
_CPR_KINDS = frozenset({"cpr", "replacement_cpr", "ecpr"})
_YES = frozenset({"ja", "yes", "1", "x", "true", "sand"})
_NO = frozenset({"nej", "no", "0", "", "false", "falsk"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Danish header written in files we produce
    english: str  # also accepted when reading
    label: StrOrPromise
    description: StrOrPromise
    example: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "employee_id",
        "medarbejdernummer",
        "employee_id",
        gettext_lazy("Medarbejdernummer"),
        gettext_lazy("Skal udfyldes. Personens nummer i HR. Det er det, der genkender personen ved næste indlæsning."),
        "10234",
    ),
    Column(
        "name",
        "navn",
        "name",
        gettext_lazy("Navn"),
        gettext_lazy("Skal udfyldes. Fornavn og efternavn."),
        "Mette Jensen",
    ),
    Column(
        "email",
        "email",
        "email",
        gettext_lazy("E-mail"),
        gettext_lazy("Kan være tom. Arbejdsmail."),
        "mette.jensen@kommune.dk",
    ),
    Column(
        "unit_path",
        "enhed",
        "unit_path",
        gettext_lazy("Enhed"),
        gettext_lazy(
            "Skal udfyldes. Enhedens navne fra toppen og ned, adskilt af mellemrum, skråstreg og mellemrum. "
            "Alle linjer skal starte med den samme øverste enhed."
        ),
        "Direktionen / Center for Dagtilbud og Skole / Børnehuset Solsikken / Team Myretuen",
    ),
    Column(
        "job_title",
        "stilling",
        "job_title",
        gettext_lazy("Stilling"),
        gettext_lazy("Kan være tom."),
        "Pædagog",
    ),
    Column(
        "professional_area",
        "fagområde",
        "professional_area",
        gettext_lazy("Fagområde"),
        gettext_lazy("Kan være tom. Nye fagområder oprettes."),
        "Dagtilbud",
    ),
    Column(
        "leader",
        "leder",
        "leader",
        gettext_lazy("Leder"),
        gettext_lazy("ja eller nej (også yes/no, 1/0 eller x). Tom betyder nej. Gælder enheden på samme linje."),
        "nej",
    ),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
_BY_KEY = {c.key: c for c in COLUMNS}


def _header_key(text: str) -> str:
    # "Medarbejder-nummer", " E-mail ", "unit path" and "UNIT_PATH" all read the same.
    return re.sub(r"[\s_\-]+", "", text.replace("\ufeff", "")).casefold()


_HEADER_ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    _HEADER_ALIASES[_header_key(_column.header)] = _column.key
    _HEADER_ALIASES[_header_key(_column.english)] = _column.key
_HEADER_ALIASES[_header_key("e-mail")] = "email"


def _max_length(model: type[Person | Unit | Membership | ProfessionalArea], field: str) -> int:
    length = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    assert isinstance(length, int)
    return length


MAX_LENGTHS = {
    "employee_id": _max_length(Person, "employee_id"),
    "name": _max_length(Person, "name"),
    "email": _max_length(Person, "email"),
    "unit_name": _max_length(Unit, "name"),
    "job_title": _max_length(Membership, "job_title"),
    "professional_area": _max_length(ProfessionalArea, "name"),
}


# --- Results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem. `line` is the row number Excel shows (the header is line 1); 0 means the
    file as a whole. `column` is the Danish header, or "" when the whole line is meant."""

    line: int
    column: str
    message: str


@dataclass(frozen=True)
class Record:
    """One row as read, before checking: the seven values as text."""

    line: int
    values: tuple[str, ...]

    def get(self, key: str) -> str:
        return self.values[COLUMN_KEYS.index(key)]


@dataclass(frozen=True)
class OrgRow:
    """One checked row: one membership of one person."""

    line: int
    employee_id: str
    name: str
    email: str
    unit_path: tuple[str, ...]
    job_title: str
    professional_area: str
    is_leader: bool

    @property
    def unit_path_text(self) -> str:
        return PATH_SEPARATOR.join(self.unit_path)


@dataclass
class ReadResult:
    records: list[Record]
    errors: list[RowError]


@dataclass
class ParseResult:
    rows: list[OrgRow]
    errors: list[RowError]
    records: list[Record]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading -------------------------------------------------------------------------------


def parse(
    data: bytes, filename: str, *, existing_roots: Collection[str] = (), max_bytes: int | None = None
) -> ParseResult:
    """Read and check a whole file. Nothing is written anywhere."""
    read = read_table(data, filename, max_bytes=max_bytes)
    if read.errors:
        return ParseResult(rows=[], errors=read.errors, records=[])
    rows, errors = validate(read.records, existing_roots=existing_roots)
    return ParseResult(rows=rows, errors=errors, records=read.records)


def read_table(data: bytes, filename: str, *, max_bytes: int | None = None, max_rows: int = MAX_ROWS) -> ReadResult:
    limit = settings.ORG_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        return _file_error(
            _("Filen er for stor. Den må højst fylde %(size)s.") % {"size": size_text(limit)},
        )
    if not data.strip():
        return _file_error(_("Filen er tom."))
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return _file_error(_("Gamle Excel-filer (.xls) kan ikke læses. Gem filen som .xlsx eller som CSV."))
    try:
        is_xlsx = data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
        return _records(_xlsx_rows(data, max_rows=max_rows) if is_xlsx else _csv_rows(data), max_rows=max_rows)
    except _Unreadable as problem:
        return _file_error(problem.message)


class _Unreadable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _file_error(message: str) -> ReadResult:
    return ReadResult(records=[], errors=[RowError(0, "", message)])


def number_text(n: int) -> str:
    """50000 as the reader's language writes it: 50.000 in Danish, 50,000 in English."""
    return formats.number_format(n, force_grouping=True)


def size_text(size: int) -> str:
    """A file size limit as a person reads it: "10 MB", or "900 kB" below one megabyte."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(1, size // 1024)} kB"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark) first; Danish Excel's "CSV (semikolonsepareret)"
    is Windows-1252, and Latin-1 can decode any byte, so the last fallback never fails."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_rows(data: bytes) -> Iterator[list[object]]:
    text = decode_text(data)
    if "\x00" in text:
        raise _Unreadable(_("Filen kan ikke læses som CSV. Gem den som CSV (UTF-8) eller som Excel-fil (.xlsx)."))
    first_line = text.split("\n", 1)[0]
    # The header is known, so counting separators in it is more reliable than csv.Sniffer on
    # data full of names and addresses; Danish Excel writes ';', most other tools ','.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as problem:
        raise _Unreadable(
            _("Filen kan ikke læses som CSV (linje %(line)d). Gem den igen som CSV eller som Excel-fil (.xlsx).")
            % {"line": reader.line_num}
        ) from problem


def _xlsx_rows(data: bytes, *, max_rows: int) -> Iterator[Sequence[object]]:
    from openpyxl import load_workbook

    unreadable = _("Filen kan ikke læses som Excel-fil. Gem den som .xlsx eller som CSV.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _inspect_xlsx(archive, max_rows=max_rows)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as problem:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise _Unreadable(unreadable) from problem
    try:
        # data_only: a cell with a formula gives the value Excel last calculated, not "=A1&B1".
        # read_only: rows are parsed one at a time from the zip, never the whole sheet at once.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Files written by other programs often carry wrong dimensions, which would cut rows.
            sheet.reset_dimensions()
            yield from sheet.iter_rows(values_only=True)
        finally:
            workbook.close()
    except _Unreadable:
        raise
    except Exception as problem:
        # openpyxl parses untrusted XML and fails in many ways (KeyError for a missing part,
        # IndexError for no sheet, parser errors); to the person they all mean the same.
        raise _Unreadable(unreadable) from problem


def _too_many_lines(max_rows: int) -> str:
    message = _("Filen har mere end %(max)s linjer. Tomme linjer tæller med. Del filen op, eller slet de tomme linjer.")
    return message % {"max": number_text(max_rows)}


def _unpacks_too_large() -> str:
    return _("Excel-filen fylder for meget, når den pakkes ud. Gem den som CSV, eller slet tomme linjer og kolonner.")


class _XlsxInspector:
    """Counts what openpyxl would have to hold or parse, on a stream of the zip's members, and
    stops at the first bound crossed. Expat with callbacks builds no tree, so this costs no
    memory however large a member claims to be, and it runs before openpyxl reads anything
    (openpyxl reads every shared string into memory before the first row)."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.elements = 0
        self.string_cells = 0
        self.shared_strings = 0
        self.rows = 0
        self.row_elements = -1  # -1: not inside a <row>
        self.text = 0
        self.string_cells_known = False

    def feed(self, stream: IO[bytes]) -> None:
        self.rows = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True  # one call per text, not one per line of it
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _doctype(self, *args: object) -> None:
        # Office files never declare a DTD; one here can only be an entity-expansion bomb.
        raise _Unreadable(_("Filen kan ikke læses som Excel-fil. Gem den som .xlsx eller som CSV."))

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        self.text = 0
        if self.elements > MAX_XLSX_ELEMENTS:
            raise _Unreadable(_unpacks_too_large())
        tag = name.rpartition(" ")[2]
        if self.row_elements >= 0:
            self.row_elements += 1
            if self.row_elements > MAX_XLSX_ROW_ELEMENTS:
                raise _Unreadable(_unpacks_too_large())
            if tag == "c" and attributes.get("t") == "s":
                self.string_cells += 1
        elif tag == "row":
            self.rows += 1
            number = attributes.get("r", "")
            # openpyxl fills a gap before <row r="900000"> with empty rows; they count too.
            line = int(number) if number.isdigit() else self.rows
            if max(line, self.rows) > self.max_rows + 1:
                raise _Unreadable(_too_many_lines(self.max_rows))
            self.row_elements = 0
        elif tag == "si":
            self.shared_strings += 1
            # Never more than a legitimate file could use; once the cells are counted, never
            # more than they use.
            bound = self.string_cells + SHARED_STRINGS_SLACK if self.string_cells_known else MAX_SHARED_STRINGS
            if self.shared_strings > bound:
                raise _Unreadable(_unpacks_too_large())

    def _end(self, name: str) -> None:
        if name.endswith(" row") or name == "row":
            self.row_elements = -1

    def _characters(self, data: str) -> None:
        self.text += len(data)
        if self.text > MAX_XLSX_TEXT:
            raise _Unreadable(_unpacks_too_large())


_SHARED_STRINGS_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?sst[\s>/]")


def _inspect_xlsx(archive: zipfile.ZipFile, *, max_rows: int) -> None:
    """Refuse a file that would cost too much to read, before openpyxl inflates any of it.

    The sizes in the zip's directory can be trusted as upper bounds: Python's zipfile stops
    inflating a member at its stated size (and then fails its checksum). The shared strings
    are read last, when the number of cells that use them is known, so a table of millions
    is refused after a few thousand."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if sum(info.file_size for info in members) > MAX_XLSX_UNPACKED:
        raise _Unreadable(_unpacks_too_large())
    inspector = _XlsxInspector(max_rows)
    deferred = []
    for info in members:
        with archive.open(info) as stream:
            start = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        # Only XML parts are read by openpyxl; pictures and other binary parts are skipped.
        if not start.startswith(b"<"):
            continue
        if _SHARED_STRINGS_ROOT.search(start):
            deferred.append(info)
            continue
        _inspect_member(archive, info, inspector)
    inspector.string_cells_known = True
    for info in deferred:
        _inspect_member(archive, info, inspector)
    if inspector.shared_strings > inspector.string_cells + SHARED_STRINGS_SLACK:
        raise _Unreadable(_unpacks_too_large())


def _inspect_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, inspector: _XlsxInspector) -> None:
    with archive.open(info) as stream:
        try:
            inspector.feed(stream)
        except expat.ExpatError as problem:
            raise _Unreadable(_("Filen kan ikke læses som Excel-fil. Gem den som .xlsx eller som CSV.")) from problem


def _records(table: Iterable[Sequence[object]], *, max_rows: int) -> ReadResult:
    rows = iter(table)
    header = next(rows, None)
    if header is None or not any(_cell_text(v) for v in header):
        return _file_error(_("Første linje skal være kolonnenavnene. Den er tom."))
    positions, header_errors = _read_header([_cell_text(v) for v in header])
    if header_errors:
        return ReadResult(records=[], errors=header_errors)
    records: list[Record] = []
    for line, cells in enumerate(rows, start=2):
        # Every line counts toward the limit, blank ones too: a file of a million empty rows is
        # as slow to read as a million full ones.
        if line > max_rows + 1:
            return _file_error(_too_many_lines(max_rows))
        values = tuple(exports.restore(_cell_text(cells[i])) if i < len(cells) else "" for i in positions)
        if not any(values):
            continue  # blank lines are skipped, but still counted, so line numbers match Excel
        records.append(Record(line, values))
    if not records:
        return _file_error(_("Filen har ingen medarbejdere under kolonnenavnene."))
    return ReadResult(records=records, errors=[])


def _read_header(cells: list[str]) -> tuple[list[int], list[RowError]]:
    found: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        key = _HEADER_ALIASES.get(_header_key(cell))
        if key is None:
            continue  # HR systems add columns of their own; they are ignored
        if key in found:
            errors.append(RowError(1, _BY_KEY[key].header, _("Kolonnen står der mere end én gang. Slet den ene.")))
        found[key] = index
    missing = [c.header for c in COLUMNS if c.key not in found]
    if missing:
        errors.append(
            RowError(
                1,
                "",
                _("Første linje mangler kolonnen: %(missing)s. Den skal have disse kolonner: %(all)s.")
                % {"missing": ", ".join(missing), "all": ", ".join(c.header for c in COLUMNS)},
            )
        )
    return [found.get(key, -1) for key in COLUMN_KEYS], errors


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        # Excel stores numbers as floats: employee number 1234 arrives as 1234.0.
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- Checking ------------------------------------------------------------------------------


class _Screen:
    """The personal-data screen with a memory: unit names, titles and areas repeat on most lines."""

    def __init__(self) -> None:
        self._seen: dict[str, str | None] = {}

    def cpr(self, text: str) -> str | None:
        """The masked CPR-like value found in `text`, or None."""
        if text not in self._seen:
            hit = next((f for f in screen_text(text) if str(f.kind) in _CPR_KINDS), None)
            self._seen[text] = hit.masked if hit is not None else None
        return self._seen[text]


def validate(records: Sequence[Record], *, existing_roots: Collection[str] = ()) -> tuple[list[OrgRow], list[RowError]]:
    """Check every record; return the good rows and every problem, each with its line number."""
    screen = _Screen()
    errors: list[RowError] = []
    rows: list[OrgRow] = []
    for record in records:
        row, row_errors = _check_record(record, screen)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    errors.extend(_check_duplicates(records, rows, screen))
    root_errors, rows = _check_roots(rows, existing_roots)
    errors.extend(root_errors)
    order = {key: i for i, key in enumerate(c.header for c in COLUMNS)}
    errors.sort(key=lambda e: (e.line, order.get(e.column, -1)))
    bad_lines = {e.line for e in errors}
    return [r for r in rows if r.line not in bad_lines], errors


def _check_record(record: Record, screen: _Screen) -> tuple[OrgRow | None, list[RowError]]:
    errors: list[RowError] = []
    line = record.line

    def fail(key: str, message: str) -> None:
        errors.append(RowError(line, _BY_KEY[key].header, message))

    def text(key: str, limit_key: str | None = None, *, required: StrOrPromise = "") -> str:
        value = " ".join(record.get(key).split())
        if not value:
            if required:
                fail(key, str(required))
            return ""
        if _bad_characters(value):
            fail(key, _("Feltet indeholder tegn, der ikke kan bruges (fx styretegn)."))
        elif len(value) > MAX_LENGTHS[limit_key or key]:
            fail(
                key,
                _("Feltet er for langt: %(n)d tegn. Der må højst være %(max)d.")
                % {"n": len(value), "max": MAX_LENGTHS[limit_key or key]},
            )
        elif (masked := screen.cpr(value)) is not None:
            fail(key, _cpr_message(masked))
        return value

    employee_id = text("employee_id", required=gettext_lazy("Mangler medarbejdernummer."))
    if employee_id and " " in employee_id:
        fail("employee_id", _("Medarbejdernummeret må ikke indeholde mellemrum."))
    name = text("name", required=gettext_lazy("Mangler navn."))
    email = text("email")
    if email and not any(e.column == "email" for e in errors) and not _valid_email(email):
        fail("email", _("Ugyldig e-mail: %(email)s") % {"email": email})
    unit_path = _check_unit_path(record, screen, fail)
    job_title = text("job_title")
    area = text("professional_area")
    leader_text = record.get("leader").strip().casefold()
    is_leader = leader_text in _YES
    if leader_text not in _YES and leader_text not in _NO:
        fail("leader", _("Leder skal være ja eller nej (eller tom for nej)."))
    if errors or unit_path is None:
        return None, errors
    return OrgRow(line, employee_id, name, email, unit_path, job_title, area, is_leader), errors


def split_path(text: str) -> tuple[str, ...]:
    return tuple(" ".join(part.split()) for part in _PATH_SPLIT.split(text.strip()))


def _check_unit_path(record: Record, screen: _Screen, fail: Callable[[str, str], None]) -> tuple[str, ...] | None:
    raw = record.get("unit_path").strip()
    if not raw:
        fail("unit_path", _("Mangler enhed."))
        return None
    names = split_path(raw)
    if not all(names):
        fail("unit_path", _("Enheden har et tomt niveau. Skriv navnene adskilt af » / «."))
        return None
    if len(names) > MAX_DEPTH:
        fail("unit_path", _("Enheden har for mange niveauer. Der må højst være %(max)d.") % {"max": MAX_DEPTH})
        return None
    for name in names:
        if _bad_characters(name):
            fail("unit_path", _("Feltet indeholder tegn, der ikke kan bruges (fx styretegn)."))
            return None
        if len(name) > MAX_LENGTHS["unit_name"]:
            fail(
                "unit_path",
                _("Et enhedsnavn er for langt: %(n)d tegn. Der må højst være %(max)d.")
                % {"n": len(name), "max": MAX_LENGTHS["unit_name"]},
            )
            return None
        if (masked := screen.cpr(name)) is not None:
            fail("unit_path", _cpr_message(masked))
            return None
    return names


def _cpr_message(masked: str) -> str:
    return _("Linjen indeholder noget, der ligner et CPR-nummer (%(masked)s). Fjern det fra filen.") % {
        "masked": masked
    }


def _valid_email(value: str) -> bool:
    """Django's check, but with letters such as æ, ø and å allowed before the @ (RFC 6531):
    Django refuses them, yet such addresses exist, and the demo data has them."""
    try:
        validate_email(value)
        return True
    except ValidationError:
        pass
    local, at, domain = value.rpartition("@")
    if not at or not local or ".." in local or local.startswith(".") or local.endswith("."):
        return False
    if any(ch.isspace() or ch in '"(),:;<>[\\]@' for ch in local):
        return False
    try:
        validate_email(f"x@{domain}")
    except ValidationError:
        return False
    return True


def _bad_characters(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in value)


def _check_duplicates(records: Sequence[Record], rows: Sequence[OrgRow], screen: _Screen) -> list[RowError]:
    """A person may have several lines, one per unit; then name and e-mail must agree, and the
    same unit must not come twice. The later line is the one reported."""
    header = _BY_KEY["employee_id"].header
    errors: list[RowError] = []
    first: dict[str, Record] = {}
    units_seen: dict[tuple[str, str], int] = {}
    for record in records:
        employee_id = record.get("employee_id").strip()
        # An id the screen flags is reported already, and must not be repeated in a message.
        if not employee_id or screen.cpr(employee_id) is not None:
            continue
        earlier = first.setdefault(employee_id, record)
        unit_key = (employee_id, PATH_SEPARATOR.join(split_path(record.get("unit_path"))))
        unit_line = units_seen.setdefault(unit_key, record.line)
        if earlier is record:
            continue
        values = {"id": employee_id, "line": earlier.line}
        if unit_line != record.line:
            message = _("Medarbejdernummer %(id)s står også på linje %(line)d med samme enhed.")
            values["line"] = unit_line
        elif " ".join(earlier.get("name").split()) != " ".join(record.get("name").split()):
            message = _("Medarbejdernummer %(id)s står også på linje %(line)d med et andet navn.")
        elif earlier.get("email").strip() != record.get("email").strip():
            message = _("Medarbejdernummer %(id)s står også på linje %(line)d med en anden e-mail.")
        else:
            continue
        errors.append(RowError(record.line, header, message % values))
    return errors


def _check_roots(rows: list[OrgRow], existing_roots: Collection[str]) -> tuple[list[RowError], list[OrgRow]]:
    if not rows:
        return [], rows
    header = _BY_KEY["unit_path"].header
    counts = Counter(r.unit_path[0] for r in rows)
    if existing_roots:
        root = next((name for name, _n in counts.most_common() if name in existing_roots), None)
        if root is None:
            expected = sorted(existing_roots)[0]
            return [
                RowError(
                    0,
                    header,
                    _(
                        "Enhederne i filen starter med »%(found)s«, men kommunens øverste enhed hedder »%(expected)s«. "
                        "Alle enheder skal starte med »%(expected)s / «."
                    )
                    % {"found": counts.most_common(1)[0][0], "expected": expected},
                )
            ], []
    else:
        root = counts.most_common(1)[0][0]
    errors = [
        RowError(
            r.line,
            header,
            _("Enheden skal ligge under den øverste enhed »%(root)s« ligesom resten af filen.") % {"root": root},
        )
        for r in rows
        if r.unit_path[0] != root
    ]
    return errors, rows


# --- Writing -------------------------------------------------------------------------------


def row_values(row: OrgRow) -> list[str]:
    """One row as the seven texts of the file, as stored: exports.py makes them safe to open."""
    return [
        row.employee_id,
        row.name,
        row.email,
        row.unit_path_text,
        row.job_title,
        row.professional_area,
        "ja" if row.is_leader else "nej",
    ]


def file_lines(rows: Iterable[OrgRow]) -> Iterator[list[str]]:
    """The header, then one line per row, lazily: the exports write them as they come."""
    yield [c.header for c in COLUMNS]
    for row in rows:
        yield row_values(row)


# Column widths in the XLSX, in characters.
XLSX_WIDTHS = (18, 28, 34, 80, 28, 24, 8)


def write_csv(rows: Iterable[OrgRow]) -> bytes:
    """UTF-8 with a byte order mark and ';' between columns: Danish Excel opens that with the
    æ, ø and å intact and each column in its own cell, and other programs read it as well."""
    return b"".join(exports.csv_chunks(file_lines(rows)))


def write_xlsx(rows: Iterable[OrgRow]) -> bytes:
    return b"".join(exports.xlsx_chunks(file_lines(rows), title=str(_("Organisation")), widths=XLSX_WIDTHS))


def write_chunks(rows: Iterable[OrgRow], fmt: str) -> Iterator[bytes]:
    """The file in pieces, for a streamed download: memory stays flat however many rows."""
    if fmt == "csv":
        return exports.csv_chunks(file_lines(rows))
    if fmt == "xlsx":
        return exports.xlsx_chunks(file_lines(rows), title=str(_("Organisation")), widths=XLSX_WIDTHS)
    raise ValueError(fmt)


def write(rows: Iterable[OrgRow], fmt: str) -> bytes:
    return b"".join(write_chunks(rows, fmt))


CONTENT_TYPES = exports.CONTENT_TYPES


def template_rows(root_name: str) -> list[OrgRow]:
    """Two example lines for the downloadable template, under the municipality's own root."""
    root = root_name or "Direktionen"
    centre = (root, "Center for Dagtilbud og Skole")
    team = (*centre, "Børnehuset Solsikken", "Team Myretuen")
    return [
        OrgRow(2, "10233", "Karin Holm", "karin.holm@kommune.dk", centre, "Centerchef", "Dagtilbud", True),
        OrgRow(3, "10234", "Mette Jensen", "mette.jensen@kommune.dk", team, "Pædagog", "Dagtilbud", False),
    ]
