"""extract_parallel: the same bytes as a serial run, in input order, with bounded reading
ahead; a worker that dies costs only the document it was extracting.

Workers are real processes (spawn), each rebuilding the extractor from its pickle, so the
bundled packs are used once (the corpus run) and small rule files everywhere else.
"""

from __future__ import annotations

import os

import pytest

import ruleie
from ruleie.cli import extract_document
from ruleie.emit import jsonl_line
from ruleie.inputs import Document, read_documents
from ruleie.parallel import WorkerError, as_document, extract_parallel

RULES = """\
rules:
  - id: num
    label: NUM
    pattern: /\\d+/
  - id: org
    label: ORG
    pattern: acme (corp)?
  - id: day
    label: DATE
    pattern: (last)? (Tuesday | week)
    value: {fn: date}
"""


class Poison(Document):
    """A document whose arrival kills the worker process that receives it."""

    def __reduce__(self):
        return (os._exit, (70,))


def serialize(results) -> str:
    """What ``ruleie extract`` writes: extraction records on stdout, error records apart."""
    lines = []
    for result in results:
        if isinstance(result, dict):
            lines.append("ERROR " + jsonl_line(result))
        else:
            lines.extend(jsonl_line(e.to_dict()) for e in result)
    return "".join(lines)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "rules.yml"
    path.write_text(RULES, encoding="utf-8")
    return ruleie.load(str(path))


def texts(n: int) -> list[Document]:
    return [Document(f"d{i:03d}", f"Acme Corp paid {i} dollars to acme in {2000 + i}. " * (1 + i % 5)) for i in range(n)]


def test_corpus_output_is_byte_identical_to_serial(bundled, root):
    documents = list(read_documents([str(root / "corpus")]))
    serial = serialize(extract_document(bundled, d) for d in documents)
    results = list(extract_parallel(bundled, iter(documents), 2))
    assert serialize(results) == serial
    assert len(results) == len(documents)
    for document, result in zip(documents, results):
        assert {e.doc for e in result} <= {document.id}


@pytest.mark.parametrize("window", [1, 2, 5, None])
def test_order_is_input_order_whatever_the_window(small, window):
    documents = texts(40)
    results = list(extract_parallel(small, documents, 2, window=window))
    assert [r[0].doc for r in results] == [d.id for d in documents]
    assert serialize(results) == serialize(extract_document(small, d) for d in documents)


def test_reads_at_most_a_window_ahead(small):
    read = []

    def source():
        for document in texts(30):
            read.append(document.id)
            yield document

    results = extract_parallel(small, source(), 2, window=3)
    first = next(results)
    assert first[0].doc == "d000"
    assert len(read) <= 3
    rest = list(results)
    assert len(rest) == 29 and len(read) == 30


def test_a_worker_crash_costs_only_its_document(small):
    documents = texts(12)
    documents[5] = Poison("d005", "Acme paid 5 dollars.")
    results = list(extract_parallel(small, documents, 2))
    assert len(results) == 12
    crash = results[5]
    assert crash["doc"] == "d005" and crash["error"] == "crash"
    assert "exit code 70" in crash["message"]
    others = [d for i, d in enumerate(documents) if i != 5]
    assert serialize(r for i, r in enumerate(results) if i != 5) == serialize(extract_document(small, d) for d in others)


def test_several_crashes_in_a_row(small):
    documents = [Poison(f"p{i}", "x") if i % 3 == 0 else d for i, d in enumerate(texts(9))]
    results = list(extract_parallel(small, documents, 2, window=4))
    assert [r["error"] if isinstance(r, dict) else "ok" for r in results] == ["crash", "ok", "ok"] * 3


def test_unreadable_documents_and_extraction_errors_are_records(small):
    documents = [Document("bad.txt", error="binary file"), Document("d1", "acme 1"), Document("broken", None, "2020-01-01"),
                 Document("d3", "acme 3", "not a date")]
    results = list(extract_parallel(small, documents, 2))
    assert results[0] == extract_document(small, documents[0])
    assert results[1] == extract_document(small, documents[1])
    assert (results[2]["doc"], results[2]["error"]) == ("broken", "internal")  # a serial run raises here
    assert results[3] == extract_document(small, documents[3])
    assert results[3]["error"] == "bad-input"


def test_doc_date_reaches_the_workers(small):
    documents = [Document("a", "The talks resumed on Tuesday."), Document("b", "They met last week.")]
    expected = [extract_document(small, d, "2018-07-31") for d in documents]
    assert [e.value["date"] for r in expected for e in r] == ["2018-07-31", "2018-07-23"]
    assert list(extract_parallel(small, documents, 2, "2018-07-31")) == expected


def test_one_job_runs_here_and_accepts_what_extract_many_accepts(small):
    items = ["acme 1", ("x", "acme 2"), {"id": "y", "text": "acme 3", "date": "2020-01-01"}, {"text": "acme 4"}]
    results = list(extract_parallel(small, items, 1))
    assert [r[0].doc for r in results] == ["0", "x", "y", "3"]
    assert [as_document(item, n).id for n, item in enumerate(items)] == ["0", "x", "y", "3"]


def test_bad_arguments():
    with pytest.raises(ValueError):
        extract_parallel(None, [], 0)
    with pytest.raises(ValueError):
        extract_parallel(None, [], 2, window=0)
    with pytest.raises(TypeError):
        as_document(3.5, 0)


def test_rules_changed_since_loading_stop_the_run(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text(RULES, encoding="utf-8")
    extractor = ruleie.load(str(path))
    path.write_text(RULES.replace("acme", "acne"), encoding="utf-8")
    with pytest.raises(WorkerError, match="rules changed"):
        list(extract_parallel(extractor, texts(3), 2))


def test_sending_to_a_worker_that_died_unnoticed_puts_the_document_back(small):
    # A worker can die between its last result and the parent's next send (seen in CI as a
    # BrokenPipeError): the send must report failure, not raise, and not count as in work.
    import multiprocessing
    import pickle

    from ruleie.parallel import _Worker

    worker = _Worker(multiprocessing.get_context("spawn"), pickle.dumps(small))
    try:
        worker.process.kill()
        worker.process.join(10)
        assert worker.send(1, Document("d1", "acme 1"), None) is False
        assert worker.broken and not worker.queue
    finally:
        worker.stop(graceful=False)
