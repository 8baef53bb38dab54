"""The ``ruleie`` spaCy component: its spans are the CLI's records, tokens permitting, and the
records that cannot be placed on tokens are reported in ``doc._.ruleie_misaligned``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from click.testing import CliRunner  # noqa: E402

import ruleie.cli  # noqa: E402
import ruleie.integrations.spacy as component  # noqa: E402
from ruleie.cli import main  # noqa: E402

from .conftest import reusing  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = [str(p) for p in sorted(ROOT.glob("corpus/*.txt"))]
NUMBERS = "rules:\n  - id: num\n    label: NUM\n    pattern: /\\d+/\n"


def read_text(path: str | Path) -> str:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def as_library_record(record: dict) -> dict:
    return {**record, "doc": "-"}


@pytest.fixture(scope="module")
def bundled_once(bundled):
    """The CLI and the component use the session's bundled extractor instead of loading the
    bundled rules again (the slow part); other rules load as usual."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ruleie.cli, "load", reusing(bundled, ruleie.cli.load))
        patch.setattr(component, "load", reusing(bundled, component.load))
        yield


@pytest.fixture(scope="module")
def cli_records(bundled_once) -> dict[str, list[dict]]:
    result = CliRunner().invoke(main, ["extract", *DOCS], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    out: dict[str, list[dict]] = {doc: [] for doc in DOCS}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        out[record["doc"]].append(record)
    return out


def pipeline(**config):
    nlp = spacy.blank("en")
    nlp.add_pipe("ruleie", config=config)
    return nlp


def placed(doc, key: str = "ruleie") -> list[dict]:
    return [span._.ruleie for span in doc.spans[key]]


@pytest.mark.parametrize("mode", ["strict", "expand"])
def test_spans_are_the_cli_records_for_the_corpus(cli_records, mode):
    nlp = pipeline(alignment_mode=mode)
    counts = {"records": 0, "exact": 0, "moved": 0, "misaligned": 0}
    for path, records in cli_records.items():
        doc = nlp(read_text(path))
        expected = [as_library_record(r) for r in records]
        spans = list(doc.spans["ruleie"])
        misaligned = doc._.ruleie_misaligned
        # every record is placed or reported, none twice, in record order
        assert sorted(map(json.dumps, placed(doc) + misaligned)) == sorted(map(json.dumps, expected)), path
        assert placed(doc) == [r for r in expected if r not in misaligned]
        for span in spans:
            record = span._.ruleie
            assert span.label_ == record["label"] and span.id_.split("#")[0] == record["rule"]["id"]
            if (span.start_char, span.end_char) == (record["start"], record["end"]):
                assert span.text == record["text"]
                counts["exact"] += 1
            else:  # expand: the tokens it touches
                assert mode == "expand" and span.start_char <= record["start"] and record["end"] <= span.end_char
                counts["moved"] += 1
        counts["records"] += len(expected)
        counts["misaligned"] += len(misaligned)
    assert counts["records"] > 1000
    assert counts["exact"] + counts["moved"] + counts["misaligned"] == counts["records"]
    if mode == "strict":
        assert counts["moved"] == 0
    else:  # expand places every record that strict cannot
        assert counts["misaligned"] == 0
    # tokens permitting: with spaCy's English tokenizer (nearly) every corpus record lands on tokens
    # (today all of them do)
    assert counts["exact"] >= 0.99 * counts["records"], counts


def test_misaligned_records_are_reported_not_lost(write_rules):
    rules = [str(write_rules(NUMBERS))]
    text = "flight x-5 took 5,000 and 7 people"   # spaCy keeps "x-5" and "5,000" whole
    records = {r["text"]: r for r in (e.to_dict() for e in component.load(*rules).extract(text))}
    assert list(records) == ["5", "000", "7"] or sorted(records) == ["000", "5", "7"]

    strict = pipeline(rules=rules, alignment_mode="strict")(text)
    assert [s.text for s in strict.spans["ruleie"]] == ["7"]
    assert [(r["start"], r["text"]) for r in strict._.ruleie_misaligned] == [(9, "5"), (16, "5"), (18, "000")]

    expand = pipeline(rules=rules)(text)
    assert expand._.ruleie_misaligned == []
    spans = list(expand.spans["ruleie"])
    assert [(s.text, s.id_, s._.ruleie["text"], s._.ruleie["start"]) for s in spans] == [
        ("x-5", "num", "5", 9), ("5,000", "num", "5", 16), ("5,000", "num#2", "000", 18), ("7", "num", "7", 26)]

    contract = pipeline(rules=rules, alignment_mode="contract")(text)
    assert [s.text for s in contract.spans["ruleie"]] == ["7"]
    assert len(contract._.ruleie_misaligned) == 3


def test_not_run_and_rerun(write_rules):
    assert spacy.blank("en")("no component")._.ruleie_misaligned is None
    nlp = pipeline(rules=[str(write_rules(NUMBERS))])
    doc = nlp("12 and 13")
    doc = nlp.get_pipe("ruleie")(doc)  # again on the same doc: same spans, no stale records
    assert [(s.text, s.id_) for s in doc.spans["ruleie"]] == [("12", "num"), ("13", "num")]
    assert sum(1 for key in doc.user_data if key[0] == "ruleie") == 2
    assert spacy.blank("en")("12")[0:1]._.ruleie is None


def test_write_ents_resolves_overlaps_in_record_order(write_rules):
    rules = write_rules(
        "rules:\n"
        "  - id: num\n    label: NUM\n    pattern: /\\d+/\n"
        "  - id: range\n    label: RANGE\n    pattern: /\\d+/ ~ \"-\" ~ /\\d+/\n"
        "  - id: span\n    label: SPAN\n    pattern: /\\d+/ people\n"
    )
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "THING", "pattern": "buses"}, {"label": "OLD", "pattern": "7"}])
    nlp.add_pipe("ruleie", config={"rules": [str(rules)], "write_ents": True})
    doc = nlp("between 20-30 people and 7 buses")
    records = [s._.ruleie for s in doc.spans["ruleie"]]
    assert [(r["label"], r["text"]) for r in records] == [
        ("RANGE", "20-30"), ("NUM", "20"), ("SPAN", "30 people"), ("NUM", "30"), ("NUM", "7")]
    # the first in record order wins; the ruler's "7" loses to ruleie's, its "buses" stays
    assert [(e.text, e.label_) for e in doc.ents] == [("20-30", "RANGE"), ("7", "NUM"), ("buses", "THING")]
    assert doc.ents[0]._.ruleie == records[0] and doc.ents[1]._.ruleie == records[4]
    assert doc.ents[2]._.ruleie is None
    assert len(doc.spans["ruleie"]) == 5  # the span group keeps them all


