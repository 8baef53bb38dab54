"""Agreements as document-level events (ruleie/events.py): parties from the whole sentence,
references, mediators, event grouping, ``Extractor.events`` and ``extract --events``. The
documents are made up in the shapes real reports use."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from click.testing import CliRunner

from ruleie.cli import main

from .test_cli import run_process

SCHEMA = json.loads(resources.files("ruleie").joinpath("output.schema.json").read_text("utf-8"))

TWO_DEALS = (
    "Northgate Foods Inc. said on Monday it had agreed to buy Pellman Dairy Corp. for $410 million.\n\n"
    "The deal is expected to close in June, the company said.\n\n"
    "Separately, Halden Group signed a supply contract with Corvex Ltd. on Tuesday.\n\n"
    "Under the contract, Corvex will deliver 40 turbines."
)


def agreements(bundled, text):
    return [e for e in bundled.extract(text, "doc") if e.label == "AGREEMENT"]


def texts(args):
    return [a["text"] for a in args]


def test_a_later_the_deal_joins_the_earlier_event(bundled):
    buy, deal, contract, under = agreements(bundled, TWO_DEALS)
    assert (buy.text, deal.text) == ("buy Pellman Dairy Corp. for $410 million", "deal")
    assert buy.value["event"] == deal.value["event"] == "e1"
    assert contract.value["event"] == under.value["event"] == "e2"


def test_under_the_truce_and_the_accord_refer_back_to_the_truce(bundled):
    text = ("Israel and Hamas agreed to an Egypt-brokered truce on Sunday. Under the truce, Hamas will release 30 "
            "hostages. The accord also allows aid trucks into Gaza.")
    first, under, accord = agreements(bundled, text)
    assert {first.value["event"], under.value["event"], accord.value["event"]} == {"e1"}
    assert texts(first.args["parties"]) == ["Israel", "Hamas"] and texts(first.args["mediators"]) == ["Egypt"]
    (event,) = bundled.events(text, "doc")
    assert (event["type"], event["status"]) == ("truce", "reached")


def test_two_different_deals_in_one_report_stay_two_events(bundled):
    events = bundled.events(TWO_DEALS, "doc")
    assert [e["event"] for e in events] == ["e1", "e2"]
    first, second = events
    assert (first["type"], first["status"]) == ("acquisition", "reached")
    assert [p["name"] for p in first["parties"]] == ["Northgate Foods Inc.", "Pellman Dairy Corp."]
    assert [m["text"] for m in first["mentions"]] == ["buy Pellman Dairy Corp. for $410 million", "deal"]
    assert texts(first["terms"]) == ["for $410 million"]
    assert (second["type"], second["status"]) == ("contract", "signed")
    assert [p["name"] for p in second["parties"]] == ["Halden Group", "Corvex Ltd."]
    for event in events:
        jsonschema.validate(event, SCHEMA)


def test_a_pronoun_party_is_the_named_mention_with_the_pronoun_as_ref(bundled):
    (buy, *_) = agreements(bundled, TWO_DEALS)
    assert texts(buy.args["parties"]) == ["Northgate Foods Inc.", "Pellman Dairy Corp."]
    (ref,) = buy.args["party_refs"]
    assert TWO_DEALS[ref["start"] : ref["end"]] == "it"
    assert ref["refers_to"]["text"] == "Northgate Foods Inc."
    event = bundled.events(TWO_DEALS, "doc")[0]
    assert texts(event["parties"][0]["refs"]) == ["it", "the company"]


def test_a_description_with_no_name_in_its_sentence_stays_as_written_with_its_referent(bundled):
    _, deal, *_ = agreements(bundled, TWO_DEALS)
    assert texts(deal.args["parties"]) == ["the company"]
    (ref,) = deal.args["party_refs"]
    assert (ref["text"], ref["refers_to"]["text"]) == ("the company", "Northgate Foods Inc.")


@pytest.mark.parametrize("text, parties", [
    ("Chelton Motors filed for bankruptcy on Thursday, however a deal with Italian carmaker Fabbri Automobili went through.",
     ["Chelton Motors", "Fabbri Automobili"]),
    ("Halden announced plans to acquire Corvex.", ["Halden", "Corvex"]),
    ("Two regional carriers, Skyline Air and Norden Jet, announced a code-share agreement.", ["Skyline Air", "Norden Jet"]),
    ("The orchestra said it had signed a three-year sponsorship deal with Halcyon Bank.", ["The orchestra", "Halcyon Bank"]),
    ("Aeroflot has negotiated a deal with Boeing, but relations between the US and Russia are poor.", ["Aeroflot", "Boeing"]),
    ("The settlement with a group of 14 insurers and the National Consumers Council must still be approved.",
     ["a group of 14 insurers", "National Consumers Council"]),
])
def test_parties_wherever_the_sentence_puts_them(bundled, text, parties):
    (agreement,) = agreements(bundled, text)
    assert texts(agreement.args["parties"]) == parties


@pytest.mark.parametrize("text, parties, mediators", [
    ("Israel and Hamas agreed to a truce, brokered by Egypt and Qatar, on Sunday.", ["Israel", "Hamas"], ["Egypt", "Qatar"]),
    ("The rebels and the government signed a ceasefire after mediation led by Norway.",
     ["The rebels", "the government"], ["Norway"]),
    ("Kenya and Uganda reached a trade deal with the help of the UN.", ["Kenya", "Uganda"], ["UN"]),
    ("A truce mediated by Qatar took effect on Monday between the army and the rebels.", ["the army", "the rebels"], ["Qatar"]),
    ("The Qatari Ministry of Foreign Affairs, which has mediated between the two sides, said the truce would hold.",
     ["the two sides"], ["Qatari Ministry of Foreign Affairs"]),
])
def test_mediators_are_never_parties(bundled, text, parties, mediators):
    (agreement,) = agreements(bundled, text)
    assert texts(agreement.args.get("parties", [])) == parties
    assert texts(agreement.args["mediators"]) == mediators


def test_events_are_deterministic_and_follow_the_schema(bundled, root):
    text = (root / "corpus" / "017_harbor_freight_nordvik_takeover.txt").read_text("utf-8")
    once, again = bundled.events(text, "doc"), bundled.events(text, "doc")
    assert once == again and once
    for record in [*once, *(e.to_dict() for e in bundled.extract(text, "doc"))]:
        jsonschema.validate(record, SCHEMA)


def test_extract_events_on_the_command_line_is_byte_identical_across_hash_seeds(root):
    args = ["extract", "--events", "corpus/017_harbor_freight_nordvik_takeover.txt", "corpus/029_lumen_verdane_merger_collapse.txt"]
    one = run_process(*args, cwd=root, PYTHONHASHSEED="1")
    two = run_process(*args, cwd=root, PYTHONHASHSEED="2")
    assert one.returncode == 0, one.stderr.decode()
    assert one.stdout == two.stdout
    events = [json.loads(line) for line in one.stdout.splitlines()]
    assert {e["doc"] for e in events} == {args[2], args[3]}
    for event in events:
        jsonschema.validate(event, SCHEMA)


def test_events_need_jsonl():
    result = CliRunner().invoke(main, ["extract", "--events", "--format", "tsv", "-"], input="a deal")
    assert result.exit_code == 2
    assert "--format jsonl" in result.output


def test_the_events_example_in_docs_output_md_prints_what_it_says(root, capsys):
    doc = (root / "docs" / "output.md").read_text("utf-8")
    block = doc.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(block, "docs/output.md", "exec"), {})
    said = [line[2:] for line in block.splitlines() if line.startswith("# ")]
    assert capsys.readouterr().out.splitlines() == said
