"""brat standoff (``.ann``) writer and reader; standard library only.

One ``.ann`` file per document, next to its ``.txt`` (same stem). Offsets are code points
into the ``.txt`` text, as in ruleie's records (brat reads UTF-8 and counts code points; the
writer stores the text as ruleie read it: no byte-order mark, line ends kept).

What a record becomes::

    T1	AGREEMENT 110 224	The Yemeni government and the Houthis agreed a ...
    #1	AnnotatorNotes T1	{"value":{"type":"exchange","status":"reached"},"rule":{...},"ruleset":"sha256:...","roles":{"parties":"list","terms":"one"}}
    T2	ORG 140 147	Houthis
    #2	AnnotatorNotes T2	{"value":{"name":"Ansar Allah","type":"armed_group"},"rule":{...},"ruleset":"sha256:..."}
    T3	Argument 110 131	The Yemeni government
    R1	parties Arg1:T1 Arg2:T3
    R2	parties Arg1:T1 Arg2:T2

* Each extraction is a text-bound ``T`` annotation typed with its label. A span that crosses
  a line break is written as brat itself marks such a selection: fragments between the line
  breaks (``0 5;6 10``), its text the fragments joined by a space. The reader takes the first
  start and the last end.
* Its ``value``, its ``rule`` (id, file, line), the ``ruleset`` and the shape of its
  arguments (``roles``: ``list`` or ``one``, in order) go in an ``AnnotatorNotes`` line as
  compact JSON.
* Arguments (``args``) are **relations**, not events: ``R`` lines typed with the argument's
  name, ``Arg1`` the extraction, ``Arg2`` the argument's span. Relations keep the extraction
  an ordinary entity that can be corrected like any other, need no event declarations,
  and map one to one onto ruleie's ``args`` (a list argument is one relation per item, in
  order). An argument that is itself an extraction of this document (same label, span and
  value: the ORG party of an AGREEMENT) points at that extraction's ``T``; any other
  argument span is a ``T`` of type ``Argument`` (a name no ruleie label can take: labels are
  upper case), with its label and value, if it has them, in its note. The reader never
  makes a record of an ``Argument``.

Reading a file written by hand in brat works too: every ``T`` (but ``Argument``) is a
record, its value ``{}`` unless a note holds ruleie's JSON, and relations from it become its
``args`` (a role that occurs once is a single span, more often a list). ``E``, ``A``, ``N``,
``M`` and ``*`` lines are ignored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..extractor import Extraction
from .records import as_records, make_record, sort_key

ARGUMENT = "Argument"
NOTES = "AnnotatorNotes"
_LINE_BREAKS = re.compile(r"[\r\n]+")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# -- writing ------------------------------------------------------------------------------


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks, as brat marks a selection that spans lines."""
    pieces, position = [], start
    for match in _LINE_BREAKS.finditer(text, start, end):
        if match.start() > position:
            pieces.append((position, match.start()))
        position = match.end()
    if end > position:
        pieces.append((position, end))
    return pieces or [(start, end)]


class _Ann:
    def __init__(self, text: str | None):
        self.text = text
        self.entities: list[str] = []
        self.relations: list[str] = []
        self.count = {"T": 0, "R": 0, "#": 0}

    def _next(self, kind: str) -> str:
        self.count[kind] += 1
        return f"{kind}{self.count[kind]}"

    def textbound(self, kind: str, start: int, end: int, span_text: str, note: Any = None) -> str:
        # fragments are computed on the span's own text when the document is not given
        base, offset = (self.text, 0) if self.text is not None else (span_text, start)
        pieces = fragments(base, start - offset, end - offset)
        where = ";".join(f"{s + offset} {e + offset}" for s, e in pieces)
        shown = " ".join(base[s:e] for s, e in pieces).replace("\n", " ").replace("\r", " ")
        tid = self._next("T")
        self.entities.append(f"{tid}\t{kind} {where}\t{shown}")
        if note is not None:
            self.entities.append(f"{self._next('#')}\t{NOTES} {tid}\t{_compact(note)}")
        return tid

    def relation(self, role: str, arg1: str, arg2: str) -> None:
        self.relations.append(f"{self._next('R')}\t{role} Arg1:{arg1} Arg2:{arg2}")

    def render(self) -> str:
        lines = self.entities + self.relations
        return "".join(line + "\n" for line in lines)


def _record_note(record: Mapping[str, Any]) -> dict[str, Any]:
    note: dict[str, Any] = {"value": record.get("value") or {}}
    if record.get("rule"):
        note["rule"] = record["rule"]
    if record.get("ruleset"):
        note["ruleset"] = record["ruleset"]
    args = record.get("args") or {}
    if args:
        note["roles"] = {role: "list" if isinstance(arg, list) else "one" for role, arg in args.items()}
    return note


