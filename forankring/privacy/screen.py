"""Screen free text for personal data before it is saved.

No Django imports, so forms, imports and scripts can all call it and the benchmark can time it
alone. Messages for the user belong to the form layer, not here.

What is found (docs/PRIVACY.md, danish-context.md §6):

* ``cpr``: ``DDMMYY`` + optional separator + ``SSSS`` with a real calendar date that is not in the
  future, the century taken from digit 7 and the year (cpr.dk's table).
* ``replacement_cpr``: the same shape with 60 added to the day (erstatningspersonnumre, 61–91).
* ``ecpr``: the health sector's ``DDMMYY`` + century digit + two letters + one digit.
* ``email`` and ``phone`` (8 Danish digits, optional +45/0045): only with ``anonymous=True``,
  because they point at a person in an anonymous contribution, while a named one may carry the
  author's own contact details.

Names of persons are deliberately not found here: this screen decides what may never be saved,
while a name in an anonymous text is something the writer is warned about and may confirm
(``names.py`` finds them, ``namecheck.py`` asks in the form).

Confidence of CPR-shaped numbers, decided in this order:

1. A raising word (cpr, cpr-nr, cpr.nr, personnummer, personnr, pers.nr, født, ...) in the 40 characters before
   the number: ``HIGH``, whatever else is there.
2. Otherwise a lowering word (faktura, ordrenr, bilag, kundenr, sagsnr, journalnr, p-nr, cvr, ean,
   isbn, konto, reg.nr, varenr, ...) in those 40 characters means the number reads as a reference
   number and is **not reported**, with one exception: if modulus 11 passes **and** the number is
   written with a hyphen (``DDMMYY-SSSS``), it is reported as ``LOW``. A reference number passes
   modulus 11 about one time in eleven and is seldom hyphenated like a CPR number; a CPR number
   pasted next to the word "faktura" usually has both. An eCPR has no check digit, so a lowering
   word always suppresses it.
3. Otherwise ``HIGH`` if modulus 11 passes or the date is one of cpr.dk's 1 January exception
   dates, else ``MEDIUM``. Modulus 11 never gates: valid CPR numbers without it have been issued
   since 2007, and a missed CPR number is worse than a false alarm.

CPR numbers written with the date split up (``15 03 72 1240``, ``15.03.72-1240``,
``15-03-72-1240``, ``15/03/72 – 1240``; each of the two date gaps a space, or a dot, dash or slash
with optional spaces, the serial after a space, a dash, an en dash or `` - ``) look exactly like a
meeting date and a clock time, a version number, an order number or a budget line. They are
reported, always as ``HIGH``, only when a raising word stands **close** before them: nothing
between the word and the number but at most 30 characters without digits, line breaks or a
sentence end (``". K"``). Several such numbers in a row count as close too, so a list after one
word ("CPR-numre: 15 03 72 1240 og 23 11 85 2240") is caught whole. Date and century rules are
those of the unsplit form, and a day of 61–91 is a replacement number as above. Without the word
they are never reported.

Phones: ``HIGH`` with a +45/0045 prefix or a phone word (tlf, telefon, mobil, ring, sms,
kontakt) in the 40 characters before, else ``MEDIUM``. Not reported when a lowering word stands
nearer to the number than any phone word, when it reads as an amount (``kr.``, ``DKK``, ``,-``,
decimals), or when, without a prefix or phone word, the eight digits form a date (``26112026``,
``20261126``). E-mail addresses are always ``HIGH``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Final

__all__ = ["Confidence", "Finding", "Kind", "mask_text", "screen_text"]


class Kind(StrEnum):
    CPR = "cpr"
    REPLACEMENT_CPR = "replacement_cpr"
    ECPR = "ecpr"
    EMAIL = "email"
    PHONE = "phone"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Finding:
    """One hit. It deliberately cannot hold the matched text.

    ``masked`` is left out of ``repr`` as well: for a CPR number it still carries the birth date,
    which is personal data, and reprs end up in tracebacks, test output and logs.
    """

    kind: Kind
    confidence: Confidence
    masked: str = field(repr=False)
    start: int
    end: int


# cpr.dk, "Personnumre uden kontrolciffer" (updated 10-05-2023): 1 January of these years has
# numbers that fail modulus 11 yet are valid. The list is not guaranteed complete, which is one
# more reason modulus 11 only raises confidence.
_MOD11_EXCEPTION_YEARS: Final = frozenset(
    {
        1960, 1962, 1964, 1965, 1966, 1967, 1969, 1970, 1974, 1975, 1978, 1980, 1981,
        1982, 1983, 1984, 1985, 1986, 1987, 1988, 1989, 1990, 1991, 1992, 1994, 1995,
    }
)  # fmt: skip
_MOD11_WEIGHTS: Final = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
_CONTEXT_WINDOW: Final = 40
_REPLACEMENT_DAY_OFFSET: Final = 60

# Whitespace people (and word processors) put inside numbers; NBSP comes from pasted Word text.
_SP: Final = r"[ \t\u00a0]"
# Word autocorrects " - " to an en dash, so every dash variant counts as the CPR hyphen.
_DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014"

# The pattern starts with a bare digit class so the regex engine can skip non-digits quickly;
# the lookbehind right after it keeps us out of longer digit runs (12-digit numbers, IBANs).
# Letters next to the number are allowed: "scan_0101901234.pdf" and "nr0101901234" are still CPR.
# The split notation (``15 03 72 1240``, ``15.03.72-1240``) is a second branch of the same
# pattern, so both cost one pass over the text: its date gaps, and the serial gap (space, dash,
# en dash, " - ").
_DATE_GAP: Final = rf"(?:{_SP}?[./\-\u2013]{_SP}?|{_SP})"
_CPR_RE: Final = re.compile(
    rf"""
    (?P<dd>\d(?<!\d\d)\d)
    (?:
        (?P<mm>\d\d)(?P<yy>\d\d)
        (?P<sep>{_SP}?[{_DASHES}]{_SP}?|[ \t\u00a0/.])?
        (?:
            (?P<serial>\d{{4}})(?!\d)
          | (?P<ecpr>\d[A-Za-z]{{2}}\d)(?![^\W_])
        )
      | (?<!\d[.,/\-]\d\d)
        {_DATE_GAP}(?P<split_mm>\d\d){_DATE_GAP}(?P<split_yy>\d\d)
        (?:{_SP}?[{_DASHES}]{_SP}?|{_SP})
        (?P<split_serial>\d{{4}})(?![\d.,]?\d)
    )
    """,
    re.VERBOSE,
)

# Subscriber numbers start with 2-9 (0 and 1 are prefixes and short codes). Accepted groupings:
# 12345678, 1234 5678, 12 34 56 78, 12 34 5678. The lookaheads reject digits that continue into
# a longer number, grouped ("12 34 56 78 90") or decimal ("12345678,50"). The pattern starts with
# a digit class, not a lookbehind, so the engine skips prose fast; what stands before the number
# (a +45 prefix, or the tail of a longer number) is checked by _phone_start().
_PHONE_RE: Final = re.compile(
    rf"""
    [2-9]\d(?:\d{{6}}|\d\d{_SP}\d{{4}}|{_SP}\d\d{_SP}\d\d{_SP}\d\d|{_SP}\d\d{_SP}\d{{4}})
    (?!{_SP}?\d)(?![.,]\d)
    """,
    re.VERBOSE,
)
_PHONE_PREFIX_RE: Final = re.compile(rf"(?:(?:\+|(?<!\d)00)45{_SP}?[{_DASHES}]?{_SP}?|\(\+?45\){_SP}?)\Z")
_PHONE_PREFIX_MAX: Final = 8
_NUMBER_BEFORE_RE: Final = re.compile(rf"(?:[\d+]|\d[{_DASHES} \u00a0.,/])\Z")

# Only the text around each "@" is examined, never the whole text: a pattern that starts with
# [\w.]+ rescans every long word and goes quadratic on text without addresses.
_EMAIL_LOCAL_PUNCTUATION: Final = "._%+-'"
_EMAIL_MAX_LOCAL: Final = 64
_EMAIL_DOMAIN_RE: Final = re.compile(r"[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)+")
_EMAIL_MAX_DOMAIN: Final = 255

_WORD_START: Final = r"(?<![^\W\d_])"
_WORD_END: Final = r"(?![^\W\d_])"
_NR: Final = r"(?:[-.]?\s?(?:nr|nummer|nummeret|numre)\b\.?)"

_RAISING: Final = r"|".join(
    (
        rf"(?:e-?)?cpr{_NR}?",
        r"(?:erstatnings)?personnummer(?:et)?",
        r"personnr\.?",
        r"personnumre(?:ne)?",
        rf"pers{_NR}",
        r"født",
        r"fødselsdato",
    )
)
_LOWERING: Final = r"|".join(
    (
        rf"faktura(?:en|er|erne|{_NR})?",
        rf"ordre(?:n|r|rne|{_NR})?",
        rf"bilag(?:et|ene|s{_NR})?",
        rf"kunde{_NR}",
        r"kunde-?id",
        rf"sags?{_NR}",
        rf"journal{_NR}",
        rf"p{_NR}",
        rf"cvr{_NR}?",
        rf"ean{_NR}?",
        r"ean-?kode",
        r"isbn",
        rf"konto(?:en|{_NR})?",
        rf"reg(?:istrerings)?{_NR}",
        rf"vare{_NR}",
    )
)
_PHONE_RAISING: Final = r"|".join(
    (
        rf"tlf{_NR}?\.?",
        rf"telefon(?:en|{_NR})?",
        rf"mobil(?:en|telefon|{_NR})?",
        r"ring(?:e|er)?",
        r"sms",
        r"kontakt(?:es|e)?",
    )
)


_SPLIT_CONTEXT_MAX: Final = 30
# What may stand between a raising word (or the previous number of a list) and a split CPR number.
_CLOSE_GAP_RE: Final = re.compile(r"(?:(?![.!?]\s+[A-ZÆØÅ])[^\d\n])*\Z")


def _context_re(words: str) -> re.Pattern[str]:
    return re.compile(rf"{_WORD_START}(?:{words}){_WORD_END}", re.IGNORECASE)


_RAISING_RE: Final = _context_re(_RAISING)
_LOWERING_RE: Final = _context_re(_LOWERING)
_PHONE_RAISING_RE: Final = _context_re(_PHONE_RAISING)

_AMOUNT_AFTER_RE: Final = re.compile(rf"{_SP}?(?:kr\b|kroner|dkk|,-|mio|mia|euro|eur\b|€|%)", re.IGNORECASE)
_AMOUNT_BEFORE_RE: Final = re.compile(r"(?:kr\.?|dkk|€|beløb(?:et)?:?)\s?\Z", re.IGNORECASE)


def screen_text(text: str, *, anonymous: bool = False) -> list[Finding]:
    """Return the personal data found in ``text``, sorted by position.

    ``anonymous`` adds e-mail addresses and phone numbers. Overlapping hits keep the CPR kind
    (then e-mail, then phone) so that each character is reported at most once.
    """
    today = _latest_possible_today()
    findings: list[Finding] = []
    # A CPR number needs a four-digit serial; most prose has none, so skip the scan early.
    if _has_digit_run(text, 4):
        findings.extend(_screen_cpr(text, today))
    if anonymous:
        if "@" in text:
            findings.extend(_screen_email(text))
        if _has_digit_run(text, 2):
            findings.extend(_screen_phone(text))
    return _without_overlaps(findings)


def mask_text(text: str, *, anonymous: bool = True) -> str:
    """Return ``text`` with every finding replaced by its masked form, e.g. for a log line.

    ``anonymous`` defaults to True here, unlike ``screen_text``: a log should lose e-mail
    addresses and phone numbers too, whatever kind of contribution the text came from.
    """
    parts: list[str] = []
    position = 0
    for finding in screen_text(text, anonymous=anonymous):
        parts.append(text[position : finding.start])
        parts.append(finding.masked)
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


def _latest_possible_today() -> date:
    # Danish local time is at most a day ahead of UTC; allowing that day avoids a time-zone
    # database dependency and can only make the screen stricter.
    return datetime.now(tz=UTC).date() + timedelta(days=1)


_DIGIT_RUN_RES: Final = {n: re.compile(rf"\d{{{n}}}") for n in (2, 4)}


def _has_digit_run(text: str, length: int) -> bool:
    return _DIGIT_RUN_RES[length].search(text) is not None


def _screen_cpr(text: str, today: date) -> list[Finding]:
    found: list[Finding] = []
    for match in _CPR_RE.finditer(text):
        if match["split_serial"] is not None:
            previous_end = found[-1].end if found else -1
            split = _split_finding(text, match, today, previous_end)
            if split is not None:
                found.append(split)
            continue
        day, month, yy = int(match["dd"]), int(match["mm"]), int(match["yy"])
        serial = match["serial"]
        ecpr = match["ecpr"]
        century_digit = int((serial or ecpr)[0])
        kind = Kind.ECPR if ecpr else Kind.CPR
        if day > _REPLACEMENT_DAY_OFFSET:
            if ecpr:
                continue
            kind = Kind.REPLACEMENT_CPR
            day -= _REPLACEMENT_DAY_OFFSET
        born = (
            _ecpr_birth_date(day, month, yy, century_digit, today)
            if ecpr
            else _cpr_birth_date(day, month, yy, century_digit)
        )
        if born is None or born > today:
            continue
        mod11 = serial is not None and _passes_mod11(match["dd"] + match["mm"] + match["yy"] + serial)
        exception_date = kind is Kind.CPR and born.month == 1 and born.day == 1 and born.year in _MOD11_EXCEPTION_YEARS
        confidence = _cpr_confidence(
            text,
            match.start(),
            mod11=mod11,
            exception_date=exception_date,
            hyphenated=any(dash in (match["sep"] or "") for dash in _DASHES),
        )
        if confidence is None:
            continue
        masked = f"{match['dd']}{match['mm']}{match['yy']}-XXXX"
        found.append(Finding(kind, confidence, masked, match.start(), match.end()))
    return found


def _split_finding(text: str, match: re.Match[str], today: date, previous_end: int) -> Finding | None:
    """A split-notation CPR number, if a raising word, or the CPR number before it in a list,
    stands close before it (see the module docstring)."""
    start = match.start()
    # The word itself may be long (erstatningspersonnummeret), so look a little further back for it.
    word_end = _last_match_end(_RAISING_RE, text, max(0, start - 2 * _SPLIT_CONTEXT_MAX), start)
    anchor = max(word_end, previous_end)
    if anchor < 0 or start - anchor > _SPLIT_CONTEXT_MAX or not _CLOSE_GAP_RE.match(text, anchor, start):
        return None
    day, month, yy = int(match["dd"]), int(match["split_mm"]), int(match["split_yy"])
    serial = match["split_serial"]
    kind = Kind.CPR
    if day > _REPLACEMENT_DAY_OFFSET:
        kind = Kind.REPLACEMENT_CPR
        day -= _REPLACEMENT_DAY_OFFSET
    born = _cpr_birth_date(day, month, yy, int(serial[0]))
    if born is None or born > today:
        return None
    masked = f"{match['dd']}{match['split_mm']}{match['split_yy']}-XXXX"
    return Finding(kind, Confidence.HIGH, masked, start, match.end())


def _cpr_confidence(text: str, start: int, *, mod11: bool, exception_date: bool, hyphenated: bool) -> Confidence | None:
    window_start = max(0, start - _CONTEXT_WINDOW)
    if _RAISING_RE.search(text, window_start, start):
        return Confidence.HIGH
    if _LOWERING_RE.search(text, window_start, start):
        return Confidence.LOW if mod11 and hyphenated else None
    if mod11 or exception_date:
        return Confidence.HIGH
    return Confidence.MEDIUM


def _cpr_birth_date(day: int, month: int, yy: int, century_digit: int) -> date | None:
    # cpr.dk's table: digit 7 together with the two-digit year gives the century.
    if century_digit <= 3:
        year = 1900 + yy
    elif century_digit in (4, 9):
        year = 2000 + yy if yy <= 36 else 1900 + yy
    else:
        year = 2000 + yy if yy <= 57 else 1800 + yy
    return _safe_date(year, month, day)


def _ecpr_birth_date(day: int, month: int, yy: int, century_digit: int, today: date) -> date | None:
    # X-eCPR uses 1 for the 1900s and 7 for the 2000s, older variants differ; when the digit
    # does not settle it, accept whichever century gives a real past date.
    centuries = (1900,) if century_digit <= 3 else (2000, 1900)
    for century in centuries:
        born = _safe_date(century + yy, month, day)
        if born is not None and born <= today:
            return born
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _passes_mod11(digits: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(digits, _MOD11_WEIGHTS, strict=True))
    return total % 11 == 0


def _screen_email(text: str) -> list[Finding]:
    found: list[Finding] = []
    at = text.find("@")
    while at != -1:
        start = _email_local_start(text, at)
        domain = _EMAIL_DOMAIN_RE.match(text, at + 1, at + 1 + _EMAIL_MAX_DOMAIN)
        if start < at and domain:
            tld = domain.group().rsplit(".", 1)[1]
            if tld.isalpha() and len(tld) >= 2:
                masked = f"{text[start]}***@***.{tld}"
                found.append(Finding(Kind.EMAIL, Confidence.HIGH, masked, start, domain.end()))
        at = text.find("@", at + 1)
    return found


def _email_local_start(text: str, at: int) -> int:
    start = at
    limit = max(0, at - _EMAIL_MAX_LOCAL)
    while start > limit and (text[start - 1].isalnum() or text[start - 1] in _EMAIL_LOCAL_PUNCTUATION):
        start -= 1
    # Sentence punctuation before the address ("(.ole@...", "'ole@...") is not part of it.
    while start < at and text[start] in _EMAIL_LOCAL_PUNCTUATION and text[start] != "_":
        start += 1
    return start


def _screen_phone(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _PHONE_RE.finditer(text):
        located = _phone_start(text, match.start())
        if located is None:
            continue
        (start, prefixed), end, number = located, match.end(), match.group()
        digits = "".join(char for char in number if char.isdigit())
        window_start = max(0, start - _CONTEXT_WINDOW)
        phone_word_end = _last_match_end(_PHONE_RAISING_RE, text, window_start, start)
        # The nearer word labels the number: "faktura betalt, ring 23 45 67 89" is a phone, while
        # "tlf. 23 45 67 89, CVR 29 18 98 46" has one phone and one company number.
        if _last_match_end(_LOWERING_RE, text, window_start, start) > phone_word_end:
            continue
        phone_word = phone_word_end >= 0
        if not prefixed and _looks_like_amount(text, start, end):
            continue
        if not (prefixed or phone_word) and digits == number and _is_compact_date(digits):
            continue
        if not prefixed and _is_year_pair(number):
            continue
        confidence = Confidence.HIGH if prefixed or phone_word else Confidence.MEDIUM
        masked = ("+45 " if prefixed else "") + f"XX XX XX {digits[-2:]}"
        found.append(Finding(Kind.PHONE, confidence, masked, start, end))
    return found


def _last_match_end(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    last = -1
    for match in pattern.finditer(text, start, end):
        last = match.end()
    return last


def _phone_start(text: str, start: int) -> tuple[int, bool] | None:
    """Where the phone number really starts and whether it has a +45 prefix; None if the digits
    are the tail of a longer number."""
    prefix = _PHONE_PREFIX_RE.search(text, max(0, start - _PHONE_PREFIX_MAX), start)
    if prefix is not None:
        return prefix.start(), True
    if _NUMBER_BEFORE_RE.search(text, max(0, start - 2), start) is not None:
        return None
    return start, False


def _looks_like_amount(text: str, start: int, end: int) -> bool:
    return (
        _AMOUNT_AFTER_RE.match(text, end) is not None
        or _AMOUNT_BEFORE_RE.search(text, max(0, start - 10), start) is not None
    )


def _is_compact_date(digits: str) -> bool:
    # 26112026 and 20261126 are dates far more often than phone numbers.
    day_first = _safe_date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    year_first = _safe_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    return any(d is not None and 1900 <= d.year <= 2099 for d in (day_first, year_first))


def _is_year_pair(number: str) -> bool:
    # "2025 2026" in a budget sentence has the 4+4 shape of a phone number.
    groups = number.split()
    return len(groups) == 2 and all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)


_PRIORITY: Final = {
    Kind.CPR: 0,
    Kind.REPLACEMENT_CPR: 0,
    Kind.ECPR: 0,
    Kind.EMAIL: 1,
    Kind.PHONE: 2,
}


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    # Kept findings never overlap, so sorting them by start also sorts them by end and only the
    # two neighbours of an insertion point can collide; that keeps this O(n log n) on big texts.
    kept: list[Finding] = []
    starts: list[int] = []
    for finding in sorted(findings, key=lambda f: (_PRIORITY[f.kind], f.start)):
        index = bisect.bisect_left(starts, finding.start)
        if index > 0 and kept[index - 1].end > finding.start:
            continue
        if index < len(kept) and kept[index].start < finding.end:
            continue
        starts.insert(index, finding.start)
        kept.insert(index, finding)
    return kept
