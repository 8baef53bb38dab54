"""Compare two rule sets over a corpus (``ruleie diff``), and find rules that never fire
(``ruleie coverage``): the review before merging a rule change.

A mention is identified by (document, label, start, end). It is *added* when only the new
rules find it, *removed* when only the old ones do, and *changed* when both find it but the
value, args or rule differ. Each entry is grouped under the rule responsible (the new rule
for added and changed, the old rule for removed).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable

from .extractor import Extraction, Extractor
from .inputs import Document


def _key(e: Extraction) -> tuple:
    return (e.doc, e.label, e.start, e.end)


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    return f"…{before}[{text[start:end]}]{after}…"


def diff(old: Extractor, new: Extractor, documents: Iterable[Document]) -> dict[str, Any]:
    changes: dict[str, list[dict[str, Any]]] = {"added": [], "removed": [], "changed": []}
    for document in documents:
        if document.text is None:
            continue
        before = {_key(e): e for e in old.extract(document.text, document.id, document.date)}
        after = {_key(e): e for e in new.extract(document.text, document.id, document.date)}
        for key in sorted(set(before) | set(after), key=lambda k: (k[2], -k[3], k[1])):
            b, a = before.get(key), after.get(key)
            entry = {"doc": document.id, "label": key[1], "start": key[2], "end": key[3],
                     "context": _context(document.text, key[2], key[3])}
            if b is None:
                changes["added"].append({**entry, "rule": a.rule_id, "value": a.value})
            elif a is None:
                changes["removed"].append({**entry, "rule": b.rule_id, "value": b.value})
            elif (b.value, b.args, b.rule_id) != (a.value, a.args, a.rule_id):
                changes["changed"].append({**entry, "rule": a.rule_id, "old_rule": b.rule_id, "old_value": b.value,
                                           "value": a.value, "old_args": b.args, "args": a.args})
    return {kind: _by_rule(items) for kind, items in changes.items()}


def _by_rule(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        grouped[item["rule"]].append(item)
    return dict(sorted(grouped.items()))


def format_diff(report: dict[str, Any]) -> str:
    lines = []
    totals = {kind: sum(len(v) for v in groups.values()) for kind, groups in report.items()}
    lines.append(f"{totals['added']} added, {totals['removed']} removed, {totals['changed']} changed")
    for kind, sign in (("removed", "-"), ("added", "+"), ("changed", "~")):
        for rule, items in report[kind].items():
            lines.append(f"\n{kind} by {rule} ({len(items)}):")
            for item in items:
                extra = f"  {item['old_value']} -> {item['value']}" if kind == "changed" else f"  {item['value']}"
                lines.append(f"  {sign} {item['doc']} {item['label']} [{item['start']}:{item['end']}] {item['context']}{extra}")
    return "\n".join(lines)


def coverage(extractor: Extractor, documents: Iterable[Document]) -> dict[str, Any]:
    """How often each rule's mentions were kept, and how often it only produced candidates."""
    kept: Counter[str] = Counter()
    candidates: Counter[str] = Counter()
    count = 0
    for document in documents:
        if document.text is None:
            continue
        count += 1
        trace = extractor.trace(document.text, document.date)
        for stage in trace.stages:
            candidates.update(c.rule.id for c in stage.candidates)
        kept.update(m.rule.id for m in trace.mentions)
    rules = [{"rule": r.id, "where": r.where, "kept": kept[r.id], "candidates": candidates[r.id]} for r in extractor.rules]
    return {"documents": count, "rules": rules, "never_fire": [r["rule"] for r in rules if not r["kept"]]}


def format_coverage(report: dict[str, Any]) -> str:
    lines = [f"{report['documents']} documents", f"{'rule':<34}{'kept':>7}{'candidates':>12}  where"]
    for r in report["rules"]:
        lines.append(f"{r['rule']:<34}{r['kept']:>7}{r['candidates']:>12}  {r['where']}")
    never = report["never_fire"]
    lines.append(f"\n{len(never)} rule{'s' if len(never) != 1 else ''} never fire" + (": " + ", ".join(never) if never else ""))
    return "\n".join(lines)
