"""The contract record (docs/output.md) as the integrations read and write it."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..extractor import Extraction


def as_record(item: Extraction | Mapping[str, Any]) -> dict[str, Any]:
    """The contract record of an Extraction, or a record (or gold record) as it is."""
    if isinstance(item, Extraction):
        return item.to_dict()
    if isinstance(item, Mapping):
        return dict(item)
    raise TypeError(f"expected an Extraction or a record dict, got {type(item).__name__}")


def as_records(items: Iterable[Extraction | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [as_record(item) for item in items]


def sort_key(record: Mapping[str, Any]) -> tuple:
    """The contract order within a document: start, longest first, label, rule id."""
    rule = record.get("rule") or {}
    return (record["start"], -record["end"], record["label"], rule.get("id") or "")


def make_record(doc: str, label: str, start: int, end: int, text: str, value: Any = None,
                args: Any = None, rule: Mapping[str, Any] | None = None, ruleset: str | None = None) -> dict[str, Any]:
    """A record with the contract's keys in contract order; ``rule`` and ``ruleset`` only
    when known (gold records have neither)."""
    record: dict[str, Any] = {
        "doc": doc, "label": label, "start": start, "end": end, "text": text,
        "value": dict(value) if isinstance(value, Mapping) else {}, "args": dict(args) if isinstance(args, Mapping) else {},
    }
    if rule:
        record["rule"] = {"id": rule.get("id"), "file": rule.get("file"), "line": rule.get("line")}
    if ruleset:
        record["ruleset"] = ruleset
    return record
