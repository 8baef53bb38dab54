"""``ruleie.to_frame``: extractions as a pandas DataFrame (extra ``pandas``).

>>> import ruleie
>>> frame = ruleie.to_frame(ruleie.load().extract("Turkey paid $2.4 billion on Monday.", doc_id="a1"))
>>> list(frame.columns)[:5]
['doc', 'label', 'start', 'end', 'text']
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without pandas
    raise ImportError("ruleie.to_frame needs pandas: pip install 'ruleie[pandas]'") from exc

from ..extractor import Extraction
from .records import as_records
from .tabular import HEAD, TAIL, flat_value, head_and_tail, value_columns


def to_frame(extractions: Iterable[Extraction | Mapping[str, Any]]) -> "pd.DataFrame":
    """One row per extraction (Extractions or contract records, gold records too).

    Columns: ``doc, label, start, end, text``; ``value_<key>`` for every value key that
    occurs (the keys of docs/output.md first, in that order, then any others in order of
    appearance), missing where a record has no such key, lists and objects as compact JSON;
    ``args`` (compact JSON); ``rule_id, rule_file, rule_line, ruleset`` (missing for gold).
    """
    records = as_records(extractions)
    keys = value_columns(records)
    columns = [*HEAD, *(f"value_{key}" for key in keys), *TAIL]
    rows = []
    for record in records:
        value = record.get("value") or {}
        head, tail = head_and_tail(record)
        rows.append([*head, *(flat_value(value[key]) if key in value else None for key in keys), *tail])
    return pd.DataFrame(rows, columns=columns)
