"""Run the rules of one stage over a shadow text and collect candidate matches.

One keyword pass and at most one pass for the other starts find every position where some
rule can begin; only those rules are tried there, each under the regex timeout. A rule's
matches do not overlap one another (as with ``finditer``); overlaps between rules are for
``resolve`` to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from functools import lru_cache

import regex

from .errors import PatternTimeout
from .lexicon import Lexicon, fold
from .ruleset import Rule, Stage
from .text import NOT_INSIDE_WORD

DEFAULT_TIMEOUT = 2.0


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


def anchor_hits(stage: Stage, shadow: str, timeout: float, doc: str = "-") -> list[tuple[int, tuple[int, ...]]]:
    """(position, indices of rules to try there), in text order."""
    timeout = pass_timeout(timeout, shadow)
    hits = []
    try:
        if stage.keyword_scan is not None:
            for m in stage.keyword_scan.finditer(shadow, overlapped=True, timeout=timeout):
                rules = stage.keyword_rules.get(fold(m.group()).lower())
                if rules:
                    hits.append((m.start(), rules))
        if stage.opaque_scan is not None:
            hits.extend((m.start(), stage.opaque_rules) for m in stage.opaque_scan.finditer(shadow, overlapped=True, timeout=timeout))
    except TimeoutError:
        raise PatternTimeout("(anchor scan)", f"stage {stage.number}", doc, timeout) from None
    hits.sort(key=itemgetter(0))
    return hits


def scan(
    stage: Stage, shadow: str, doc: str = "", timeout: float = DEFAULT_TIMEOUT, lexicons: dict[str, Lexicon] | None = None
) -> list[Candidate]:
    """Every match of every rule of the stage, in text order. ``lexicons``: the lexicons
    built for this document (from earlier mentions) that the stage's document rules use."""
    rules = stage.rules
    next_free = [0] * len(rules)  # a rule's next match may not start before this
    tried_at = [-1] * len(rules)
    found = []
    for pos, indices in anchor_hits(stage, shadow, timeout, doc):
        for index in indices:
            if pos < next_free[index] or tried_at[index] == pos:
                continue
            tried_at[index] = pos
            rule = rules[index]
            try:
                m = rule.regex.match(shadow, pos, timeout=timeout)
            except TimeoutError:
                raise PatternTimeout(rule.id, rule.where, doc, timeout) from None
            if m:
                found.append(Candidate(m.start(), m.end(), rule, m))
                next_free[index] = m.end()
    for index in stage.document_rules:
        found.extend(_scan_document_rule(rules[index], shadow, (lexicons or {}).get(rules[index].mention_lexicon.name), timeout, doc))
    return found


def _scan_document_rule(rule: Rule, shadow: str, lexicon: Lexicon | None, timeout: float, doc: str) -> list[Candidate]:
    if lexicon is None or not lexicon.entries:
        return []
    group = next(iter(rule.captures.values())).group if rule.captures else None
    pattern = _document_pattern(lexicon.source, group)
    try:
        return [Candidate(m.start(), m.end(), rule, m) for m in pattern.finditer(shadow, timeout=pass_timeout(timeout, shadow))]
    except TimeoutError:
        raise PatternTimeout(rule.id, rule.where, doc, timeout) from None


@lru_cache(maxsize=256)
def _document_pattern(source: str, group: str | None):
    body = f"(?P<{group}>{source})" if group else source
    return regex.compile(NOT_INSIDE_WORD + body + NOT_INSIDE_WORD)
