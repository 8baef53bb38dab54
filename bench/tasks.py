"""Measurements that run in a child process of their own: ``python -m bench.tasks NAME ARGS``.

A fresh process per measurement keeps one measurement's caches and memory out of the next,
and lets the parent read the child's peak RSS from ``wait4``. Each task prints one JSON
object on its last line of standard output. Timers cover the work being measured only:
compiling the rules and reading the corpus file are timed apart or not at all.
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import time
from pathlib import Path

from .corpus import read_jsonl

WARM_UP = ("GENEVA, 14 March 2024 — More than 250 people were killed, the United Nations said on "
           "Tuesday. Iraq and Turkey signed a water agreement in Baghdad on 26 July 2018 worth $2.4 billion.")


class HashSink:
    """Stands for the output file: counts and hashes what would be written."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.bytes = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.hash.update(data)
        self.bytes += len(data)


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _load(rules: list[str]):
    import ruleie

    start = time.process_time()
    extractor = ruleie.load(*rules)
    return extractor, time.process_time() - start  # CPU seconds: the machine may be shared


def _document(record: dict):
    from ruleie.inputs import Document

    return Document(record["id"], record["text"], record.get("date"))


def task_ruleie(corpus: str, rules: list[str], limit: int | None = None, checkpoints: int = 8,
                count_anchors: bool = False, time_matching: bool = False) -> dict:
    """Serial extraction with JSONL serialization, as ``ruleie extract`` does per document.
    ``time_matching``: also the CPU time spent matching (each stage's scan), apart."""
    from ruleie.emit import jsonl_line
    from ruleie.run import extract_document

    extractor, compile_s = _load(rules)
    matching = _time_scans() if time_matching else None
    rss_loaded = _rss_kb()
    extractor.extract(WARM_UP, "warm-up")  # lazy imports (dateparser) and first-use caches
    sink = HashSink()
    elapsed = cpu = write_cpu = 0.0
    docs = size = extractions = errors = 0
    marks: list[tuple[int, float, float]] = []
    peaks: list[tuple[int, int]] = []  # (bytes read, peak RSS in KiB so far) every 250 documents
    for record in read_jsonl(Path(corpus), limit):
        document = _document(record)
        start, start_cpu = time.perf_counter(), time.process_time()
        result = extract_document(extractor, document)
        if isinstance(result, dict):
            errors += 1
        else:
            start_write = time.process_time()
            sink.write("".join(jsonl_line(e.to_dict()) for e in result))
            write_cpu += time.process_time() - start_write
            extractions += len(result)
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        docs += 1
        size += len(record["text"].encode("utf-8"))
        marks.append((size, elapsed, cpu))
        if docs % 250 == 0:
            peaks.append((size, _rss_kb()))
    step = max(1, len(marks) // checkpoints)
    out = {
        "compile_s": compile_s, "rss_loaded_kb": rss_loaded, "docs": docs, "bytes": size,
        "extractions": extractions, "errors": errors, "elapsed_s": elapsed, "cpu_s": cpu, "write_cpu_s": write_cpu, "output_sha256": sink.hash.hexdigest(),
        "output_bytes": sink.bytes, "checkpoints": marks[step - 1 :: step], "rss_kb": peaks,
    }
    if count_anchors:
        out.update(_anchor_counts(extractor, corpus, limit))
    if matching is not None:
        out["matching_cpu_s"] = matching[0]
    return out


def _time_scans() -> list[float]:
    """Wrap the extractor's per-stage scan so that its CPU time adds up in the list returned:
    matching apart from what follows it (values, resolution, records, JSON)."""
    import ruleie.extractor

    spent = [0.0]
    scan = ruleie.extractor.scan

    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return scan(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start

    ruleie.extractor.scan = timed
    return spent


def _anchor_counts(extractor, corpus: str, limit: int | None) -> dict:
    """How many anchor hits, and rule tries they cause, the first stage's index reports."""
    from ruleie.scan import anchor_hits
    from ruleie.text import base_shadow

    stage = extractor.ruleset.stages[0]
    hits = tries = 0
    for record in read_jsonl(Path(corpus), limit):
        found = anchor_hits(stage, base_shadow(record["text"]), extractor.timeout)
        if isinstance(found, tuple):  # (hits, required-word positions) since the start-pass index
            found = found[0]
        hits += len(found)
        tries += sum(len(indices) for _, indices in found)
    return {"anchor_hits": hits, "rule_tries": tries}


def task_digits(corpus: str, limit: int | None = None) -> dict:
    """A bare ``regex`` scan for digit runs over the same texts: the floor of any scan."""
    import regex

    digits = regex.compile(r"\d+")
    elapsed = cpu = 0.0
    docs = size = matches = 0
    for record in read_jsonl(Path(corpus), limit):
        text = record["text"]
        start, start_cpu = time.perf_counter(), time.process_time()
        matches += sum(1 for _ in digits.finditer(text))
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        docs += 1
        size += len(text.encode("utf-8"))
    return {"docs": docs, "bytes": size, "matches": matches, "elapsed_s": elapsed, "cpu_s": cpu}


def task_spacy(corpus: str, limit: int | None = None, batch: int = 64) -> dict:
    """spaCy ``blank("en")`` + EntityRuler: the gazetteer's surface forms and a few token
    patterns; entities serialized to JSONL like ruleie's records."""
    from .spacy_baseline import build

    start = time.process_time()
    nlp, pattern_count = build()
    build_s = time.process_time() - start
    list(nlp.pipe([WARM_UP]))
    sink = HashSink()
    records = list(read_jsonl(Path(corpus), limit))  # nlp.pipe wants an iterable of texts
    size = sum(len(r["text"].encode("utf-8")) for r in records)
    entities = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    for record, doc in zip(records, nlp.pipe((r["text"] for r in records), batch_size=batch)):
        rows = [json.dumps({"doc": record["id"], "label": e.label_, "start": e.start_char, "end": e.end_char,
                            "text": e.text}, ensure_ascii=False) + "\n" for e in doc.ents]
        sink.write("".join(rows))
        entities += len(rows)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return {"build_s": build_s, "patterns": pattern_count, "docs": len(records), "bytes": size,
            "entities": entities, "elapsed_s": elapsed, "cpu_s": cpu}


def _timed_entities(records: list[dict], spans_of) -> dict:
    """Run ``spans_of`` over a batch of records (it yields (record, [(start, end, label)])),
    writing each entity as a JSONL row like ruleie's records; CPU and wall time of that."""
    sink = HashSink()
    entities = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    for record, spans in spans_of(records):
        rows = [json.dumps({"doc": record["id"], "label": label, "start": s, "end": e, "text": record["text"][s:e]},
                           ensure_ascii=False) + "\n" for s, e, label in spans]
        sink.write("".join(rows))
        entities += len(rows)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    size = sum(len(r["text"].encode("utf-8")) for r in records)
    return {"docs": len(records), "bytes": size, "entities": entities, "elapsed_s": elapsed, "cpu_s": cpu}


def task_spacy_small(corpus: str, limit: int | None = None, batch: int = 64) -> dict:
    """spaCy's small English model, NER only (a peer; see bench/peers.py)."""
    from .peers import spacy_small_ner

    start = time.process_time()
    nlp = spacy_small_ner()
    load_s = time.process_time() - start
    list(nlp.pipe([WARM_UP]))
    records = list(read_jsonl(Path(corpus), limit))

    def spans_of(batch_records):
        for record, doc in zip(batch_records, nlp.pipe((r["text"] for r in batch_records), batch_size=batch)):
            yield record, [(e.start_char, e.end_char, e.label_) for e in doc.ents]

    return {"load_s": load_s, **_timed_entities(records, spans_of)}


def task_recognizers(corpus: str, limit: int | None = None) -> dict:
    """Recognizers-Text: number, ordinal, percent, currency and date-time models (a peer)."""
    from .peers import recognizers

    start = time.process_time()
    recognize = recognizers()
    recognize(WARM_UP)
    load_s = time.process_time() - start
    records = list(read_jsonl(Path(corpus), limit))
    return {"load_s": load_s, **_timed_entities(records, lambda rs: ((r, recognize(r["text"])) for r in rs))}


def task_single_doc(corpus: str, sizes: list[int], rules: list[str], total: int = 1_000_000) -> dict:
    """Documents of each size, cut from the reports joined end to end: ``total`` characters
    per size, each cut different (no cache sees the same text twice)."""
    extractor, _ = _load(rules)
    extractor.extract(WARM_UP, "warm-up")
    texts = []
    length = 0
    for record in read_jsonl(Path(corpus)):
        texts.append(record["text"])
        length += len(record["text"]) + 1
        if length >= max(total, max(sizes)):
            break
    pool = "\n".join(texts)
    out = []
    for size in sizes:
        cuts = [pool[at : at + size] for at in range(0, max(total, size), size)]
        start, start_cpu = time.perf_counter(), time.process_time()
        for number, text in enumerate(cuts):
            extractor.extract(text, str(number))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        chars = sum(len(t) for t in cuts)
        out.append({"chars": size, "documents": len(cuts), "elapsed_s": elapsed, "cpu_s": cpu,
                    "cpu_s_per_mchar": cpu / chars * 1e6})
    return {"sizes": out}


def task_parallel(corpus: str, jobs: int, limit: int | None = None, window: int | None = None) -> dict:
    """``extract_parallel`` over the corpus, timed from the call (worker start-up included)."""
    from ruleie.emit import jsonl_line
    from ruleie.parallel import extract_parallel

    extractor, compile_s = _load([])
    sink = HashSink()
    docs = extractions = errors = 0
    first = None
    start = time.perf_counter()
    documents = (_document(r) for r in read_jsonl(Path(corpus), limit))
    for result in extract_parallel(extractor, documents, jobs, window=window):
        if first is None:
            first = time.perf_counter() - start
        docs += 1
        if isinstance(result, dict):
            errors += 1
        else:
            sink.write("".join(jsonl_line(e.to_dict()) for e in result))
            extractions += len(result)
    wall = time.perf_counter() - start
    return {"jobs": jobs, "compile_s": compile_s, "wall_s": wall, "first_result_s": first, "docs": docs,
            "extractions": extractions, "errors": errors, "output_sha256": sink.hash.hexdigest()}


TASKS = {"ruleie": task_ruleie, "digits": task_digits, "spacy": task_spacy, "spacy_small": task_spacy_small,
         "recognizers": task_recognizers, "single_doc": task_single_doc, "parallel": task_parallel}


def main(argv: list[str]) -> None:
    name, args = argv[0], json.loads(argv[1])
    result = TASKS[name](**args)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
