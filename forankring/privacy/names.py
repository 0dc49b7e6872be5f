"""Find names of persons in anonymous texts, so the form can warn before a name undoes anonymity.

No Django imports, like ``screen.py``: the roster is handed in as plain strings (see
``roster.py`` for where it comes from), so the benchmark can time the check alone.

A name is reported when the text has, with capital initials:

* **a first name and a surname**: ``Karen Jensen``, ``Anne-Marie Bach Sørensen``,
  ``Jens P. Hansen``, ``Karen Jensens bil`` (the genitive counts);
* **a role word and a first name**: ``pædagog Karen``, ``min leder Jens``, ``kollegaen Fatima``,
  ``Sygeplejersken Mette`` (a role word stands right before the name, nothing but spaces between).

A first name on its own is not reported ("spørg Karen" stays quiet): alone it is too often a word,
a unit or a product to warn about, and the warning must stay rare enough to be read.

First names and surnames come from the shipped lists in ``data/names`` (common names in Denmark,
see its README) and from the municipality's roster: the first word of each of its people's names
is a first name, the last word and any middle words are surnames, and the whole name counts as
a known full name.

Words that are not persons are told apart by context:

* a first name that is also an ordinary word (``word_names.txt``: Bo, Rose, Sol, Holm, Vang …) at
  the start of a sentence is read as the word, unless a role word stands before it, the whole
  name is a person on the roster, or the surname is not itself a word ("Bo Jensen");
* a name followed by vej, gade, allé, plads, skole … is a place or an institution
  ("Karen Blixens Vej", "H.C. Andersen Skolen");
* a candidate that lies inside a known non-person phrase is not a person: Danish places and AI and
  office tools (``not_persons.txt``), the municipality's unit names and whatever the registered
  non-person sources give (``roster.register_non_person_source``, e.g. the tool register).

``NameFinding`` holds the masked name only ("K… J…"), never the text, for the same reason
``screen.Finding`` does not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = ["NameFinding", "NameIndex", "common_index", "find_names", "mask_name"]

DATA_DIR: Final = Path(__file__).resolve().parent / "data" / "names"

_UPPER: Final = "A-ZÆØÅÄÖÜÉÈÁÓÍÚÑÇŞŚŁŻ"
_LETTERS: Final = "a-zæøåäöüéèëïáóúíñçşśłżćęąńő"
_LOWER: Final = _LETTERS + "'"
# A capitalised word of at least two letters, hyphenated parts included (Anne-Marie, Skovgaard-Nielsen).
_CAP: Final = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}{_LETTERS}][{_LOWER}]+)*"
_CAP_RE: Final = re.compile(_CAP)
_SPACE: Final = r"[ \t\u00a0]+"
# What may follow a first name inside a full name: another capitalised word or an initial ("P.").
_NEXT_RE: Final = re.compile(rf"{_SPACE}(?:(?P<word>{_CAP})(?![{_LOWER}\d])|(?P<initial>[{_UPPER}])\.)")
_MAX_FOLLOWING: Final = 3

_ROLE_WORDS: Final = (
    r"pædagog(?:en|medhjælper(?:en)?)?",
    r"(?:team|afdelings|institutions|skole|dagtilbuds|køkken|viceskole|mellem)?leder(?:en)?",
    r"(?:sous|center)?chef(?:en)?",
    r"direktør(?:en)?",
    r"kollega(?:en)?",
    r"kollegen",
    r"sygeplejerske(?:n)?",
    r"sosu(?:-assistent(?:en)?|-hjælper(?:en)?)?",
    r"(?:hjemme|med)?hjælper(?:en)?",
    r"lærer(?:en|inde(?:n)?)?",
    r"(?:sags|social)?behandler(?:en)?",
    r"socialrådgiver(?:en)?",
    r"rådgiver(?:en)?",
    r"konsulent(?:en)?",
    r"vikar(?:en)?",
    r"elev(?:en)?",
    r"praktikant(?:en)?",
    r"(?:ergo|fysio)?terapeut(?:en)?",
    r"tillidsrepræsentant(?:en)?",
    r"tr",
    r"arbejdsmiljørepræsentant(?:en)?",
    r"(?:næst)?formand(?:en)?",
    r"sekretær(?:en)?",
    r"assistent(?:en)?",
    r"visitator(?:en)?",
    r"dagplejer(?:en)?",
    r"dagplejemor(?:en)?",
    r"kok(?:ken)?",
    r"pedel(?:len)?",
    r"(?:service)?medarbejder(?:en)?",
    r"(?:natte|aften|dag)vagt(?:en)?",
    r"makker(?:en)?",
    r"mentor(?:en)?",
    r"borger(?:en)?",
    r"beboer(?:en)?",
    r"patient(?:en)?",
    r"pårørende",
    r"læge(?:n)?",
    r"psykolog(?:en)?",
    r"vejleder(?:en)?",
    r"underviser(?:en)?",
    r"koordinator(?:en)?",
    r"supporter(?:en)?",
    r"nabo(?:en)?",
    r"hr\.",
    r"fru",
)
_ROLE_WORD_RE: Final = re.compile(rf"(?:{'|'.join(_ROLE_WORDS)})", re.IGNORECASE)
_ROLE_LOOKBEHIND: Final = 45

# After the name, a word that makes it a street, a square or an institution named after someone.
_PLACE_AFTER_RE: Final = re.compile(
    rf"{_SPACE}(?:vej|gade|allé|alle|plads|boulevard|stræde|skole(?:n)?|hus(?:et)?|cent(?:er|ret|eret)"
    rf"|gård(?:en)?|kollegi(?:um|et)|gymnasium|bibliotek(?:et)?|park(?:en)?|kirke(?:n)?)(?![^\W\d_])",
    re.IGNORECASE,
)
_SENTENCE_ENDS: Final = frozenset(".!?:;\n•*-–—")
_OPENERS: Final = frozenset(" \t\u00a0\"'«»\u201e\u201c\u201d([")


@dataclass(frozen=True, slots=True)
class NameFinding:
    """One name found. ``masked`` ("K… J…") is left out of ``repr``: reprs reach logs and tracebacks."""

    masked: str = field(repr=False)
    start: int
    end: int


def _load(filename: str) -> list[str]:
    lines = (DATA_DIR / filename).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _key(word: str) -> str:
    return word.casefold()


class NameIndex:
    """The names and non-person words one municipality's texts are checked against.

    Immutable once built; ``common_index()`` is shared by every process thread, and
    ``with_roster`` builds a municipality's own index on top of it.
    """

    def __init__(
        self,
        *,
        first_names: Iterable[str] = (),
        surnames: Iterable[str] = (),
        full_names: Iterable[str] = (),
        word_names: Iterable[str] = (),
        not_persons: Iterable[str] = (),
    ) -> None:
        self.first_names: frozenset[str] = frozenset(_key(n) for n in first_names)
        self.surnames: frozenset[str] = frozenset(_key(n) for n in surnames)
        self.full_names: frozenset[str] = frozenset(" ".join(_key(n).split()) for n in full_names)
        self.word_names: frozenset[str] = frozenset(_key(n) for n in word_names)
        phrases: dict[str, set[str]] = {}
        for phrase in not_persons:
            normal = " ".join(phrase.lower().split())
            for word in normal.split():
                phrases.setdefault(word, set()).add(normal)
        # Keyed by each of the phrase's words, so a candidate finds the phrases it may be part of.
        self.not_persons: dict[str, frozenset[str]] = {word: frozenset(p) for word, p in phrases.items()}
        self._first_name_pattern: re.Pattern[str] | None = None

    def first_name_pattern(self) -> re.Pattern[str]:
        """A pattern that matches every first name of the index as a whole capitalised word.

        Shaped as a prefix tree, so one pass over a text finds them all, whatever the roster's
        size; compiled on first use and kept with the (immutable) index. The lookahead keeps to
        whole words as _CAP_RE splits them ("Anne" does not match the start of "Anne-Marie"); the
        letter before is checked by find_names, because a lookbehind in front would stop the
        engine from skipping ahead to the names' first letters.
        """
        if self._first_name_pattern is None:
            spellings = {n.capitalize() for n in self.first_names} | {n.title() for n in self.first_names}
            # An index without first names must match nothing, not the empty string everywhere.
            tree = _trie(spellings) if spellings else "(?!)"
            self._first_name_pattern = re.compile(rf"{tree}(?![{_LOWER}]|-[{_UPPER}{_LETTERS}])")
        return self._first_name_pattern

    def with_roster(self, *, people: Iterable[str] = (), not_persons: Iterable[str] = ()) -> NameIndex:
        """This index plus a municipality's people (their full names) and its non-person phrases."""
        firsts: set[str] = set(self.first_names)
        lasts: set[str] = set(self.surnames)
        fulls: set[str] = set(self.full_names)
        for name in people:
            words = name.split()
            if len(words) < 2:
                continue
            firsts.add(words[0])
            lasts.update(words[1:])
            fulls.add(" ".join(words))
            fulls.add(f"{words[0]} {words[-1]}")
        merged = NameIndex(first_names=firsts, surnames=lasts, full_names=fulls, word_names=self.word_names)
        merged.not_persons = dict(self.not_persons)
        extra = NameIndex(not_persons=not_persons).not_persons
        for word, phrases in extra.items():
            merged.not_persons[word] = merged.not_persons.get(word, frozenset()) | phrases
        return merged


