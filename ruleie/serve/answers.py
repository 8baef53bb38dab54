"""What the playground's API answers, from the engine's public pieces: the highlights (marked
up and coloured as the HTML report does it), a mention explained, why a rule did not fire on
a stretch of text, and the embedded examples run.

Every answer is plain data for JSON. A rule that runs past the regex timeout ends the answer
with ``{"timeout": message}``; the server goes on serving.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import PatternTimeout
from ..examples import check_example
from ..explain import explain, why_not
from ..extractor import Extractor
from ..report import _legend_key, _Labels, _rgba, mark_tree, render_marks
from ..ruleset import Rule
from .workspace import Compiled, Workspace


class BadRequest(ValueError):
    """A request whose fields make no sense (a rule that does not exist, a span off the text)."""


def legend(extractor: Extractor, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every label of the rules, in the report's order and colours, with its count."""
    labels = _Labels()
    for label in sorted(extractor.ruleset.labels, key=_legend_key):
        labels.of(label)
    counts: dict[str, int] = {}
    for record in records:
        counts[record["label"]] = counts.get(record["label"], 0) + 1
    return [
        {"label": label, "class": labels.number[label], "colour": colour, "bg": _rgba(colour, 0.14), "bs": _rgba(colour, 0.32),
         "count": counts.get(label, 0)}
        for label, colour in labels.colours().items()
    ]


def highlights(compiled: Compiled, text: str, doc_date: dt.date | None) -> dict[str, Any]:
    """The text with its mentions as nested ``<mark>`` elements (the report's markup), the
    records, and the legend."""
    extractor = _extractor(compiled)
    try:
        records = [e.to_dict() for e in extractor.extract(text, "playground", doc_date)]
    except PatternTimeout as exc:
        return _timeout(compiled, exc)
    entries = legend(extractor, records)
    number = {entry["label"]: entry["class"] for entry in entries}
    spans = [(r["start"], r["end"], i) for i, r in enumerate(records)]
    html = render_marks(0, mark_tree(text, spans), [number[r["label"]] for r in records])
    return compiled.public({"html": html, "records": records, "legend": entries})


def explain_mention(ws: Workspace, compiled: Compiled, text: str, doc_date: dt.date | None, start: int, end: int, rule_id: str) -> dict[str, Any]:
    """A highlight explained: the rule and where it is written, which item matched what, the
    captures, the value and how it was built; the candidates it beat, and the others tried
    on the same characters and why they lost."""
    extractor = _extractor(compiled)
    rule = _rule(extractor, rule_id)
    try:
        report = explain(extractor, text, doc_date, rule_id)
        trace = extractor.trace(text, doc_date)
    except PatternTimeout as exc:
        return _timeout(compiled, exc)
    found = next((e for e in report["extractions"] if e["start"] == start and e["end"] == end), None)
    if found is None:
        raise BadRequest(f"rule {rule_id!r} has no mention at {start}-{end}")
    beat, others = [], []
    for stage in trace.stages:
        for drop in stage.dropped:
            c, by = drop.candidate, drop.by
            entry = {"label": c.rule.label, "start": c.start, "end": c.end, "text": text[c.start : c.end],
                     "rule": c.rule.id, "where": c.rule.where, "stage": stage.number, "reason": drop.reason}
            if by.rule is rule and (by.start, by.end) == (start, end) and c is not by:
                beat.append(entry)
            elif c.start < end and c.end > start and not (c.rule is rule and (c.start, c.end) == (start, end)):
                others.append(entry)
    return compiled.public({**found, **_where(ws, compiled, rule), "beat": beat, "others": others})


def why_not_here(ws: Workspace, compiled: Compiled, text: str, doc_date: dt.date | None, start: int, end: int, rule_id: str) -> dict[str, Any]:
    """Why ``rule_id`` gives no mention on ``text[start:end]``: it did (and where), it matched
    but lost (and to what), or how far it got in the stretch and which item failed there
    (``ruleie explain --why-not``)."""
    extractor = _extractor(compiled)
    rule = _rule(extractor, rule_id)
    if not 0 <= start < end <= len(text):
        raise BadRequest(f"{start}-{end} is not a stretch of the text")
    where = _where(ws, compiled, rule)
    try:
        trace = extractor.trace(text, doc_date)
        fired = [m for m in trace.mentions if m.rule is rule and m.start < end and m.end > start]
        if fired:
            spans = [{"start": m.start, "end": m.end, "text": text[m.start : m.end]} for m in fired]
            return compiled.public({**where, "fired": spans, "message": f"{rule_id} fired here: " + ", ".join(repr(s["text"]) for s in spans)})
        lost = [d for st in trace.stages for d in st.dropped if d.candidate.rule is rule and d.candidate.start < end and d.candidate.end > start]
        if lost:
            dropped = [{"start": d.candidate.start, "end": d.candidate.end, "text": text[d.candidate.start : d.candidate.end], "reason": d.reason}
                       for d in lost]
            return compiled.public({**where, "dropped": dropped,
                                    "message": "; ".join(f"it matched {d['text']!r} but {d['reason']}" for d in dropped)})
        answer = why_not(extractor, text[start:end], rule)
    except PatternTimeout as exc:
        return _timeout(compiled, exc)
    for key in ("furthest",):
        if answer.get(key):
            answer[key] = {**answer[key], "start": answer[key]["start"] + start, "end": answer[key]["end"] + start}
    for d in answer.get("matched_but_dropped", []):
        d["start"], d["end"] = d["start"] + start, d["end"] + start
    if "matched_but_dropped" in answer:
        answer["message"] = "; ".join(f"on this stretch alone it matched {d['text']!r} but {d['reason']}" for d in answer["matched_but_dropped"])
    return compiled.public({**where, **answer})


def examples(ws: Workspace, compiled: Compiled) -> dict[str, Any]:
    """Every rule's embedded examples: how many passed, and each failure with where it is."""
    extractor = _extractor(compiled)
    passed, failures = 0, []
    for rule in extractor.rules:
        for index, example in enumerate(rule.examples):
            try:
                problems = check_example(extractor, rule, index, example).problems
            except PatternTimeout as exc:
                problems = [str(exc)]
            if not problems:
                passed += 1
                continue
            failures.append({**_where(ws, compiled, rule), "name": f"{rule.id}[{index}]", "line": _example_line(rule, index),
                             "text": example.get("text", ""), "problems": problems})
    return compiled.public({"passed": passed, "failed": len(failures), "failures": failures})


def _extractor(compiled: Compiled) -> Extractor:
    if compiled.extractor is None:
        raise BadRequest("the rules do not compile; see the errors")
    return compiled.extractor


def _rule(extractor: Extractor, rule_id: str) -> Rule:
    try:
        return extractor.ruleset.rule(rule_id)
    except KeyError:
        raise BadRequest(f"no rule {rule_id!r} in the rules") from None


def _where(ws: Workspace, compiled: Compiled, rule: Rule) -> dict[str, Any]:
    """The rule, its ``file:line``, and its file relative to the rule directory (None when it
    is not one of the directory's files)."""
    shown = compiled.public(rule.file)
    return {"rule": rule.id, "label": rule.label, "where": f"{shown}:{rule.line}", "path": ws.relative(shown), "line": rule.line}


def _example_line(rule: Rule, index: int) -> int:
    nodes = getattr(rule.spec.get("examples"), "item_nodes", None)
    return nodes[index].start_mark.line + 1 if nodes and index < len(nodes) else rule.line


def _timeout(compiled: Compiled, exc: PatternTimeout) -> dict[str, Any]:
    return compiled.public({"timeout": str(exc), "rule": exc.rule_id})
