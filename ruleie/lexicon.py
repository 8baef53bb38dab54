"""Lexicons (gazetteers): entries with aliases and attributes, compiled to one trie regex.

A plain alternation of N names costs the regex engine N attempts at every position; a
trie-shaped regex shares prefixes, so its cost grows with the length of a name, not with
the number of names (docs/performance.md has the figures).

Case: ``insensitive``, ``sensitive``, or ``smart`` (the default): a surface form with no
lower-case letter (an acronym such as ``AFP``) matches only as written, others in any case.
In the single trie, a case-sensitive form is checked by a look-behind at its end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import regex

from . import pattern_cache
from .text import JOIN, SPACE

CASE_MODES = ("smart", "insensitive", "sensitive")
_APOSTROPHES = "'’‘"
_HYPHENS = "-‐‑–"
_CHAR_CLASSES = {**{c: "['’‘]" for c in _APOSTROPHES}, **{c: "[-‐‑–]" for c in _HYPHENS}}
_FOLD = str.maketrans({**{c: "'" for c in _APOSTROPHES}, **{c: "-" for c in _HYPHENS}})


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: the canonical ``name``, its surface forms, and its attributes."""

    name: str
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def data(self) -> dict[str, object]:
        return {"name": self.name, **dict(self.attrs)}


@dataclass(frozen=True)
class MentionLexicon:
    """A lexicon built for each document from the mentions of ``label`` that earlier
    stages found (see aliases.py); a rule can use it only as its whole pattern, with
    look-arounds on either side. ``not_in``: lexicons whose entries are never one of its
    forms (a place or a person's name is not a short form of an organization)."""

    name: str
    label: str
    not_in: tuple[str, ...] = ()


def lower(text: str) -> str:
    """Lower case that keeps the length: a letter whose lower case is longer ("İ", whose lower
    case adds a combining dot) stays as written, as it does in the folded text the keyword scan
    reads (ruleset.same_length_casefold), so tries and keywords meet the text letter for letter."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def fold(text: str) -> str:
    """The key a surface form is known by: spaces collapsed, apostrophes and hyphens unified."""
    return " ".join(text.translate(_FOLD).split())


@dataclass
class Lexicon:
    name: str
    entries: list[Entry]
    case: str = "smart"
    _exact: dict[str, Entry] = field(default_factory=dict, repr=False)
    _folded: dict[str, Entry] = field(default_factory=dict, repr=False)
    _first_tokens: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for surface in entry.surfaces:
                key = fold(surface)
                if self.is_case_sensitive(surface, entry):
                    self._exact.setdefault(key, entry)
                else:
                    self._folded.setdefault(key.lower(), entry)

    def is_case_sensitive(self, surface: str, entry: Entry) -> bool:
        """An entry's own ``case`` attribute wins over the lexicon's."""
        case = dict(entry.attrs).get("case", self.case)
        if case == "smart":
            return not any(c.islower() for c in surface)
        return case == "sensitive"

    def lookup(self, text: str) -> Entry | None:
        """The entry a matched text belongs to."""
        key = fold(text)
        return self._exact.get(key) or self._folded.get(key.lower())

    def first_tokens(self) -> frozenset[str]:
        """Lower-cased first tokens of every surface form (the anchors of the index)."""
        if self._first_tokens is None:
            self._first_tokens = frozenset(lower(fold(s).split(" ")[0]) for e in self.entries for s in e.surfaces if fold(s))
        return self._first_tokens

    @cached_property
    def source(self) -> str:
        """A trie-shaped regex matching any surface form, longest first. When every form is
        case-sensitive (a lexicon of mentions), the trie is of the forms as written and needs
        no case test at all: far less for the regex compiler."""
        if not pattern_cache.building():  # a lexicon of one document's mentions
            return self._trie_source()
        entries = repr((self.case, [(e.name, e.aliases, e.attrs) for e in self.entries]))
        return pattern_cache.remember("lexicon", hashlib.sha256(entries.encode()).hexdigest(), self._trie_source)

    def _trie_source(self) -> str:
        forms = [(fold(s), self.is_case_sensitive(s, e)) for e in self.entries for s in e.surfaces]
        forms = [(key, exact) for key, exact in forms if key]
        if all(exact for _, exact in forms):
            return _emit(_trie((key, "") for key, _ in forms))
        return f"(?i:{_emit(_trie((lower(key), key if exact else '') for key, exact in forms))})"


_SPACE_RUN = regex.compile(SPACE)
_INSIDE_WORD = regex.compile(r"(?<=\w)\w")
_UNIT_CHARS = {"'": _APOSTROPHES, "-": _HYPHENS}


_MAX_SEARCHED_FORMS = 64


def exact_matches(lexicon: Lexicon, text: str) -> list[tuple[int, int]] | None:
    """The spans ``NOT_INSIDE_WORD + lexicon.source + NOT_INSIDE_WORD`` finds (left to
    right, the longest form at each start, no overlaps), found without compiling a regex: a
    document's lexicon of mentions is new for every document, and compiling its trie costs
    more than the search. None where the regex is needed: a form is not case-sensitive, or
    there are so many forms (a long document) that one pass per form would cost more than
    one pass of the compiled trie."""
    forms = [(fold(s), lexicon.is_case_sensitive(s, e)) for e in lexicon.entries for s in e.surfaces]
    forms = [(form, exact) for form, exact in forms if form]
    if len(forms) > _MAX_SEARCHED_FORMS or not all(exact for _, exact in forms):
        return None
    longest: dict[int, int] = {}
    for form, _ in forms:
        for start, end in _form_matches(_units(form), text):
            if end > longest.get(start, -1):
                longest[start] = end
    spans, free = [], 0
    for start in sorted(longest):
        if start >= free:
            spans.append((start, longest[start]))
            free = longest[start]
    return spans


def _form_matches(units: list[str], text: str):
    """(start, end) of each match of one form, at a token edge on both sides."""
    head = units[0] if units[0] not in _UNIT_CHARS else ""
    at = text.find(head)
    while at >= 0:
        end = _match_units(units, text, at)
        if end >= 0 and not _INSIDE_WORD.match(text, at) and not _INSIDE_WORD.match(text, end):
            yield at, end
        at = text.find(head, at + 1)


def _match_units(units: list[str], text: str, at: int) -> int:
    """Where the form's units, matched from ``at`` as its regex would, end; -1 if they do not."""
    for unit in units:
        if unit == "  " or unit == " ":  # SPACE, or JOIN: the run, or nothing at a token edge
            run = _SPACE_RUN.match(text, at)
            if run:
                at = run.end()
            elif unit == "  " or _INSIDE_WORD.match(text, at):
                return -1
        elif at < len(text) and text[at] in _UNIT_CHARS.get(unit, unit):
            at += 1
        else:
            return -1
    return at


