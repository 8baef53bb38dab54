"""Fuzzing: random bytes as documents, random YAML as rule files. Nothing may escape but
the project's own errors; every record slices back to its text."""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ruleie
from ruleie.run import extract_document
from ruleie.inputs import ReadOptions, read_documents

KEYS = ["ruleset", "version", "imports", "lexicons", "macros", "defaults", "rules", "id", "label", "pattern",
        "priority", "stage", "suppresses", "value", "examples", "text", "expect", "fn", "capture", "field", "entries",
        "case", "name", "aliases", "from_mentions", "file", "cross_sentences", "pattren"]
PATTERN_BITS = ["deal", "$lex", "@mac", "<ORG>", "_", "(", ")", "|", "?", "*", "+", "{1,2}", "~", "/\\d+/", '"x y"',
                "=AB", "n:", "p[]:", "(?=", "(?<!", " ", "\\", "/", "{", "}", "<", ">", ":", "[]", "é", "\u2029"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 12), st.text(max_size=12),
                    st.lists(st.sampled_from(PATTERN_BITS), max_size=8).map("".join))
documents_yaml = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=25,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=documents_yaml)
def test_random_rule_files_load_or_raise_a_located_rule_error(data, tmp_path):
    path = tmp_path / "fuzz.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data, encoding="utf-8")
    try:
        extractor = ruleie.load(path)
    except ruleie.RuleErrors as exc:
        assert exc.errors and all(e.location is not None or "no such" in e.message for e in exc.errors)
        return
    except ruleie.RuleError as exc:
        assert str(exc)
        return
    for record in extractor.extract("a deal between Hamas and Fatah for 3 days in 2019"):
        assert record.text == "a deal between Hamas and Fatah for 3 days in 2019"[record.start : record.end]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text(alphabet=string.printable + "ÿ:{}[]|&*!%@`", max_size=300))
def test_random_yaml_text_as_a_rule_file(text, tmp_path):
    path = tmp_path / "fuzz.yml"
    path.write_text(text, encoding="utf-8")
    try:
        ruleie.load(path)
    except ruleie.RuleieError as exc:
        assert str(exc)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=st.binary(max_size=2000))
def test_random_bytes_as_documents(raw, tmp_path, bundled):
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    for options in (ReadOptions(), ReadOptions(errors="replace")):
        (document,) = read_documents([str(path)], options)
        result = extract_document(bundled, document)
        if isinstance(result, dict):
            assert set(result) == {"doc", "error", "message"}
            continue
        for record in result:
            assert record.text == document.text[record.start : record.end]
