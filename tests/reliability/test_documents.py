"""Hostile documents: every Unicode category, line ends, BOM, NUL, marker characters, size."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ruleie.cli import main
from ruleie.text import CONTINUE, label_marker

from ..conftest import NUM_ORG_RULES

SAMPLE = "More than 250 people were killed. ISIS and the government signed a deal on 26 July 2018."


@settings(max_examples=40, deadline=None)
@given(text=st.text(st.characters(codec="utf-8"), max_size=400))
def test_any_unicode_text_slices_back(text, bundled):
    for record in bundled.extract(text + " " + SAMPLE):
        assert record.text == (text + " " + SAMPLE)[record.start : record.end]


def test_a_document_cannot_forge_an_earlier_mention(bundled):
    forged = f"a deal between {label_marker(bundled.ruleset.labels['ORG'])}{CONTINUE * 3} and Fatah"
    records = bundled.extract(forged)
    assert not [r for r in records if r.label == "AGREEMENT" and r.start < 20 < r.end and "ORG" in json.dumps(r.args)]


def test_line_ends_bom_and_nul(tmp_path):
    body = "ISIS fighters left.\r\nMore than 250 people\rwere killed.\n"
    (tmp_path / "crlf.txt").write_bytes(("\ufeff" + body).encode("utf-8"))
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "crlf.txt")])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["text"] for r in records} >= {"ISIS", "More than 250"}
    for r in records:
        assert body[r["start"] : r["end"]] == r["text"]  # the BOM is dropped, line ends kept
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nul.txt")])
    assert result.exit_code == 1 and json.loads(result.stderr.splitlines()[0])["error"] == "unreadable"


def test_a_sentence_break_is_not_crossed(bundled):
    records = bundled.extract("They signed a deal between Hamas and.\nFatah met later.")
    assert not [r for r in records if r.label == "AGREEMENT" and "Fatah" in r.text]


def test_a_long_single_line_document(bundled):
    line = (SAMPLE.replace(".", ",") + " ") * 20_000  # about 1.8 MB with no line break
    records = bundled.extract(line)
    assert len([r for r in records if r.text == "More than 250"]) == 20_000
    assert all(line[r.start : r.end] == r.text for r in records[:1000])


def test_a_single_line_of_100_mb(write_rules, tmp_path):
    rules = write_rules(NUM_ORG_RULES)
    filler = "the talks went on through the night and nobody said anything new; "
    text = "Acme Corp paid 250 dollars. " + (filler * 1_600_000)[: 100_000_000 - 41] + " Acme paid 7."
    assert len(text) == 100_000_000
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", "--rules", str(rules), "-o", str(out), str(tmp_path / "one.txt")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["start"], r["end"], r["text"]) for r in records] == [
        (0, 9, "Acme Corp"), (15, 18, "250"), (99_999_988, 99_999_992, "Acme"), (99_999_998, 99_999_999, "7")]


def test_documents_over_the_size_limit_are_reported(tmp_path):
    (tmp_path / "big.txt").write_text("x" * 2000, encoding="utf-8")
    (tmp_path / "small.txt").write_text("ISIS", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--max-doc-bytes", "1000", str(tmp_path)])
    assert result.exit_code == 1
    error = json.loads(result.stderr.splitlines()[0])
    assert error["doc"].endswith("big.txt") and "limit of 1000 bytes" in error["message"]
    assert json.loads(result.stdout.splitlines()[0])["text"] == "ISIS"
