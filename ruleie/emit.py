"""Write extraction records (JSONL, TSV) and document error records; atomic file output."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from .extractor import Extraction

TSV_COLUMNS = ("doc", "label", "start", "end", "text", "value", "args", "rule_id", "rule_file", "rule_line", "ruleset")


def jsonl_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def tsv_header() -> str:
    return "\t".join(TSV_COLUMNS) + "\n"


def tsv_line(extraction: Extraction) -> str:
    e = extraction
    cells = (e.doc, e.label, str(e.start), str(e.end), e.text, e.value, e.args, e.rule_id, e.rule_file, str(e.rule_line), e.ruleset)
    return "\t".join(_cell(c) for c in cells) + "\n"


def error_record(doc: str, kind: str, message: str) -> dict[str, str]:
    return {"doc": doc, "error": kind, "message": message}


@contextmanager
def atomic_output(path: str | None, stdout: IO[str]) -> Iterator[IO[str]]:
    """Write to ``path`` through a temporary file renamed into place on success, so a
    failed or killed run leaves the old file (or none), never half of one."""
    if path is None or path == "-":
        yield stdout
        return
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
