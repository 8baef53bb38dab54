"""Texts that a rule must match, generated from the rule's own pattern AST.

``texts_matching(rule, extractor)`` is a hypothesis strategy of :class:`Sample`: a text, the
span that the rule's pattern must match in it, and the span of every capture. It walks the
pattern's AST:

* literals: each word in a random case (as written when case-sensitive), apostrophes and
  hyphens in their typographic variants, any whitespace between words;
* ``$lexicon``: any surface form of any entry (all-capitals forms of a ``smart`` lexicon as
  written, others in any case);
* ``@macro``: inlined; ``|``: any option; ``?``/``*``/``{m,n}``: a count within the bounds;
* ``_{m,n}``: neutral filler words;
* ``/regex/``: hypothesis ``from_regex(..., fullmatch=True)`` on the pattern (``\\p{..}``
  classes narrowed to Latin ones), filtered to one visible token without whitespace, mixed
  with tokens taken from the examples of the extractor's rules that the regex matches;
* ``<LABEL>``: a text that the earlier-stage rules turn into exactly that mention (by
  default a generated number for NUMBER, a generated date for DATE, a lexicon entry or a
  generated match of an earlier rule otherwise), checked by running those stages;
* look-arounds: a positive look-behind at the start of the match becomes text before it, a
  positive look-ahead at the end text after it; every look-around (negative ones too) is then
  checked at its place, and a sample that breaks one is discarded.

Each sample is checked against the compiled rule before it is returned: the rule's regex,
run where the sample says the match starts, must give exactly the sample's span and captures.
A text the regex cannot match at all, although every look-around holds, raises
:class:`GeneratorMismatch` (the generator or the compiler is wrong: either way a bug). A text
it matches differently (an earlier alternative or a greedy gap wins) is discarded, as is one
whose value the rule's normalizer rejects ("nine hundred hundred"), one that contains a
mention nobody asked for (a "2018" that the DATE rules take in an AGREEMENT's terms), or one
cut by a sentence end. What remains is what the rule promises to find.

A normalizer that ties two parts of a match together (``org_initials``: the acronym in
brackets is made of the name's initials) would reject nearly every text drawn part by part;
``COHERENCE`` holds, by normalizer name, a step that rewrites a drawn text, keeping its length
and so every offset, into one the normalizer can accept (or None to discard it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

import regex
from hypothesis import assume, strategies as st

from .. import syntax as s
from ..compile import Compiler, Macro
from ..lexicon import Lexicon
from ..normalize import MatchView, Span, make_value
from ..normalize.orgs import initials
from ..text import BOUNDARY, base_shadow, overwrite_mentions, tokens
from .filler import FILLER_WORDS

__all__ = [
    "Sample",
    "GeneratorMismatch",
    "Unsupported",
    "texts_matching",
    "rule_scope",
    "visible_mentions",
    "stage_shadow",
    "DEFAULT_DOC_DATE",
]

DEFAULT_DOC_DATE = dt.date(2018, 7, 31)
_ATTEMPTS = 8  # fresh tries inside one draw before the example is discarded
_WHITESPACE = (" ", " ", " ", " ", "  ", "\t", "\u00a0")
_APOSTROPHES = "'’‘"
_WORD_CHAR = regex.compile(r"\w")
_HYPHENS = "-‐‑–"


@contextlib.contextmanager
def _random_state_kept():
    """Run engine code inside a draw without touching the global ``random`` state (the
    ``regex`` module evicts compiled patterns from its cache at random); hypothesis wants
    strategies to leave it alone."""
    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


@lru_cache(maxsize=4096)
def _same_ignoring_case(word: str, other: str) -> bool:
    with _random_state_kept():
        return regex.fullmatch(f"(?i:{regex.escape(word)})", other) is not None


class GeneratorMismatch(AssertionError):
    """A generated text that the rule's compiled regex does not match, although every
    look-around of the pattern holds: the generator and the compiler disagree."""


class Unsupported(ValueError):
    """A pattern construct this module cannot generate text for."""


@dataclass(frozen=True)
class Sample:
    """A text and what ``rule_id`` must find in it.

    ``start``/``end``: the span of the whole match in ``text``. ``captures``: every capture
    of the pattern (private ones too) that took part, as a tuple of spans (one, or each item
    of a ``name[]:`` list). ``mentions``: the earlier-stage mentions (start, end, label) the
    match is built on. ``text`` may hold context outside the span: the text a look-around
    needs, or (for rules over per-document lexicons) the sentence that introduces a name.
    """

    rule_id: str
    text: str
    start: int
    end: int
    captures: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    mentions: tuple[tuple[int, int, str], ...] = ()

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def match(self) -> str:
        """The text of the expected match."""
        return self.text[self.start : self.end]

    @property
    def has_context(self) -> bool:
        return self.start > 0 or self.end < len(self.text)

    def args(self) -> dict[str, list[str]]:
        """The texts of the public captures, name -> list of texts (one item unless the
        capture is a ``name[]:`` list); names starting with ``_`` are private and left out."""
        return {name: [self.text[a:b] for a, b in spans]
                for name, spans in self.captures.items() if not name.startswith("_") and spans}

    def shifted(self, offset: int, text: str) -> "Sample":
        """The same sample placed at ``offset`` of a larger ``text``."""
        return Sample(
            self.rule_id, text, self.start + offset, self.end + offset,
            {k: tuple((a + offset, b + offset) for a, b in v) for k, v in self.captures.items()},
            tuple((a + offset, b + offset, label) for a, b, label in self.mentions),
        )


# ---------------------------------------------------------------------------------------
# What a rule sees: its lexicons and macros
# ---------------------------------------------------------------------------------------


@dataclass
class Scope:
    lexicons: dict[str, Any]
    macros: dict[str, Macro]
    labels: dict[str, int]


_SCOPES: dict[tuple, Scope] = {}


def rule_scope(rule, extractor=None) -> Scope:
    """The lexicons and macros a rule's pattern can name (its file's and its imports')."""
    from ..load import RuleTree
    from ..ruleset import _Builder

    key = (id(extractor), rule.file)
    if key not in _SCOPES:
        if extractor is not None:
            tree = extractor.ruleset.tree
            labels = dict(extractor.ruleset.labels)
        else:
            files, queue = [], [rule.source]
            while queue:
                current = queue.pop(0)
                if all(current is not f for f in files):
                    files.append(current)
                    queue.extend(current.imports)
            tree = RuleTree(files, sorted({f.real.parent.resolve() for f in files}))
            labels = {}
        builder = _Builder(tree)
        for rule_file in tree.files:
            builder._define(rule_file)
        _SCOPES[key] = Scope(builder._visible(rule.source, "lexicon"), builder._visible(rule.source, "macro"), labels)
    return _SCOPES[key]