def to_ann(records: Iterable[Extraction | Mapping[str, Any]], text: str | None = None) -> str:
    """The ``.ann`` text of one document's records (Extractions or contract records).

    ``text`` is the document; without it, line breaks are found in each record's own text.
    """
    records = as_records(records)
    ann = _Ann(text)
    ids: list[str] = []
    by_mention: dict[tuple, str] = {}
    for record in records:
        tid = ann.textbound(record["label"], record["start"], record["end"], record["text"], _record_note(record))
        ids.append(tid)
        by_mention.setdefault((record["label"], record["start"], record["end"], _compact(record.get("value"))), tid)
    spans: dict[tuple, str] = {}
    for record, tid in zip(records, ids):
        for role, arg in (record.get("args") or {}).items():
            for item in arg if isinstance(arg, list) else [arg]:
                if not isinstance(item, Mapping):
                    continue
                target = None
                if item.get("label") is not None:
                    target = by_mention.get((item["label"], item["start"], item["end"], _compact(item.get("value"))))
                if target is None:
                    # label/value, and any other key of the argument (a party_ref's refers_to), ride in its note
                    note = {key: value for key, value in item.items() if key not in ("start", "end", "text")} or None
                    key = (item["start"], item["end"], _compact(note))
                    if key not in spans:
                        spans[key] = ann.textbound(ARGUMENT, item["start"], item["end"], item["text"], note)
                    target = spans[key]
                ann.relation(role, tid, target)
    return ann.render()


def annotation_conf(labels: Iterable[str], roles: Iterable[str] = ()) -> str:
    """An ``annotation.conf`` declaring the labels, ``Argument``, the argument relations, and
    that annotations may overlap (ruleie's do: an ORG inside an AGREEMENT)."""
    entities = sorted(set(labels)) + [ARGUMENT]
    relations = [f"{role}\tArg1:<ENTITY>, Arg2:<ENTITY>" for role in sorted(set(roles))]
    return (
        "# written by ruleie (docs/integrations.md)\n[entities]\n" + "".join(f"{e}\n" for e in entities)
        + "\n[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
        + "".join(f"{r}\n" for r in relations)
        + "\n[events]\n\n[attributes]\n"
    )


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import: setting it to read it is not thread-safe


