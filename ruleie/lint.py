"""Warnings about rules that load but are likely wrong, for ``ruleie check``.

Each warning names ``file:line:col``: rules without examples, lexicons and macros nobody
uses, a rule that loses to a higher-priority rule on every one of its own examples, regex
shapes that can backtrack catastrophically, and ``word?`` (which makes the whole word
optional, not its last letter).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from . import syntax as s
from .errors import Location
from .extractor import Extractor
from .ruleset import Rule

_ATOM = r"(?:\\p\{[^}]+\}|\\.|\[(?:[^\]\\]|\\.)*\]|[^\\()\[\]|])"
# (a+)+, (\w*)*, (\w+\s?)+: a repeated group whose only required part is itself repeated.
_NESTED_QUANTIFIER = regex.compile(rf"\((?:\?:)?{_ATOM}[+*](?:{_ATOM}[?*])*\)[+*{{]")
# (a|aa)+, (a|a)*: repeated alternatives where one is a prefix of another.
_REPEATED_ALTERNATION = regex.compile(r"\((?:\?:)?([^()]*\|[^()]*)\)[+*{]")


def _risky_regex(pattern: str) -> str | None:
    if _NESTED_QUANTIFIER.search(pattern):
        return "nested quantifier"
    for m in _REPEATED_ALTERNATION.finditer(pattern):
        options = m.group(1).split("|")
        if any(a != b and b.startswith(a) or (a == b and i != j) for i, a in enumerate(options) for j, b in enumerate(options)):
            return "repeated alternatives that overlap"
    return None


@dataclass(frozen=True)
class RuleWarning:
    location: Location
    message: str

    def __str__(self) -> str:
        excerpt = self.location.excerpt()
        return f"{self.location}: warning: {self.message}" + (f"\n{excerpt}" if excerpt else "")


def lint(extractor: Extractor) -> list[RuleWarning]:
    warnings: list[RuleWarning] = []
    for rule in extractor.rules:
        warnings.extend(_rule_warnings(rule))
    warnings.extend(_unused(extractor))
    warnings.extend(_shadowed(extractor))
    return sorted(warnings, key=lambda w: (w.location.file, w.location.line, w.location.col, w.message))


def _at(rule: Rule, pos: int) -> Location:
    return rule.source.value_location(rule.spec, "pattern", pos)


def _rule_warnings(rule: Rule) -> list[RuleWarning]:
    found = []
    if not rule.examples:
        found.append(RuleWarning(rule.source.key_location(rule.spec, "id"), f"rule {rule.id!r} has no examples"))
    for node in s.walk(rule.ast):
        risk = _risky_regex(node.pattern) if isinstance(node, s.TokenRegex) else None
        if risk:
            found.append(RuleWarning(_at(rule, node.pos), f"{risk} in /{node.pattern}/ can backtrack catastrophically"))
        if isinstance(node, s.Repeat) and node.high is None and any(
            isinstance(inner, s.Repeat) and inner.high is None for inner in s.walk(node.body)
        ):
            found.append(RuleWarning(_at(rule, node.pos), "a repetition of a repetition can backtrack catastrophically"))
        if (isinstance(node, s.Repeat) and (node.low, node.high) == (0, 1) and isinstance(node.body, s.Literal)
                and node.body.text.endswith("s") and " " not in node.body.text):
            found.append(RuleWarning(
                _at(rule, node.pos),
                f"'{node.body.text}?' makes the whole word optional; for an optional last letter write /{node.body.text}?/",
            ))
    return found


def _unused(extractor: Extractor) -> list[RuleWarning]:
    used_lexicons = set().union(*(r.used[0] for r in extractor.rules)) if extractor.rules else set()
    used_macros = set().union(*(r.used[1] for r in extractor.rules)) if extractor.rules else set()
    found = []
    for kind, rule_file, name, obj in extractor.ruleset.definitions:
        if id(obj) not in (used_lexicons if kind == "lexicon" else used_macros):
            where = rule_file.key_location(rule_file.data[kind + "s"], name)
            found.append(RuleWarning(where, f"{kind} {name!r} is not used by any rule"))
    return found


def _shadowed(extractor: Extractor) -> list[RuleWarning]:
    """Rules whose own examples all end with them losing on priority."""
    found = []
    for rule in extractor.rules:
        examples = [e for e in rule.examples if e.get("expect")]
        if not examples:
            continue
        winners = set()
        for example in examples:
            trace = extractor.trace(example["text"], example.get("doc_date"))
            if any(m.rule is rule for m in trace.mentions):
                winners = set()
                break
            winners |= {d.by.rule.id for st in trace.stages for d in st.dropped
                        if d.candidate.rule is rule and d.by.rule.priority > rule.priority}
        if winners:
            found.append(RuleWarning(
                rule.source.key_location(rule.spec, "id"),
                f"rule {rule.id!r} loses on priority to {', '.join(sorted(winners))} on all its examples",
            ))
    return found
