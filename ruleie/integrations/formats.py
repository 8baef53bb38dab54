"""Command-line glue for the formats of ``ruleie extract`` that live in the integrations:
``csv``, ``brat`` (a directory) and ``labelstudio`` (one JSON file). Standard library and
click only.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

import click

from ..extractor import Extraction
from .brat import BratDirectory, StemClash
from .labelstudio import TaskWriter
from .tabular import csv_header, csv_line

__all__ = ["annotation_writer", "check_output", "csv_header", "csv_line", "open_brat"]

_OUTPUT = "'-o' / '--output'"


def check_output(fmt: str, output: str | None) -> None:
    """brat writes a directory (so needs -o DIR); every other format writes a file."""
    if fmt == "brat":
        if not output or output == "-":
            raise click.UsageError("--format brat writes a directory (a <stem>.ann and <stem>.txt per document): give it with -o DIR")
        if os.path.exists(output) and not os.path.isdir(output):
            raise click.BadParameter(f"{output!r} is a file; --format brat writes a directory", param_hint=_OUTPUT)
    elif output and output != "-" and os.path.isdir(output):
        raise click.BadParameter(f"{output!r} is a directory; --format {fmt} writes a file", param_hint=_OUTPUT)


def open_brat(output: str) -> BratDirectory:
    return BratDirectory(output)


class _Brat:
    def __init__(self, out: BratDirectory):
        self.out = out

    def document(self, doc: str, text: str, extractions: Iterable[Extraction]) -> None:
        try:
            self.out.document(doc, text, extractions)
        except StemClash as exc:
            raise click.UsageError(f"{exc}; brat files are named by document stem (nothing was written)") from None

    def close(self) -> None:
        pass


def annotation_writer(fmt: str, out: Any, model_version: str | None = None):
    """A writer with ``document(doc, text, extractions)`` and ``close()`` for ``fmt``."""
    if fmt == "brat":
        return _Brat(out)
    if fmt == "labelstudio":
        return TaskWriter(out.write, model_version)
    raise ValueError(f"no annotation writer for {fmt!r}")
