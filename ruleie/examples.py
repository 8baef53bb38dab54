"""Run the examples embedded in rules: what a text must yield from the rule, and must not.

An example runs through the whole rule set (so resolution and suppression apply, as in a
real run) and is judged on the records of its own rule: ``expect`` lists exactly those,
each by ``text`` (and ``start``/``end`` when given), with ``value`` and ``args`` compared
on the keys the example states. ``expect: []`` means the rule must yield nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .extractor import Extraction, Extractor
from .ruleset import Rule


@dataclass
class ExampleResult:
    rule: Rule
    index: int
    text: str
    problems: list[str] = field(default_factory=list)
    got: list[Extraction] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return f"{self.rule.id}[{self.index}]"

    def report(self) -> str:
        head = f"FAIL {self.name} ({self.rule.where}): {self.text!r}"
        return "\n".join([head, *("    " + p for p in self.problems)])


def run_examples(extractor: Extractor, rule_ids: set[str] | None = None) -> list[ExampleResult]:
    results = []
    for rule in extractor.rules:
        if rule_ids is None or rule.id in rule_ids:
            results.extend(run_rule_examples(extractor, rule))
    return results


def run_rule_examples(extractor: Extractor, rule: Rule) -> list[ExampleResult]:
    return [check_example(extractor, rule, i, example) for i, example in enumerate(rule.examples)]


def check_example(extractor: Extractor, rule: Rule, index: int, example: dict[str, Any]) -> ExampleResult:
    text = example["text"]
    result = ExampleResult(rule, index, text)
    date = example.get("doc_date")
    records = extractor.extract(text, "example", str(date) if date is not None else None, internal=True)
    result.got = [r for r in records if r.rule_id == rule.id]
    expected = list(example.get("expect", []))
    unmatched = list(result.got)
    for item in expected:
        found = _find(unmatched, item)
        if found is None:
            result.problems.append(f"expected {_describe(item)}, got {_got(result.got)}")
            continue
        unmatched.remove(found)
        result.problems.extend(_compare(item, found))
    for extra in unmatched:
        result.problems.append(f"unexpected {_describe(extra.to_dict())}" + (" (the example expects no match)" if not expected else ""))
    return result


def _find(records: list[Extraction], item: dict[str, Any]) -> Extraction | None:
    for record in records:
        if record.text == item["text"] and item.get("start", record.start) == record.start and item.get("end", record.end) == record.end:
            return record
    return None


def _compare(item: dict[str, Any], record: Extraction) -> list[str]:
    problems = []
    for key, want in item.get("value", {}).items():
        have = record.value.get(key, "<missing>")
        if not same(want, have):
            problems.append(f"{record.text!r}: value.{key} expected {want!r}, got {have!r}")
    for name, want in item.get("args", {}).items():
        have = record.args.get(name)
        if not _same_arg(want, have):
            problems.append(f"{record.text!r}: args.{name} expected {want!r}, got {_arg_text(have)!r}")
    return problems


def same(want: Any, have: Any) -> bool:
    """Equal, with numbers compared by value (250 == 250.0) to a relative 1e-9."""
    if isinstance(want, (int, float)) and isinstance(have, (int, float)) and not isinstance(want, bool) and not isinstance(have, bool):
        return math.isclose(want, have, rel_tol=1e-9, abs_tol=1e-12)
    if hasattr(want, "isoformat"):
        want = want.isoformat()
    if isinstance(want, dict) and isinstance(have, dict):
        return all(same(v, have.get(k, "<missing>")) for k, v in want.items())
    if isinstance(want, list) and isinstance(have, list):
        return len(want) == len(have) and all(same(w, h) for w, h in zip(want, have))
    return want == have


def _same_arg(want: Any, have: Any) -> bool:
    if isinstance(want, list):
        return isinstance(have, list) and len(want) == len(have) and all(_same_arg(w, h) for w, h in zip(want, have))
    if isinstance(want, str):
        return isinstance(have, dict) and have.get("text") == want
    return isinstance(have, dict) and same(want, have)


def _arg_text(arg: Any) -> Any:
    if isinstance(arg, list):
        return [_arg_text(a) for a in arg]
    return arg.get("text") if isinstance(arg, dict) else arg


def _describe(item: dict[str, Any]) -> str:
    where = f" at {item['start']}" if "start" in item else ""
    return f"{item['text']!r}{where}"


def _got(records: list[Extraction]) -> str:
    return "[" + ", ".join(f"{r.text!r} at {r.start}" for r in records) + "]" if records else "nothing"
