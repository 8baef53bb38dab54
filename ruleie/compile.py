"""Compile pattern ASTs to ``regex`` source, and work out where each rule can start.

Each node compiles to a Frag: the regex of its *non-empty* forms plus whether it may also
match nothing. Sequences put a JOIN between two present items only, so optional items never
leave stray whitespace in a span, and no span starts or ends with whitespace.

``first_tokens`` gives the anchors of a rule: the lower-cased words it can begin with
(``keywords``), or regexes for starts that are not fixed words (``opaque``). The scanner
finds anchors for all the rules of a stage in one pass and tries only the rules that can
start there, so adding rules does not add passes over the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import regex

from . import syntax as s
from .errors import Location, RuleError
from .lexicon import Lexicon, MentionLexicon, _chars, fold, lower
from .pattern_cache import compile_pattern
from .text import ANY_TOKEN, BOUNDARY, CONTINUE, JOIN, JOIN_ACROSS_SENTENCES, NOT_INSIDE_WORD, SPACE, label_marker

Where = Callable[[int], Location]
_UNBOUNDED = regex.compile(r"[+*]|\{\d+,\}")
# What a repeated group may start with and stay unambiguous: a separator that a word cannot
# contain (",\d{3}", "[-‐]\p{Ll}+", "\s\w+"), so each repetition begins at a fixed place.
_SEPARATOR_START = regex.compile(r"(?:\\[sS.,\-/:;]|[,.;:/\- ]|\[(?:[^\]\\\w]|\\[.,\-/s])+\]|\[\^\\S[^\]]*\])")


@lru_cache(maxsize=4096)  # macros put the same /regex/ into many rules
def _regex_is_bounded(pattern: str) -> bool:
    r"""No group of the regex repeats without bound unless each repetition starts with a
    separator: "(a+)+", "(\w+\s?)*", "(a|aa)+" are refused; "(?:,\d{3})+" is fine."""
    starts: list[int] = []
    for i, piece in _pieces(pattern):
        if piece == "(":
            starts.append(i)
        elif piece == ")" and starts:
            start = starts.pop()
            if _UNBOUNDED.match(pattern, i + 1):
                inner = regex.sub(r"^\?(?:[:>]|<?[=!])", "", pattern[start + 1 : i])
                if not _SEPARATOR_START.match(inner):
                    return False
    return True


def _pieces(pattern: str):
    """(offset, piece) of a regex source, piece by piece: an escape, a whole character class
    or one character."""
    i = 0
    while i < len(pattern):
        end = _piece_end(pattern, i)
        yield i, pattern[i:end]
        i = end


def _piece_end(pattern: str, i: int) -> int:
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] != "[":
        return i + 1
    j = i + 1  # a character class: "]" first in it is a literal
    if pattern.startswith("^", j):
        j += 1
    if pattern.startswith("]", j):
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


# The `regex` module prepares every repeat of a pattern at each match call, so a lexicon of
# many multi-word names (a trie holding a whitespace run per name) costs tens of microseconds
# a call even where it fails at once. In a pattern whose only repeats are whitespace runs,
# the run is written once, in a DEFINE block, and called: a call then costs what the text
# makes it cost. Not where other repeats are: with a group call in it, the whole pattern
# loses the guards that keep backtracking in check (the number grammar slows down 5x). Group
# calls do not work inside look-behinds, so runs there stay as written.
_WHITESPACE_RUN = f"[^\\S{BOUNDARY}]+"
_REPEAT = regex.compile(r"[+*]|\?(?<!\(\?)|\{\d")


def to_regex(source: str) -> regex.Pattern:
    """Compile a pattern's source, its whitespace runs shared where that is safe."""
    return compile_pattern(source, _with_shared_runs)


def _with_shared_runs(source: str) -> str:
    shared, runs, others = _share_runs(source)
    return shared + f"(?(DEFINE)(?P<_space>{SPACE}))" if runs and not others else source


