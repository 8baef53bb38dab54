"""Read documents from files, directories, JSONL and standard input.

Each document comes out as a Document; one that cannot be read carries an ``error``
instead of text, so a run reports it and goes on with the rest.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

MAX_DOC_BYTES = 200 * 1024 * 1024
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Document:
    id: str
    text: str | None = None
    date: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class ReadOptions:
    encoding: str = "utf-8"
    errors: str = "strict"  # or "replace": undecodable bytes become U+FFFD
    max_bytes: int = MAX_DOC_BYTES


def expand(paths: list[str]) -> Iterator[str]:
    """Paths as given; directories become their .txt files, recursively, in sorted order."""
    for path in paths:
        if path != "-" and Path(path).is_dir():
            files = sorted(p for p in Path(path).rglob("*.txt") if p.is_file())
            yield from (str(Path(path) / p.relative_to(path)) for p in files)
        else:
            yield path


def read_documents(paths: list[str], options: ReadOptions = ReadOptions()) -> Iterator[Document]:
    for path in expand(paths):
        if path != "-" and path.endswith(".jsonl"):
            yield from _read_jsonl(path, options)
        else:
            yield _read_text(path, options)


def _read_bytes(path: str, options: ReadOptions) -> bytes:
    if path == "-":
        raw = sys.stdin.buffer.read(options.max_bytes + 1)
    else:
        with open(path, "rb") as handle:
            raw = handle.read(options.max_bytes + 1)
    if len(raw) > options.max_bytes:
        raise ValueError(f"larger than the limit of {options.max_bytes} bytes (--max-doc-bytes)")
    return raw


def _read_text(path: str, options: ReadOptions) -> Document:
    try:
        raw = _read_bytes(path, options)
    except (OSError, ValueError) as exc:
        return Document(path, error=getattr(exc, "strerror", None) or str(exc))
    if b"\0" in raw[:_SNIFF_BYTES]:
        return Document(path, error="binary file (NUL bytes in its first 8 KiB)")
    try:
        return Document(path, _decode(raw, options))
    except UnicodeDecodeError as exc:
        return Document(path, error=f"not valid {options.encoding} at byte {exc.start} (try --decode-errors replace)")
    except LookupError:
        return Document(path, error=f"unknown encoding {options.encoding!r}")


def _decode(raw: bytes, options: ReadOptions) -> str:
    """Decode keeping line ends as they are; a leading byte-order mark is dropped."""
    encoding = "utf-8-sig" if options.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else options.encoding
    return raw.decode(encoding, options.errors)


def _read_jsonl(path: str, options: ReadOptions) -> Iterator[Document]:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        yield Document(path, error=exc.strerror or str(exc))
        return
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(_decode(line, options))
                text = record["text"]
                if not isinstance(text, str):
                    raise TypeError("'text' must be a string")
                if len(text.encode("utf-8", "surrogatepass")) > options.max_bytes:
                    raise ValueError(f"larger than the limit of {options.max_bytes} bytes")
                date = record.get("date")
                yield Document(str(record.get("id", where)), text, str(date) if date is not None else None)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                yield Document(where, error=f"bad JSONL record: {exc}")