# ---------------------------------------------------------------------------------------
# Elements of a generated match
# ---------------------------------------------------------------------------------------


@dataclass
class _Tok:
    text: str
    join: str | None = None  # " " whitespace before it, "~" none, None: the container decides
    label: str | None = None  # an earlier-stage mention of this label
    regex: tuple[str, str] | None = None  # (pattern, flags) of the /regex/ it was drawn for


@dataclass
class _Open:
    name: str
    start: int | None = None


@dataclass
class _Close:
    opener: _Open


@dataclass
class _LookMark:
    look: s.Look
    at_start: bool
    body: list | None  # generated body of a positive look-around (None: negative)
    pos: int | None = None


def _first_tok(elements: list) -> _Tok | None:
    return next((e for e in elements if isinstance(e, _Tok)), None)


# ---------------------------------------------------------------------------------------
# Token sources
# ---------------------------------------------------------------------------------------


def _case_variants(char: str) -> tuple[str, ...]:
    return _case_variants_cached(char)


@lru_cache(maxsize=None)
def _case_variants_cached(char: str) -> tuple[str, ...]:
    out = [char]
    for other in (char.lower(), char.upper(), char.swapcase()):
        if len(other) == 1 and other not in out and _same_ignoring_case(char, other):
            out.append(other)
    return tuple(out)


def _variant_chars(char: str, case: bool) -> tuple[str, ...]:
    if char in _APOSTROPHES:
        return tuple(_APOSTROPHES)
    if char in _HYPHENS:
        return tuple(_HYPHENS)
    return _case_variants(char) if case else (char,)


@st.composite
def _surface(draw: Callable, text: str, case_insensitive: bool) -> str:
    """One way of writing ``text`` that a literal or lexicon entry matches: random case (when
    case-insensitive), apostrophe and hyphen variants, any whitespace between words."""
    words = text.split()
    style = draw(st.sampled_from(["as written", "lower", "upper", "title", "random"])) if case_insensitive else "as written"
    out = []
    for word in words:
        if style == "random":
            chars = [draw(st.sampled_from(_variant_chars(c, True))) for c in word]
        else:
            converted = {"lower": str.lower, "upper": str.upper, "title": str.capitalize}.get(style, str)(word)
            if len(converted) != len(word) or not _same_ignoring_case(word, converted):
                converted = word
            chars = [draw(st.sampled_from(_variant_chars(c, False))) if c in _APOSTROPHES + _HYPHENS else c for c in converted]
        out.append("".join(chars))
    spaces = [draw(st.sampled_from(_WHITESPACE)) for _ in out[1:]]
    return "".join(w + sp for w, sp in zip(out, spaces + [""]))