def test_config_labels_spans_key_and_bad_mode(write_rules):
    rules = write_rules("rules:\n  - id: num\n    label: NUM\n    pattern: /\\d+/\n"
                        "  - id: org\n    label: ORG\n    pattern: acme\n")
    nlp = pipeline(rules=[str(rules)], labels=["ORG"], spans_key="mine")
    doc = nlp("Acme has 12")
    assert "ruleie" not in doc.spans
    assert [(s.text, s.label_) for s in doc.spans["mine"]] == [("Acme", "ORG")]
    assert doc.ents == ()
    with pytest.raises(ValueError, match="alignment_mode must be one of strict, contract, expand"):
        pipeline(rules=[str(rules)], alignment_mode="loose")


def test_serialization_keeps_records(write_rules, tmp_path):
    nlp = pipeline(rules=[str(write_rules(NUMBERS))], write_ents=True)
    doc = nlp("x-5 and 12")
    again = spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [(s.text, s._.ruleie["text"]) for s in again.spans["ruleie"]] == [("x-5", "5"), ("12", "12")]
    assert [e._.ruleie["text"] for e in again.ents] == ["5", "12"]
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == ["ruleie"]
    assert loaded.get_pipe_meta("ruleie").factory == "ruleie"
    later = loaded("and 44")
    assert [s._.ruleie["text"] for s in later.spans["ruleie"]] == ["44"]


def test_bundled_rules_in_a_pipeline(bundled_once):
    doc = pipeline()("More than 250 people were killed in Raqqa by Islamic State fighters on Tuesday.")
    record = doc.spans["ruleie"][0]._.ruleie
    assert (record["label"], record["text"], record["value"]["value"]) == ("NUMBER", "More than 250", 250)
    assert list(record) == ["doc", "label", "start", "end", "text", "value", "args", "rule", "ruleset"]


def test_factory_is_found_through_the_entry_point(tmp_path):
    """An installed ruleie advertises the factory in the ``spacy_factories`` entry point group;
    spaCy imports it from there, with nothing imported by hand."""
    site = tmp_path / "site"
    info = site / "ruleie_entry_point-0.0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ruleie-entry-point\nVersion: 0.0.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[spacy_factories]\nruleie = ruleie.integrations.spacy:make_ruleie\n",
                                           encoding="utf-8")
    rules = tmp_path / "rules.yml"
    rules.write_text(NUMBERS, encoding="utf-8")
    script = (
        "import sys, spacy\n"
        "assert 'ruleie.integrations.spacy' not in sys.modules\n"
        "nlp = spacy.blank('en')\n"
        f"nlp.add_pipe('ruleie', config={{'rules': [{str(rules)!r}]}})\n"
        "doc = nlp('12 and 13')\n"
        "print([s._.ruleie['text'] for s in doc.spans['ruleie']])\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "['12', '13']\n"