def _trie(forms) -> dict:
    """(form, end mark) pairs into nested dicts keyed by ``_units``; "" keys hold the end
    marks of a node."""
    trie: dict = {}
    for form, end in forms:
        node = trie
        for unit in _units(form):
            node = node.setdefault(unit, {})
        node.setdefault("", set()).add(end)
    return trie


def _units(form: str) -> list[str]:
    """The form's characters, with a space between two letters or digits written as two
    spaces: there JOIN's empty branch can never match, so it becomes SPACE, without the
    look-arounds: a smaller regex, quicker to compile and to run."""
    return ["  " if c == " " and 0 < i < len(form) - 1 and form[i - 1].isalnum() and form[i + 1].isalnum() else c
            for i, c in enumerate(form)]


def _emit(node: dict) -> str:
    """Emit a trie node: children first (longest match first), then the end-of-entry test."""
    ends = node.get("", None)
    branches = []
    for char in sorted(k for k in node if k):
        run, child = [char], node[char]
        while len(child) == 1 and "" not in child:  # compress single-child chains
            (next_char, child), = child.items()
            run.append(next_char)
        branches.append(_chars(run) + _emit(child))
    if ends is not None:
        branches.append(_end_test(ends))
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _end_test(ends: set[str]) -> str:
    """Empty if a case-insensitive form ends here; else a case-sensitive look-behind."""
    if "" in ends:
        return ""
    forms = "|".join(_chars(f) for f in sorted(ends, key=lambda f: (-len(f), f)))
    return f"(?-i:(?<={forms}))"


def _chars(units) -> str:
    return "".join(_UNIT_SOURCE.get(u) or regex.escape(u) for u in units)


_UNIT_SOURCE = {" ": JOIN, "  ": SPACE, **_CHAR_CLASSES}
