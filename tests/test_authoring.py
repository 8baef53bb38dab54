"""The rule-authoring commands: check warnings, explain, diff, coverage, init, test --watch."""

from __future__ import annotations

import json
import shutil
import threading
import time

import pytest
from click.testing import CliRunner

import ruleie
from ruleie.cli import main
from ruleie.explain import explain, why_not
from ruleie.lint import lint
from ruleie.watch import watch

from .conftest import ROOT

DEAL_RULES = """\
lexicons:
  orgs: [Hamas, Fatah, ISIS]
  nouns: [deal, truce]
rules:
  - id: org
    label: ORG
    pattern: $orgs
    examples: [{text: "Hamas", expect: [{text: Hamas}]}]
  - id: deal.between
    label: DEAL
    stage: 2
    pattern: $nouns between parties[]:<ORG> and parties[]:<ORG>
    examples: [{text: "a deal between Hamas and Fatah", expect: [{text: "deal between Hamas and Fatah"}]}]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# -- check: warnings -----------------------------------------------------------------------


def test_check_warns_with_locations(write_rules):
    path = write_rules(
        "lexicons:\n  unused_list: [a]\nmacros:\n  spare: x\n"
        "rules:\n  - id: bare\n    label: X\n    pattern: deals? /(\\w+\\s?)+/\n"
    )
    warnings = [str(w) for w in lint(ruleie.load(path))]
    assert f"{path}:2:3: warning: lexicon 'unused_list' is not used by any rule" in "\n".join(warnings)
    assert f"{path}:4:3: warning: macro 'spare' is not used by any rule" in "\n".join(warnings)
    assert any(w.startswith(f"{path}:6:5: warning: rule 'bare' has no examples") for w in warnings)
    assert any(w.startswith(f"{path}:8:14: warning: 'deals?' makes the whole word optional") for w in warnings)
    assert any(w.startswith(f"{path}:8:21: warning: nested quantifier in /(\\w+\\s?)+/") for w in warnings)


def test_check_strict_exits_1_on_warnings(write_rules):
    path = write_rules("rules:\n  - {id: bare, label: X, pattern: x}\n")
    code, out, err = run("check", str(path))
    assert code == 0 and "1 warning" in out and "has no examples" in err
    code, _, _ = run("check", "--strict", str(path))
    assert code == 1


def test_check_warns_about_a_rule_shadowed_on_all_its_examples(write_rules):
    path = write_rules(
        "rules:\n"
        "  - {id: strong, label: T, priority: 5, pattern: talks, examples: [{text: talks, expect: [{text: talks}]}]}\n"
        "  - id: weak\n    label: T\n    pattern: peace talks\n"
        "    examples: [{text: peace talks, expect: [{text: peace talks}]}]\n"
    )
    warnings = [str(w) for w in lint(ruleie.load(path))]
    assert any(f"{path}:3:5: warning: rule 'weak' loses on priority to strong on all its examples" in w for w in warnings)


def test_bundled_rules_have_no_warnings(bundled):
    assert [str(w) for w in lint(bundled)] == []


# -- explain -------------------------------------------------------------------------------


def test_explain_gives_items_captures_value_and_drops(write_rules):
    extractor = ruleie.load(write_rules(DEAL_RULES))
    report = explain(extractor, "a truce between Hamas and Fatah held")
    deal = next(e for e in report["extractions"] if e["label"] == "DEAL")
    assert deal["rule"] == "deal.between" and deal["text"] == "truce between Hamas and Fatah"
    assert [(i["item"], i.get("text")) for i in deal["items"]] == [
        ("$nouns", "truce"), ("between", "between"), ("parties[]:<ORG>", "Hamas"), ("and", "and"), ("parties[]:<ORG>", "Fatah"),
    ]
    assert [c["text"] for c in deal["captures"]["parties"]] == ["Hamas", "Fatah"]


def test_explain_reports_a_dropped_candidate_with_its_reason(bundled):
    report = explain(bundled, "a secret deal between ISIS and the government")
    reasons = [(d["rule"], d["reason"]) for d in report["dropped"]]
    assert ("agreement.trigger", "lost to agreement.between by priority (3 > 0)") in reasons


def test_explain_rule_names_the_element_that_failed(write_rules):
    extractor = ruleie.load(write_rules(DEAL_RULES))
    result = why_not(extractor, "a deal between Hamas and the militants", extractor.ruleset.rule("deal.between"))
    assert result["furthest"]["text"] == "deal between Hamas and"
    assert result["failed_item"] == "parties[]:<ORG>"
    assert "item 5 parties[]:<ORG> failed at 'the militants'" in result["message"]


def test_explain_rule_that_starts_with_a_captured_mention(write_rules):
    extractor = ruleie.load(write_rules(
        "rules:\n  - id: ship.noun\n    label: SHIP\n    pattern: tanker\n"
        "  - id: ship.seized\n    label: SEIZED\n    stage: 2\n    pattern: ship:<SHIP> was seized\n"
    ))
    result = why_not(extractor, "A tanker was sold.", extractor.ruleset.rule("ship.seized"))
    assert result["furthest"] == {"start": 2, "end": 12, "text": "tanker was", "items_matched": 2}
    assert result["failed_item"] == "seized"


def test_explain_rule_when_the_first_item_never_matches(write_rules):
    extractor = ruleie.load(write_rules(DEAL_RULES))
    result = why_not(extractor, "nothing to see", extractor.ruleset.rule("deal.between"))
    assert result["furthest"] is None and result["failed_item"] == "$nouns"


def test_explain_cli_text_and_json(write_rules):
    path = write_rules(DEAL_RULES)
    code, out, _ = run("explain", "--rules", str(path), "--rule", "deal.between", "a deal between Hamas and the militants")
    assert code == 0
    assert "the rule did not fire: matched 'deal between Hamas and' (items 1-4); item 5 parties[]:<ORG> failed" in out
    code, out, _ = run("explain", "--rules", str(path), "--json", "a deal between Hamas and Fatah")
    assert [e["rule"] for e in json.loads(out)["extractions"]] == ["deal.between", "org", "org"]
    code, _, err = run("explain", "--rules", str(path), "--rule", "nope", "x")
    assert code == 2 and "no rule 'nope'" in err


# -- diff and coverage ---------------------------------------------------------------------


def test_diff_lists_exactly_the_removed_rules_extractions(tmp_path, bundled):
    changed = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", changed)
    numbers = (changed / "numbers.yml").read_text("utf-8")
    (changed / "numbers.yml").write_text(numbers[: numbers.index("  - id: number.vague")], encoding="utf-8")
    corpus = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))
    code, out, _ = run("diff", "--old", str(ROOT / "rules"), "--new", str(changed), "--json", *corpus)
    assert code == 0
    report = json.loads(out)
    expected = sorted(
        (e.doc, e.start, e.end)
        for path in corpus for e in bundled.extract(open(path, encoding="utf-8").read(), path) if e.rule_id == "number.vague"
    )
    assert expected, "number.vague fires on the corpus"
    assert list(report["removed"]) == ["number.vague"]
    assert sorted((r["doc"], r["start"], r["end"]) for r in report["removed"]["number.vague"]) == expected
    assert report["added"] == {} and report["changed"] == {}


def test_coverage_lists_rules_that_never_fire(write_rules, tmp_path):
    path = write_rules(DEAL_RULES)
    doc = tmp_path / "doc.txt"
    doc.write_text("Hamas spoke.", encoding="utf-8")
    code, out, _ = run("coverage", "--rules", str(path), str(doc))
    assert code == 0
    assert "1 rule never fire: deal.between" in out


# -- init and watch ------------------------------------------------------------------------


def test_init_makes_a_pack_that_passes_its_own_tests(tmp_path):
    target = tmp_path / "maritime"
    code, out, _ = run("init", str(target))
    assert code == 0 and "next: ruleie test" in out
    code, out, _ = run("test", str(target))
    assert code == 0 and out.strip().endswith("2 passed, 0 failed")
    code, _, err = run("init", str(target))
    assert code != 0 and "exists; not overwriting" in err


def test_watch_runs_again_when_a_rule_file_changes(write_rules):
    path = write_rules("rules:\n  - {id: a, label: A, pattern: x}\n")
    runs = []
    thread = threading.Thread(target=watch, args=((str(path),), lambda: runs.append(time.time()), 2), daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not runs and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.1)  # a new modification time, whatever the file system's resolution
    path.write_text("rules:\n  - {id: a, label: A, pattern: y}\n", encoding="utf-8")
    thread.join(timeout=10)
    assert len(runs) == 2


@pytest.mark.parametrize("args", [["eval", "corpus/000_f27bd7b462f6375f.txt", "--gold", "corpus/gold", "--json"]])
def test_eval_json_scores_the_seed(args, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run(*args)
    assert code == 0
    report = json.loads(out)
    assert report["documents"] == 1
    assert report["labels"]["NUMBER"]["overlap_f1"] >= 0.9
    assert set(report["labels"]) == {"NUMBER", "ORG", "DATE", "AGREEMENT"}
