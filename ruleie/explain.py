"""Why a rule fired, why a candidate was dropped, and why a rule did not fire.

``explain(extractor, text)`` gives, for each extraction, its derivation (which pattern item
matched which characters, the lexicon entries hit, the value and how it was built) and every
candidate that was dropped, with the reason. ``why_not(extractor, text, rule_id)`` finds where
a rule got furthest: the longest prefix of its top-level items that matches somewhere, and the
item that failed after it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import syntax as s
from .compile import to_regex
from .extractor import Extractor, Trace
from .ruleset import Rule
from .scan import Candidate
from .text import base_shadow, overwrite_mentions, tokens


def explain(extractor: Extractor, text: str, doc_date: dt.date | str | None = None,
            rule_id: str | None = None, label: str | None = None) -> dict[str, Any]:
    """The derivation of every extraction and every dropped candidate, as plain data."""
    trace = extractor.trace(text, doc_date)
    wanted = _filter(rule_id, label)
    report: dict[str, Any] = {
        "doc_date": trace.doc_date.isoformat() if trace.doc_date else None,
        "extractions": [_derivation(c, trace) for c in sorted(trace.mentions, key=_order) if wanted(c)],
        "dropped": [
            {**_span(d.candidate, text), "rule": d.candidate.rule.id, "stage": stage.number, "reason": d.reason}
            for stage in trace.stages for d in stage.dropped if wanted(d.candidate)
        ],
    }
    if rule_id is not None:
        rule = extractor.ruleset.rule(rule_id)
        if not any(c.rule is rule for c in trace.mentions):
            report["why_not"] = why_not(extractor, text, rule, trace)
    return report


def _filter(rule_id: str | None, label: str | None):
    return lambda c: (rule_id is None or c.rule.id == rule_id) and (label is None or c.rule.label == label)


def _order(c: Candidate) -> tuple:
    return (c.start, -c.end, c.rule.label, c.rule.id)


def _span(c: Candidate, text: str) -> dict[str, Any]:
    return {"label": c.rule.label, "start": c.start, "end": c.end, "text": text[c.start : c.end]}


def _derivation(c: Candidate, trace: Trace) -> dict[str, Any]:
    rule = c.rule
    view = trace.views[id(c)]
    return {
        **_span(c, trace.text),
        "rule": rule.id, "where": rule.where, "pattern": rule.pattern,
        "items": _items(rule, trace.text, c),
        "captures": {
            name: [{"start": sp.start, "end": sp.end, "text": sp.text, **({"entry": sp.data} if sp.data else {})} for sp in spans]
            for name, spans in view.captures.items()
        },
        "value": trace.values[id(c)],
        "value_steps": _value_steps(rule),
    }


def _items(rule: Rule, text: str, c: Candidate) -> list[dict[str, Any]]:
    """Which top-level item of the pattern matched which characters."""
    if rule.regex is None or not isinstance(rule.ast, s.Seq):
        return [{"item": rule.pattern.strip(), "start": c.start, "end": c.end, "text": text[c.start : c.end]}]
    marked = to_regex(rule.compiler().compile(rule.ast, mark_items=True))
    m = marked.match(c.match.string, c.start)
    out = []
    for index, item in enumerate(rule.ast.items):
        if isinstance(item, s.Look):
            out.append({"item": s.to_text(item), "context": True})
            continue
        start, end = m.span(f"i_{index}") if m else (-1, -1)
        entry = {"item": s.to_text(item)}
        entry.update({"start": start, "end": end, "text": text[start:end]} if start >= 0 else {"absent": True})
        out.append(entry)
    return out


def _value_steps(rule: Rule) -> list[str]:
    steps = [f"fn {rule.value['fn']}: normalized the span text"] if "fn" in rule.value else []
    for key, spec in rule.value.items():
        if key == "fn":
            continue
        if isinstance(spec, dict):
            source = f"capture {spec['capture']}" + (f", field {spec['field']}" if "field" in spec else " text")
            steps.append(f"{key} from {source}")
        else:
            steps.append(f"{key} = {spec!r} (literal)")
    return steps


def why_not(extractor: Extractor, text: str, rule: Rule, trace: Trace | None = None) -> dict[str, Any]:
    """Where ``rule`` got furthest in ``text``, and which item failed there."""
    trace = trace or extractor.trace(text)
    lost = [d for st in trace.stages for d in st.dropped if d.candidate.rule is rule]
    if lost:
        return {"matched_but_dropped": [{**_span(d.candidate, text), "reason": d.reason} for d in lost]}
    items = list(rule.ast.items) if isinstance(rule.ast, s.Seq) else [rule.ast]
    shadow = _stage_shadow(extractor, trace, rule, text)
    best = (0, -1)
    for count in range(len(items), 0, -1):
        prefix = items[:count]
        while prefix and isinstance(prefix[-1], s.Look):
            prefix = prefix[:-1]
        if not prefix:
            continue
        node = prefix[0] if len(prefix) == 1 else s.Seq(tuple(prefix), rule.ast.joins[: len(prefix) - 1])
        try:  # a compiler of its own: one that compiled a capture refuses it a second time
            pattern = to_regex(rule.compiler().compile(node))
        except Exception:  # a prefix that can match nothing on its own: try a shorter one
            continue
        for start, _ in tokens(text):
            m = pattern.match(shadow, start)
            if m:
                best = (count, start)
                break
        if best[0]:
            break
    matched, at = best
    if matched == 0:
        return {"furthest": None, "failed_item": s.to_text(items[0]), "message": f"the first item {s.to_text(items[0])} matches nowhere in the text"}
    if matched >= len(items):
        return {"furthest": None, "message": "every item matches, but not together (look-arounds or joins between them fail)"}
    m = to_regex(rule.compiler().compile(s.Seq(tuple(items[:matched]), rule.ast.joins[: matched - 1]) if matched > 1 else items[0])).match(shadow, at)
    failed = items[matched]
    return {
        "furthest": {"start": at, "end": m.end(), "text": text[at : m.end()], "items_matched": matched},
        "failed_item": s.to_text(failed),
        "message": f"matched {text[at:m.end()]!r} (items 1-{matched}); item {matched + 1} {s.to_text(failed)} failed at {text[m.end():].lstrip()[:30]!r}",
    }


def _stage_shadow(extractor: Extractor, trace: Trace, rule: Rule, text: str) -> str:
    """The text as the rule's stage sees it: earlier mentions as marker runs."""
    return overwrite_mentions(base_shadow(text), extractor._marked([m for m in trace.mentions if m.rule.stage < rule.stage]))