def _share_runs(source: str) -> tuple[str, int, bool]:
    """The source with each whitespace run outside look-behinds a call of ``_space``; how
    many runs were replaced; whether it has repeats other than whitespace runs."""
    out: list[str] = []
    runs, others = 0, False
    behind: list[bool] = []  # for each open group: is it (inside) a look-behind?
    i = 0
    while i < len(source):
        if source.startswith(_WHITESPACE_RUN, i) and not source.startswith(("?", "+"), i + len(_WHITESPACE_RUN)):
            out.append(_WHITESPACE_RUN if any(behind) else "(?&_space)")
            runs += not any(behind)
            i += len(_WHITESPACE_RUN)
            continue
        char = source[i]
        end = _piece_end(source, i)
        if char == "(":
            behind.append(any(behind) or source.startswith(("(?<=", "(?<!"), i))
        elif char == ")" and behind:
            behind.pop()
        elif _REPEAT.match(source, i):
            others = True
        out.append(source[i:end])
        i = end
    return "".join(out), runs, others


@dataclass(frozen=True, order=True)
class Cue:
    """A word a match must contain: a whole token (found by the keyword scan) or, where it
    may be glued to its neighbours, any substring of the case-folded text."""

    text: str  # lower-cased
    token: bool = True


# A substring cue stops before what case folding or ``fold`` may write differently in the
# text: spaces, apostrophes and hyphens, and "i" ("İ" and "ı" match it case-insensitively).
_CUE_END = regex.compile(r"[\s'’‘\-‐‑–i]")


def _substring_cues(words) -> list[frozenset[Cue]]:
    """The cue set of these words as substrings; none if one of them is empty or a lone
    letter (in every sentence: the search would cost more than it saves)."""
    cues = {_CUE_END.split(word.lower(), 1)[0] for word in words}
    if any(not cue or (len(cue) == 1 and cue.isalpha()) for cue in cues):
        return []
    return [frozenset(Cue(cue, token=False) for cue in cues)]


_META = set("\\.^$*+?{}[]()|")


@lru_cache(maxsize=4096)
def literal_starts(pattern: str) -> frozenset[str] | None:
    """Literal text that every match of a /regex/ begins with, one per top-level branch
    ("pc|pct" -> {"pc", "pct"}, "%(?!x)" -> {"%"}); None when a branch begins otherwise."""
    starts = set()
    depth, branch_start = 0, 0
    branches = []
    for i, piece in _pieces(pattern):
        depth += (piece == "(") - (piece == ")")
        if piece == "|" and depth == 0:
            branches.append(pattern[branch_start:i])
            branch_start = i + 1
    branches.append(pattern[branch_start:])
    for branch in branches:
        run = []
        for char in branch:
            if char in _META:
                if char in "?*{" and run:  # the last character may be absent
                    run.pop()
                break
            run.append(char)
        if not run:
            return None
        starts.add("".join(run))
    return frozenset(starts)


@dataclass(frozen=True)
class Frag:
    re: str
    nullable: bool


@dataclass(frozen=True)
class MentionContext:
    """The checks on a match of a rule over a per-document lexicon (see mention_context)."""

    behind: regex.Pattern | None
    ahead: regex.Pattern | None
    not_in: tuple[Lexicon, ...] = ()

    def holds(self, shadow: str, start: int, end: int) -> bool:
        if self.behind is not None and self.behind.match(shadow, start) is None:
            return False
        if self.ahead is not None and self.ahead.match(shadow, end) is None:
            return False
        return not any(lexicon.lookup(shadow[start:end]) for lexicon in self.not_in)


def _mention_core(node: s.Node) -> s.Node:
    """The one item of a sequence that is not a look-around (the node itself otherwise)."""
    if isinstance(node, s.Seq):
        cores = [item for item in node.items if not isinstance(item, s.Look)]
        if len(cores) == 1:
            return cores[0]
    return node


@dataclass(frozen=True)
class CaptureInfo:
    name: str
    group: str
    is_list: bool
    lexicon: Lexicon | MentionLexicon | None  # set when the capture is exactly a lexicon reference


@dataclass(frozen=True)
class Macro:
    name: str
    ast: s.Node
    where: Where


@dataclass
class Anchors:
    keywords: set[str] = field(default_factory=set)  # lower-cased first words
    opaque: set[str] = field(default_factory=set)  # regexes of other starts
    mentions: set[str] = field(default_factory=set)  # labels of earlier mentions it can start with

    def add(self, other: "Anchors") -> None:
        self.keywords |= other.keywords
        self.opaque |= other.opaque
        self.mentions |= other.mentions


