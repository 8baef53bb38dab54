"""One flat row per extraction: shared by ``ruleie extract --format csv`` and ``to_frame``.

A row has ``doc, label, start, end, text``, one column per ``value`` key, ``args`` (compact
JSON), ``rule_id, rule_file, rule_line, ruleset``. Values that are lists or objects are
compact JSON; ``args`` always is.

CSV needs its header before the first row, so its value columns are fixed: the keys
documented in docs/output.md (:data:`VALUE_KEYS`, as ``value.<key>``), then ``value.other``,
a JSON object of any other keys (a rule pack of your own may add some), empty when there
are none. A value cell is empty when the key is absent, ``null`` when it is null, the text
itself for a string, JSON for anything else (``250``, ``2.5``, ``true``, ``["a"]``).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Mapping

from ..extractor import Extraction
from .records import as_record

#: The value keys of docs/output.md, in the order the CSV and DataFrame columns take.
VALUE_KEYS = ("value", "low", "high", "kind", "qualifier", "currency", "unit", "counted", "modifier",
              "name", "type", "date", "grain", "timex", "mod", "season", "part", "until", "status", "event")
HEAD = ("doc", "label", "start", "end", "text")
TAIL = ("args", "rule_id", "rule_file", "rule_line", "ruleset")
CSV_COLUMNS = (*HEAD, *(f"value.{key}" for key in VALUE_KEYS), "value.other", *TAIL)


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def flat_value(value: Any) -> Any:
    """A scalar as it is; a list or object as compact JSON."""
    return compact(value) if isinstance(value, (dict, list, tuple)) else value


def value_columns(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """The value keys that occur: the documented ones in documented order, then the others
    in order of first appearance."""
    seen: dict[str, None] = {}
    for record in records:
        for key in record.get("value") or {}:
            seen.setdefault(key)
    known = [key for key in VALUE_KEYS if key in seen]
    return known + [key for key in seen if key not in VALUE_KEYS]


def head_and_tail(record: Mapping[str, Any]) -> tuple[list[Any], list[Any]]:
    rule = record.get("rule") or {}
    head = [record.get("doc"), record["label"], record["start"], record["end"], record["text"]]
    tail = [compact(record.get("args") or {}), rule.get("id"), rule.get("file"), rule.get("line"), record.get("ruleset")]
    return head, tail


def _csv_cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return compact(value)


def csv_row(item: Extraction | Mapping[str, Any]) -> list[str]:
    record = as_record(item)
    value = record.get("value") or {}
    head, tail = head_and_tail(record)
    cells = ["" if c is None else str(c) for c in head]
    cells += ["" if key not in value else _csv_cell(value[key]) for key in VALUE_KEYS]
    other = {key: v for key, v in value.items() if key not in VALUE_KEYS}
    cells.append(compact(other) if other else "")
    cells += ["" if c is None else str(c) for c in tail]
    return cells


def _csv_text(row: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


def csv_header() -> str:
    return _csv_text(CSV_COLUMNS)


def csv_line(item: Extraction | Mapping[str, Any]) -> str:
    """One extraction as one CSV row (newlines inside ``text`` are quoted, not escaped)."""
    return _csv_text(csv_row(item))