@functools.cache
def common_index() -> NameIndex:
    """The shipped lists alone: what is checked when no municipality is known."""
    return NameIndex(
        first_names=_load("first_names.txt"),
        surnames=_load("surnames.txt"),
        word_names=_load("word_names.txt"),
        not_persons=_load("not_persons.txt"),
    )


def mask_name(words: Iterable[str]) -> str:
    """ "Karen Jensen" -> "K… J…": enough for the writer to find the name, not for a log to keep it."""
    return " ".join(f"{word[0]}…" for word in words)


def find_names(text: str, index: NameIndex) -> list[NameFinding]:
    """The names of persons in ``text``, in text order (see the module docstring for the rules)."""
    found: list[NameFinding] = []
    position = 0
    # One pass of the index's first-name pattern finds every candidate; most texts have none.
    for candidate in index.first_name_pattern().finditer(text):
        start = candidate.start()
        if start < position or (start and text[start - 1].isalpha()):
            continue
        first = _CAP_RE.match(text, start)
        if first is None:
            continue
        words, end = _full_name(text, first, index)
        # The role word only matters for a first name alone or one that is also a word.
        needs_role = len(words) == 1 or _key(words[0]) in index.word_names
        role = needs_role and _after_role_word(text, start)
        if len(words) == 1 and not role:
            continue
        if not role and _reads_as_word(text, start, words, index):
            continue
        if _PLACE_AFTER_RE.match(text, end):
            continue
        if _inside_non_person(text, start, end, words, index):
            continue
        found.append(NameFinding(mask_name(words), start, end))
        position = end
    return found


