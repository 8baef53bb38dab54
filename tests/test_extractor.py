"""The engine: resolution order, suppression, stages, the record contract, the library API."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ruleie
from ruleie.extractor import RECORD_KEYS

from .conftest import ROOT


def spans(extractor, text, label=None):
    return [(e.text, e.rule_id) for e in extractor.extract(text) if label is None or e.label == label]


@pytest.mark.parametrize("rules, text, winner", [
    pytest.param("  - {id: long, label: T, pattern: peace talks}\n  - {id: short, label: T, priority: 2, pattern: talks}\n",
                 "peace talks", [("talks", "short")], id="priority wins over length"),
    pytest.param("  - {id: a, label: T, pattern: talks}\n  - {id: b, label: T, pattern: peace talks}\n",
                 "peace talks", [("peace talks", "b")], id="longer wins at equal priority"),
    pytest.param("  - {id: a, label: T, pattern: b c}\n  - {id: b, label: T, pattern: a b}\n",
                 "a b c", [("a b", "b")], id="leftmost wins at equal priority and length"),
    pytest.param("  - {id: zeta, label: T, pattern: talks}\n  - {id: alpha, label: T, pattern: talks}\n",
                 "talks", [("talks", "alpha")], id="rule id breaks the last tie"),
])
def test_tie_breaks_between_rules_of_a_label(write_rules, rules, text, winner):
    assert spans(ruleie.load(write_rules("rules:\n" + rules)), text) == winner


def test_labels_overlap_freely_unless_suppressed(write_rules):
    ex = ruleie.load(write_rules(
        "rules:\n  - {id: org, label: ORG, pattern: Channel /\\d+/}\n  - {id: num, label: NUM, pattern: /\\d+/}\n"
        "  - {id: day, label: DATE, pattern: /\\d+/ July, suppresses: [NUM]}\n"
    ))
    assert spans(ex, "Channel 10 on 26 July") == [("Channel 10", "org"), ("10", "num"), ("26 July", "day")]


def test_a_loser_is_cut_short_before_its_winner(write_rules):
    ex = ruleie.load(write_rules(
        "rules:\n  - {id: words, label: N, pattern: '/[A-Z][a-z]+/{1,4}'}\n"
        "  - {id: known, label: N, priority: 3, pattern: Nordvik Shipping}\n"
    ))
    assert spans(ex, "Harbor Freight Nordvik Shipping") == [("Harbor Freight", "words"), ("Nordvik Shipping", "known")]


def test_a_candidate_beaten_by_a_suppressed_one_stands(write_rules):
    """The range "30 to $74 million" beats "$74 million", then the DATE "Sept. 30" suppresses
    the range: the money stands after all (it lost only to what is gone)."""
    ex = ruleie.load(write_rules(
        "rules:\n  - {id: range, label: NUM, priority: 1, pattern: '/\\d+/ to \"$\" ~ /\\d+/ million'}\n"
        "  - {id: money, label: NUM, pattern: '\"$\" ~ /\\d+/ million'}\n"
        "  - {id: day, label: DATE, pattern: Sept. /\\d+/, suppresses: [NUM]}\n"
    ))
    assert spans(ex, "the quarter ended Sept. 30 to $74 million") == [("Sept. 30", "day"), ("$74 million", "money")]
    dropped = {(d.candidate.rule.id, d.reason.split(" from ")[0]) for d in ex.trace("ended Sept. 30 to $74 million").stages[0].dropped}
    assert dropped == {("range", "suppressed by DATE")}
    assert [e.text for e in ruleie.load().extract("Sales rose in the quarter ended Sept. 30 to $747.8 million.")
            if e.label == "NUMBER"] == ["$747.8 million"]


@pytest.mark.parametrize("text", ["DSİ said so", "İzmir Port said so", "İzmir PORT said so", "Straße AG said so", "STRAßE AG said so"])
def test_lexicon_forms_whose_lower_case_is_longer_are_found(write_rules, text):
    """"İ" lower-cases to two characters ("i" and a combining dot); the keyword scan reads a
    folded copy of the text of the same length, where "İ" stays as written: tries, keywords and
    the text must agree on it (a lexicon entry "DSİ" was never found)."""
    ex = ruleie.load(write_rules(
        "lexicons:\n  names: [DSİ, İzmir Port, Straße AG]\nrules:\n  - {id: name, label: ORG, pattern: $names}\n"
    ))
    assert [e.text for e in ex.extract(text)] == [text.rsplit(" said", 1)[0]]
    assert ex.extract("dsİ said so") == []  # an acronym matches as written


def test_a_rejected_value_does_not_block_a_valid_shorter_candidate(write_rules):
    ex = ruleie.load(write_rules(
        "rules:\n  - {id: long, label: NUMBER, pattern: /\\d+/ widgets, value: {fn: number}}\n"
        "  - {id: short, label: NUMBER, pattern: /\\d+/, value: {fn: number}}\n"
    ))
    assert spans(ex, "40 widgets") == [("40", "short")]  # "40 widgets" is not a number expression


def test_a_later_stage_sees_the_longest_earlier_mention(write_rules):
    ex = ruleie.load(write_rules(
        "rules:\n  - {id: num, label: NUM, pattern: /\\d+|two/}\n  - {id: ship, label: SHIP, pattern: (two | /\\d+/) tankers}\n"
        "  - {id: seize, label: SEIZE, stage: 2, pattern: seized <SHIP>}\n"
    ))
    assert ("seized two tankers", "seize") in spans(ex, "they seized two tankers")


def test_stage_numbers_and_trace(write_rules):
    ex = ruleie.load(write_rules(
        "rules:\n  - {id: a, label: A, pattern: x}\n  - {id: b, label: B, stage: 3, pattern: <A> y}\n"
    ))
    assert [s.number for s in ex.ruleset.stages] == [1, 3]
    assert [st.number for st in ex.trace("x y").stages] == [1, 3]


def test_records_follow_the_contract(bundled):
    text = (ROOT / "corpus" / "000_f27bd7b462f6375f.txt").read_text("utf-8")
    records = [e.to_dict() for e in bundled.extract(text, "seed.txt")]
    assert records and all(tuple(r) == RECORD_KEYS for r in records)
    assert all(list(r["rule"]) == ["id", "file", "line"] for r in records)
    assert all(r["text"] == text[r["start"] : r["end"]] for r in records)
    order = [(r["start"], -r["end"], r["label"], r["rule"]["id"]) for r in records]
    assert order == sorted(order)
    json.dumps(records)  # plain JSON


def test_internal_labels_suppress_but_are_not_output(write_rules):
    ex = ruleie.load(write_rules(
        "rules:\n  - {id: name, label: _NAME, pattern: Boeing /\\d+/, suppresses: [NUM]}\n"
        "  - {id: num, label: NUM, pattern: /\\d+/}\n"
    ))
    text = "22 new Boeing 787 jets"
    assert spans(ex, text) == [("22", "num")]
    assert [(e.text, e.rule_id) for e in ex.extract(text, internal=True)] == [("22", "num"), ("Boeing 787", "name")]
    assert spans(ruleie.load(write_rules("rules:\n  - {id: name, label: _NAME, pattern: Boeing}\n"), labels=["_NAME"]), "Boeing") == []


@settings(max_examples=30, deadline=None)
@given(words=st.lists(st.sampled_from(["Boeing", "787", "FTSE", "100", "the", "Big", "Three", "22", "new", "jets", "."]), max_size=12))
def test_internal_records_are_the_only_difference(bundled, words):
    """Output without internal records is output with them, less the internal ones."""
    text = " ".join(words)
    public = [e.to_dict() for e in bundled.extract(text)]
    everything = [e.to_dict() for e in bundled.extract(text, internal=True)]
    assert public == [r for r in everything if not r["label"].startswith("_")]


def test_seed_article_findings(bundled):
    text = (ROOT / "corpus" / "000_f27bd7b462f6375f.txt").read_text("utf-8")
    found = {(e.label, e.text): e for e in bundled.extract(text)}
    assert found[("NUMBER", "More than 250")].value["value"] == 250
    assert found[("NUMBER", "More than 250")].value["qualifier"] == "gt"
    assert found[("NUMBER", "700,000-strong")].value["value"] == 700000
    assert found[("NUMBER", "Thirty")].value["value"] == 30
    assert found[("NUMBER", "400")].value["counted"] == "fighters"
    assert ("NUMBER", "Hundreds") in found
    assert not [t for (label, t) in found if label == "NUMBER" and ("06912336" in t or "1.0" in t or t == "10")]
    assert found[("ORG", "ISIS")].value["name"] == found[("ORG", "Daesh")].value["name"]
    for org in ("Syrian Observatory for Human Rights", "SANA", "AFP"):
        assert ("ORG", org) in found
    agreements = [e for e in bundled.extract(text) if e.label == "AGREEMENT"]
    assert len(agreements) >= 3
    parties = [[p["text"] for p in e.args.get("parties", [])] for e in agreements]
    assert ["ISIS", "the government"] in parties


def test_the_first_issue_example(bundled):
    (record,) = [e for e in bundled.extract("More than 250 people were killed.") if e.label == "NUMBER"]
    assert record.value["value"] == 250


def test_extract_many_streams_the_same_records(bundled):
    texts = ["ISIS left Deraa on Tuesday.", "A deal worth $3bn was signed."]
    many = list(bundled.extract_many([("a", texts[0]), {"id": "b", "text": texts[1], "date": "2020-01-01"}]))
    one = bundled.extract(texts[0], "a") + bundled.extract(texts[1], "b", dt.date(2020, 1, 1))
    assert many == one


def test_bundled_names_the_shipped_packs(write_rules):
    extra = write_rules("rules:\n  - {id: extra, label: X, stage: 4, pattern: <ORG> said}\n")
    ex = ruleie.load("bundled", extra)
    assert ("ISIS said", "extra") in spans(ex, "ISIS said", "X")
    assert ex.ruleset.rule("org.gazetteer").file == "rules/orgs.yml"


def test_an_extractor_pickles_small_and_rebuilds():
    extractor = ruleie.load()
    data = pickle.dumps(extractor)
    assert len(data) < 2000
    again = pickle.loads(data)
    assert again.extract("ISIS") == extractor.extract("ISIS")