_PCLASSES = {
    "Lu": "A-ZÀ-ÖØ-Þ", "Ll": "a-zß-öø-ÿ", "L": "A-Za-zÀ-ÖØ-öø-ÿ", "Lt": "ǅ", "Lo": "ª",
    "N": "0-9", "Nd": "0-9", "M": "\u0301", "Mn": "\u0301", "P": ".,;:!?'", "Sc": "$€£",
}


def _narrow(pattern: str) -> str | None:
    """The regex with classes hypothesis cannot read (``\\p{Lu}``) narrowed to Latin ones
    and ``\\d``/``\\w`` to ASCII; None if it uses a class with no narrowing here."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n in "pP":
                m = regex.match(r"\{\^?([A-Za-z_&]+)\}|([A-Za-z])", pattern[i + 2 :])
                if not m or n == "P" or (m.group(0).startswith("{^")):
                    return None
                name = m.group(1) or m.group(2)
                chars = _PCLASSES.get(name)
                if chars is None:
                    return None
                out.append(chars if in_class else f"[{chars}]")
                i += 2 + m.end()
                continue
            if n in "dw":
                chars = "0-9" if n == "d" else "A-Za-z0-9_"
                out.append(chars if in_class else f"[{chars}]")
                i += 2
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i : i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def _visible_token(text: str, spaces: bool) -> bool:
    if not text or len(text) > 30 or unicodedata.category(text[0]).startswith("M"):
        return False
    for char in text:
        cat = unicodedata.category(char)
        if char == " " and spaces:
            continue
        if cat[0] not in "LNPS" and cat not in ("Mn", "Mc"):
            return False
    return True


def _single_token(text: str) -> bool:
    """One token as the engine splits text ("Fishermen's", "1,234.5", "21st"; not "U.S.")."""
    return tokens(text) == [(0, len(text))]


def _example_tokens(extractor) -> tuple[str, ...]:
    """Every token, and every expected match, of the extractor's rule examples."""
    if extractor is None:
        return ()
    key = id(extractor)
    if key not in _EXAMPLE_TOKENS:
        found: set[str] = set()
        for rule in extractor.rules:
            for example in rule.examples:
                text = str(example.get("text", ""))
                found.update(text[a:b] for a, b in tokens(text))
                for item in example.get("expect", []) or []:
                    found.add(str(item.get("text", "")))
        _EXAMPLE_TOKENS[key] = tuple(sorted(t for t in found if t))
    return _EXAMPLE_TOKENS[key]


_EXAMPLE_TOKENS: dict[int, tuple[str, ...]] = {}
_TOKEN_STRATEGIES: dict[tuple, st.SearchStrategy[str]] = {}


def token_strategy(pattern: str, flags: str = "", pool: Iterable[str] = ()) -> st.SearchStrategy[str]:
    """Strings that ``/pattern/flags`` fully matches: from hypothesis ``from_regex`` (a single
    visible token, unless the regex has whitespace in it) and from ``pool`` (known tokens
    and matched texts, such as those of the rules' examples, that the regex matches)."""
    key = (pattern, flags, tuple(pool))
    if key in _TOKEN_STRATEGIES:
        return _TOKEN_STRATEGIES[key]
    compiled = regex.compile(pattern, regex.IGNORECASE if "i" in flags else 0)
    spaces = bool(regex.search(r"\\s| |\\p\{Z", pattern))
    words = (*FILLER_WORDS, *(w.capitalize() for w in FILLER_WORDS), *pool)
    known = sorted({w for w in words if _visible_token(w, spaces) and compiled.fullmatch(w)})
    options = []
    if known:
        options.append(st.sampled_from(known))
    narrowed = _narrow(pattern)
    if narrowed is not None:
        import re

        try:
            generated = st.from_regex(re.compile(narrowed, re.IGNORECASE if "i" in flags else 0), fullmatch=True)
        except (re.error, Exception):  # hypothesis cannot read it: the pool has to do
            generated = None
        if generated is not None:
            options.append(generated.filter(
                lambda t: _visible_token(t, spaces) and (spaces or _single_token(t)) and compiled.fullmatch(t) is not None))
    if not options:
        raise Unsupported(f"cannot generate a token for /{pattern}/{flags}: no example token matches it")
    strategy = st.one_of(*options)
    _TOKEN_STRATEGIES[key] = strategy
    return strategy


# ---------------------------------------------------------------------------------------
# Mentions of earlier stages
# ---------------------------------------------------------------------------------------


def _lexicon_rule(rule) -> s.LexiconRef | None:
    inner = rule.ast.body if isinstance(rule.ast, s.Capture) else rule.ast
    return inner if isinstance(inner, s.LexiconRef) else None


