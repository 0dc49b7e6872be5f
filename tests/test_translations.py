"""The English catalogue: complete, compiled, faithful to its placeholders, and covering the source.

The interface is written in Danish (the msgids) and translated into English in
forankring/locale/en/LC_MESSAGES/django.po. A fresh machine may not have the gettext tools, so
the compiled .mo files are committed and nothing here runs xgettext or msgfmt: the .po and .mo
files are read by the small readers below, and the translatable strings of the source are found
with Django's own template preprocessor and Python's tokenizer.

When a test here fails after you added or changed a string, run `make messages`, translate the
new entries in the English .po file (no fuzzy flags left) and commit the .po and .mo files.
"""

from __future__ import annotations

import ast
import io
import re
import struct
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse, HttpResponseBase
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from forankring.core.orgfile import COLUMNS
from tests.access_table import ANONYMOUS, Route, pages
from tests.core.orgdata import make_rows, to_csv
from tests.factories import Personas

LOCALE = Path(settings.LOCALE_PATHS[0])
SOURCE = Path(settings.BASE_DIR) / "forankring"

# --- Reading .po and .mo files ----------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)  # one string, or one per plural form
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def read_po(text: str) -> list[Entry]:
    """The entries of a .po file, header (msgid "") included; enough of the format for our files."""
    entries: list[Entry] = []
    current = Entry(msgid="")
    flags: set[str] = set()
    last = ""  # the keyword a continuation line adds to
    for raw in text.splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if not line or line.startswith(("#", "|")):
            continue  # comments, and the previous msgid of a fuzzy entry
        if line.startswith('"'):
            keyword, value = last, ast.literal_eval(line)
            if keyword.startswith("msgstr"):
                current.msgstr[-1] += value
            else:
                setattr(current, keyword, (getattr(current, keyword) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        if keyword == "msgctxt" or (keyword == "msgid" and last != "msgctxt"):
            current = Entry(msgid="", flags=flags, obsolete=obsolete)
            entries.append(current)
            flags = set()
        if keyword in {"msgctxt", "msgid", "msgid_plural"}:
            setattr(current, keyword, value)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            current.msgstr.append(value)
        else:
            raise AssertionError(f"unexpected .po line: {raw!r}")
        last = keyword
    return entries


def read_mo(data: bytes) -> dict[tuple[str | None, str], tuple[str | None, list[str]]]:
    """A compiled catalogue as {(context, msgid): (msgid_plural, [msgstr, ...])}, header included."""
    if data[:4] == b"\xde\x12\x04\x95":
        order = "<"
    elif data[:4] == b"\x95\x04\x12\xde":
        order = ">"
    else:
        raise AssertionError("not a .mo file")
    _, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    catalogue = {}
    for i in range(count):
        length, offset = struct.unpack(order + "2I", data[originals + 8 * i : originals + 8 * i + 8])
        original = data[offset : offset + length].decode()
        length, offset = struct.unpack(order + "2I", data[translations + 8 * i : translations + 8 * i + 8])
        translated = data[offset : offset + length].decode()
        context, _, original = original.rpartition("\x04")
        msgid, _, plural = original.partition("\x00")
        catalogue[(context or None, msgid)] = (plural or None, translated.split("\x00"))
    return catalogue


def catalogue(language: str) -> list[Entry]:
    return read_po((LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))


def messages(language: str) -> list[Entry]:
    """The catalogue without its header."""
    return [entry for entry in catalogue(language) if entry.msgid or entry.msgctxt]


def label(entry: Entry) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"


# --- Placeholders ---------------------------------------------------------------------------

PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACES = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")
TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str, flags: set[str]) -> list[str]:
    found = list(TAGS.findall(text))
    if "python-format" in flags:
        found += [p for p in PERCENT.findall(text) if p != "%%"]
    if "python-brace-format" in flags:
        found += BRACES.findall(text)
    return sorted(found)


def placeholder_problems(entry: Entry) -> list[str]:
    """What a translation gets wrong about the placeholders, tags and template syntax of its source."""
    problems = []
    sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
    for index, translated in enumerate(entry.msgstr):
        source = sources[min(index, len(sources) - 1)]
        if not translated:
            continue
        want, got = placeholders(source, entry.flags), placeholders(translated, entry.flags)
        if want != got:
            problems.append(f"{label(entry)} [{index}]: the source has {want}, the translation {got}")
        if "{{" in translated or "{%" in translated:
            problems.append(f"{label(entry)} [{index}]: template syntax in the translation: {translated!r}")
    return problems


# --- The translatable strings of the source, without xgettext -------------------------------

# xgettext's keywords as Django's makemessages passes them, with where the strings are:
# (context argument, msgid argument, plural argument), counted from 0.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True)
class SourceString:
    where: str
    msgid: str
    msgid_plural: str | None
    msgctxt: str | None


def _string_arguments(tokens: list[tokenize.TokenInfo], start: int) -> list[str | None]:
    """The arguments of the call whose "(" is at tokens[start]: each a string literal or None."""
    arguments: list[str | None] = []
    parts: list[str] = []
    literal = True
    depth = 0
    for token in tokens[start + 1 :]:
        if token.type in {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT}:
            continue
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
            literal = False
        elif token.type == tokenize.OP and token.string in ")]}":
            if depth == 0:
                arguments.append("".join(parts) if literal and parts else None)
                return arguments
            depth -= 1
        elif depth == 0 and token.type == tokenize.OP and token.string == ",":
            arguments.append("".join(parts) if literal and parts else None)
            parts, literal = [], True
        elif depth == 0 and token.type == tokenize.STRING and literal:
            try:
                value = ast.literal_eval(token.string)
            except (ValueError, SyntaxError):  # an f-string, which xgettext cannot extract either
                value = None
            if isinstance(value, str):
                parts.append(value)
            else:
                literal = False
        else:
            literal = False
    return arguments


def strings_in_code(code: str, where: str) -> Iterator[SourceString]:
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type != tokenize.ENCODING]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if tokens[i + 1].string != "(" or (i > 0 and tokens[i - 1].string == "def"):
            continue
        context, singular, plural = KEYWORDS[token.string]
        arguments = _string_arguments(tokens, i + 1)
        msgid = _argument(arguments, singular)
        if msgid is None:
            continue  # a variable, not a literal: nothing to extract
        yield SourceString(
            f"{where}:{token.start[0]}", msgid, _argument(arguments, plural), _argument(arguments, context)
        )


