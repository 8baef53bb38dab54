"""`ruleie extract --jobs N` gives the same bytes as a serial run."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT


def test_jobs_2_output_is_byte_identical_to_serial():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "ruleie", "extract", str(ROOT / "corpus")]
    serial = subprocess.run(command, capture_output=True, env=env, check=True).stdout
    parallel = subprocess.run([*command, "--jobs", "2"], capture_output=True, env=env, check=True).stdout
    assert serial.count(b"\n") > 1000
    assert parallel == serial


def test_jobs_default_to_every_core_only_where_workers_pay(tmp_path, write_rules, monkeypatch):
    from click.testing import CliRunner

    from ruleie import cli
    from ruleie.parallel import PARALLEL_FROM_BYTES, usable_cores

    small = tmp_path / "small.txt"
    small.write_text("Acme Corp rose.", encoding="utf-8")
    big = tmp_path / "big.jsonl"
    line = '{"id": "d", "text": "Acme Corp rose."}\n'
    big.write_text(line * (PARALLEL_FROM_BYTES // len(line) + 1), encoding="utf-8")
    assert cli.auto_jobs([str(small)]) == 1
    assert cli.auto_jobs(["-"]) == 1
    assert cli.auto_jobs([str(big)]) == usable_cores()

    asked = []

    def parallel(extractor, documents, jobs, doc_date=None):
        asked.append(jobs)
        return cli._run(extractor, documents, doc_date)

    monkeypatch.setattr(cli, "extract_parallel", parallel)
    monkeypatch.setattr(cli, "usable_cores", lambda: 2)
    rules = str(write_rules("rules:\n  - id: org\n    label: ORG\n    pattern: Acme Corp\n"))
    for path, expected in ((small, []), (big, [2])):
        result = CliRunner().invoke(cli.main, ["extract", "--rules", rules, str(path)])
        assert result.exit_code == 0 and result.stdout.count('"Acme Corp"') >= 1
        assert asked == expected