def format_explanation(report: dict[str, Any]) -> str:
    """The human-readable form of an explain report."""
    lines = []
    for e in report["extractions"]:
        lines.append(f"{e['label']} {e['text']!r} [{e['start']}:{e['end']}]  by {e['rule']} ({e['where']})")
        for item in e["items"]:
            if item.get("context"):
                lines.append(f"    {item['item']:<40} (context, outside the span)")
            elif item.get("absent"):
                lines.append(f"    {item['item']:<40} (optional, absent)")
            else:
                lines.append(f"    {item['item']:<40} -> {item['text']!r} [{item['start']}:{item['end']}]")
        for name, spans in e["captures"].items():
            for sp in spans:
                entry = f"  entry {sp['entry']}" if "entry" in sp else ""
                lines.append(f"    capture {name} = {sp['text']!r}{entry}")
        lines.append(f"    value {e['value']}  ({'; '.join(e['value_steps']) or 'no value spec'})")
    if report["dropped"]:
        lines.append("dropped:")
        for d in report["dropped"]:
            lines.append(f"    {d['label']} {d['text']!r} [{d['start']}:{d['end']}] by {d['rule']}: {d['reason']}")
    if "why_not" in report:
        w = report["why_not"]
        if "matched_but_dropped" in w:
            for d in w["matched_but_dropped"]:
                lines.append(f"the rule matched {d['text']!r} [{d['start']}:{d['end']}] but: {d['reason']}")
        else:
            lines.append(f"the rule did not fire: {w['message']}")
    return "\n".join(lines) if lines else "nothing extracted"