def default_mention_texts(label: str, extractor, before_stage: int, doc_date: dt.date | None) -> st.SearchStrategy[str]:
    """Texts meant to become one mention of ``label`` in the stages before ``before_stage``:
    generated numbers for NUMBER, generated dates for DATE, entries of lexicon rules, and
    bare generated matches of the other rules of that label."""
    rules = [r for r in extractor.rules if r.label == label and r.stage < before_stage and r.mention_lexicon is None]
    if not rules:
        raise Unsupported(f"no rule of a stage before {before_stage} finds <{label}>")
    options: list[st.SearchStrategy[str]] = []
    if label == "NUMBER":
        from .numbers import pack_number_mentions

        options.append(pack_number_mentions(forms=["cardinal", "money", "percent", "qualified"]).map(lambda m: m[0]))
    if label == "DATE":
        from .dates import dates

        options.append(dates(doc_date or DEFAULT_DOC_DATE, forms=["calendar", "month_year", "iso", "quarter"]).map(lambda m: m[0]))
    for rule in rules:
        ref = _lexicon_rule(rule)
        if ref is not None:
            lexicon = rule_scope(rule, extractor).lexicons.get(ref.name)
            if isinstance(lexicon, Lexicon) and lexicon.entries:
                options.append(_lexicon_surface(lexicon))
    for rule in rules:
        if _lexicon_rule(rule) is None:
            options.append(texts_matching(rule, extractor, doc_date=doc_date, bare=True).map(lambda sample: sample.match))
    return st.one_of(*options)


class _Quiet:
    """An argument shown by a short name in hypothesis's reports."""

    def __init__(self, obj: Any, name: str):
        self.obj = obj
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _lexicon_surface(lexicon: Lexicon) -> st.SearchStrategy[str]:
    """Any surface form of any entry, written as the lexicon's case mode allows."""
    if id(lexicon) not in _SURFACES:
        _SURFACES[id(lexicon)] = (lexicon, _lexicon_surface_of(_Quiet(lexicon, "$" + lexicon.name)))
    return _SURFACES[id(lexicon)][1]


_SURFACES: dict[int, tuple[Lexicon, st.SearchStrategy[str]]] = {}


@st.composite
def _lexicon_surface_of(draw: Callable, quiet: _Quiet) -> str:
    lexicon = quiet.obj
    entry = draw(st.sampled_from(lexicon.entries))
    surface = draw(st.sampled_from([f for f in entry.surfaces if f.split()]))
    return draw(_surface(surface, not lexicon.is_case_sensitive(surface, entry)))


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, draw: Callable, rule, scope: Scope, mention_text: Callable[[str], str], pool: tuple[str, ...]):
        self.draw = draw
        self.rule = rule
        self.scope = scope
        self.mention_text = mention_text
        self.pool = pool
        self.macro_stack: list[str] = []

    def nullable(self, node: s.Node) -> bool:
        return s.nullable(node, lambda ref: self.macro(ref).ast)

    def macro(self, node: s.MacroRef) -> Macro:
        if node.name not in self.scope.macros:
            raise Unsupported(f"unknown macro @{node.name}")
        return self.scope.macros[node.name]

    def gen(self, node: s.Node) -> list:
        """A non-empty match of ``node`` as a list of elements."""
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

    def _literal(self, node: s.Literal) -> list:
        if not node.text.split():
            raise Unsupported("empty literal")
        return [_Tok(self.draw(_surface(node.text, not node.case_sensitive)))]

    def _tokenregex(self, node: s.TokenRegex) -> list:
        return [_Tok(self.draw(token_strategy(node.pattern, node.flags, self.pool)), regex=(node.pattern, node.flags))]

    def _lexiconref(self, node: s.LexiconRef) -> list:
        lexicon = self.scope.lexicons.get(node.name)
        if not isinstance(lexicon, Lexicon):
            raise Unsupported(f"${node.name} is not a plain lexicon")
        return [_Tok(self.draw(_lexicon_surface(lexicon)))]

    def _macroref(self, node: s.MacroRef) -> list:
        if node.name in self.macro_stack:
            raise Unsupported(f"macro cycle at @{node.name}")
        self.macro_stack.append(node.name)
        try:
            return self.gen(self.macro(node).ast)
        finally:
            self.macro_stack.pop()

    def _mentionref(self, node: s.MentionRef) -> list:
        return [_Tok(self.mention_text(node.label), label=node.label)]

    def _anytoken(self, node: s.AnyToken) -> list:
        return [_Tok(self.draw(st.sampled_from(FILLER_WORDS)))]

    def _alt(self, node: s.Alt) -> list:
        return self.gen(self.draw(st.sampled_from(node.options)))

    def _repeat(self, node: s.Repeat) -> list:
        low = max(node.low, 1)
        high = node.high if node.high is not None else low + 3
        count = self.draw(st.one_of(st.just(low), st.integers(low, min(high, low + 6))))
        out: list = []
        for index in range(count):
            part = self.gen(node.body)
            if index:
                _first_tok(part).join = " "
            out.extend(part)
        return out

    def _capture(self, node: s.Capture) -> list:
        opener = _Open(node.name)
        return [opener, *self.gen(node.body), _Close(opener)]

    def _look(self, node: s.Look) -> list:
        raise Unsupported("a look-around outside a sequence")

    def _seq(self, node: s.Seq) -> list:
        items = node.items
        real = [i for i, item in enumerate(items) if not isinstance(item, s.Look)]
        present = {i for i in real if not self.nullable(items[i]) or self.draw(st.booleans())}
        if not present:
            present = {self.draw(st.sampled_from(real))}
        first = min(present)
        out: list = []
        for index, item in enumerate(items):
            if isinstance(item, s.Look):
                body = None
                if not item.negative:
                    body = [] if self.nullable(item.body) and self.draw(st.booleans()) else self.gen(item.body)
                out.append(_LookMark(item, at_start=index < first, body=body))
            elif index in present:
                part = self.gen(item)
                if index != first:
                    _first_tok(part).join = "~" if node.joins[index - 1] == "~" else " "
                out.extend(part)
        return out


