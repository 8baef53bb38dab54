"""ruleie.dask on a local distributed cluster (two worker processes): a bag of documents and
a dataframe with id/text/date columns give what a local run gives, in the same order."""

from __future__ import annotations

import pytest

pytest.importorskip("dask")
pytest.importorskip("dask.bag")
pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

from ruleie.cli import extract_document  # noqa: E402
from ruleie.emit import jsonl_line  # noqa: E402
from ruleie.inputs import Document, read_documents  # noqa: E402

from ruleie.dask import COLUMNS, errors, extract_bag, extract_dataframe, jsonl_lines, records, result_rows  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def documents(root):
    docs = [d for d in read_documents([str(root / "corpus")]) if d.error is None]
    docs.append(Document("bad-date", "Acme paid 5 dollars.", "not a date"))  # an error record
    return docs


def local_lines(extractor, documents) -> list[str]:
    return [jsonl_line(e.to_dict()) for d in documents for e in _list(extract_document(extractor, d))]


def _list(result):
    return [] if isinstance(result, dict) else result


def test_bag_gives_the_local_results_in_order(client, bundled, documents):
    bag = db.from_sequence(documents, npartitions=4)
    results = extract_bag(bundled, bag)
    computed = results.compute()
    assert computed == [extract_document(bundled, d) for d in documents]
    assert jsonl_lines(results).compute() == local_lines(bundled, documents)
    assert records(results).compute() == [e.to_dict() for d in documents for e in _list(extract_document(bundled, d))]
    assert [e["doc"] for e in errors(results).compute()] == ["bad-date"]


def test_bag_of_mappings_and_tuples(client, bundled, documents):
    items = [{"id": d.id, "text": d.text} if i % 2 else (d.id, d.text) for i, d in enumerate(documents[:6])]
    assert extract_bag(bundled, db.from_sequence(items, npartitions=3)).compute() == [
        extract_document(bundled, Document(d.id, d.text)) for d in documents[:6]
    ]


def test_bag_items_need_ids(client, bundled):
    with pytest.raises(TypeError, match="needs an id"):
        extract_bag(bundled, db.from_sequence(["no id here"], npartitions=1)).compute()


def test_dataframe_gives_the_local_rows_in_order(client, bundled, documents):
    dates = ["2018-07-31" if i % 3 == 0 else None for i in range(len(documents))]
    dates[-1] = "not a date"
    frame = pd.DataFrame({"id": [d.id for d in documents], "text": [d.text for d in documents], "date": dates})
    result = extract_dataframe(bundled, dd.from_pandas(frame, npartitions=3)).compute()
    assert list(result.columns) == list(COLUMNS)
    expected = [
        row for d, date in zip(documents, dates) for row in result_rows(extract_document(bundled, Document(d.id, d.text, date)))
    ]
    got = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in result.to_dict("records")]
    assert got == [{c: row.get(c) for c in COLUMNS} for row in expected]
    assert got[-1]["error"] == "bad-input" and got[-1]["doc"] == "bad-date"


def test_each_worker_rebuilds_the_extractor_once(client, bundled, documents):
    extract_bag(bundled, db.from_sequence(documents, npartitions=8)).compute()

    def cached() -> int:
        from ruleie import extractor

        return len(extractor._CACHE)

    assert set(client.run(cached).values()) == {1}