def group_name(capture: str) -> str:
    return "c_" + capture


class Compiler:
    """Compiles one rule's pattern (and the macros it uses) in the scope it can see."""

    def __init__(
        self,
        lexicons: dict[str, Lexicon],
        macros: dict[str, Macro],
        labels: dict[str, int],
        where: Where,
        cross_sentences: bool = False,
    ):
        self.lexicons = lexicons
        self.macros = macros
        self.labels = labels
        self.join = JOIN_ACROSS_SENTENCES if cross_sentences else JOIN
        self.captures: dict[str, CaptureInfo] = {}
        self.used_lexicons: set[int] = set()  # ids, for the unused-definition lint
        self.used_macros: set[int] = set()
        self._where = [where]
        self._macro_stack: list[str] = []
        self._repeat_depth = 0
        self._mark_items = False

    # -- errors -------------------------------------------------------------------------

    def error(self, message: str, node: s.Node) -> RuleError:
        return RuleError(message, self._where[-1](node.pos))

    # -- regex ----------------------------------------------------------------------------

    def compile(self, node: s.Node, mark_items: bool = False) -> str:
        """The full regex of a rule pattern: no match may start or end inside a word.
        ``mark_items``: wrap each top-level item in a group ``i_N`` (for explain)."""
        self._mark_items = mark_items and isinstance(node, s.Seq)
        frag = self.node(node)
        if frag.nullable:
            raise self.error("pattern can match nothing: every part of it is optional", node)
        return NOT_INSIDE_WORD + frag.re + NOT_INSIDE_WORD

    def node(self, node: s.Node) -> Frag:
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

    def _literal(self, node: s.Literal) -> Frag:
        words = node.text.split()
        if not words:
            raise self.error("empty literal", node)
        body = self.join.join(_chars(fold(w)) for w in words)
        return Frag(body if node.case_sensitive else f"(?i:{body})", False)

    def _tokenregex(self, node: s.TokenRegex) -> Frag:
        unknown = set(node.flags) - {"i"}
        if unknown:
            raise self.error(f"unknown regex flag {''.join(sorted(unknown))!r}: only 'i' is supported", node)
        try:
            compiled = regex.compile(node.pattern)
        except regex.error as exc:
            raise self.error(f"bad regex /{node.pattern}/: {exc}", node) from None
        if compiled.groupindex:
            raise self.error("named groups are not allowed inside /regex/: use a name: capture", node)
        if regex.search(r"\\[1-9]|\\g<", node.pattern):
            raise self.error("back-references are not allowed inside /regex/", node)
        if compiled.fullmatch(""):
            raise self.error(f"/{node.pattern}/ can match the empty string: a token must be at least one character", node)
        return Frag(f"(?{'i' if 'i' in node.flags else ''}:{node.pattern})", False)

    def _lexiconref(self, node: s.LexiconRef) -> Frag:
        lexicon = self.lexicon(node)
        if isinstance(lexicon, MentionLexicon):
            raise self.error(f"'${node.name}' is built from mentions: it can only be a whole pattern ($x or name:$x)", node)
        return Frag(lexicon.source, False)

    def mention_lexicon(self, node: s.Node) -> MentionLexicon | None:
        """The per-document lexicon a pattern consists of (``$x`` or ``name:$x``, with
        look-arounds on either side), if any."""
        node = _mention_core(node)
        inner = node.body if isinstance(node, s.Capture) else node
        if not isinstance(inner, s.LexiconRef) or not isinstance(self.lexicon(inner), MentionLexicon):
            return None
        lexicon = self.lexicon(inner)
        if lexicon.label not in self.labels:
            raise self.error(f"'${inner.name}' is built from {lexicon.label} mentions, which no earlier stage finds", inner)
        if isinstance(node, s.Capture):
            self.captures[node.name] = CaptureInfo(node.name, group_name(node.name), False, lexicon)
        return lexicon

    def mention_context(self, node: s.Node) -> "MentionContext":
        """What a match of a per-document lexicon must also satisfy: the look-behinds
        before it, tested at its start, the look-aheads after it, tested at its end, and
        the ``not_in`` lexicons of the lexicon, none of which may hold its text."""
        items = node.items if isinstance(node, s.Seq) else (node,)
        core = next(i for i, item in enumerate(items) if not isinstance(item, s.Look))
        behind, ahead = [], []
        for index, item in enumerate(items):
            if index == core:
                continue
            if item.behind != (index < core) or (isinstance(node, s.Seq) and "~" in node.joins):
                raise self.error("around a lexicon built from mentions, look-behinds go before it and look-aheads after it, with no ~", item)
            frag = self._look_body(item)
            (behind if index < core else ahead).append(self._look_at(item, frag, at_start=index < core))
        lexicon = self.mention_lexicon(node)
        excluded = []
        for name in lexicon.not_in:
            found = self.lexicons.get(name)
            if not isinstance(found, Lexicon):
                raise self.error(f"'${lexicon.name}' has not_in: {name!r}, which is not a lexicon this file sees", items[core])
            excluded.append(found)
            self.used_lexicons.add(id(found))
        return MentionContext(
            compile_pattern("".join(behind)) if behind else None,
            compile_pattern("".join(ahead)) if ahead else None,
            tuple(excluded),
        )

    def _macroref(self, node: s.MacroRef) -> Frag:
        macro = self.macro(node)
        self._enter_macro(macro, node)
        try:
            return self.node(macro.ast)
        finally:
            self._leave_macro()

    def _mentionref(self, node: s.MentionRef) -> Frag:
        if node.label not in self.labels:
            known = ", ".join(f"<{label}>" for label in sorted(self.labels)) or "none"
            raise self.error(f"unknown label <{node.label}>: labels of earlier stages are {known}", node)
        return Frag(f"(?>{label_marker(self.labels[node.label])}{CONTINUE}*)", False)

    def _anytoken(self, node: s.AnyToken) -> Frag:
        return Frag(ANY_TOKEN, False)

    def _alt(self, node: s.Alt) -> Frag:
        frags = [self.node(option) for option in node.options]
        return Frag("(?:" + "|".join(f.re for f in frags) + ")", any(f.nullable for f in frags))

    def _repeat(self, node: s.Repeat) -> Frag:
        if isinstance(node.body, s.AnyToken) and node.high is None:
            raise self.error("gaps must be bounded: write _{0,N} instead of _* or _+", node)
        if isinstance(node.body, s.Look):
            raise self.error("a look-around cannot be repeated", node)
        self._repeat_depth += node.high != 1
        try:
            body = self.node(node.body)
        finally:
            self._repeat_depth -= node.high != 1
        low = max(node.low, 1)
        more_low, more_high = low - 1, None if node.high is None else node.high - 1
        if more_high == 0:
            rest = ""
        elif more_high is None:
            rest = f"(?:{self.join}{body.re}){{{more_low},}}"
        else:
            rest = f"(?:{self.join}{body.re}){{{more_low},{more_high}}}"
        return Frag(f"(?:{body.re}{rest})", node.low == 0 or body.nullable)

    def _capture(self, node: s.Capture) -> Frag:
        if isinstance(node.body, s.Look):
            raise self.error("capture a part of the look-around, not the look-around itself", node)
        known = self.captures.get(node.name)
        if known and (not node.is_list or not known.is_list):
            raise self.error(f"capture {node.name!r} appears twice: write {node.name}[]: to collect a list", node)
        if self._repeat_depth and not node.is_list:
            raise self.error(f"capture {node.name!r} is repeated: write {node.name}[]: to collect a list", node)
        lexicon = self.lexicon(node.body) if isinstance(node.body, s.LexiconRef) else None
        self.captures[node.name] = CaptureInfo(node.name, group_name(node.name), node.is_list, lexicon)
        body = self.node(node.body)
        return Frag(f"(?P<{group_name(node.name)}>{body.re})", body.nullable)

    def _look(self, node: s.Look) -> Frag:
        raise self.error("a look-around must be an item of a sequence", node)

    def _seq(self, node: s.Seq) -> Frag:
        """Items in order, with a JOIN only between two items that are present."""
        units: list[tuple[str, s.Node, Frag]] = []
        mark, self._mark_items = self._mark_items, False  # only the outermost sequence
        for index, item in enumerate(node.items):
            join = "" if index == 0 or node.joins[index - 1] == "~" else self.join
            frag = self._look_body(item) if isinstance(item, s.Look) else self.node(item)
            if mark and not isinstance(item, s.Look):
                frag = Frag(f"(?P<i_{index}>{frag.re})", frag.nullable)
            units.append((join, item, frag))
        if all(isinstance(item, s.Look) for _, item, _ in units):
            raise self.error("a sequence needs at least one item that is not a look-around", node)
        required = [i for i, (_, item, frag) in enumerate(units) if not isinstance(item, s.Look) and not frag.nullable]
        if required:
            return Frag(self._seq_from(units, required[0]), False)
        alternatives = []  # every item optional: one alternative per first present item
        for first, (_, head, _) in enumerate(units):
            if not isinstance(head, s.Look):
                alternatives.append(self._seq_from(units, first, leading_absent=True))
        return Frag("(?:" + "|".join(alternatives) + ")", True)

    def _seq_from(self, units: list, first: int, leading_absent: bool = False) -> str:
        """The sequence with item ``first`` present: items before it are optional and each
        brings its own following join; items after it bring their preceding join. So a
        JOIN stands only between two present items, and the regex grows linearly."""
        parts = []
        for index, (join, item, frag) in enumerate(units):
            if isinstance(item, s.Look):
                parts.append(self._look_at(item, frag, at_start=index < first))
            elif index < first:
                if not leading_absent:
                    following = units[index + 1][0] if index + 1 < len(units) else ""
                    parts.append(f"(?:{frag.re}{following})?")
            elif index == first:
                parts.append(frag.re)
            else:
                parts.append(f"(?:{join}{frag.re})?" if frag.nullable else f"{join}{frag.re}")
        return "".join(parts)

    def _look_body(self, look: s.Look) -> Frag:
        """The body of a look-around. One whose body may match nothing always holds; it is
        kept (as an optional body) so that captures inside it still record what is there."""
        frag = self.node(look.body)
        if frag.nullable and look.negative:
            raise self.error("this negative look-around can match nothing, so it never holds", look)
        return Frag(f"(?:{frag.re})?" if frag.nullable else frag.re, False)

    def _look_at(self, look: s.Look, frag: Frag, at_start: bool) -> str:
        """Look-behind tests the text before the next token; look-ahead the text after.
        The context is whole tokens: it may not end (or, behind, start) inside a word."""
        sign = "!" if look.negative else "="
        if look.behind:
            body = NOT_INSIDE_WORD + frag.re
            return f"(?<{sign}{body}{self.join})" if at_start else f"(?<{sign}{body})"
        body = frag.re + NOT_INSIDE_WORD
        return f"(?{sign}{body})" if at_start else f"(?{sign}{self.join}{body})"

    # -- references -----------------------------------------------------------------------

    def lexicon(self, node: s.LexiconRef) -> Lexicon:
        if node.name not in self.lexicons:
            raise self.error(f"unknown lexicon '${node.name}'{_suggest(node.name, self.lexicons, '$')}", node)
        self.used_lexicons.add(id(self.lexicons[node.name]))
        return self.lexicons[node.name]

    def macro(self, node: s.MacroRef) -> Macro:
        if node.name not in self.macros:
            raise self.error(f"unknown macro '@{node.name}'{_suggest(node.name, self.macros, '@')}", node)
        self.used_macros.add(id(self.macros[node.name]))
        return self.macros[node.name]

    def _enter_macro(self, macro: Macro, node: s.MacroRef) -> None:
        if macro.name in self._macro_stack:
            cycle = " -> ".join("@" + n for n in [*self._macro_stack, macro.name])
            raise self.error(f"macros refer to each other in a cycle: {cycle}", node)
        self._macro_stack.append(macro.name)
        self._where.append(macro.where)

    def _leave_macro(self) -> None:
        self._macro_stack.pop()
        self._where.pop()

    # -- anchors --------------------------------------------------------------------------

    def anchors(self, node: s.Node, glued_after: bool = False) -> Anchors:
        """Where a match of ``node`` can begin. ``glued_after``: ``~`` follows the node."""
        out = Anchors()
        if isinstance(node, s.Literal):
            words = node.text.split()
            first = fold(words[0])
            if glued_after and len(words) == 1:
                out.opaque.add(self._literal(node).re)
            else:
                out.keywords.add(lower(first))
        elif isinstance(node, s.LexiconRef):
            lexicon = self.lexicon(node)
            if isinstance(lexicon, MentionLexicon):
                self._lexiconref(node)  # raises: not a whole pattern
            if glued_after:
                out.opaque.add(lexicon.source)
            else:
                out.keywords |= lexicon.first_tokens()
        elif isinstance(node, s.MacroRef):
            macro = self.macro(node)
            self._enter_macro(macro, node)
            try:
                out.add(self.anchors(macro.ast, glued_after))
            finally:
                self._leave_macro()
        elif isinstance(node, s.MentionRef):
            self.node(node)  # raises for an unknown label
            out.mentions.add(node.label)
        elif isinstance(node, (s.TokenRegex, s.AnyToken)):
            out.opaque.add(self.node(node).re)
        elif isinstance(node, (s.Repeat, s.Capture)):
            out.add(self.anchors(node.body, glued_after))
        elif isinstance(node, s.Alt):
            for option in node.options:
                out.add(self.anchors(option, glued_after))
        elif isinstance(node, s.Seq):
            for index, item in enumerate(node.items):
                if isinstance(item, s.Look):
                    continue
                last = index == len(node.items) - 1
                glued = glued_after if last else node.joins[index] == "~"
                following = node.items[index + 1] if glued and not last else None
                if isinstance(item, (s.TokenRegex, s.LexiconRef)) and isinstance(following, (s.Literal, s.TokenRegex)):
                    # a start glued to a word or sign: it starts only where both are
                    # ("/\p{Ll}+/ ~ '-'": before a hyphen, not at every lower-case word)
                    start = self.anchors(item, True).opaque
                    out.opaque |= {first + self.node(following).re for first in start}
                else:
                    out.add(self.anchors(item, glued))
                if not self._nullable(item):
                    break
        return out

    def required(self, node: s.Node, glued: bool = False) -> list[frozenset[Cue]]:
        """Cue sets a match must contain a cue of, each (the trigger of an agreement, the head
        word of a name, the "%" or "percent" of a percentage): the scanner skips sentences
        without them. A word glued to its neighbour (``~``) may not stand as a token of its
        own, so it is required as a substring; so is the literal start of a /regex/."""
        if isinstance(node, s.Literal):
            first = lower(fold(node.text.split()[0]))
            return _substring_cues([first]) if glued else [frozenset({Cue(first)})]
        if isinstance(node, s.LexiconRef):
            lexicon = self.lexicon(node)
            if isinstance(lexicon, MentionLexicon):
                return []
            return _substring_cues(lexicon.first_tokens()) if glued else [frozenset(Cue(w) for w in lexicon.first_tokens())]
        if isinstance(node, s.TokenRegex):
            starts = literal_starts(node.pattern)
            return _substring_cues(starts) if starts else []
        if isinstance(node, s.MacroRef):
            return self.required(self.macro(node).ast, glued)
        if isinstance(node, s.Capture) or (isinstance(node, s.Repeat) and node.low >= 1):
            return self.required(node.body, glued)
        if isinstance(node, s.Seq):
            found = []
            for index, item in enumerate(node.items):
                touching = (index > 0 and node.joins[index - 1] == "~") or (index < len(node.joins) and node.joins[index] == "~")
                if not isinstance(item, s.Look):
                    found.extend(self.required(item, glued or touching))
                elif not item.behind and not item.negative and not self._nullable(item.body):
                    # what a positive look-ahead sees lies after the start, in the same
                    # sentence (its joins are the rule's): its cues are needed there too
                    found.extend(self.required(item.body, glued or touching))
            return found
        if isinstance(node, s.Alt):
            choices = [self.required(option, glued) for option in node.options]
            if not all(choices):
                return []
            # one set of each option; the union holds for the whole. Of an option's sets, the
            # one whose shortest cue is longest: "percent" over the "a" of "a half percent".
            return [frozenset().union(*(max(sets, key=lambda cues: min(len(c.text) for c in cues)) for sets in choices))]
        return []

    def bounded(self, node: s.Node) -> bool:
        """Can a match attempt of ``node`` only take time bounded by the pattern (times the
        token length)? True when every repetition has an upper bound and no token regex
        quantifies a group: then the regex cannot backtrack catastrophically, and the scanner
        spares it the per-call timeout. Every other rule keeps the timeout."""
        if isinstance(node, s.TokenRegex):
            return _regex_is_bounded(node.pattern)
        if isinstance(node, s.MacroRef):
            return self.bounded(self.macro(node).ast)
        if isinstance(node, s.Repeat) and node.high is None:
            return False
        if isinstance(node, (s.Seq, s.Alt, s.Repeat, s.Capture, s.Look)):
            children = node.items if isinstance(node, s.Seq) else node.options if isinstance(node, s.Alt) else (node.body,)
            return all(self.bounded(child) for child in children)
        return True

    def _nullable(self, node: s.Node) -> bool:
        return s.nullable(node, lambda ref: self.macro(ref).ast)


