"""Run an extractor on Dask: a bag of documents, or a dataframe with id/text/date columns.

The results are those of a local run, item for item and in the same order: each document
goes through ``ruleie.run.extract_document``, as ``ruleie extract`` does.

    import dask.bag as db
    from ruleie.dask import extract_bag, jsonl_lines

    docs = db.read_text("news/*.jsonl").map(json.loads)      # {"id", "text", "date"?}
    results = extract_bag(ruleie.load(), docs)
    jsonl_lines(results).to_textfiles("out/*.jsonl")         # what `ruleie extract` writes

The extractor travels to the workers pickled, as its rule paths and content digest, and
each worker process rebuilds it once (``Extractor.__reduce__``): the workers need the same
rule files at the same paths (the bundled packs come with the installed package), and a
worker whose rules differ raises instead of extracting with other rules.

Needs the ``dask`` extra: ``pip install 'ruleie[dask]'``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

try:
    import dask.bag as db
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("ruleie.dask needs Dask: pip install 'ruleie[dask]'") from exc

from .emit import jsonl_line
from .extractor import Extractor
from .run import extract_document
from .inputs import Document
from .parallel import as_document

COLUMNS = ("doc", "label", "start", "end", "text", "value", "args", "rule_id", "rule_file", "rule_line", "ruleset",
           "error", "message")
_INTEGER_COLUMNS = ("start", "end", "rule_line")


def extract_bag(extractor: Extractor, documents: db.Bag, doc_date=None) -> db.Bag:
    """One item per document, in order: its list of Extraction, or its error record.

    A document is a Document, an (id, text) or (id, text, date) tuple, or a mapping with
    ``id``, ``text`` and optional ``date``. It needs an id: a partition does not know the
    position of its documents in the whole bag."""
    return documents.map_partitions(_extract_partition, extractor, doc_date)


def records(results: db.Bag) -> db.Bag:
    """The extraction records (contract dicts, docs/output.md) of ``extract_bag`` results."""
    return results.map_partitions(_records_partition)


def errors(results: db.Bag) -> db.Bag:
    """The error records of the documents that failed."""
    return results.filter(_is_error)


def jsonl_lines(results: db.Bag) -> db.Bag:
    """The JSONL lines ``ruleie extract`` writes for these results (error records left out)."""
    return results.map_partitions(_lines_partition)


def extract_dataframe(
    extractor: Extractor,
    frame,
    doc_date=None,
    *,
    id_column: str = "id",
    text_column: str = "text",
    date_column: str = "date",
):
    """A dask dataframe of extractions from a dask dataframe of documents.

    One row per extraction, in document order then contract order, with the columns of
    ``ruleie extract --format tsv`` (``value`` and ``args`` as JSON text) plus ``error`` and
    ``message``: a document that failed gives one row with only ``doc``, ``error`` and
    ``message`` set. ``date_column`` may be missing; empty dates count as none."""
    return frame.map_partitions(
        _frame_partition, extractor, doc_date, id_column, text_column, date_column, meta=_frame([])
    )


# -- partitions (module-level functions: workers import them by name) --------------------------


def _document(item: Any) -> Document:
    if isinstance(item, str) or (isinstance(item, Mapping) and "id" not in item):
        raise TypeError("each document of a bag needs an id: give (id, text) tuples or {'id', 'text'} mappings")
    return as_document(item, 0)


def _extract_partition(items, extractor: Extractor, doc_date) -> list:
    return [extract_document(extractor, _document(item), doc_date) for item in items]


def _is_error(result) -> bool:
    return isinstance(result, dict)


def _records_partition(results) -> list[dict]:
    return [e.to_dict() for result in results if not isinstance(result, dict) for e in result]


def _lines_partition(results) -> list[str]:
    return [jsonl_line(e.to_dict()) for result in results if not isinstance(result, dict) for e in result]


def _missing(value) -> bool:
    """None, NaN, NaT or pandas' NA: a date column's way of saying 'no date'."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _frame_partition(part, extractor: Extractor, doc_date, id_column: str, text_column: str, date_column: str):
    has_date = date_column in part.columns
    rows = []
    for index in range(len(part)):
        doc_id = str(part[id_column].iloc[index])
        date = part[date_column].iloc[index] if has_date else None
        document = Document(doc_id, part[text_column].iloc[index], None if _missing(date) else date)
        rows.extend(result_rows(extract_document(extractor, document, doc_date)))
    return _frame(rows)


def result_rows(result) -> list[dict]:
    """The dataframe rows of one document's result (see ``extract_dataframe``)."""
    if isinstance(result, dict):
        return [{"doc": result["doc"], "error": result["error"], "message": result["message"]}]
    return [
        {"doc": e.doc, "label": e.label, "start": e.start, "end": e.end, "text": e.text,
         "value": json.dumps(e.value, ensure_ascii=False), "args": json.dumps(e.args, ensure_ascii=False),
         "rule_id": e.rule_id, "rule_file": e.rule_file, "rule_line": e.rule_line, "ruleset": e.ruleset}
        for e in result
    ]


def _frame(rows: list[dict]):
    import pandas as pd

    columns = {}
    for name in COLUMNS:
        values = [row.get(name) for row in rows]
        dtype = "Int64" if name in _INTEGER_COLUMNS else pd.StringDtype("pyarrow")
        columns[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(columns)
