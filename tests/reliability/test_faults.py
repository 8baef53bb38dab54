"""Runaway patterns, killed runs and resumes: the run goes on, nothing is lost or half-written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import ruleie
from ruleie.cli import main
from ruleie.errors import PatternTimeout

from ..conftest import ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def ruleie_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "ruleie", *args]


def test_runaway_pattern_is_reported_naming_rule_and_document_and_the_run_goes_on(write_rules, tmp_path):
    rules = write_rules(
        "rules:\n  - id: slow.rule\n    label: SLOW\n    pattern: /(a|a)+b/\n"
        "  - id: word\n    label: WORD\n    pattern: fine\n"
    )
    (tmp_path / "1_bad.txt").write_text("a" * 40 + "!", encoding="utf-8")
    (tmp_path / "2_good.txt").write_text("all fine here", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--rules", str(rules), "--timeout", "0.2", str(tmp_path)])
    assert result.exit_code == 1
    error = json.loads(result.stderr.splitlines()[0])
    assert error["doc"].endswith("1_bad.txt") and error["error"] == "timeout"
    assert "slow.rule" in error["message"] and "rules.yml:2" in error["message"] and "1_bad.txt" in error["message"]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["doc"].rsplit("/", 1)[-1], r["text"]) for r in records] == [("2_good.txt", "fine")]


@pytest.mark.parametrize("text", ["a" * 50_000, "\n".join(["a" * 5_000] * 20)], ids=["one line", "twenty lines"])
def test_a_runaway_rule_stops_within_its_limit_on_the_whole_document(write_rules, text):
    """The limit holds per rule and document: neither one long token nor many short tries of
    the same rule (each under the limit) run past it."""
    extractor = ruleie.load(write_rules("rules:\n  - id: slow.rule\n    label: SLOW\n    pattern: /(a+)+b/\n"), timeout=1.0)
    began = time.process_time()  # the limit is CPU time, as the regex module counts it
    with pytest.raises(PatternTimeout, match="slow.rule"):
        extractor.extract(text, doc_id="long")
    assert time.process_time() - began < 1.5


def test_check_warns_about_the_runaway_shape_before_it_runs(write_rules):
    rules = write_rules("rules:\n  - id: slow.rule\n    label: SLOW\n    pattern: /(a|a)+b/ /(a+)+c/\n")
    result = CliRunner().invoke(main, ["check", str(rules)])
    assert "rules.yml:4:14: warning: repeated alternatives that overlap in /(a|a)+b/" in result.stderr
    assert "rules.yml:4:24: warning: nested quantifier in /(a+)+c/" in result.stderr


def _corpus(tmp_path: Path, count: int = 400) -> Path:
    seed = (ROOT / "corpus" / "000_f27bd7b462f6375f.txt").read_text("utf-8")
    path = tmp_path / "docs.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({"id": f"doc{i}", "text": seed, "date": "2018-07-31"}) + "\n")
    return path


def test_a_killed_run_leaves_the_old_output_and_resume_completes_it_exactly(tmp_path):
    docs = _corpus(tmp_path)
    reference = subprocess.run(ruleie_cmd("extract", str(docs)), capture_output=True, env=ENV, check=True).stdout
    out = tmp_path / "out.jsonl"
    out.write_text("old output\n", encoding="utf-8")
    journal = tmp_path / "out.jsonl.part.journal"
    process = subprocess.Popen(ruleie_cmd("extract", str(docs), "-o", str(out)), env=ENV)
    deadline = time.time() + 60
    while time.time() < deadline and (not journal.exists() or len(journal.read_text().splitlines()) < 20):
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert out.read_text("utf-8") == "old output\n", "a killed run never touches the old file"
    done = len(journal.read_text().splitlines())
    assert 20 <= done < 400, "killed mid-run"
    resumed = subprocess.run(ruleie_cmd("extract", str(docs), "-o", str(out), "--resume"), env=ENV)
    assert resumed.returncode == 0
    assert out.read_bytes() == reference, "no document repeated or lost"
    assert not journal.exists() and not (tmp_path / "out.jsonl.part").exists()


def test_resume_ignores_a_torn_journal_line_and_a_half_written_record(tmp_path):
    docs = _corpus(tmp_path, 5)
    reference = subprocess.run(ruleie_cmd("extract", str(docs)), capture_output=True, env=ENV, check=True).stdout
    out = tmp_path / "out.jsonl"
    lines = reference.splitlines(keepends=True)
    per_doc = len(lines) // 5
    first_two = b"".join(lines[: 2 * per_doc])
    (tmp_path / "out.jsonl.part").write_bytes(first_two + b'{"doc": "doc2", "label": "NUM')  # killed mid-record
    (tmp_path / "out.jsonl.part.journal").write_text(f"1\t{len(b''.join(lines[:per_doc]))}\n2\t{len(first_two)}\n3\t99", encoding="utf-8")
    result = subprocess.run(ruleie_cmd("extract", str(docs), "-o", str(out), "--resume"), env=ENV)
    assert result.returncode == 0
    assert out.read_bytes() == reference


def test_resume_needs_an_output_file():
    result = CliRunner().invoke(main, ["extract", "--resume", "corpus/"])
    assert result.exit_code == 2 and "give it with -o FILE" in result.stderr


def test_a_failed_run_leaves_no_partial_file(write_rules, tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", "--rules", str(tmp_path / "missing.yml"), "-o", str(out), str(ROOT / "corpus")])
    assert result.exit_code == 2
    assert not out.exists() and not (tmp_path / "out.jsonl.part").exists()
