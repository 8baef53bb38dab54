"""The command line: extract (JSONL/TSV contract, inputs, errors, exit status), check, test,
schema, --version.

Most tests run the CLI in-process with click's CliRunner over small rule files written with
``write_rules``; the ones that need a real process (hash seeds, standard input) run
``python -m ruleie`` with PYTHONPATH pointing at this checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ruleie
from ruleie.lint import lint
from ruleie.cli import main
from ruleie.load import schema as rule_file_schema

from .conftest import NUM_ORG_RULES

ROOT = Path(__file__).resolve().parent.parent
RECORD_KEYS = ["doc", "label", "start", "end", "text", "value", "args", "rule", "ruleset"]
TSV_HEADER = "doc\tlabel\tstart\tend\ttext\tvalue\targs\trule_id\trule_file\trule_line\truleset\n"

RULES = NUM_ORG_RULES
BAD_RULES = "rules:\n  - id: a\n    label: NUM\n    pattern: ( unclosed\n"


# -- helpers ------------------------------------------------------------------------------


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def run_process(*args: str, cwd: Path, input: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "ruleie", *args],
        cwd=cwd, input=input, capture_output=True, env=environment, timeout=300,
    )


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line]


def error_records(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def spans(stdout: str) -> list[tuple]:
    return [(r["doc"], r["label"], r["start"], r["end"], r["text"]) for r in records(stdout)]


def read_document(path: Path | str) -> str:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


@pytest.fixture
def rules(write_rules) -> Path:
    return write_rules(RULES, "rules.yml")


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_bytes(data.encode("utf-8"))
    return path


# -- extract: the contract record -----------------------------------------------------------


def test_extract_corpus_prints_contract_records(root, monkeypatch):
    monkeypatch.chdir(root)
    result = invoke("extract", "corpus/")
    assert result.exit_code == 0, result.stderr
    out = records(result.stdout)
    assert out, "the bundled rules found nothing in the corpus"
    expected_docs = [str(Path("corpus") / p.relative_to("corpus")) for p in sorted(Path("corpus").rglob("*.txt"))]
    documents = {doc: read_document(doc) for doc in expected_docs}
    for record in out:
        assert list(record) == RECORD_KEYS
        assert list(record["rule"]) == ["id", "file", "line"]
        assert record["doc"] in documents
        assert isinstance(record["start"], int) and isinstance(record["end"], int)
        assert 0 <= record["start"] < record["end"] <= len(documents[record["doc"]])
        assert record["text"] == documents[record["doc"]][record["start"] : record["end"]]
        assert isinstance(record["value"], dict) and isinstance(record["args"], dict)
        assert record["ruleset"].startswith("sha256:") and len(record["ruleset"]) == 7 + 64
        assert record["rule"]["file"].startswith("rules/") and isinstance(record["rule"]["line"], int)
    assert len({r["ruleset"] for r in out}) == 1
    # documents in input (sorted) order, records of a document by (start, -end, label, rule id)
    order = [expected_docs.index(r["doc"]) for r in out]
    assert order == sorted(order)
    for doc in documents:
        mine = [r for r in out if r["doc"] == doc]
        assert mine == sorted(mine, key=lambda r: (r["start"], -r["end"], r["label"], r["rule"]["id"]))
    # the provenance line is the rule's "- id:" line
    for file, line, rule_id in {(r["rule"]["file"], r["rule"]["line"], r["rule"]["id"]) for r in out}:
        text = (root / file).read_text(encoding="utf-8").splitlines()[line - 1]
        assert text.strip() == f"- id: {rule_id}"


def test_extract_record_with_small_rules(rules, in_tmp):
    write(in_tmp / "doc.txt", "Acme Corp has 12 staff.\n")
    result = invoke("extract", "--rules", str(rules), "doc.txt")
    assert result.exit_code == 0
    digest = ruleie.load(str(rules)).ruleset.digest
    assert records(result.stdout) == [
        {"doc": "doc.txt", "label": "ORG", "start": 0, "end": 9, "text": "Acme Corp", "value": {}, "args": {},
         "rule": {"id": "org", "file": str(rules), "line": 5}, "ruleset": digest},
        {"doc": "doc.txt", "label": "NUM", "start": 14, "end": 16, "text": "12", "value": {}, "args": {},
         "rule": {"id": "num", "file": str(rules), "line": 2}, "ruleset": digest},
    ]
    assert result.stderr == ""


@pytest.mark.parametrize("use_bundled", [True, False], ids=["bundled", "small-rules"])
def test_output_is_byte_identical_across_hash_seeds(root, write_rules, use_bundled):
    args = ["extract", "corpus/"]
    if not use_bundled:
        pack = write_rules(
            "lexicons:\n  orgs: [United Nations, UN, European Union, EU, NATO, Reuters]\n"
            "  months: [January, February, March, April, May, June, July, August, September, October, November, December]\n"
            "rules:\n"
            "  - id: org\n    label: ORG\n    pattern: $orgs\n"
            "  - id: month\n    label: MONTH\n    pattern: $months /\\d{4}/?\n"
            "  - id: num\n    label: NUM\n    pattern: /\\d+/\n"
            "  - id: said\n    label: SAID\n    stage: 2\n    pattern: <ORG> said\n",
            "pack.yml",
        )
        args += ["--rules", str(pack)]
    one = run_process(*args, cwd=root, PYTHONHASHSEED="1")
    two = run_process(*args, cwd=root, PYTHONHASHSEED="2")
    assert one.returncode == 0, one.stderr.decode()
    assert two.returncode == 0, two.stderr.decode()
    assert len(one.stdout.splitlines()) > 10
    assert one.stdout == two.stdout


# -- rule errors --------------------------------------------------------------------------


def test_check_on_a_bad_file_exits_2_with_location_and_caret(write_rules, in_tmp):
    write_rules(BAD_RULES, "bad.yml")
    result = invoke("check", "bad.yml")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    head = [line for line in lines if line.startswith("bad.yml:4:")]
    assert len(head) == 1 and "unclosed group" in head[0]
    index = lines.index(head[0])
    assert lines[index + 1].strip() == "pattern: ( unclosed"
    assert lines[index + 2].strip() == "^"
    assert lines[-1] == "1 error in the rules; nothing was extracted."


def test_check_reports_every_error(write_rules, in_tmp):
    write_rules(
        "rules:\n  - id: a\n    label: NUM\n    pattern: foo @nope\n  - id: b\n    label: NUM\n    pattern: ( x\n",
        "bad.yml",
    )
    result = invoke("check", "bad.yml")
    assert result.exit_code == 2
    heads = [line.split(": ", 1)[0] for line in result.stderr.splitlines() if line.startswith("bad.yml:")]
    assert heads == ["bad.yml:4:18", "bad.yml:7:17"]
    assert "2 errors in the rules" in result.stderr


def test_check_on_good_rules(rules):
    result = invoke("check", str(rules))
    assert result.exit_code == 0
    digest = ruleie.load(str(rules)).ruleset.digest
    warnings = len(lint(ruleie.load(str(rules))))
    plural = "" if warnings == 1 else "s"
    assert result.stdout == f"ok: 2 rules in 1 files, {warnings} warning{plural}, ruleset {digest[:19]}\n"


def test_extract_with_bad_rules_prints_nothing(write_rules, in_tmp):
    write_rules(BAD_RULES, "bad.yml")
    write(in_tmp / "corpus/a.txt", "12 and 13\n")
    result = invoke("extract", "--rules", "bad.yml", "corpus/")
    assert result.exit_code != 0
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "bad.yml:4:" in result.stderr


def test_output_file(rules, in_tmp):
    write(in_tmp / "doc.txt", "Acme 12\n")
    to_stdout = invoke("extract", "--rules", str(rules), "doc.txt")
    result = invoke("extract", "--rules", str(rules), "-o", "out.jsonl", "doc.txt")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (in_tmp / "out.jsonl").read_text(encoding="utf-8") == to_stdout.stdout
    assert len(records(to_stdout.stdout)) == 2
    assert sorted(p.name for p in in_tmp.iterdir()) == ["doc.txt", "out.jsonl", "rules.yml"]  # no temp files


def test_existing_output_file_is_untouched_when_rules_are_bad(write_rules, in_tmp):
    write_rules(BAD_RULES, "bad.yml")
    write(in_tmp / "doc.txt", "12\n")
    out = write(in_tmp / "out.jsonl", b'{"old": true}\n')
    before = out.stat().st_mtime_ns
    result = invoke("extract", "--rules", "bad.yml", "-o", "out.jsonl", "doc.txt")
    assert result.exit_code == 2
    assert out.read_bytes() == b'{"old": true}\n'
    assert out.stat().st_mtime_ns == before
    assert sorted(p.name for p in in_tmp.iterdir()) == ["bad.yml", "doc.txt", "out.jsonl"]


# -- formats and filters ----------------------------------------------------------------------


def test_tsv_header_and_escaping(rules, in_tmp):
    write(in_tmp / "tab.txt", "acme\tcorp\n")
    write(in_tmp / "nl.txt", "acme\ncorp 5\n")
    result = invoke("extract", "--rules", str(rules), "--format", "tsv", "tab.txt", "nl.txt")
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert lines[-1] == ""  # ends with a newline
    assert result.stdout.startswith(TSV_HEADER)
    rows = [line.split("\t") for line in lines[1:-1]]
    assert all(len(row) == 11 for row in rows)
    digest = ruleie.load(str(rules)).ruleset.digest
    assert rows == [
        ["tab.txt", "ORG", "0", "9", "acme\\tcorp", "{}", "{}", "org", str(rules), "5", digest],
        ["nl.txt", "ORG", "0", "9", "acme\\ncorp", "{}", "{}", "org", str(rules), "5", digest],
        ["nl.txt", "NUM", "10", "11", "5", "{}", "{}", "num", str(rules), "2", digest],
    ]


def test_tsv_escapes_backslashes_and_values_are_compact_json(write_rules, in_tmp):
    pack = write_rules(
        "rules:\n  - id: path\n    label: PATH\n    pattern: /c:\\\\\\S+/\n    value: {fn: text}\n", "pack.yml"
    )
    write(in_tmp / "doc.txt", "see c:\\temp now\n")
    result = invoke("extract", "--rules", str(pack), "--format", "tsv", "doc.txt")
    assert result.exit_code == 0, result.stderr
    row = result.stdout.splitlines()[1].split("\t")
    assert row[4] == "c:\\\\temp"  # one backslash in the text, escaped as two
    assert row[5] == '{"text":"c:\\\\\\\\temp"}'  # JSON escaping, then TSV escaping


def test_labels_filter(rules, in_tmp):
    write(in_tmp / "doc.txt", "Acme 12 and acme 13\n")
    only_org = invoke("extract", "--rules", str(rules), "--labels", "ORG", "doc.txt")
    both = invoke("extract", "--rules", str(rules), "--labels", "NUM, ORG", "doc.txt")
    everything = invoke("extract", "--rules", str(rules), "doc.txt")
    assert only_org.exit_code == both.exit_code == 0
    assert [(r["label"], r["text"]) for r in records(only_org.stdout)] == [("ORG", "Acme"), ("ORG", "acme")]
    assert both.stdout == everything.stdout
    assert [r["label"] for r in records(both.stdout)] == ["ORG", "NUM", "ORG", "NUM"]


# -- inputs ---------------------------------------------------------------------------------


def test_jsonl_input_uses_id_and_date(write_rules, in_tmp):
    pack = write_rules(
        "rules:\n"
        "  - id: day\n    label: DATE\n    pattern: tuesday\n    value: {fn: date}\n"
        "  - id: num\n    label: NUM\n    pattern: /\\d+/\n",
        "pack.yml",
    )
    lines = [
        {"id": "d1", "text": "On Tuesday 5 left.", "date": "2020-01-02"},
        {"id": 7, "text": "x 42"},
        {"text": "no id 9"},
    ]
    write(in_tmp / "docs.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    result = invoke("extract", "--rules", str(pack), "docs.jsonl")
    assert result.exit_code == 0, result.stderr
    out = records(result.stdout)
    assert [(r["doc"], r["label"], r["start"], r["end"], r["text"]) for r in out] == [
        ("d1", "DATE", 3, 10, "Tuesday"),
        ("d1", "NUM", 11, 12, "5"),
        ("7", "NUM", 2, 4, "42"),
        ("docs.jsonl:3", "NUM", 6, 7, "9"),
    ]
    assert out[0]["value"]["date"] == "2019-12-31"  # the Tuesday before Thursday 2020-01-02


def test_bad_jsonl_line_is_an_error_record(rules, in_tmp):
    write(in_tmp / "docs.jsonl", '{"id": "ok", "text": "12"}\nnot json\n{"id": "no-text"}\n')
    result = invoke("extract", "--rules", str(rules), "docs.jsonl")
    assert result.exit_code == 1
    assert spans(result.stdout) == [("ok", "NUM", 0, 2, "12")]
    errors = error_records(result.stderr)
    assert [e["doc"] for e in errors] == ["docs.jsonl:2", "docs.jsonl:3"]
    assert all(list(e) == ["doc", "error", "message"] for e in errors)


def test_stdin(rules, tmp_path):
    result = run_process("extract", "--rules", str(rules), "-", cwd=tmp_path, input="Acme has 12 staff.\r\nAnd 7 more.".encode())
    assert result.returncode == 0, result.stderr.decode()
    assert spans(result.stdout.decode("utf-8")) == [
        ("-", "ORG", 0, 4, "Acme"), ("-", "NUM", 9, 11, "12"), ("-", "NUM", 24, 25, "7"),
    ]


def test_stdin_with_bundled_rules(root):
    result = run_process("extract", "-", cwd=root, input=b"More than 250 people were killed.\n")
    assert result.returncode == 0, result.stderr.decode()
    found = [(r["doc"], r["label"], r["start"], r["end"], r["text"]) for r in records(result.stdout.decode())]
    assert ("-", "NUMBER", 0, 13, "More than 250") in found


def test_directory_is_read_recursively_in_sorted_order_txt_only(rules, in_tmp):
    write(in_tmp / "corpus/z.txt", "1\n")
    write(in_tmp / "corpus/a.txt", "2\n")
    write(in_tmp / "corpus/m/b.txt", "3\n")
    write(in_tmp / "corpus/m/deeper/c.txt", "4\n")
    write(in_tmp / "corpus/notes.md", "5\n")
    write(in_tmp / "corpus/gold.jsonl", '{"id": "g", "text": "6"}\n')
    write(in_tmp / "corpus/m/readme", "7\n")
    result = invoke("extract", "--rules", str(rules), "corpus")
    assert result.exit_code == 0
    assert [(r["doc"], r["text"]) for r in records(result.stdout)] == [
        ("corpus/a.txt", "2"), ("corpus/m/b.txt", "3"), ("corpus/m/deeper/c.txt", "4"), ("corpus/z.txt", "1"),
    ]


def test_inputs_keep_command_line_order(rules, in_tmp):
    write(in_tmp / "b.txt", "1\n")
    write(in_tmp / "a.txt", "2\n")
    result = invoke("extract", "--rules", str(rules), "b.txt", "a.txt")
    assert [(r["doc"], r["text"]) for r in records(result.stdout)] == [("b.txt", "1"), ("a.txt", "2")]


def test_undecodable_file_gives_error_record_and_others_still_come_out(rules, in_tmp):
    write(in_tmp / "a.txt", "Acme 1\n")
    write(in_tmp / "latin.txt", b"caf\xe9 5\n")
    write(in_tmp / "z.txt", "2\n")
    result = invoke("extract", "--rules", str(rules), "a.txt", "latin.txt", "z.txt")
    assert result.exit_code == 1
    assert [(r["doc"], r["text"]) for r in records(result.stdout)] == [("a.txt", "Acme"), ("a.txt", "1"), ("z.txt", "2")]
    errors = error_records(result.stderr)
    assert len(errors) == 1
    assert list(errors[0]) == ["doc", "error", "message"]
    assert errors[0]["doc"] == "latin.txt"
    assert errors[0]["error"] == "unreadable"
    assert "utf-8" in errors[0]["message"].lower() and "byte 3" in errors[0]["message"]
    assert "1 of 3 documents failed" in result.stderr


def test_undecodable_hint_names_an_option_that_exists(rules, in_tmp):
    """The message suggests a way out; it must be the --decode-errors option, not --errors
    (which takes a file name for error records)."""
    write(in_tmp / "latin.txt", b"caf\xe9 5\n")
    result = invoke("extract", "--rules", str(rules), "latin.txt")
    message = error_records(result.stderr)[0]["message"]
    assert "--decode-errors replace" in message, message


def test_decode_errors_replace(rules, in_tmp):
    write(in_tmp / "latin.txt", b"caf\xe9 5 acme\n")
    result = invoke("extract", "--rules", str(rules), "--decode-errors", "replace", "latin.txt")
    assert result.exit_code == 0
    assert result.stderr == ""
    text = "caf\ufffd 5 acme\n"
    out = records(result.stdout)
    assert [(r["start"], r["end"], r["text"]) for r in out] == [(5, 6, "5"), (7, 11, "acme")]
    assert all(r["text"] == text[r["start"] : r["end"]] for r in out)


def test_binary_file_gives_error_record(rules, in_tmp):
    write(in_tmp / "bin.txt", b"ab\x00cd 5\n")
    write(in_tmp / "ok.txt", "6\n")
    result = invoke("extract", "--rules", str(rules), "bin.txt", "ok.txt")
    assert result.exit_code == 1
    assert spans(result.stdout) == [("ok.txt", "NUM", 0, 1, "6")]
    errors = error_records(result.stderr)
    assert [(e["doc"], e["error"]) for e in errors] == [("bin.txt", "unreadable")]
    assert "binary" in errors[0]["message"]


def test_missing_file_gives_error_record(rules, in_tmp):
    result = invoke("extract", "--rules", str(rules), "nothere.txt")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert [e["doc"] for e in error_records(result.stderr)] == ["nothere.txt"]


def test_empty_file_gives_no_records_and_no_error(rules, in_tmp):
    write(in_tmp / "empty.txt", b"")
    result = invoke("extract", "--rules", str(rules), "empty.txt")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == ""


def test_crlf_offsets_are_exact(rules, in_tmp):
    path = write(in_tmp / "crlf.txt", b"line one 1\r\nacme\r\ncorp 22\r\n\r\nlast 333\r\n")
    result = invoke("extract", "--rules", str(rules), "crlf.txt")
    assert result.exit_code == 0
    document = read_document(path)
    assert "\r\n" in document
    out = records(result.stdout)
    assert [(r["start"], r["end"], r["text"]) for r in out] == [
        (9, 10, "1"), (12, 22, "acme\r\ncorp"), (23, 25, "22"), (34, 37, "333"),
    ]
    assert all(r["text"] == document[r["start"] : r["end"]] for r in out)


def test_bom_is_dropped(rules, in_tmp):
    path = write(in_tmp / "bom.txt", b"\xef\xbb\xbfAcme 7\n")
    result = invoke("extract", "--rules", str(rules), "bom.txt")
    assert result.exit_code == 0
    out = records(result.stdout)
    assert [(r["start"], r["end"], r["text"]) for r in out] == [(0, 4, "Acme"), (5, 6, "7")]
    document = read_document(path)
    assert all(r["text"] == document[r["start"] : r["end"]] for r in out)
    assert all("\ufeff" not in r["text"] for r in out)


def test_errors_file(rules, in_tmp):
    write(in_tmp / "bin.txt", b"\x00\x01")
    write(in_tmp / "latin.txt", b"\xff\xfe 5")
    write(in_tmp / "ok.txt", "3\n")
    result = invoke("extract", "--rules", str(rules), "--errors", "errors.jsonl", "bin.txt", "latin.txt", "ok.txt")
    assert result.exit_code == 1
    assert spans(result.stdout) == [("ok.txt", "NUM", 0, 1, "3")]
    written = [json.loads(line) for line in (in_tmp / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["doc"], e["error"]) for e in written] == [("bin.txt", "unreadable"), ("latin.txt", "unreadable")]
    assert error_records(result.stderr) == []  # not also on stderr
    assert "2 of 3 documents failed" in result.stderr


# -- test, schema, version ------------------------------------------------------------------


EXAMPLES = """\
rules:
  - id: num
    label: NUM
    pattern: /\\d+/
    examples:
      - text: "It has 12 staff."
        expect: [{text: "12"}]
      - text: "It has 12 staff."
        expect: [{text: "13"}]
"""


def test_test_command_reports_passed_and_failed(write_rules):
    path = write_rules(EXAMPLES, "examples.yml")
    result = invoke("test", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"
    assert f"FAIL num[1] ({path}:2)" in result.stdout
    assert "num[0]" not in result.stdout


def test_test_command_all_passing(write_rules):
    path = write_rules(EXAMPLES.replace('"13"', '"12"'), "examples.yml")
    result = invoke("test", str(path))
    assert result.exit_code == 0
    assert result.stdout == "2 passed, 0 failed\n"


def test_test_command_with_bad_rules_exits_2(write_rules, in_tmp):
    write_rules(BAD_RULES, "bad.yml")
    result = invoke("test", "bad.yml")
    assert result.exit_code == 2
    assert "bad.yml:4:" in result.stderr


def test_schema_command():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema == rule_file_schema()
    assert {"rules", "lexicons", "macros", "imports", "defaults"} <= set(schema["properties"])


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ruleie, version {ruleie.__version__}\n"
    assert ruleie.__version__ in result.stdout
