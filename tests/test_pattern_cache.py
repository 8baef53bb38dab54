"""The compiled-pattern cache: used only when it is the rule set's own and intact, and the
extractions are the same with it, without it, and after it was damaged."""

from __future__ import annotations

import importlib
import json

import pytest

import ruleie
from ruleie import grammar, pattern_cache
from ruleie.errors import RuleErrors
from ruleie.lexicon import Lexicon

load_module = importlib.import_module("ruleie.load")  # the package's ``load`` is the function

TEXT = "Acme Corp said on Monday it had agreed to buy 40 percent of Zenith Ltd for $3.5 million."
RULES = """
rules:
  - id: org
    label: ORG
    pattern: /[A-Z][a-z]+/ (Corp | Ltd)
  - id: money
    label: MONEY
    pattern: '"$" ~ /\\d+(?:\\.\\d+)?/ million?'
  - id: pct
    label: PCT
    pattern: /\\d+/ (percent | "%")
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("RULEIE_CACHE_DIR", str(directory))
    return directory


def records(rules) -> list[str]:
    return [json.dumps(e.to_dict(), sort_keys=True) for e in ruleie.load(rules).extract(TEXT, doc_id="d")]


def test_a_second_load_compiles_from_the_cache_with_the_same_output(cache, write_rules, monkeypatch):
    rules = write_rules(RULES)
    first = records(rules)
    assert len(list(cache.glob("*.patterns"))) == 1
    compiled_afresh = []
    real = pattern_cache._compile_recording
    monkeypatch.setattr(pattern_cache, "_compile_recording", lambda source: compiled_afresh.append(source) or real(source))
    assert records(rules) == first
    assert compiled_afresh == []
    assert [e["text"] for e in map(json.loads, first)] == ["Acme Corp", "40 percent", "Zenith Ltd", "$3.5 million"]


@pytest.mark.parametrize("damage", [
    lambda data: data[:-10],                              # cut short
    lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # one bit flipped
    lambda data: b"",                                     # empty
    lambda data: b"\x00" * 64,                            # not ours at all
])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(cache, write_rules, damage, monkeypatch):
    rules = write_rules(RULES)
    expected = records(rules)
    (path,) = cache.glob("*.patterns")
    path.write_bytes(damage(path.read_bytes()))
    compiled_afresh = []
    real = pattern_cache._compile_recording
    monkeypatch.setattr(pattern_cache, "_compile_recording", lambda source: compiled_afresh.append(source) or real(source))
    assert records(rules) == expected
    assert compiled_afresh  # nothing of the damaged file was used
    assert pattern_cache._read(path)  # and it was written anew


def test_a_cache_of_another_version_is_not_used(cache, write_rules, monkeypatch):
    rules = write_rules(RULES)
    expected = records(rules)
    monkeypatch.setattr(pattern_cache, "_VERSION", pattern_cache._VERSION + " (another regex)")
    (path,) = cache.glob("*.patterns")
    assert pattern_cache._read(path) == {}
    assert records(rules) == expected


def test_editing_a_rule_gives_its_own_cache_and_its_own_output(cache, write_rules):
    before = records(write_rules(RULES))
    after = records(write_rules(RULES.replace("(Corp | Ltd)", "Corp")))
    assert len(list(cache.glob("*.patterns"))) == 2
    assert len(after) == len(before) - 1


def test_caching_can_be_turned_off_and_an_unwritable_place_is_no_error(tmp_path, write_rules, monkeypatch):
    monkeypatch.setenv("RULEIE_CACHE_DIR", "off")
    assert pattern_cache.cache_dir() is None
    expected = records(write_rules(RULES))
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("RULEIE_CACHE_DIR", str(blocked / "cache"))
    assert records(write_rules(RULES)) == expected


def test_only_the_newest_files_are_kept(cache, write_rules, monkeypatch):
    monkeypatch.setattr(pattern_cache, "KEEP_FILES", 2)
    for n in range(4):
        records(write_rules(RULES + f"  - id: extra\n    label: X{n}\n    pattern: word{n}\n"))
    assert len(list(cache.glob("*.patterns"))) == 2


def spy(monkeypatch, module, name) -> list:
    """Record the first argument of every call of ``module.name``."""
    calls: list = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda first, *rest, **kw: calls.append(first) or real(first, *rest, **kw))
    return calls


def test_a_second_load_neither_parses_nor_validates_nor_builds_a_trie(cache, write_rules, monkeypatch):
    rules = write_rules(RULES.replace("(Corp | Ltd)", "$suffixes") + "lexicons:\n  suffixes: [Corp, Ltd, plc]\n")
    first = records(rules)
    parsed = spy(monkeypatch, grammar, "parse")
    validated = spy(monkeypatch, load_module, "check_schema")
    tries = spy(monkeypatch, Lexicon, "_trie_source")
    assert records(rules) == first
    assert (parsed, validated, tries) == ([], [], [])
    assert [e["text"] for e in map(json.loads, first)] == ["Acme Corp", "40 percent", "Zenith Ltd", "$3.5 million"]


def test_after_an_edit_only_the_edited_rule_is_built_again(cache, write_rules, monkeypatch):
    records(write_rules(RULES))
    parsed = spy(monkeypatch, grammar, "parse")
    compiled = spy(monkeypatch, pattern_cache, "_compile_recording")
    edited = records(write_rules(RULES.replace("(percent | \"%\")", "(percent | \"%\" | pct)")))
    assert parsed == ['/\\d+/ (percent | "%" | pct)']
    assert len(compiled) == 1 and "pct" in compiled[0]
    assert [e["text"] for e in map(json.loads, edited)] == ["Acme Corp", "40 percent", "Zenith Ltd", "$3.5 million"]
    assert len(list(cache.glob("*.patterns"))) == 2  # each rule set keeps its own file


def test_a_file_with_a_schema_error_is_checked_again_every_time(cache, write_rules):
    rules = write_rules(RULES.replace("label: PCT", "label: PCT\n    priorty: 2"))
    for _ in range(2):
        with pytest.raises(RuleErrors, match="unknown key 'priorty'"):
            ruleie.load(rules)


def test_only_the_building_thread_takes_part_in_its_build(cache, tmp_path):
    """A server extracting in one thread while another builds rules: a document's lexicon
    built meanwhile must not go into the rule set's cache file."""
    import threading

    seen = {}
    with pattern_cache.session([tmp_path]) as build:
        build.digest = "sha256:test"
        pattern_cache.remember("lexicon", "ours", lambda: "(?:a)")

        def elsewhere():
            seen["building"] = pattern_cache.building()
            seen["made"] = pattern_cache.remember("lexicon", "theirs", lambda: "(?:b)")

        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
    assert seen == {"building": False, "made": "(?:b)"}
    (path,) = cache.glob("*.patterns")
    assert pattern_cache._read(path)["lexicon"] == {"ours": "(?:a)"}