@dataclass
class _Rendered:
    text: str
    captures: dict[str, list[tuple[int, int]]]
    marks: list[_LookMark]
    mentions: list[tuple[int, int, str]]
    first: int | None  # start of the first token
    last: int  # end of the last token
    regex_tokens: list[tuple[int, int, str, str]] = field(default_factory=list)


def _render(draw: Callable, elements: list, offset: int = 0) -> _Rendered:
    parts: list[str] = []
    pos = offset
    captures: dict[str, list[tuple[int, int]]] = {}
    pending: list = []
    marks: list[_LookMark] = []
    mentions: list[tuple[int, int, str]] = []
    regex_tokens: list[tuple[int, int, str, str]] = []
    first, last = None, offset
    for element in elements:
        if isinstance(element, _Tok):
            if first is not None and element.join != "~":
                # JOIN: whitespace, or nothing where a word meets punctuation ("27%", "ISIS,")
                touching = _WORD_CHAR.match(parts[-1][-1]) and _WORD_CHAR.match(element.text[0])
                sep = draw(st.sampled_from(_WHITESPACE if touching else _WHITESPACE + ("", "")))
                parts.append(sep)
                pos += len(sep)
            start = pos
            parts.append(element.text)
            pos += len(element.text)
            if element.label:
                mentions.append((start, pos, element.label))
            if element.regex:
                regex_tokens.append((start, pos, *element.regex))
            for waiting in pending:
                if isinstance(waiting, _Open):
                    waiting.start = start
                else:
                    waiting.pos = start
            pending = []
            if first is None:
                first = start
            last = pos
        elif isinstance(element, _Open):
            element.start = None
            pending.append(element)
        elif isinstance(element, _Close):
            opener = element.opener
            if opener.start is not None and opener.start < last:
                captures.setdefault(opener.name, []).append((opener.start, last))
        elif isinstance(element, _LookMark):
            marks.append(element)
            element.pos = None
            if element.at_start:
                pending.append(element)
            else:
                element.pos = last
    for waiting in pending:  # marks after the last token (a look-ahead at the very end)
        if isinstance(waiting, _LookMark):
            waiting.pos = last
    return _Rendered("".join(parts), captures, marks, mentions, first, last, regex_tokens)


def _contexts(marks: list[_LookMark], start: int, end: int) -> tuple[_LookMark | None, _LookMark | None]:
    """The positive look-behind right at the start of the match and the positive look-ahead
    right at its end, whose bodies become the text around the match."""
    behind = next((m for m in marks if m.look.behind and not m.look.negative and m.at_start and m.pos == start and m.body), None)
    ahead = next((m for m in reversed(marks) if not m.look.behind and not m.look.negative and not m.at_start
                  and m.pos == end and m.body), None)
    return behind, ahead


# ---------------------------------------------------------------------------------------
# Checking a sample against the engine
# ---------------------------------------------------------------------------------------


def visible_mentions(trace, stage_number: int) -> list:
    """The mentions a stage's rules saw (as ``<LABEL>`` tokens) in a trace: those of the
    earlier stages that had not been suppressed before it ran."""
    seen = [m for m in trace.mentions if m.rule.stage < stage_number]
    for stage in trace.stages:
        if stage.number >= stage_number:
            seen += [d.candidate for d in stage.dropped if d.reason.startswith("suppressed") and d.candidate.rule.stage < stage_number]
    unique = {(m.start, m.end, m.rule.label): m for m in seen}
    return sorted(unique.values(), key=lambda m: (m.start, m.end))


def stage_shadow(extractor, text: str, stage_number: int, trace=None) -> str:
    """The text as a stage's matchers see it: sentence ends as BOUNDARY, earlier mentions as
    marker runs."""
    base = base_shadow(text)
    if trace is None:
        return base
    labels = extractor.ruleset.labels
    return overwrite_mentions(base, [(m.start, m.end, labels[m.rule.label]) for m in visible_mentions(trace, stage_number)])