def _after_role_word(text: str, start: int) -> bool:
    """Whether a role word stands right before ``start``, nothing but spaces between."""
    before = text[max(0, start - _ROLE_LOOKBEHIND) : start]
    stripped = before.rstrip(" \t\u00a0")
    if not stripped or len(stripped) == len(before):
        return False
    word = stripped.rsplit(None, 1)[-1]
    return _ROLE_WORD_RE.fullmatch(word) is not None


def _trie(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, shaped as a prefix tree: the engine follows one branch per
    letter instead of trying thousands of alternatives at every capital letter."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(root)


def _trie_pattern(node: dict[str, Any]) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Longer words first: a word that continues is tried before one that ends here.
    return f"(?:{body})?" if ends_here else body


def _surname_key(word: str) -> tuple[str, ...]:
    key = _key(word)
    # "Jensens" (genitive), and the last part of a double name ("Skovgaard-Nielsen").
    keys = [key]
    if key.endswith("s"):
        keys.append(key[:-1])
    if "-" in key:
        keys.append(key.rsplit("-", 1)[1])
    return tuple(keys)


def _full_name(text: str, first: re.Match[str], index: NameIndex) -> tuple[list[str], int]:
    """The first name and, if a surname follows (through middle names and initials), all of it."""
    words = [first.group()]
    best_words, best_end = list(words), first.end()
    end = first.end()
    for _ in range(_MAX_FOLLOWING):
        following = _NEXT_RE.match(text, end)
        if following is None:
            break
        end = following.end()
        word = following["word"]
        if word is None:
            words.append(following["initial"])
            continue
        words.append(word)
        keys = _surname_key(word)
        if any(k in index.surnames for k in keys):
            best_words, best_end = list(words), end
            continue
        if _key(word) not in index.first_names:
            break
    return best_words, best_end


def _reads_as_word(text: str, start: int, words: list[str], index: NameIndex) -> bool:
    """A word-like first name at the start of a sentence, without anything that makes it a name."""
    if _key(words[0]) not in index.word_names or not _at_sentence_start(text, start):
        return False
    if " ".join(_key(w) for w in words) in index.full_names:
        return False
    return all(k in index.word_names for k in _surname_key(words[-1]))


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def _inside_non_person(text: str, start: int, end: int, words: list[str], index: NameIndex) -> bool:
    phrases: set[str] = set()
    for word in words:
        phrases |= index.not_persons.get(word.lower(), frozenset())
    if not phrases:
        return False
    # Only the stretch a phrase could cover is lowered, not the whole text.
    # One character more on each side, so the word-boundary check below sees what stands there.
    reach = max(len(phrase) for phrase in phrases) + 1
    offset = max(0, start - reach)
    lowered = text[offset : end + reach].lower()
    start, end = start - offset, end - offset
    for phrase in phrases:
        # Every occurrence that could overlap the candidate, checked on word boundaries.
        lo = max(0, start - len(phrase))
        at = lowered.find(phrase, lo, end + len(phrase))
        while at != -1:
            stop = at + len(phrase)
            bounded = (at == 0 or not lowered[at - 1].isalnum()) and (
                stop == len(lowered) or not lowered[stop].isalnum()
            )
            if bounded and at <= start and stop >= end:
                return True
            at = lowered.find(phrase, at + 1, end + len(phrase))
    return False