def _argument(arguments: list[str | None], index: int | None) -> str | None:
    return arguments[index] if index is not None and index < len(arguments) else None


def strings_in_template(template: str, where: str) -> Iterator[SourceString]:
    # Django's preprocessor turns a template into gettext() calls, as for makemessages. Its
    # output keeps the template's indentation, which means nothing here but would trip the
    # tokenizer; every call it writes sits on one line.
    code = "\n".join(line.strip() for line in templatize(template).splitlines())
    return strings_in_code(code, where)


def source_strings() -> list[SourceString]:
    """Every translatable string makemessages would find in forankring/, as Django would extract it."""
    found: list[SourceString] = []
    for path in sorted(SOURCE.rglob("*")):
        where = str(path.relative_to(SOURCE.parent))
        if path.suffix == ".py" and "migrations" not in path.parts:
            found += strings_in_code(path.read_text(encoding="utf-8"), where)
        elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
            found += strings_in_template(path.read_text(encoding="utf-8"), where)
    return found


# --- The visible text of a page -------------------------------------------------------------

# Attributes a person reads or hears (screen readers, the responsive tables' column names, the
# label app.js gives the phone menu's overflow button).
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "data-title", "data-more-label")
SKIPPED_TAGS = {"script", "style", "code", "template"}


class _VisibleText(HTMLParser):
    """The text a person sees or hears in a page, without code samples and text marked as Danish."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self._skipping: list[str] = []  # the open element that started a skip, and any of the same tag inside it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self._skipping:
            if tag == self._skipping[0]:
                self._skipping.append(tag)
            return
        lang = values.get("lang")
        if tag in SKIPPED_TAGS or (lang and tag != "html" and not lang.startswith(self.language)):
            self._skipping.append(tag)
            return
        self.parts += [values[name] for name in READ_ATTRIBUTES if values.get(name)]
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[0]:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str, language: str) -> str:
    parser = _VisibleText(language)
    parser.feed(html)
    parser.close()
    return " | ".join(parser.parts)


# Words that are everyday Danish and not English, and the Danish letters. A Danish string that
# slipped past the catalogue almost always has one of them.
_DANISH = frozenset(
    {
        "og",
        "ikke",
        "eller",
        "der",
        "det",
        "den",
        "er",
        "et",
        "af",
        "til",
        "med",
        "som",
        "har",
        "kan",
        "skal",
        "vil",
        "du",
        "dig",
        "din",
        "dit",
        "dine",
        "vi",
        "jeres",
        "ingen",
        "alle",
        "fra",
        "hvem",
        "hvad",
        "hvor",
        "hvis",
        "mig",
        "min",
        "mine",
        "sig",
        "blev",
        "bliver",
        "endnu",
        "fx",
        "nej",
        "ja",
        "tak",
        "vis",
        "gem",
        "nulstil",
        "annuller",
        "fjern",
        "skift",
        "sprog",
        "forside",
        "tilbage",
        "indstillinger",
        "personer",
        "roller",
        "enheder",
        "enhed",
        "rolle",
        "medarbejder",
        "medarbejdere",
        "navn",
        "kommune",
        "kommunen",
        "linje",
        "kolonne",
        "hent",
        "fejl",
        "forrige",
        "mere",
    }
)
# Lower case or capitalised, as in running text; not in capitals, where "MED" is the works council.
DANISH_WORDS = re.compile(r"\b(?:" + "|".join(f"[{w[0]}{w[0].upper()}]{w[1:]}" for w in _DANISH) + r")\b")
DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")
# Text that is Danish on purpose in the English interface: names of things, and values a person
# types in Danish (quoted, as in “ja” or “nej”).
PROPER_NAMES = ("Det Fælles Designsystem",)
QUOTED = re.compile(r"“[^”]*”")
WEB_ADDRESS = re.compile(r"\bhttps?://\S+")


def danish_in(text: str, data: set[str]) -> list[str]:
    """The Danish words and letters left in English page text once data values are taken out."""
    data = {value for value in data if len(value.strip()) > 1}
    if data:
        # Whole words only, longest first, so a stored value never eats part of a word.
        values = "|".join(re.escape(v) for v in sorted(data, key=len, reverse=True))
        text = re.sub(rf"(?<!\w)(?:{values})(?!\w)", " ", text)
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    text = WEB_ADDRESS.sub(" ", QUOTED.sub(" ", text))
    found = [m.group(0) for m in DANISH_WORDS.finditer(text)]
    found += [text[max(m.start() - 15, 0) : m.end() + 15] for m in DANISH_LETTERS.finditer(text)]
    return found


def _strings_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


def not_danish_words(values: Iterable[str]) -> Iterator[str]:
    """The values, less those that are a Danish word on their own (a username such as "med"):
    taken out of the page text, they would hide that word wherever the interface uses it."""
    return (value for value in values if value.lower() not in _DANISH)


def data_values() -> set[str]:
    """Every text stored in the database (names of people, units, areas...) and the organisation
    file's example values: Danish by nature, whatever the interface language."""
    found: set[str] = set()
    for model in apps.get_models():
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
        ]
        if text_fields:
            for row in model._default_manager.values_list(*text_fields):
                for value in _strings_in(row):
                    # A text of several lines (learning goals, say) may be shown line by line.
                    found.add(value)
                    found.update(line.strip() for line in value.splitlines())
    found = set(not_danish_words(found))
    for column in COLUMNS:
        found.add(column.example)
        found.update(part.strip() for part in column.example.split("/"))
    return found


