"""Label Studio pre-annotations writer and export reader; standard library only.

Writing: one task per document, in Label Studio's JSON import format::

    {"data": {"text": "...", "doc": "corpus/002_yemen_detainee_exchange.txt"},
     "predictions": [{"model_version": "sha256:...", "result": [
        {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 140, "end": 147, "text": "Houthis", "labels": ["ORG"]},
         "meta": {"text": ["{\\"value\\":{...},\\"args\\":{},\\"rule\\":{...},\\"ruleset\\":\\"sha256:...\\"}"]}}]}]}

``model_version`` is the ruleset hash. Offsets are code points, as in ruleie's records and
as Label Studio stores them. Each region's ``meta`` (the region's note in the editor) holds
the extraction's value, args, rule and ruleset as compact JSON, so they survive an
annotator accepting or correcting the region. :func:`labeling_config` gives a matching
labeling configuration (``from_name`` ``label``, ``to_name`` ``text``, whitespace kept so
that offsets stay true).

Reading: a Label Studio JSON export (a list of tasks, each with ``annotations[].result``)
gives records by document. A task's document is its ``data.doc`` (the writer puts it
there), else its ``id``. Of a task's annotations, the one marked ``ground_truth`` is used,
else the first that was not cancelled; tasks without one are left out (predictions are not
gold). Each ``labels`` region is a record per label, its text ``data.text[start:end]``; its
value, args and provenance come from the region's ``meta`` when that holds ruleie's JSON,
else the value is ``{}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from xml.sax.saxutils import quoteattr

from ..extractor import Extraction
from .records import as_records, make_record, sort_key

FROM_NAME = "label"
TO_NAME = "text"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def region(record: Mapping[str, Any], region_id: str) -> dict[str, Any]:
    """One Label Studio ``labels`` region of a contract record."""
    meta = {"value": record.get("value") or {}, "args": record.get("args") or {}}
    for key in ("rule", "ruleset"):
        if record.get(key):
            meta[key] = record[key]
    return {
        "id": region_id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
        "value": {"start": record["start"], "end": record["end"], "text": record["text"], "labels": [record["label"]]},
        "meta": {"text": [_compact(meta)]},
    }


def to_task(doc: str, text: str, extractions: Iterable[Extraction | Mapping[str, Any]],
            model_version: str | None = None) -> dict[str, Any]:
    """The task of one document with its extractions as predictions. ``model_version``
    defaults to the records' ruleset."""
    records = as_records(extractions)
    if model_version is None:
        model_version = next((r["ruleset"] for r in records if r.get("ruleset")), None)
    prediction: dict[str, Any] = {"result": [region(r, f"r{n}") for n, r in enumerate(records, 1)]}
    if model_version:
        prediction = {"model_version": model_version, **prediction}
    return {"data": {"text": text, "doc": doc}, "predictions": [prediction]}


def to_tasks(documents: Iterable[tuple[str, str, Iterable[Extraction | Mapping[str, Any]]]],
             model_version: str | None = None) -> list[dict[str, Any]]:
    """Tasks of ``(doc, text, extractions)`` triples."""
    return [to_task(doc, text, extractions, model_version) for doc, text, extractions in documents]


def labeling_config(labels: Iterable[str]) -> str:
    """A Label Studio labeling configuration for these labels that matches the tasks."""
    choices = "".join(f"    <Label value={quoteattr(label)}/>\n" for label in sorted(set(labels)))
    return (
        "<View>\n"
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>\n"
        f"  <Labels name=\"{FROM_NAME}\" toName=\"{TO_NAME}\">\n{choices}  </Labels>\n"
        f"  <Text name=\"{TO_NAME}\" value=\"$text\"/>\n"
        "</View>\n"
    )


class TaskWriter:
    """Streams tasks as one JSON list through ``write`` (``ruleie extract --format labelstudio``)."""

    def __init__(self, write: Callable[[str], None], model_version: str | None = None):
        self.write = write
        self.model_version = model_version
        self.count = 0

    def document(self, doc: str, text: str, extractions: Iterable[Extraction | Mapping[str, Any]]) -> None:
        task = to_task(doc, text, extractions, self.model_version)
        self.write(("[\n" if self.count == 0 else ",\n") + json.dumps(task, ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        self.write("\n]\n" if self.count else "[]\n")


# -- reading ------------------------------------------------------------------------------


def _chosen_annotation(task: Mapping[str, Any]) -> Mapping[str, Any] | None:
    annotations = [a for a in task.get("annotations") or task.get("completions") or [] if isinstance(a, Mapping)]
    live = [a for a in annotations if not a.get("was_cancelled")]
    return next((a for a in live if a.get("ground_truth")), live[0] if live else None)


def _meta(item: Mapping[str, Any]) -> dict[str, Any]:
    meta = item.get("meta")
    texts = meta.get("text") if isinstance(meta, Mapping) else None
    if isinstance(texts, str):
        texts = [texts]
    for text in texts or []:
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            continue
        if isinstance(data, dict) and ("value" in data or "rule" in data):
            return data
    return {}


def task_records(task: Mapping[str, Any], result: Iterable[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Records of one task: of its chosen annotation's result, or of ``result`` if given."""
    data = task.get("data") or {}
    doc = str(data.get("doc", task.get("id", "-")))
    text = data.get("text") if isinstance(data.get("text"), str) else None
    if result is None:
        annotation = _chosen_annotation(task)
        result = annotation.get("result") or [] if annotation else []
    records = []
    for item in result:
        value = item.get("value") if isinstance(item, Mapping) else None
        if not isinstance(value, Mapping) or not value.get("labels") or "start" not in value or "end" not in value:
            continue
        start, end = int(value["start"]), int(value["end"])
        shown = text[start:end] if text is not None else value.get("text", "")
        meta = _meta(item)
        for label in value["labels"]:
            records.append(make_record(doc, label, start, end, shown, meta.get("value"), meta.get("args"),
                                       meta.get("rule"), meta.get("ruleset")))
    records.sort(key=sort_key)
    return records


def read_export(source: str | Path | list) -> dict[str, list[dict[str, Any]]]:
    """Records by document from a Label Studio JSON export (a path, or the loaded list).
    Tasks without a usable annotation are left out."""
    tasks = source
    if not isinstance(source, list):
        with open(source, encoding="utf-8") as handle:
            tasks = json.load(handle)
    if not isinstance(tasks, list) or not all(isinstance(t, Mapping) and "data" in t for t in tasks):
        where = source if not isinstance(source, list) else "the export"
        raise ValueError(f"{where}: not a Label Studio JSON export (a list of tasks, each with 'data')")
    out: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        if _chosen_annotation(task) is None:
            continue
        records = task_records(task)
        doc = str((task.get("data") or {}).get("doc", task.get("id", "-")))
        out.setdefault(doc, []).extend(records)
    return out
