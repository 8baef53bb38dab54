"""Score extractions against gold annotations: per label and per rule, exact and overlap.

Gold is a directory of JSONL files, one per document, matched to documents by file stem
(``corpus/gold/017_x.jsonl`` is the gold of ``.../017_x.txt``); brat ``.ann`` files, Label
Studio exports and TimeML ``.tml`` files are read too (``load_gold``). A TimeML file is its own
document as well (``timeml``): ``ruleie eval DIR/*.tml --gold DIR`` scores the plain text of its
TEXT element, dated by its creation time, against its TIMEX3s of type DATE, TempEval-3's way:
strict (exact span) and relaxed (overlap) F1, and value accuracy (the TIMEX3 value) on the
relaxed matches. Overlap matching pairs each
gold mention with at most one predicted mention of the same label that overlaps it, best
overlap first. Value accuracy is measured on those pairs, on the fields that define a value
(VALUE_FIELDS); party recall is the share of gold agreement parties that a paired predicted
agreement also names (overlapping spans).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .examples import same
from .extractor import Extractor
from .inputs import Document
from .integrations.timeml import read_timeml

VALUE_FIELDS = {
    "NUMBER": ("value", "low", "high", "kind", "currency"),
    "ORG": ("name",),
    "DATE": ("date", "grain"),
    "AGREEMENT": ("type", "status"),
}


def load_gold(directory: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Gold records by document stem, from

    * a directory: its ``*.jsonl`` files (one per document) and brat ``*.ann`` files (with
      their ``.txt``), each named by its document's stem (not both for one stem);
    * a ``.json`` file: a Label Studio JSON export (tasks with ``annotations``);
    * a ``.jsonl`` file: records of any number of documents, grouped by the stem of ``doc``;
    * an ``.ann`` file: the brat annotations of one document;
    * TimeML ``.tml`` files (a directory of them, or one): their TIMEX3s of type DATE, as DATE
      records with ``value.timex``.

    See docs/integrations.md for the brat and Label Studio mappings.
    """
    path = Path(directory)
    if not path.is_file():
        gold = {p.stem: _read_jsonl(p) for p in sorted(path.glob("*.jsonl"))}
        anns = sorted(path.glob("*.ann"))
        if anns:
            from .integrations.brat import read_brat

            for ann in anns:
                if ann.stem in gold:
                    raise ValueError(f"{directory}: both {ann.stem}.jsonl and {ann.name} hold gold for {ann.stem!r}")
                gold[ann.stem] = read_brat(ann)
        for tml in sorted(path.glob("*.tml")):
            if tml.stem in gold:
                raise ValueError(f"{directory}: both {tml.name} and another file hold gold for {tml.stem!r}")
            gold[tml.stem] = read_timeml(tml).gold
        return gold
    suffix = path.suffix.lower()
    if suffix == ".json":
        from .integrations.labelstudio import read_export

        tasks: dict[str, list[dict[str, Any]]] = {}
        for doc, records in read_export(path).items():  # a task without regions is gold too: nothing to find
            tasks.setdefault(Path(doc).stem, []).extend(records)
        return tasks
    if suffix == ".jsonl":
        return _by_stem(_read_jsonl(path))
    if suffix == ".ann":
        from .integrations.brat import read_brat

        return {path.stem: read_brat(path)}
    if suffix == ".tml":
        return {path.stem: read_timeml(path).gold}
    raise ValueError(f"{directory}: gold is a directory, a Label Studio export (.json), a .jsonl, an .ann or a .tml file")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _by_stem(records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    gold: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        gold.setdefault(Path(str(record.get("doc", "-"))).stem, []).append(record)
    return gold


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    value_ok: int = 0

    def add(self, other: "Counts") -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def scores(self) -> dict[str, float | int]:
        return {
            "gold": self.gold, "predicted": self.predicted,
            **_prf("exact", self.exact, self.predicted, self.gold),
            **_prf("overlap", self.overlap, self.predicted, self.gold),
            "value_accuracy": round(self.value_ok / self.overlap, 4) if self.overlap else 0.0,
        }


def _prf(name: str, hits: int, predicted: int, gold: int) -> dict[str, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{name}_precision": round(p, 4), f"{name}_recall": round(r, 4), f"{name}_f1": round(f, 4)}


@dataclass
class Report:
    labels: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    rules: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    parties_gold: int = 0
    parties_found: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # false positives and negatives
    documents: int = 0

    def to_dict(self) -> dict[str, Any]:
        total = Counts()
        for counts in self.labels.values():
            total.add(counts)
        return {
            "documents": self.documents,
            "labels": {label: c.scores() for label, c in sorted(self.labels.items())},
            "all": total.scores(),
            "party_recall": round(self.parties_found / self.parties_gold, 4) if self.parties_gold else 0.0,
            "rules": {rule: c.scores() for rule, c in sorted(self.rules.items())},
            "errors": self.errors,
        }


def evaluate(extractor: Extractor, documents: Iterable[Document], gold: dict[str, list[dict]]) -> Report:
    report = Report()
    for document in documents:
        if document.id.endswith(".tml") and document.text is not None:
            document = _timeml_document(document)
        stem = Path(document.id).stem
        if document.text is None or stem not in gold:
            continue
        report.documents += 1
        predicted = [e.to_dict() for e in extractor.extract(document.text, document.id, document.date)]
        score_document(report, document.text, gold[stem], predicted)
    return report


def _timeml_document(document: Document) -> Document:
    """A TimeML file read as a document: the text of its TEXT element, dated by its DCT."""
    parsed = read_timeml(document.id, document.text)
    return Document(document.id, parsed.text, parsed.date)


def score_document(report: Report, text: str, gold: list[dict], predicted: list[dict]) -> None:
    labels = {r["label"] for r in gold} | {r["label"] for r in predicted}
    for label in sorted(labels):
        g = [r for r in gold if r["label"] == label]
        p = [r for r in predicted if r["label"] == label]
        counts = report.labels[label]
        counts.gold += len(g)
        counts.predicted += len(p)
        pairs = _pair(g, p)
        exact = {id(pr) for gr, pr in pairs if (gr["start"], gr["end"]) == (pr["start"], pr["end"])}
        counts.exact += len(exact)
        counts.overlap += len(pairs)
        for gr, pr in pairs:
            if _value_ok(label, gr, pr):
                counts.value_ok += 1
            if label == "AGREEMENT":
                _score_parties(report, gr, pr)
        if label == "AGREEMENT":
            paired = {id(gr) for gr, _ in pairs}
            report.parties_gold += sum(len(_parties(gr)) for gr in g if id(gr) not in paired)
        _score_rules(report, p, pairs, exact)
        _note_errors(report, text, g, p, pairs)


def _pair(gold: list[dict], predicted: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of overlapping mentions, largest overlap first."""
    options = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                options.append((-overlap, g["start"], p["start"], gi, pi))
    used_g, used_p, pairs = set(), set(), []
    for _, _, _, gi, pi in sorted(options):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def _value_ok(label: str, gold: dict, predicted: dict) -> bool:
    gv, pv = gold.get("value", {}), predicted.get("value", {})
    fields = VALUE_FIELDS.get(label, tuple(gv))
    if label == "DATE" and "date" not in gv and "timex" in gv:  # TimeML gold: the TIMEX3 value
        fields = ("timex",)
    return all(same(gv.get(f), pv.get(f)) for f in fields)


def _parties(record: dict) -> list[dict]:
    parties = record.get("args", {}).get("parties", [])
    return parties if isinstance(parties, list) else [parties]


def _score_parties(report: Report, gold: dict, predicted: dict) -> None:
    found = _parties(predicted)
    for party in _parties(gold):
        report.parties_gold += 1
        if any(min(party["end"], f["end"]) > max(party["start"], f["start"]) for f in found):
            report.parties_found += 1


def _score_rules(report: Report, predicted: list[dict], pairs: list[tuple[dict, dict]], exact: set[int]) -> None:
    paired = {id(p) for _, p in pairs}
    for record in predicted:
        counts = report.rules[record["rule"]["id"]]
        counts.predicted += 1
        counts.overlap += id(record) in paired
        counts.exact += id(record) in exact


def _note_errors(report: Report, text: str, gold: list[dict], predicted: list[dict], pairs) -> None:
    paired_g = {id(g) for g, _ in pairs}
    paired_p = {id(p) for _, p in pairs}
    for kind, records, paired in (("false_negative", gold, paired_g), ("false_positive", predicted, paired_p)):
        for record in records:
            if id(record) not in paired:
                report.errors.append({
                    "kind": kind, "doc": record.get("doc"), "label": record["label"],
                    "start": record["start"], "end": record["end"], "text": record["text"],
                    "rule": record.get("rule", {}).get("id"), "context": _context(text, record),
                })
    for g, p in pairs:
        label = g["label"]
        if not _value_ok(label, g, p):
            report.errors.append({
                "kind": "wrong_value", "doc": p.get("doc"), "label": label, "start": p["start"], "end": p["end"],
                "text": p["text"], "rule": p["rule"]["id"], "gold": g.get("value"), "predicted": p.get("value"),
                "context": _context(text, p),
            })


def _context(text: str, record: dict, width: int = 40) -> str:
    start, end = record["start"], record["end"]
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    return f"…{before}[{text[start:end]}]{after}…"


def format_report(report: dict[str, Any], show_errors: int = 0) -> str:
    lines = [f"{report['documents']} documents", ""]
    header = f"{'label':<12}{'gold':>6}{'pred':>6}   {'exact P/R/F1':<20}{'overlap P/R/F1':<20}{'value acc':>9}"
    lines.append(header)
    for label, s in [*report["labels"].items(), ("all", report["all"])]:
        lines.append(
            f"{label:<12}{s['gold']:>6}{s['predicted']:>6}   "
            f"{s['exact_precision']:.2f}/{s['exact_recall']:.2f}/{s['exact_f1']:.2f}      "
            f"{s['overlap_precision']:.2f}/{s['overlap_recall']:.2f}/{s['overlap_f1']:.2f}      "
            f"{s['value_accuracy']:>6.2f}"
        )
    lines.append(f"\nagreement party recall: {report['party_recall']:.2f}")
    lines.append(f"\n{'rule':<32}{'pred':>6}{'exact P':>9}{'overlap P':>11}")
    for rule, s in report["rules"].items():
        lines.append(f"{rule:<32}{s['predicted']:>6}{s['exact_precision']:>9.2f}{s['overlap_precision']:>11.2f}")
    if show_errors:
        lines.append("")
        for error in report["errors"][:show_errors]:
            extra = f" gold={error['gold']} got={error['predicted']}" if error["kind"] == "wrong_value" else ""
            lines.append(f"{error['kind']:<15}{error['label']:<10}{error['rule'] or '':<26}{error['context']}{extra}")
    return "\n".join(lines)