_LOOK_REGEXES: dict[tuple, Any] = {}


def _look_holds(mark: _LookMark, shadow: str, scope: Scope, rule) -> bool:
    key = (id(scope), rule.id, id(mark.look), mark.at_start, mark.look)
    if key not in _LOOK_REGEXES:
        compiler = Compiler(scope.lexicons, scope.macros, scope.labels, lambda pos: None, rule.spec.get("cross_sentences", False))
        _LOOK_REGEXES[key] = regex.compile(compiler._look_at(mark.look, compiler._look_body(mark.look), mark.at_start))
    return _LOOK_REGEXES[key].match(shadow, mark.pos) is not None


def _match_captures(rule, m) -> dict[str, tuple[tuple[int, int], ...]]:
    out = {}
    for name, info in rule.captures.items():
        spans = m.spans(info.group) if info.is_list else [m.span(info.group)]
        spans = tuple((a, b) for a, b in spans if a >= 0 and a != b)
        if spans:
            out[name] = spans
    return out


def _value(rule, text: str, start: int, end: int, captures, doc_date, trace) -> dict | None:
    """The rule's value for the sample, as the extractor computes it."""
    by_span = {(m.start, m.end): m for m in trace.mentions} if trace is not None else {}
    spans: dict[str, list[Span]] = {}
    for name, info in rule.captures.items():
        for a, b in captures.get(name, ()):
            data, label = None, None
            if isinstance(info.lexicon, Lexicon):
                entry = info.lexicon.lookup(text[a:b])
                data = entry.data() if entry else None
            elif (a, b) in by_span:
                data, label = trace.values.get(id(by_span[(a, b)])), by_span[(a, b)].rule.label
            spans.setdefault(name, []).append(Span(a, b, text[a:b], data, label))
    return make_value(rule.value, MatchView(text[start:end], start, end, text, spans, doc_date))


# ---------------------------------------------------------------------------------------
# The strategy
# ---------------------------------------------------------------------------------------


def _resolve_rule(rule, extractor):
    if isinstance(rule, str):
        if extractor is None:
            raise ValueError("give the extractor to name a rule by its id")
        return extractor.ruleset.rule(rule)
    return rule


def texts_matching(
    rule,
    extractor=None,
    *,
    doc_date: dt.date | None = DEFAULT_DOC_DATE,
    mentions: Mapping[str, st.SearchStrategy[str]] | None = None,
    bare: bool = False,
    keep_rejected: bool = False,
) -> st.SearchStrategy[Sample]:
    """Samples of texts that ``rule`` (a Rule, or a rule id with ``extractor``) must match.

    ``extractor``: the rules the sample is checked against, and whose earlier stages turn
    ``<LABEL>`` texts into mentions (needed for rules of stage 2 and later, and for the
    value check). ``doc_date``: the document date the checks use. ``mentions``: strategies of
    texts for ``<LABEL>`` references, by label, instead of the defaults. ``bare``: only
    samples with no text around the match. ``keep_rejected``: keep samples whose value the
    rule's normalizer rejects.
    """
    rule = _resolve_rule(rule, extractor)
    if extractor is None and (rule.stage > 1 or rule.mention_lexicon is not None or any(isinstance(n, s.MentionRef) for n in _walk_all(rule, None))):
        raise Unsupported(f"rule {rule.id} builds on earlier stages: pass the extractor")
    return _samples(_RuleRef(rule), extractor, doc_date, dict(mentions or {}), bare, keep_rejected)


class _RuleRef:
    """A rule, shown by its id in hypothesis's reports (not the whole compiled rule)."""

    def __init__(self, rule):
        self.rule = rule

    def __repr__(self) -> str:
        return repr(self.rule.id)


def _walk_all(rule, extractor) -> Iterable[s.Node]:
    """Every node of a rule's pattern, macros inlined."""
    scope = rule_scope(rule, extractor)
    stack, seen = [rule.ast], set()
    while stack:
        node = stack.pop()
        for sub in s.walk(node):
            yield sub
            if isinstance(sub, s.MacroRef) and sub.name in scope.macros and sub.name not in seen:
                seen.add(sub.name)
                stack.append(scope.macros[sub.name].ast)


@st.composite
def _samples(draw: Callable, ref: _RuleRef, extractor, doc_date, mentions, bare, keep_rejected) -> Sample:
    rule = ref.rule
    for _ in range(_ATTEMPTS):
        with _random_state_kept():  # any regex compiled while drawing may shrink regex's cache
            sample = _attempt(draw, rule, extractor, doc_date, mentions, bare, keep_rejected)
        if sample is not None:
            return sample
    assume(False)
    raise AssertionError("unreachable")


