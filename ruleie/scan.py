"""Run the rules of one stage over a shadow text and collect candidate matches.

One keyword pass and at most one pass for the other starts find every position where some
rule can begin; only those rules are tried there, each under the regex timeout. A rule's
matches do not overlap one another (as with ``finditer``); overlaps between rules are for
``resolve`` to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Any

from functools import lru_cache
from time import process_time

import regex

from .compile import to_regex
from .errors import PatternTimeout
from .lexicon import Lexicon, exact_matches
from .ruleset import Rule, Stage, same_length_casefold
from .text import BOUNDARY, NOT_INSIDE_WORD

DEFAULT_TIMEOUT = 2.0
_BOUNDARY = regex.compile(BOUNDARY)


def _all_occur(required: dict[int, list[int]], numbers: tuple[int, ...], start: int, end: int) -> bool:
    """Does a cue of each of these required sets occur in [start, end)?"""
    for number in numbers:
        positions = required.get(number)
        if positions is None:
            return False
        at = bisect_left(positions, start)
        if at == len(positions) or positions[at] >= end:
            return False
    return True


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    rule: Rule
    match: Any  # the regex match: captures are read from it later

    @property
    def length(self) -> int:
        return self.end - self.start


def pass_timeout(timeout: float, text: str) -> float:
    """A whole pass over a text gets the match limit per 100,000 characters: a long
    document is not a runaway pattern."""
    return timeout * max(1.0, len(text) / 100_000)


class TimeBudget:
    """What is left of each rule's match time on one document, in CPU seconds as the
    ``regex`` module counts its timeout. Every timed call of a rule, its share of a start
    pass included, draws on one allowance (the limit per 100,000 characters), so a runaway
    rule stops within its limit however often it is tried."""

    def __init__(self, stage: Stage, shadow: str, timeout: float, doc: str):
        self.stage, self.doc, self.timeout = stage, doc, timeout
        self.allowance = pass_timeout(timeout, shadow)
        self.left: dict[int, float] = {}

    def call_one(self, index: int, run, text: str, pos: int):
        """``call((index,), run, text, pos)`` without the ``min`` over rules: one rule's try,
        on the scan's hot path."""
        return self._timed((index,), self.left.get(index, self.allowance), run, text, pos)

    def call(self, rules: tuple[int, ...], run, *args, **kwargs):
        """``run(*args, timeout=..., **kwargs)`` on behalf of these rules, charged to each."""
        return self._timed(rules, min(self.left.get(index, self.allowance) for index in rules), run, *args, **kwargs)

    def _timed(self, rules: tuple[int, ...], left: float, run, *args, **kwargs):
        began = process_time()
        try:
            if left <= 0:
                raise TimeoutError
            return run(*args, timeout=left, **kwargs)
        except TimeoutError:
            rule = self.stage.rules[rules[0]]
            raise PatternTimeout(rule.id, rule.where, self.doc, self.timeout) from None
        finally:
            spent = process_time() - began
            for index in rules:
                self.left[index] = self.left.get(index, self.allowance) - spent


def anchor_hits(stage: Stage, shadow: str, timeout: float, doc: str = "-",
                mention_starts: dict[str, list[int]] | None = None,
                budget: TimeBudget | None = None) -> tuple[list[tuple[int, tuple[int, ...]]], dict[int, list[int]]]:
    """(position, indices of rules that can start there) in text order, and for each
    required cue set of the stage that occurs (by its number) the sorted positions of its
    cues. Work per document grows with the text, not with the number of rules."""
    budget = budget or TimeBudget(stage, shadow, timeout, doc)
    hits = []
    required: dict[int, list[int]] = {}
    folded = same_length_casefold(shadow) if stage.keyword_scan is not None or stage.required_substrings else ""
    if stage.keyword_scan is not None:
        for start, word in stage.keyword_scan.finditer(shadow, folded):  # tries: linear, no timeout needed
            rules = stage.keyword_rules.get(word)
            if rules:
                hits.append((start, rules))
            for number in stage.required_index.get(word, ()):
                required.setdefault(number, []).append(start)
    if stage.required_substrings:
        for cue, numbers in stage.required_substrings.items():
            at = folded.find(cue)
            while at >= 0:
                for number in numbers:
                    required.setdefault(number, []).append(at)
                at = folded.find(cue, at + 1)
    for positions in required.values():
        positions.sort()
    for pattern, rules in stage.opaque_scans:
        starts = budget.call(rules, lambda timeout: [m.start() for m in pattern.finditer(shadow, overlapped=True, timeout=timeout)])
        hits.extend((start, rules) for start in starts)
    for label, rules in stage.mention_rules.items():
        hits.extend((start, rules) for start in (mention_starts or {}).get(label, ()))
    hits.sort(key=itemgetter(0))
    return hits, required