def _suggest(name: str, known, sigil: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{sigil}{close[0]}'?)" if close else ""


# -- prefilters -------------------------------------------------------------------------------

def _min_tokens(node: s.Node, macro) -> int:
    """How many pattern atoms (a literal, a lexicon entry, a /regex/, a mention, ``_``) every
    match of ``node`` holds at least; 0 when it can match nothing."""
    if isinstance(node, s.MacroRef):
        return _min_tokens(macro(node), macro)
    if isinstance(node, s.Seq):
        return sum(_min_tokens(item, macro) for item in node.items)
    if isinstance(node, s.Alt):
        return min(_min_tokens(option, macro) for option in node.options)
    if isinstance(node, s.Repeat):
        return node.low * _min_tokens(node.body, macro)
    if isinstance(node, s.Capture):
        return _min_tokens(node.body, macro)
    return 0 if isinstance(node, s.Look) else 1


def prefix_node(node: s.Node, depth: int, macro) -> tuple[s.Node, bool]:
    """A pattern that matches a prefix of every match of ``node``: about its first ``depth``
    atoms (more where atoms are optional), without look-arounds or captures; and whether it
    is all of ``node`` (what may follow it is then known). A match of the prefix at a
    position is needed for a match of the whole there, so where the prefix fails the whole
    need not be tried."""
    if isinstance(node, s.MacroRef):
        return prefix_node(macro(node), depth, macro)
    if isinstance(node, s.Capture):
        return prefix_node(node.body, depth, macro)
    if isinstance(node, s.Alt):
        options = [prefix_node(option, depth, macro) for option in node.options]
        return s.Alt(tuple(o for o, _ in options), node.pos), all(whole for _, whole in options)
    if isinstance(node, s.Repeat):
        body, whole = prefix_node(node.body, depth, macro)
        if whole and node.high is not None and node.high <= PREFIX_MAX_REPEAT:
            return s.Repeat(body, node.low, node.high, node.pos), True  # a few whole repetitions
        # one repetition: where the next would start is not known
        return s.Repeat(body, min(node.low, 1), 1, node.pos), whole and node.high == 1
    if not isinstance(node, s.Seq):
        return node, True
    items, joins = [], []
    whole = True
    for index, item in enumerate(node.items):
        if isinstance(item, s.Look):
            continue
        if depth <= 0 or not whole:
            whole = False
            break
        if items:
            joins.append(node.joins[index - 1])
        prefix, whole = prefix_node(item, depth, macro)
        items.append(prefix)
        depth -= _min_tokens(item, macro)
    return (items[0] if len(items) == 1 else s.Seq(tuple(items), tuple(joins), node.pos)), whole


# A prefilter pays where it is much smaller than its rule (a try of it costs less) and says
# more than the anchor that set the try off (not one atom: the start scan found that).
PREFIX_DEPTH = 3
PREFIX_MAX_SHARE = 0.5
PREFIX_MAX_REPEAT = 3  # a repeat of at most this many is kept whole in a prefix


def prefilter_source(compiler: Compiler, node: s.Node, full: str) -> str | None:
    """The regex source of the prefilter of a rule (see ``prefix_node``), or None where one
    would not pay. ``full``: the rule's own regex source."""
    macro = lambda ref: compiler.macro(ref).ast  # noqa: E731
    prefix, _ = prefix_node(node, PREFIX_DEPTH, macro)
    if not isinstance(prefix, (s.Seq, s.Alt)):
        return None
    frag = compiler.node(prefix)
    if frag.nullable or len(frag.re) > PREFIX_MAX_SHARE * len(full):
        return None
    return NOT_INSIDE_WORD + frag.re
