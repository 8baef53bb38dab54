"""Strategies for the pattern language itself: ASTs the grammar produces, and pattern text.

``pattern_asts()`` draws canonical pattern ASTs, the shapes ``grammar.parse`` gives:

* a sequence has two items or more, none of them a sequence (a parenthesised sequence joins
  the one around it), and each join is " " or "~";
* an alternation has two options or more, none of them an alternation;
* a repetition's bounds are what a quantifier can say (``low <= high``, ``high > 0``, both at
  most 100);
* literals hold any text (a quoted string can say anything, with escapes), regexes any body
  the ``/.../`` syntax can write, names and labels what their tokens allow;
* groups can hold anything, so a capture, repetition or look-around can have any node as its
  body (``x:(y:a)``, ``((?=a))?``).

``pattern_texts()`` draws pattern strings: printed ASTs, some with other whitespace between
items (tabs, line breaks), some mutated (a character dropped, doubled or inserted), and
arbitrary text; for fuzzing the parser and compiler.
"""

from __future__ import annotations

from typing import Callable, Sequence

from hypothesis import strategies as st

from .. import syntax as s

__all__ = ["pattern_asts", "pattern_texts"]

_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_é]{0,5}", fullmatch=True)
_LABELS = st.from_regex(r"[A-Z][A-Z0-9_]{0,4}", fullmatch=True)
_WORDS = st.from_regex(r"[^\W_][\w'’.\-&]{0,6}", fullmatch=True)
# A /regex/ body: anything but "/", "\" and a line break, or "\" before any character but a
# line break; no tab (the grammar reads tabs as spaces).
_REGEX_BODY = st.from_regex(r"(?:[^/\\\n\t]|\\[^\n\t]){1,8}", fullmatch=True)


def _literals(case_sensitive: st.SearchStrategy[bool]) -> st.SearchStrategy[s.Literal]:
    text = st.one_of(_WORDS, st.text(max_size=8))
    return st.builds(s.Literal, text, case_sensitive)


def _leaves(lexicons, macros, labels) -> st.SearchStrategy[s.Node]:
    return st.one_of(
        _literals(st.booleans()),
        st.builds(s.TokenRegex, _REGEX_BODY, st.sampled_from(["", "", "i", "x", "ix"])),
        st.builds(s.LexiconRef, st.sampled_from(list(lexicons)) if lexicons else _NAMES),
        st.builds(s.MacroRef, st.sampled_from(list(macros)) if macros else _NAMES),
        st.builds(s.MentionRef, st.sampled_from(list(labels)) if labels else _LABELS),
        st.builds(s.AnyToken),
    )


@st.composite
def _seq(draw: Callable, children) -> s.Node:
    parts = draw(st.lists(children, min_size=2, max_size=4))
    items: list[s.Node] = []
    joins: list[str] = []
    for index, part in enumerate(parts):
        if index:
            joins.append(draw(st.sampled_from([" ", " ", "~"])))
        if isinstance(part, s.Seq):  # "(a b) c" is the sequence a b c
            items.extend(part.items)
            joins.extend(part.joins)
        else:
            items.append(part)
    return s.Seq(tuple(items), tuple(joins))


@st.composite
def _alt(draw: Callable, children) -> s.Node:
    options: list[s.Node] = []
    for part in draw(st.lists(children, min_size=2, max_size=4)):
        options.extend(part.options if isinstance(part, s.Alt) else (part,))
    return s.Alt(tuple(options))


_BOUNDS = st.one_of(
    st.sampled_from([(0, 1), (0, None), (1, None)]),
    st.integers(0, 100).flatmap(lambda low: st.tuples(st.just(low), st.one_of(
        st.none(), st.just(low), st.integers(max(low, 1), 100)))).filter(lambda b: b != (0, 0)),
)


def _extend(children) -> st.SearchStrategy[s.Node]:
    return st.one_of(
        _seq(children),
        _alt(children),
        st.builds(lambda body, bounds: s.Repeat(body, *bounds), children, _BOUNDS),
        st.builds(s.Capture, _NAMES, children, st.booleans()),
        st.builds(s.Look, st.booleans(), st.booleans(), children),
    )


def pattern_asts(
    max_leaves: int = 10,
    lexicons: Sequence[str] = (),
    macros: Sequence[str] = (),
    labels: Sequence[str] = (),
) -> st.SearchStrategy[s.Node]:
    """Canonical pattern ASTs (what ``grammar.parse`` can return). ``lexicons``, ``macros``,
    ``labels``: names to refer to (default: any valid name)."""
    return st.recursive(_leaves(lexicons, macros, labels), _extend, max_leaves=max_leaves)


@st.composite
def _mutated(draw: Callable, text: str) -> str:
    if not text:
        return text
    at = draw(st.integers(0, len(text) - 1))
    how = draw(st.sampled_from(["drop", "double", "insert"]))
    if how == "drop":
        return text[:at] + text[at + 1 :]
    if how == "double":
        return text[:at] + text[at] + text[at:]
    return text[:at] + draw(st.sampled_from(list("()[]{}|~?*+=:/\\\"$@<>_,0123456789 ") + ["(?<=", "(?!"])) + text[at:]


@st.composite
def _respaced(draw: Callable, text: str) -> str:
    """The same pattern with other whitespace between its items (tabs, line breaks)."""
    parts = text.split(" ")
    spaces = [draw(st.sampled_from([" ", "\t", "  ", "\n", " \t"])) for _ in parts[1:]]
    return "".join(p + s for p, s in zip(parts, spaces + [""]))


def pattern_texts(
    lexicons: Sequence[str] = (),
    macros: Sequence[str] = (),
    labels: Sequence[str] = (),
) -> st.SearchStrategy[str]:
    """Pattern strings: printed canonical ASTs, mutated ones, and arbitrary text."""
    printed = pattern_asts(lexicons=lexicons, macros=macros, labels=labels).map(s.to_text)
    return st.one_of(printed, printed.flatmap(_respaced), printed.flatmap(_mutated), st.text(max_size=40))
