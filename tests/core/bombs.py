"""Hostile organisation files, generated: small on the wire, huge or slow when read naively.

Each is a well-formed XLSX that openpyxl itself would read (given time and memory), so a test
that sees one refused shows the bound at work, not a parse error. The members are written to
the zip in pieces, so building a bomb never holds its unpacked size in memory.
Used by tests/core/test_upload_bombs.py and benchmarks/upload_bombs.py.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from xml.sax.saxutils import escape

from tests.core.orgdata import HEADER

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
    '<sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
ONE_LINE = ["1001", "Mette Jensen", "", "Direktionen / Center 1", "Pædagog", "Dagtilbud", "nej"]


def _inline_row(number: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _sheet(rows: Iterable[str]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
    yield _inline_row(1, HEADER)
    yield from rows
    yield "</sheetData></worksheet>"


def _shared(strings: Iterable[str], count: int) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'
    yield from strings
    yield "</sst>"


def xlsx(sheet_rows: Iterable[str], shared: Iterable[str] = (), shared_count: int = 0) -> bytes:
    """A workbook of one sheet: the header line, then `sheet_rows` (XML, written as they come)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (
            ("xl/sharedStrings.xml", _shared(shared, shared_count)),
            ("xl/worksheets/sheet1.xml", _sheet(sheet_rows)),
        ):
            with archive.open(name, "w", force_zip64=True) as member:
                batch: list[str] = []
                for part in parts:
                    batch.append(part)
                    if len(batch) >= 10_000:
                        member.write("".join(batch).encode())
                        batch = []
                member.write("".join(batch).encode())
    return buffer.getvalue()


def valid(lines: int = 1) -> bytes:
    """A harmless file in the same hand-made format, to show the format itself is read."""
    return xlsx(_inline_row(n, [str(1000 + n), *ONE_LINE[1:]]) for n in range(2, lines + 2))


def empty_rows(count: int) -> bytes:
    """The header and `count` empty rows: 6 bytes each unpacked, almost nothing packed."""
    block = "<row/>" * 10_000
    return xlsx(block if n + 10_000 <= count else "<row/>" * (count - n) for n in range(0, count, 10_000))


def far_row() -> bytes:
    """One line, at row 1,048,576: a reader fills the gap with a million empty rows."""
    return xlsx([_inline_row(1_048_576, ONE_LINE)])


def shared_strings(count: int) -> bytes:
    """`count` shared strings, used by one cell: every one is read before the first row."""
    strings = (f"<si><t>s{n}</t></si>" for n in range(count))
    cell = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx([cell], shared=strings, shared_count=count)


def wide_row(cells: int) -> bytes:
    """One row of `cells` empty cells: a reader holds a whole row in memory."""
    return xlsx(['<row r="2">' + "<c/>" * cells + "</row>"])


def large_sheet(megabytes: int) -> bytes:
    """A sheet XML of `megabytes` MB in a few rows of long ignored cells."""
    filler = "x" * 30_000
    per_row = f'<c t="inlineStr"><is><t>{filler}</t></is></c>' * 30
    rows = (f'<row r="{n}">{per_row}</row>' for n in range(2, 2 + megabytes * 1024 * 1024 // len(per_row) + 1))
    return xlsx(rows)


def long_text(characters: int) -> bytes:
    """One cell holding a single text of `characters` characters."""
    return xlsx([_inline_row(2, ["1001", "x" * characters, *ONE_LINE[2:]])])


def entity_expansion() -> bytes:
    """The "billion laughs": a DTD whose entities expand to gigabytes."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(valid()))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
                    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
                )
                data = data.replace(b"<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet".encode(), 1).replace(
                    b"<t>Mette Jensen</t>", b"<t>&j;</t>"
                )
            archive.writestr(info, data)
    return buffer.getvalue()


def lying_size() -> bytes:
    """The zip's directory says the sheet is small; it inflates to 100 MB."""
    data = bytearray(empty_rows(16_000_000))
    # Not by editing bytes blindly: the sizes live in the local header and the directory.
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size
    stated = (1000).to_bytes(4, "little")
    # zip64 members keep the real size in the extra field; rewrite both 8-byte copies.
    data = bytearray(bytes(data).replace(real.to_bytes(8, "little"), (1000).to_bytes(8, "little")))
    if real < 0xFFFFFFFF:
        data = bytearray(bytes(data).replace(real.to_bytes(4, "little"), stated))
    return bytes(data)


# name → (builder, what it tries); the benchmark and the tests go through the same list.
BOMBS: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty-rows-240MB": (lambda: empty_rows(40_000_000), "240 MB of empty rows"),
    "empty-rows-6MB": (lambda: empty_rows(1_000_000), "a million empty rows, under the size bound"),
    "far-row": (far_row, "one line at row 1,048,576"),
    "shared-strings": (lambda: shared_strings(1_500_000), "1.5 million shared strings, 35 MB"),
    "wide-row": (lambda: wide_row(2_000_000), "one row of 2 million cells"),
    "large-sheet-XML": (lambda: large_sheet(200), "200 MB of sheet XML"),
    "long-text": (lambda: long_text(40_000_000), "one text of 40 million characters"),
    "entity-expansion": (entity_expansion, "a DTD that expands to gigabytes"),
    "lying-zip-size": (lying_size, "the zip states 1 kB for 100 MB"),
}
