"""``ruleie.to_frame``: one DataFrame row per extraction; pandas is imported only when asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")

import ruleie  # noqa: E402
from ruleie.integrations.pandas import to_frame  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("More than 250 people were killed, and Turkey paid about $2.4 billion to Islamic State "
        "on Tuesday, 24 July 2018, after a deal between ISIS and the Syrian government.")


@pytest.fixture(scope="module")
def extractions(bundled):
    found = bundled.extract(TEXT, doc_id="a1")
    assert {e.label for e in found} >= {"NUMBER", "ORG", "DATE", "AGREEMENT"}
    return found


def test_one_row_per_extraction(extractions):
    frame = ruleie.to_frame(extractions)
    assert ruleie.to_frame is to_frame
    assert len(frame) == len(extractions)
    columns = list(frame.columns)
    assert columns[:5] == ["doc", "label", "start", "end", "text"]
    assert columns[-5:] == ["args", "rule_id", "rule_file", "rule_line", "ruleset"]
    values = [c for c in columns if c.startswith("value_")]
    assert values[:4] == ["value_value", "value_kind", "value_qualifier", "value_currency"]
    assert {"value_name", "value_type", "value_date", "value_grain", "value_status"} <= set(values)
    for row, extraction in zip(frame.itertuples(index=False), extractions):
        row = row._asdict()
        assert (row["doc"], row["label"], row["start"], row["end"], row["text"]) == (
            "a1", extraction.label, extraction.start, extraction.end, extraction.text)
        assert json.loads(row["args"]) == extraction.args
        assert (row["rule_id"], row["rule_file"], row["rule_line"], row["ruleset"]) == (
            extraction.rule_id, extraction.rule_file, extraction.rule_line, extraction.ruleset)
        for column in values:
            key = column[len("value_"):]
            if key in extraction.value and extraction.value[key] is not None:
                assert row[column] == extraction.value[key]
            else:
                assert pd.isna(row[column])
    money = frame[frame.value_currency == "USD"].iloc[0]
    assert (money.text, money.value_value, money.value_kind, money.value_qualifier) == (
        "about $2.4 billion", 2.4e9, "money", "approx")
    assert frame.start.dtype.kind == "i" and frame.rule_line.dtype.kind == "i"


def test_records_gold_records_and_nested_values():
    records = [
        {"doc": "g.txt", "label": "X", "start": 0, "end": 2, "text": "ab",
         "value": {"range": {"low": 1, "high": 2}, "tags": ["a", "b"], "kind": "k"}, "args": {}},
        {"doc": "g.txt", "label": "Y", "start": 3, "end": 4, "text": "c", "value": {}, "args": {"p": [{"start": 3}]},
         "rule": {"id": "r", "file": "f.yml", "line": 7}, "ruleset": "sha256:x"},
    ]
    frame = to_frame(records)
    assert list(frame.columns) == ["doc", "label", "start", "end", "text", "value_kind", "value_range", "value_tags",
                                   "args", "rule_id", "rule_file", "rule_line", "ruleset"]
    first, second = frame.to_dict("records")
    assert json.loads(first["value_range"]) == {"low": 1, "high": 2} and json.loads(first["value_tags"]) == ["a", "b"]
    assert pd.isna(first["rule_id"]) and pd.isna(first["ruleset"]) and pd.isna(first["rule_line"])
    assert second["rule_id"] == "r" and second["args"] == '{"p":[{"start":3}]}'
    assert pd.isna(second["value_kind"])


def test_no_extractions():
    frame = to_frame([])
    assert len(frame) == 0
    assert list(frame.columns) == ["doc", "label", "start", "end", "text", "args", "rule_id", "rule_file", "rule_line", "ruleset"]


def test_import_ruleie_does_not_import_pandas():
    script = (
        "import sys, ruleie\n"
        "assert 'pandas' not in sys.modules and 'spacy' not in sys.modules\n"
        "ruleie.to_frame\n"
        "assert 'pandas' in sys.modules\n"
        "try:\n    ruleie.no_such_thing\nexcept AttributeError as exc:\n    print(exc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "module 'ruleie' has no attribute 'no_such_thing'\n"