def scan(
    stage: Stage, shadow: str, doc: str = "", timeout: float = DEFAULT_TIMEOUT,
    lexicons: dict[str, Lexicon] | None = None, mention_starts: dict[str, list[int]] | None = None,
) -> list[Candidate]:
    """Every match of every rule of the stage, in text order. ``lexicons``: the lexicons
    built for this document (from earlier mentions) that the stage's document rules use;
    ``mention_starts``: where the earlier mentions of each label start."""
    rules, rule_needs = stage.rules, stage.rule_needs
    # per rule, read once: what a try calls (the scan below runs thousands of tries)
    matchers = [rule.regex.match if rule.regex is not None else None for rule in rules]
    prefilters = [prefilter.match if prefilter is not None else None for prefilter in stage.prefilters]
    bounded = [rule.bounded for rule in rules]
    next_free = [0] * len(rules)  # a rule's next match may not start before this
    tried_at = [-1] * len(rules)
    budget = TimeBudget(stage, shadow, timeout, doc)
    hits, required = anchor_hits(stage, shadow, timeout, doc, mention_starts, budget)
    breaks = [m.start() for m in _BOUNDARY.finditer(shadow)]
    found = []
    for pos, indices in hits:
        sentence_end = None
        for index in indices:
            if pos < next_free[index] or tried_at[index] == pos:
                continue
            tried_at[index] = pos
            needs = rule_needs[index]
            if needs:
                if sentence_end is None:
                    at = bisect_right(breaks, pos)
                    sentence_end = breaks[at] if at < len(breaks) else len(shadow)
                end = len(shadow) if rules[index].cross_sentences else sentence_end
                if not _all_occur(required, needs, pos, end):
                    continue  # the sentence lacks a cue the rule needs
            prefilter = prefilters[index]
            if prefilter is not None and prefilter(shadow, pos) is None:
                continue  # the start of the rule is not there
            m = matchers[index](shadow, pos) if bounded[index] else budget.call_one(index, matchers[index], shadow, pos)
            if m:
                found.append(Candidate(m.start(), m.end(), rules[index], m))
                next_free[index] = m.end()
    for index in stage.document_rules:
        found.extend(_scan_document_rule(rules[index], shadow, (lexicons or {}).get(rules[index].mention_lexicon.name), timeout, doc))
    return found


class _SpanMatch:
    """Stands for the regex match of a document rule: the whole span is its one capture."""

    def __init__(self, start: int, end: int):
        self._span = (start, end)

    def span(self, group: str | int = 0) -> tuple[int, int]:
        return self._span

    def spans(self, group: str | int = 0) -> list[tuple[int, int]]:
        return [self._span]


def _scan_document_rule(rule: Rule, shadow: str, lexicon: Lexicon | None, timeout: float, doc: str) -> list[Candidate]:
    found = _document_rule_matches(rule, shadow, lexicon, timeout, doc)
    context = rule.mention_context
    if context is None:
        return found
    return [c for c in found if context.holds(shadow, c.start, c.end)]


def _document_rule_matches(rule: Rule, shadow: str, lexicon: Lexicon | None, timeout: float, doc: str) -> list[Candidate]:
    if lexicon is None or not lexicon.entries:
        return []
    spans = exact_matches(lexicon, shadow)
    if spans is not None:
        return [Candidate(start, end, rule, _SpanMatch(start, end)) for start, end in spans]
    group = next(iter(rule.captures.values())).group if rule.captures else None
    pattern = _document_pattern(lexicon.source, group)
    try:
        return [Candidate(m.start(), m.end(), rule, m) for m in pattern.finditer(shadow, timeout=pass_timeout(timeout, shadow))]
    except TimeoutError:
        raise PatternTimeout(rule.id, rule.where, doc, timeout) from None


@lru_cache(maxsize=256)
def _document_pattern(source: str, group: str | None):
    body = f"(?P<{group}>{source})" if group else source
    return to_regex(NOT_INSIDE_WORD + body + NOT_INSIDE_WORD)