# --- Tests ----------------------------------------------------------------------------------


def test_it_translates_every_source_string_into_english():
    untranslated = [label(e) for e in messages("en") if not e.msgstr or not all(s.strip() for s in e.msgstr)]
    assert not untranslated, "Untranslated in en/django.po:\n" + "\n".join(untranslated)
    fuzzy = [label(e) for e in messages("en") if "fuzzy" in e.flags]
    assert not fuzzy, "Fuzzy (unchecked) entries in en/django.po:\n" + "\n".join(fuzzy)
    obsolete = [label(e) for e in catalogue("en") if e.obsolete]
    assert not obsolete, "Obsolete entries in en/django.po:\n" + "\n".join(obsolete)
    plural_forms = [len(e.msgstr) for e in messages("en") if e.msgid_plural is not None]
    assert set(plural_forms) <= {2}, "English has two plural forms"


def test_it_leaves_the_danish_catalogue_to_the_source_strings():
    # The msgids are the Danish text. A Danish msgstr would only be a second copy to keep in step;
    # a half-filled plural would even show the singular for every number (see the plural test).
    filled = [label(e) for e in messages("da") if any(e.msgstr) or "fuzzy" in e.flags]
    assert not filled, "Danish entries with a msgstr or a fuzzy flag:\n" + "\n".join(filled)
    assert {e.key for e in messages("da")} == {e.key for e in messages("en")}, "run `make messages`"