def _write_atomically(path: Path, content: str) -> None:
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=path.parent,
                                         prefix=f".{path.name}.", delete=False)
    try:
        with handle:
            handle.write(content)
        os.chmod(handle.name, 0o666 & ~_UMASK)  # as open() would have made it, not 0600
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_document(directory: str | Path, stem: str, text: str,
                   records: Iterable[Extraction | Mapping[str, Any]]) -> Path:
    """Write ``<stem>.txt`` and ``<stem>.ann`` into ``directory``; the path of the ``.ann``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _write_atomically(directory / f"{stem}.txt", text)
    ann = directory / f"{stem}.ann"
    _write_atomically(ann, to_ann(records, text))
    return ann


class StemClash(ValueError):
    """Two documents of one run would write the same ``<stem>.ann``."""


class BratDirectory:
    """``ruleie extract --format brat -o DIR``: the output of a run, one document at a time.

    Files go to a staging directory next to DIR and are moved into DIR (created if need be)
    when the run succeeds, so a failed run leaves DIR as it was. Files of documents that are
    not in the run are left alone. An ``annotation.conf`` for the labels and argument names
    seen is written too, unless DIR has one. Documents are named by the stem of their id
    (what ``ruleie eval`` matches gold by); two documents with one stem are an error.
    """

    skip = 0  # nothing to resume

    def __init__(self, directory: str | Path):
        self.target = Path(directory)
        if self.target.exists() and not self.target.is_dir():
            raise NotADirectoryError(f"{directory} exists and is not a directory")
        parent = self.target.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.part.", dir=parent))
        self.stems: dict[str, str] = {}
        self.labels: set[str] = set()
        self.roles: set[str] = set()

    def document(self, doc: str, text: str, extractions: Iterable[Extraction | Mapping[str, Any]]) -> None:
        stem = Path(doc).stem or "document"
        if stem in self.stems:
            raise StemClash(f"documents {self.stems[stem]!r} and {doc!r} would both be written as {stem}.ann")
        self.stems[stem] = doc
        records = as_records(extractions)
        for record in records:
            self.labels.add(record["label"])
            self.roles.update(record.get("args") or {})
        write_document(self.staging, stem, text, records)

    def write(self, text: str) -> None:  # the StreamOutput interface; brat output is per document
        raise TypeError("brat output is written one document at a time")

    def document_done(self) -> None:
        pass

    def commit(self) -> None:
        self.target.mkdir(parents=True, exist_ok=True)
        conf = self.target / "annotation.conf"
        if not conf.exists():
            (self.staging / "annotation.conf").write_text(annotation_conf(self.labels, self.roles), encoding="utf-8")
        for path in sorted(self.staging.iterdir()):
            os.replace(path, self.target / path.name)
        self.staging.rmdir()

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


# -- reading ------------------------------------------------------------------------------


def _note_json(note: str) -> dict[str, Any] | None:
    try:
        data = json.loads(note)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def from_ann(ann: str, text: str | None = None, doc: str = "-") -> list[dict[str, Any]]:
    """Records (contract shape, contract order) from the text of a ``.ann`` file.

    With the document ``text``, each record's text is ``text[start:end]`` and the ``.ann``
    must agree with it (a ValueError says where it does not).
    """
    spans: dict[str, tuple[str, int, int, str]] = {}
    notes: dict[str, dict[str, Any]] = {}
    relations: list[tuple[str, str, str]] = []
    for number, line in enumerate(ann.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{doc}: .ann line {number}"
        try:
            if line.startswith("T"):
                tid, type_and_offsets, shown = line.split("\t", 2)
                kind, offsets = type_and_offsets.split(" ", 1)
                pieces = [tuple(int(n) for n in piece.split()) for piece in offsets.split(";")]
                if any(len(p) != 2 for p in pieces):
                    raise ValueError(f"bad offsets {offsets!r}")
                start, end = pieces[0][0], pieces[-1][1]
                if text is not None:
                    expected = " ".join(text[s:e] for s, e in pieces)
                    if shown != expected and shown != expected.replace("\n", " ").replace("\r", " "):
                        raise ValueError(f"{tid} says {shown!r} but the text there is {expected!r}")
                    shown = text[start:end]
                spans[tid] = (kind, start, end, shown)
            elif line.startswith("#"):
                _, about, note = (line.split("\t", 2) + ["", ""])[:3]
                parts = about.split()
                if len(parts) == 2 and parts[0] == NOTES and parts[1] not in notes:
                    data = _note_json(note)
                    if data is not None:
                        notes[parts[1]] = data
            elif line.startswith("R"):
                _, body = line.split("\t", 2)[:2]
                role, *arguments = body.split()
                ends = dict(a.split(":", 1) for a in arguments if ":" in a)
                if "Arg1" in ends and "Arg2" in ends:
                    relations.append((role, ends["Arg1"], ends["Arg2"]))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None

    def span(tid: str) -> dict[str, Any] | None:
        if tid not in spans:
            return None
        kind, start, end, shown = spans[tid]
        arg: dict[str, Any] = {"start": start, "end": end, "text": shown}
        note = notes.get(tid) or {}
        if kind != ARGUMENT:
            arg["label"], arg["value"] = kind, note.get("value", {})
        else:
            if "label" in note:
                arg["label"], arg["value"] = note["label"], note.get("value")
            arg.update((key, value) for key, value in note.items() if key not in ("label", "value"))
        return arg

    found: dict[str, dict[str, list]] = {}
    for role, arg1, arg2 in relations:
        item = span(arg2)
        if arg1 in spans and item is not None:
            found.setdefault(arg1, {}).setdefault(role, []).append(item)

    records = []
    for tid, (kind, start, end, shown) in spans.items():
        if kind == ARGUMENT:
            continue
        note = notes.get(tid) or {}
        roles = note.get("roles") if isinstance(note.get("roles"), dict) else {}
        items = found.get(tid, {})
        args: dict[str, Any] = {}
        for role in [*roles, *(r for r in items if r not in roles)]:
            got = items.get(role, [])
            shape = roles.get(role) or ("list" if len(got) > 1 else "one")
            if shape == "list":
                args[role] = got
            elif got:
                args[role] = got[-1]
        rule = note.get("rule") if isinstance(note.get("rule"), dict) else None
        records.append(make_record(doc, kind, start, end, shown, note.get("value"), args, rule, note.get("ruleset")))
    records.sort(key=sort_key)
    return records


def read_text(path: str | Path) -> str:
    """A document as ruleie reads it: UTF-8, byte-order mark dropped, line ends kept."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def read_brat(path: str | Path, doc: str | None = None) -> list[dict[str, Any]]:
    """The records of one ``.ann`` file, checked against and taking text from the ``.txt``
    beside it when there is one. ``doc`` defaults to that ``.txt`` path."""
    path = Path(path)
    txt = path.with_suffix(".txt")
    text = read_text(txt) if txt.is_file() else None
    with open(path, encoding="utf-8", newline="") as handle:
        ann = handle.read()
    return from_ann(ann, text, doc if doc is not None else str(txt))


def read_directory(directory: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Records by document stem, from every ``*.ann`` file of ``directory``."""
    return {path.stem: read_brat(path) for path in sorted(Path(directory).glob("*.ann"))}