def _mention_source(extractor, rule, mentions, doc_date) -> Callable[[Callable, str], str]:
    def text_for(draw: Callable, label: str) -> str:
        if label not in mentions:
            mentions[label] = default_mention_texts(label, extractor, rule.stage, doc_date)
        return draw(mentions[label])

    return text_for


def _initials_in_brackets(text: str, start: int, end: int, captures: Mapping[str, list[tuple[int, int]]]) -> str | None:
    """``org_initials``: the acronym (capture ``_abbr``) becomes the initials of the name's
    capitalised words, where there are as many of them as the acronym has letters."""
    spans = captures.get("_abbr")
    letters = initials(text[start:end])
    if not spans or len(letters) < 2 or spans[0][1] - spans[0][0] != len(letters):
        return None
    a, b = spans[0]
    return text[:a] + letters + text[b:]


COHERENCE: dict[str, Callable[[str, int, int, Mapping[str, list[tuple[int, int]]]], "str | None"]] = {
    "org_initials": _initials_in_brackets,
}


def _attempt(draw: Callable, rule, extractor, doc_date, mentions, bare, keep_rejected) -> Sample | None:
    scope = rule_scope(rule, extractor)
    if rule.mention_lexicon is not None:
        return _document_rule_attempt(draw, rule, extractor, scope, doc_date, mentions, keep_rejected)
    text_for = _mention_source(extractor, rule, mentions, doc_date)
    generator = _Generator(draw, rule, scope, lambda label: text_for(draw, label), _example_tokens(extractor))
    elements = generator.gen(rule.ast)
    match = _render(draw, elements)
    behind, ahead = _contexts(match.marks, match.first or 0, match.last)
    if bare and (behind or ahead):
        return None
    before = _render(draw, behind.body) if behind else None
    after = _render(draw, ahead.body) if ahead else None
    lead = before.text + draw(st.sampled_from(_WHITESPACE)) if before and before.text else ""
    tail = draw(st.sampled_from(_WHITESPACE)) + after.text if after and after.text else ""
    text = lead + match.text + tail
    shift = len(lead)
    start, end = shift, shift + len(match.text)
    captures: dict[str, list[tuple[int, int]]] = {}
    slots = [(a + shift, b + shift, label) for a, b, label in match.mentions]
    for part, offset in ((before, 0), (match, shift), (after, end + len(tail) - len(after.text) if after else 0)):
        if part is None:
            continue
        for name, spans in part.captures.items():
            captures.setdefault(name, []).extend((a + offset, b + offset) for a, b in spans)
        if part is not match:
            slots += [(a + offset, b + offset, label) for a, b, label in part.mentions]
    for mark in match.marks:
        mark.pos += shift
    for part, offset in ((before, 0), (after, end + len(tail) - len(after.text) if after else 0)):
        if part is not None:
            for mark in part.marks:
                mark.pos += offset
    marks = match.marks + (before.marks if before else []) + (after.marks if after else [])
    regex_tokens = [(a + shift, b + shift, p, f) for a, b, p, f in match.regex_tokens]
    for part, offset in ((before, 0), (after, end + len(tail) - len(after.text) if after else 0)):
        if part is not None:
            regex_tokens += [(a + offset, b + offset, p, f) for a, b, p, f in part.regex_tokens]
    captures = {k: sorted(v) for k, v in captures.items()}
    cohere = COHERENCE.get(rule.value.get("fn"))
    if cohere is not None and (text := cohere(text, start, end, captures)) is None:
        return None
    return _check(rule, extractor, scope, text, start, end, captures, slots, marks, doc_date, keep_rejected, regex_tokens)


_CONTEXT_SENSITIVE = regex.compile(r"\(\?<?[=!]|\\[bBAZzG]|\^|\$")


def _token_fits(shadow: str, start: int, end: int, pattern: str, flags: str) -> bool:
    """Does ``/pattern/`` match exactly [start, end) where the token stands? A regex with
    look-arounds of its own (the digits of "more than.0" are not digits after a letter and a
    dot) can refuse a token in a place that it matches alone."""
    if not _CONTEXT_SENSITIVE.search(pattern):
        return True
    follow = regex.escape(shadow[end : end + 40])
    compiled = regex.compile(f"(?:{pattern})(?={follow})", regex.IGNORECASE if "i" in flags else 0)
    return compiled.match(shadow, start) is not None


def _check(*args) -> Sample | None:
    with _random_state_kept():
        return _check_sample(*args)


