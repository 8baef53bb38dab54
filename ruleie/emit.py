"""Write extraction records (JSONL, TSV) and document error records; atomic file output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

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


class PartialOutput:
    """Output to ``path`` that a kill cannot half-write, and that a later run can resume.

    Records go to ``path.part``; after each finished document the byte offset is appended
    to ``path.part.journal``. On success the partial file is renamed over ``path`` (so a
    killed run leaves the old file, or none) and the journal removed. With ``resume``, the
    partial file is cut back to the last finished document and ``skip`` documents are done.
    """

    def __init__(self, path: str, resume: bool = False):
        self.target = Path(path)
        self.part = self.target.with_name(self.target.name + ".part")
        self.journal_path = self.part.with_name(self.part.name + ".journal")
        self.skip, offset = self._last_entry() if resume else (0, 0)
        if not self.skip:
            offset = 0
        self.handle = open(self.part, "r+b" if self.skip else "wb")
        self.handle.seek(offset)
        self.handle.truncate()
        self.journal = open(self.journal_path, "a" if self.skip else "w", encoding="utf-8")
        self.done = self.skip

    def _last_entry(self) -> tuple[int, int]:
        if not (self.part.exists() and self.journal_path.exists()):
            return 0, 0
        last = (0, 0)
        size = self.part.stat().st_size
        for line in self.journal_path.read_text("utf-8").split("\n")[:-1]:  # a line without its newline is torn
            fields = line.split("\t")
            if len(fields) == 2 and all(f.isdigit() for f in fields) and int(fields[1]) <= size:
                last = (int(fields[0]), int(fields[1]))
        return last

    def write(self, text: str) -> None:
        self.handle.write(text.encode("utf-8"))

    def document_done(self) -> None:
        """Everything of one more document is written: journal it (data first, then journal)."""
        self.done += 1
        self.handle.flush()
        self.journal.write(f"{self.done}\t{self.handle.tell()}\n")
        self.journal.flush()

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        self.journal.close()
        os.replace(self.part, self.target)
        self.journal_path.unlink(missing_ok=True)

    def abandon(self) -> None:
        """A failed run (not a kill): remove the partial output."""
        self.handle.close()
        self.journal.close()
        self.part.unlink(missing_ok=True)
        self.journal_path.unlink(missing_ok=True)


class StreamOutput:
    """Standard output, with the same interface (nothing to resume)."""

    skip = 0

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(text)

    def document_done(self) -> None:
        self.stream.flush()

    def commit(self) -> None:
        self.stream.flush()

    def abandon(self) -> None:
        self.stream.flush()
