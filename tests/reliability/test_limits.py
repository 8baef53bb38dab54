"""Resource limits on rule files: each refusal names its place, the defaults are safe, and
every limit can be raised or lowered (``ruleie.Limits``, ``ruleie --max-...``)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ruleie
from ruleie import Limits, RuleErrors
from ruleie.cli import main


def rule(pattern: str) -> str:
    return f"rules:\n  - id: r\n    label: X\n    pattern: '{pattern}'\n"


def the_error(path, **limits):
    with pytest.raises(RuleErrors) as caught:
        ruleie.load(str(path), limits=Limits(**limits))
    (error,) = caught.value.errors
    return error


def test_a_huge_pattern_is_refused_at_its_start(write_rules):
    path = write_rules(rule("a " * 10_001))
    error = the_error(path)
    assert (error.location.line, error.location.col) == (4, 15)
    assert error.message == "pattern is 20002 characters, over the limit of 20000"


def test_deep_nesting_is_refused_where_it_goes_too_deep(write_rules):
    path = write_rules(rule("(" * 41 + "a" + ")" * 41))
    error = the_error(path)
    assert (error.location.line, error.location.col) == (4, 15 + 40)  # the 41st "("
    assert error.message == "groups nested deeper than 40"


def test_a_huge_repetition_is_refused_at_its_quantifier(write_rules):
    path = write_rules(rule("a{2,101}"))
    error = the_error(path)
    assert (error.location.line, error.location.col) == (4, 16)
    assert error.message == "repetition {2,101} is over the limit of 100"


def test_a_huge_rule_file_is_refused(write_rules):
    path = write_rules(rule("a") + "# " + "x" * 200 + "\n")
    error = the_error(path, rule_file_bytes=100)
    assert str(error).startswith(f"{path}: ") and "over the limit of 100" in error.message


def test_a_huge_text_lexicon_is_refused_where_it_is_named(write_rules):
    write_rules("Acme\n" * 100, "names.txt")
    path = write_rules("lexicons:\n  names: {file: names.txt}\nrules:\n  - {id: r, label: X, pattern: $names}\n")
    error = the_error(path, rule_file_bytes=len(path.read_bytes()) + 1)
    assert (error.location.line, error.location.col) == (2, 17)
    assert "'names.txt': 500 bytes, over the limit of" in error.message


def test_limits_can_be_raised(write_rules):
    path = write_rules(rule("(" * 50 + "a{150}" + ")" * 50))
    extractor = ruleie.load(str(path), limits=Limits(nesting=60, repeat=200))
    assert [e.text for e in extractor.extract("x " + "a " * 150)] == [("a " * 150).strip()]


def test_limits_are_checked():
    with pytest.raises(ValueError, match="limit repeat must be a positive integer"):
        Limits(repeat=0)


def test_the_command_line_sets_the_limits_and_writes_nothing_past_them(write_rules, tmp_path):
    path = write_rules(rule("a{150}"))
    (tmp_path / "doc.txt").write_text("a " * 150, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    refused = CliRunner().invoke(main, ["extract", "--rules", str(path), "-o", str(out), str(tmp_path / "doc.txt")])
    assert refused.exit_code == 2 and not out.exists()
    assert f"{path}:4:16: repetition {{150}} is over the limit of 100" in refused.stderr
    allowed = CliRunner().invoke(main, ["--max-repeat", "150", "extract", "--rules", str(path), "-o", str(out),
                                        str(tmp_path / "doc.txt")])
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(out.read_text("utf-8"))["text"] == ("a " * 150).strip()


def test_the_limits_travel_with_a_pickled_extractor(write_rules):
    import pickle

    path = write_rules(rule("a{150}"))
    extractor = ruleie.load(str(path), limits=Limits(repeat=150))
    assert pickle.loads(pickle.dumps(extractor)).ruleset.digest == extractor.ruleset.digest