def _check_sample(rule, extractor, scope, text, start, end, captures, slots, marks, doc_date, keep_rejected, regex_tokens=()) -> Sample | None:
    base = base_shadow(text)
    if BOUNDARY in base and not rule.spec.get("cross_sentences", False):
        return None  # a sentence end inside the sample: patterns do not cross it
    trace = None
    if extractor is not None and (rule.stage > 1 or rule.value.get("fn")):
        trace = extractor.trace(text, doc_date)
        visible = {(m.start, m.end, m.rule.label) for m in visible_mentions(trace, rule.stage)}
        if visible != set(slots):
            return None  # a mention we did not ask for, or one that did not come out as asked
    shadow = stage_shadow(extractor, text, rule.stage, trace) if trace is not None else base
    for mark in marks:
        if not _look_holds(mark, shadow, scope, rule):
            return None
    m = rule.regex.match(shadow, start, timeout=10)
    if m is None and not all(_token_fits(shadow, *token) for token in regex_tokens):
        return None  # a /regex/ token that its own look-arounds refuse where it stands
    if m is None:
        raise GeneratorMismatch(
            f"rule {rule.id} ({rule.where}) does not match the generated text {text!r} at {start} "
            f"(expected the match {text[start:end]!r}); pattern: {rule.pattern!r}"
        )
    got = _match_captures(rule, m)
    want = {k: tuple(v) for k, v in captures.items() if k in rule.captures and v}
    if m.span() != (start, end) or got != want:
        return None  # the regex prefers another reading of the same text
    if not keep_rejected and rule.value.get("fn") and _value(rule, text, start, end, got, doc_date, trace) is None:
        return None
    return Sample(rule.id, text, start, end, want, tuple(sorted(slots)))


# ---------------------------------------------------------------------------------------
# Rules over lexicons built per document ("org:$earlier_orgs")
# ---------------------------------------------------------------------------------------


def _document_rule_attempt(draw, rule, extractor, scope, doc_date, mentions, keep_rejected) -> Sample | None:
    """A name found by an earlier stage, then a short form of it: the acronym given in
    parentheses after it ("Northern Valley Liberation Front (NVLF) ... NVLF"), or for a
    company its leading words ("Harbor Freight Lines Inc. ... Harbor Freight"). A rule of
    stage 3 or later sees the names of the stage before it, whose rules need their context
    ("the carmaker Vantora ... Vantora"): the short forms of stage-1 names are taken at stage 2."""
    label = rule.mention_lexicon.label
    previous = [r for r in extractor.rules if r.label == label and r.stage == rule.stage - 1 and r.mention_lexicon is None]
    if rule.stage > 2 and previous:
        return _after_cued_name(draw, rule, extractor, previous, doc_date)
    text_for = _mention_source(extractor, rule, mentions, doc_date)
    name = text_for(draw, label)
    words = name.split()
    initials = "".join(w[0] for w in words if w[:1].isupper())
    if len(initials) < 2 or not initials.isupper():
        initials = draw(st.from_regex(r"[A-Z]{2,5}", fullmatch=True))
    form = draw(st.sampled_from(["acronym", "leading words"])) if len(words) > 2 else "acronym"
    gap = draw(st.sampled_from(FILLER_WORDS)) + " " + draw(st.sampled_from(FILLER_WORDS))
    if form == "acronym":
        intro = f"{name} ({initials})"
        short = initials
    else:
        intro = name
        short = " ".join(words[: draw(st.integers(1, len(words) - 2))])
    return _short_form_sample(rule, extractor, f"{intro} {gap} {short}", (0, len(name)), short, doc_date)


def _after_cued_name(draw, rule, extractor, previous, doc_date) -> Sample | None:
    """A generated match of a rule of the stage before, in its context, then the name again."""
    intro = draw(st.one_of(*(texts_matching(r, extractor, doc_date=doc_date) for r in previous)))
    gap = draw(st.sampled_from(FILLER_WORDS)) + " " + draw(st.sampled_from(FILLER_WORDS))
    return _short_form_sample(rule, extractor, f"{intro.text} {gap} {intro.match}", intro.span, intro.match, doc_date)


def _short_form_sample(rule, extractor, text: str, name_span: tuple[int, int], short: str, doc_date) -> Sample | None:
    """``text`` names something at ``name_span`` and ends with ``short``: a sample when the
    earlier stages find that name alone and the rule finds ``short`` as its later mention."""
    label = rule.mention_lexicon.label
    start, end = len(text) - len(short), len(text)
    with _random_state_kept():
        trace = extractor.trace(text, doc_date)
    if [(m.start, m.end, m.rule.label) for m in visible_mentions(trace, rule.stage)] != [(*name_span, label)]:
        return None  # another mention, or the name did not come out alone
    stage = next((st_ for st_ in trace.stages if st_.number == rule.stage), None)
    if not any(c.rule.id == rule.id and (c.start, c.end) == (start, end) for c in (stage.candidates if stage else [])):
        return None  # not a short form the engine derives (too common a word, ...): nothing promised
    captures = {name_: ((start, end),) for name_ in rule.captures}
    return Sample(rule.id, text, start, end, captures, ((*name_span, label),))
