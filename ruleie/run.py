"""One document through an extractor: its extractions, or the error record that stands for
them. The command line, the worker processes and the Dask integration all run documents
through this one function, so they agree byte for byte."""

from __future__ import annotations

from typing import Any

from .emit import error_record
from .errors import PatternTimeout
from .extractor import Extraction, Extractor
from .inputs import Document


def extract_document(extractor: Extractor, document: Document, doc_date=None) -> list[Extraction] | dict[str, Any]:
    """The extractions of one document, or its error record."""
    if document.error is not None:
        return error_record(document.id, "unreadable", document.error)
    try:
        return extractor.extract(document.text, document.id, doc_date or document.date)
    except PatternTimeout as exc:
        return error_record(document.id, "timeout", str(exc))
    except ValueError as exc:  # a bad "date" in a JSONL record
        return error_record(document.id, "bad-input", str(exc))