def compiled(language: str) -> dict[tuple[str | None, str], tuple[str | None, list[str]]]:
    return read_mo((LOCALE / language / "LC_MESSAGES" / "django.mo").read_bytes())


def _header(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def differences(po: list[Entry], mo: dict[tuple[str | None, str], tuple[str | None, list[str]]]) -> list[str]:
    """Where a compiled catalogue does not say what its .po file says (the header aside)."""
    problems = []
    po_header, mo_header = _header(po[0].msgstr[0]), _header(mo[(None, "")][1][0])
    if po_header.get("Plural-Forms") != mo_header.get("Plural-Forms"):
        problems.append(f"Plural-Forms: .po has {po_header.get('Plural-Forms')}, .mo {mo_header.get('Plural-Forms')}")
    # msgfmt leaves out what is untranslated or fuzzy, and Django then shows the msgid.
    expected = {
        e.key: (e.msgid_plural, e.msgstr) for e in po[1:] if not e.obsolete and "fuzzy" not in e.flags and all(e.msgstr)
    }
    found = {key: value for key, value in mo.items() if key != (None, "")}
    problems += sorted(
        f"{key[1]!r}: .po has {expected.get(key)}, .mo has {found.get(key)}"
        for key in expected.keys() | found.keys()
        if expected.get(key) != found.get(key)
    )
    return problems


@pytest.mark.parametrize("language", ["en", "da"])
def test_it_ships_compiled_catalogues_that_match_the_po_files(language: str):
    mo = compiled(language)
    assert _header(mo[(None, "")][1][0])["Content-Type"] == "text/plain; charset=UTF-8"
    stale = differences(catalogue(language), mo)
    assert not stale, f"{language}/django.mo is out of date; run `make messages`:\n" + "\n".join(stale)


def test_it_finds_a_compiled_catalogue_that_is_out_of_date():
    po, mo = catalogue("en"), compiled("en")
    assert differences(po, mo) == []
    changed = [replace(e, msgstr=[s + "!" for s in e.msgstr]) if e.msgid == "Gem" else e for e in po]
    assert differences(changed, mo) == ["'Gem': .po has (None, ['Save!']), .mo has (None, ['Save'])"]
    assert differences([e for e in po if e.msgid != "Gem"], mo) == ["'Gem': .po has None, .mo has (None, ['Save'])"]
    assert differences([*po, Entry("Ny tekst", msgstr=["New text"])], mo) == [
        "'Ny tekst': .po has (None, ['New text']), .mo has None"
    ]


def test_it_keeps_the_placeholders_of_the_source_in_the_translation():
    problems = [p for entry in messages("en") for p in placeholder_problems(entry)]
    assert not problems, "\n".join(problems)


def test_it_finds_a_missing_or_renamed_placeholder():
    flags = {"python-format"}
    assert placeholder_problems(Entry("Hej %(name)s", msgstr=["Hello %(navn)s"], flags=flags))
    assert placeholder_problems(Entry("%(n)d linjer", msgstr=["%(n)s lines"], flags=flags))
    assert placeholder_problems(Entry("Se <a href='x'>her</a>", msgstr=["See here"]))
    assert placeholder_problems(Entry("Hej {{ navn }}", msgstr=["Hello {{ navn }}"]))
    assert placeholder_problems(
        Entry("%(n)s fejl", msgid_plural="%(n)s fejl", msgstr=["%(n)s error", "errors"], flags=flags)
    )
    assert not placeholder_problems(
        Entry(
            "Vent et minut.",
            msgid_plural="Vent %(m)s minutter.",
            msgstr=["Wait a minute.", "Wait %(m)s minutes."],
            flags=flags,
        )
    )


def test_it_has_every_translatable_string_of_the_source_in_the_catalogue():
    entries = {e.key: e for e in messages("en")}
    found = source_strings()
    assert len(found) > 300, "the extraction found too little to be working"
    missing = []
    for string in found:
        entry = entries.get((string.msgctxt, string.msgid))
        if entry is None or entry.msgid_plural != string.msgid_plural:
            missing.append(f"{string.where}: {string.msgid!r}")
    assert not missing, "Not in en/django.po (run `make messages` and translate):\n" + "\n".join(missing)


def test_it_extracts_strings_as_makemessages_does():
    code = (
        'x = _("En " "to")\n'
        'y = ngettext("%(n)s linje", "%(n)s linjer", n)\n'
        'z = pgettext("knap", "Gem")\n'
        "w = _(variable)\n"
        'v = _(f"Hej {navn}")\n'
    )
    assert [(s.msgid, s.msgid_plural, s.msgctxt) for s in strings_in_code(code, "x.py")] == [
        ("En to", None, None),
        ("%(n)s linje", "%(n)s linjer", None),
        ("Gem", None, "knap"),
    ]
    template = (
        '{% translate "Gem" %} {% blocktranslate count n=k %}{{ n }} linje{% plural %}{{ n }} linjer'
        '{% endblocktranslate %} {% include "x.html" with heading=_("Demo") %}'
    )
    assert [(s.msgid, s.msgid_plural) for s in strings_in_template(template, "x.html")] == [
        ("Gem", None),
        ("%(n)s linje", "%(n)s linjer"),
        ("Demo", None),
    ]


@pytest.mark.parametrize("language", ["da", "en"])
def test_it_shows_the_right_plural_form_for_every_plural_string(language: str):
    for entry in messages("en"):
        if entry.msgid_plural is None:
            continue
        with translation.override(language):
            one = translation.ngettext(entry.msgid, entry.msgid_plural, 1)
            many = translation.ngettext(entry.msgid, entry.msgid_plural, 3)
        if language == "da":
            assert (one, many) == (entry.msgid, entry.msgid_plural)
        else:
            assert (one, many) == (entry.msgstr[0], entry.msgstr[1])


def test_it_shows_danish_plurals_in_a_template():
    template = engines["django"].from_string(
        "{% blocktranslate count counter=n %}{{ counter }} hændelse{% plural %}{{ counter }} hændelser"
        "{% endblocktranslate %}"
    )
    with translation.override("da"):
        assert [template.render({"n": n}) for n in (1, 2)] == ["1 hændelse", "2 hændelser"]
    with translation.override("en"):
        assert [template.render({"n": n}) for n in (1, 2)] == ["1 event", "2 events"]


def _english_client(personas: Personas, who: str) -> Client:
    client = Client()
    if who != ANONYMOUS:
        client.force_login(getattr(personas, who).user)
    # Through the language switch, as a person would.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    return client


@pytest.mark.parametrize("route", pages(), ids=lambda r: r.name)
def test_it_shows_every_page_in_english(route: Route, personas: Personas):
    # The URLs first: building one may create the object it points at, whose texts are data.
    urls = {who: route.url(personas, who) for who in sorted(route.allowed)}
    data = data_values()
    failures = []
    for who, url in urls.items():
        response = _english_client(personas, who).get(url)
        assert response.status_code == 200, f"{who}: GET {url}"
        html = response.content.decode()
        assert '<html lang="en">' in html
        danish = danish_in(visible_text(html, "en"), data)
        if danish:
            failures.append(f"  {who}: {url}: {danish}")
    assert not failures, f"Danish text on {route.name} in English:\n" + "\n".join(failures)


def test_it_shows_the_error_pages_in_english(personas: Personas):
    not_found = _english_client(personas, "employee").get("/findes-ikke/")
    assert not_found.status_code == 404
    nobody = Client()
    nobody.force_login(User.objects.create_user(username="nobody"))  # signed in, in no municipality
    assert nobody.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    no_access = nobody.get(reverse("core:home"))
    assert no_access.status_code == 403
    # (The server error page is left out: it uses no catalogue, since whatever failed may be what
    # it needs, and says its message in both languages.)
    data = data_values()
    for html in (not_found.content.decode(), no_access.content.decode()):
        assert danish_in(visible_text(html, "en"), data) == [], html


def test_it_shows_form_errors_results_and_messages_in_english(personas: Personas):
    employee = _english_client(personas, "employee")
    admin = _english_client(personas, "admin")
    anonymous = _english_client(personas, ANONYMOUS)
    good_file = make_rows(30)
    bad_file = [list(row) for row in good_file]
    bad_file[3][0] = ""  # no employee number
    bad_file[5][2] = "ikke-en-mail@"
    bad_file[7][6] = "måske"  # neither ja nor nej
    bad_file[9][4] = "Pædagog 010190-1234"  # a CPR number in the job title
    import_url = reverse("core:admin_import")

    def html(response: HttpResponseBase) -> str:
        assert isinstance(response, HttpResponse) and response.status_code == 200, response
        return response.content.decode()

    def upload(rows: list[list[str]]) -> str:
        file = SimpleUploadedFile("ansatte.csv", to_csv(rows))
        return html(admin.post(import_url, {"step": "preview", "file": file}))

    texts = {
        "empty concern": html(employee.post(reverse("privacy:concern_new"), {"kind": "", "text": ""})),
        "concern with a CPR number": html(
            employee.post(reverse("privacy:concern_new"), {"kind": "wish", "text": "Citizen 010190-1234 phoned"})
        ),
        "bad settings": html(
            admin.post(
                reverse("core:admin_settings"),
                {"level_names_text": "", "accessibility_statement_url": "not an address", "k_min": "1"},
            )
        ),
        "bad role form": html(
            admin.post(reverse("core:admin_person", kwargs={"pk": personas.employee.pk}), {"role": "x"})
        ),
        "wrong password": html(anonymous.post(reverse("core:login"), {"username": "admin", "password": "wrong"})),
        "organisation file with errors": upload(bad_file),
        "organisation file to check": upload(good_file),
    }
    token = re.search(r'name="token" value="([^"]+)"', texts["organisation file to check"])
    assert token, "the import summary has no confirmation form"
    texts["organisation imported"] = html(
        admin.post(import_url, {"step": "confirm", "token": token.group(1)}, follow=True)
    )
    assert "The organisation has been imported" in texts["organisation imported"]
    assert "CPR number" in texts["concern with a CPR number"]
    data = data_values() | set(not_danish_words(cell for row in bad_file for cell in row))
    failures = []
    for name, text in texts.items():
        danish = danish_in(visible_text(text, "en"), data)
        if danish:
            failures.append(f"  {name}: {danish}")
    assert not failures, "Danish text in English forms and results:\n" + "\n".join(failures)


def test_it_writes_dates_the_way_each_language_does(personas: Personas, client_for):
    admin = client_for("admin")
    settings_form = {"level_names_text": "Direktion, Center, Team", "accessibility_statement_url": "", "k_min": "5"}
    assert admin.post(reverse("core:admin_settings"), settings_form).status_code == 302  # one log entry
    when = re.compile(r"<time datetime=\"[^\"]+\">([^<]+)</time>")
    danish = when.findall(admin.get(reverse("core:admin_audit")).content.decode())
    english = when.findall(_english_client(personas, "admin").get(reverse("core:admin_audit")).content.decode())
    assert danish and all(re.fullmatch(r"\d{1,2}\. [a-zæøå]{3} \d{4}, \d\d:\d\d", d) for d in danish), danish
    assert english and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", e) for e in english), english


def test_it_writes_large_numbers_the_way_each_language_does(personas: Personas, client_for):
    danish = client_for("admin").get(reverse("core:admin_import")).content.decode()
    english = _english_client(personas, "admin").get(reverse("core:admin_import")).content.decode()
    assert "Højst 10 MB og 50.000 linjer." in danish
    assert "At most 10 MB and 50,000 lines." in english


def test_it_finds_danish_text_on_a_danish_page(client_for):
    # The English checks above pass only if this one finds something.
    html = client_for("employee").get(reverse("core:home")).content.decode()
    assert len(danish_in(visible_text(html, "da"), data_values())) > 10
    assert danish_in("<h2>Noget, der ikke er oversat</h2>", set())
    assert danish_in("Forside", set()) == ["Forside"]
    assert not danish_in("Write “ja” or “nej”. Welcome, Tina Teamleder", {"Tina Teamleder"})
    assert visible_text(
        '<p>A <code>leder</code> <option lang="da">Dansk</option> <b title="Hjælp">B</b></p>', "en"
    ) == ("A | Hjælp | B")
