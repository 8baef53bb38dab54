"""Annotation tools and tables: brat and Label Studio writers and readers, ``extract --format
brat|labelstudio|csv``, and ``eval --gold`` over brat directories, Label Studio exports and
JSONL files.

The round trips run the bundled rules over corpus/*.txt: extract to brat (or Label Studio),
then score the same documents against that output as gold: every label must come out with
exact F1 1.0, value accuracy 1.0 and party recall 1.0, and the readers must give back the
very records of ``ruleie extract`` (but ``doc``).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import ruleie
import ruleie.cli
from ruleie.cli import main
from ruleie.evaluate import load_gold
from ruleie.integrations import brat, labelstudio
from ruleie.integrations.tabular import CSV_COLUMNS, VALUE_KEYS, csv_line

from .conftest import NUM_ORG_RULES, reusing

ROOT = Path(__file__).resolve().parent.parent
DOCS = [str(p) for p in sorted(ROOT.glob("corpus/*.txt"))]

# NUM and ORG; "deal" has a list argument and a plain one.
RULES = NUM_ORG_RULES + """\
  - id: deal
    label: DEAL
    stage: 2
    pattern: deal between parties[]:<ORG> and parties[]:(/[A-Z][a-z]+/) for amount:<NUM>
"""


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def by_doc(records: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for record in records:
        out.setdefault(Path(record["doc"]).stem, []).append(record)
    return out


def without_doc(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "doc"} for r in records]


def read_text(path: str | Path) -> str:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


@pytest.fixture(scope="module", autouse=True)
def bundled_rules_once(bundled):
    """The CLI's commands here use the session's bundled extractor instead of loading the
    bundled rules again for each command (the slow part); other rules load as usual."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ruleie.cli, "load", reusing(bundled, ruleie.cli.load))
        yield


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[dict]]:
    """The JSONL records of ``ruleie extract`` over the corpus, by document stem."""
    result = invoke("extract", *DOCS)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    out = by_doc(records)
    return {Path(doc).stem: out.get(Path(doc).stem, []) for doc in DOCS}


@pytest.fixture(scope="module")
def brat_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("brat") / "out"
    result = invoke("extract", "--format", "brat", "-o", str(directory), *DOCS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return directory


@pytest.fixture(scope="module")
def tasks_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ls") / "tasks.json"
    result = invoke("extract", "--format", "labelstudio", "-o", str(path), *DOCS)
    assert result.exit_code == 0, result.stderr
    return path


def accepted(tasks: list[dict]) -> list[dict]:
    """What Label Studio exports after an annotator submits each task's pre-annotation as is."""
    return [
        {"id": number, "data": task["data"], "predictions": task["predictions"],
         "annotations": [{"id": 100 + number, "result": task["predictions"][0]["result"],
                          "was_cancelled": False, "ground_truth": False}]}
        for number, task in enumerate(tasks, 1)
    ]


def assert_perfect(report: dict, documents: int) -> None:
    assert report["documents"] == documents
    assert report["labels"], "nothing was scored"
    for label, scores in [*report["labels"].items(), ("all", report["all"])]:
        assert scores["gold"] == scores["predicted"] > 0, label
        for key in ("exact_precision", "exact_recall", "exact_f1", "overlap_f1", "value_accuracy"):
            assert scores[key] == 1.0, (label, key, scores)
    assert report["party_recall"] == 1.0
    assert report["errors"] == []


# -- brat ---------------------------------------------------------------------------------


def test_brat_directory_has_each_document(brat_dir, extracted):
    umask = os.umask(0)
    os.umask(umask)
    for doc in DOCS:
        stem = Path(doc).stem
        assert read_text(brat_dir / f"{stem}.txt") == read_text(doc)
        assert (brat_dir / f"{stem}.ann").is_file()
        assert (brat_dir / f"{stem}.ann").stat().st_mode & 0o777 == 0o666 & ~umask, "as open() makes files"
    conf = (brat_dir / "annotation.conf").read_text("utf-8")
    assert "[entities]" in conf and "\nArgument\n" in conf and "<OVERLAP>" in conf
    assert "\nparties\tArg1:<ENTITY>, Arg2:<ENTITY>\n" in conf
    assert not [p for p in brat_dir.parent.iterdir() if p.name.startswith(".")], "the staging directory was left behind"


def test_brat_ann_lines(brat_dir, extracted):
    stem = "002_yemen_detainee_exchange"
    text = read_text(brat_dir / f"{stem}.txt")
    lines = (brat_dir / f"{stem}.ann").read_text("utf-8").splitlines()
    entities = {line.split("\t")[0]: line.split("\t") for line in lines if line.startswith("T")}
    for tid, (_, kind_and_offsets, shown) in entities.items():
        kind, start, end = kind_and_offsets.split(" ")
        assert text[int(start) : int(end)] == shown
    notes = [line.split("\t") for line in lines if line.startswith("#")]
    assert all(about.startswith("AnnotatorNotes T") for _, about, _ in notes)
    first = extracted[stem][0]
    note = json.loads(next(body for _, about, body in notes if about == "AnnotatorNotes T1"))
    assert note["value"] == first["value"] and note["rule"] == first["rule"] and note["ruleset"] == first["ruleset"]
    relations = [line.split("\t")[1].split(" ") for line in lines if line.startswith("R")]
    assert {role for role, _, _ in relations} >= {"parties", "terms", "date"}
    assert all(a1.startswith("Arg1:T") and a2.startswith("Arg2:T") for _, a1, a2 in relations)


def test_brat_reader_gives_back_the_records(brat_dir, extracted):
    for stem, records in extracted.items():
        back = brat.read_brat(brat_dir / f"{stem}.ann")
        assert without_doc(back) == without_doc(records), stem
        assert all(r["doc"] == str(brat_dir / f"{stem}.txt") for r in back)
        assert all(list(r) == ["doc", "label", "start", "end", "text", "value", "args", "rule", "ruleset"] for r in back)


def test_extract_brat_then_eval_gold_brat_is_perfect(brat_dir):
    result = invoke("eval", "--gold", str(brat_dir), "--json", *DOCS)
    assert result.exit_code == 0, result.stderr
    assert_perfect(json.loads(result.stdout), len(DOCS))


def test_brat_span_across_a_line_break_is_fragments(write_rules, tmp_path):
    text = "We met Acme\r\nCorp and 7 others.\n"
    extractor = ruleie.load(write_rules(RULES))
    records = [e.to_dict() for e in extractor.extract(text, "doc.txt")]
    assert [r["text"] for r in records] == ["Acme\r\nCorp", "7"]
    ann = brat.to_ann(records, text)
    assert ann.splitlines()[0] == "T1\tORG 7 11;13 17\tAcme Corp"
    assert brat.from_ann(ann, text, "doc.txt") == records
    assert brat.to_ann(records) == ann, "without the document, line breaks are found in the record's text"
    brat.write_document(tmp_path, "doc", text, records)
    assert (tmp_path / "doc.txt").read_bytes() == text.encode("utf-8")
    assert brat.read_brat(tmp_path / "doc.ann", doc="doc.txt") == records


def test_brat_arguments_are_relations_and_come_back(write_rules):
    text = "A deal between Acme and Zenith for 30 was signed.\n"
    extractor = ruleie.load(write_rules(RULES))
    records = [e.to_dict() for e in extractor.extract(text, "d.txt")]
    deal = next(r for r in records if r["label"] == "DEAL")
    assert [p["text"] for p in deal["args"]["parties"]] == ["Acme", "Zenith"]
    ann = brat.to_ann(records, text)
    lines = ann.splitlines()
    ids = {line.split("\t")[2]: line.split("\t")[0] for line in lines if line.startswith("T")}
    deal_id = next(line.split("\t")[0] for line in lines if line.startswith("T") and "\tDEAL " in line)
    # the ORG party and the NUM amount are the extractions themselves; "Zenith" is an Argument span
    assert f"parties Arg1:{deal_id} Arg2:{ids['Acme']}" in ann
    assert any(line.startswith("T") and "\tArgument " in line and line.endswith("\tZenith") for line in lines)
    assert f"amount Arg1:{deal_id} Arg2:{ids['30']}" in ann
    assert brat.from_ann(ann, text, "d.txt") == records


def test_brat_reader_takes_hand_made_annotations():
    text = "Acme Corp signed a deal with Zenith on Monday."
    ann = (
        "T1\tORG 0 9\tAcme Corp\n"
        "T2\tAGREEMENT 19 23\tdeal\n"
        "T3\tORG 29 35\tZenith\n"
        "#1\tAnnotatorNotes T3\tcheck the name\n"   # a human note, not ruleie's JSON
        "R1\tparties Arg1:T2 Arg2:T1\n"
        "R2\tparties Arg1:T2 Arg2:T3\n"
        "A1\tNegated T2\n"
        "T4\tDATE 39 45\tMonday\n"
    )
    records = brat.from_ann(ann, text, "h.txt")
    assert [(r["label"], r["text"], r["value"]) for r in records] == [
        ("ORG", "Acme Corp", {}), ("AGREEMENT", "deal", {}), ("ORG", "Zenith", {}), ("DATE", "Monday", {})]
    agreement = records[1]
    assert agreement["args"] == {"parties": [
        {"start": 0, "end": 9, "text": "Acme Corp", "label": "ORG", "value": {}},
        {"start": 29, "end": 35, "text": "Zenith", "label": "ORG", "value": {}}]}
    assert "rule" not in agreement and "ruleset" not in agreement


def test_brat_reader_checks_the_text():
    with pytest.raises(ValueError, match=r"x.txt: .ann line 1: T1 says 'Acme' but the text there is 'cme '"):
        brat.from_ann("T1\tORG 1 5\tAcme\n", "Acme Corp", "x.txt")


def test_brat_keeps_an_existing_annotation_conf(write_rules, tmp_path):
    rules = write_rules(RULES)
    (tmp_path / "doc.txt").write_text("Acme 12\n", encoding="utf-8")
    out = tmp_path / "brat"
    out.mkdir()
    (out / "annotation.conf").write_text("mine\n", encoding="utf-8")
    result = invoke("extract", "--rules", str(rules), "--format", "brat", "-o", str(out), str(tmp_path / "doc.txt"))
    assert result.exit_code == 0, result.stderr
    assert (out / "annotation.conf").read_text("utf-8") == "mine\n"
    assert (out / "doc.ann").read_text("utf-8").startswith("T1\tORG 0 4\tAcme\n#1\tAnnotatorNotes T1\t{")


def test_brat_two_documents_with_one_stem_write_nothing(write_rules, tmp_path):
    rules = write_rules(RULES)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text("Acme 12\n", encoding="utf-8")
    out = tmp_path / "brat"
    result = CliRunner().invoke(main, ["extract", "--rules", str(rules), "--format", "brat", "-o", str(out),
                                       str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "would both be written as same.ann" in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_brat_failed_document_is_reported_and_the_rest_written(write_rules, tmp_path):
    rules = write_rules(RULES)
    (tmp_path / "ok.txt").write_text("Acme 12\n", encoding="utf-8")
    out = tmp_path / "brat"
    result = CliRunner().invoke(main, ["extract", "--rules", str(rules), "--format", "brat", "-o", str(out),
                                       str(tmp_path / "ok.txt"), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert json.loads(result.stderr.splitlines()[0])["error"] == "unreadable"
    assert sorted(p.name for p in out.iterdir()) == ["annotation.conf", "ok.ann", "ok.txt"]


# -- Label Studio -------------------------------------------------------------------------


def test_labelstudio_tasks(tasks_file, extracted, bundled):
    tasks = json.loads(tasks_file.read_text("utf-8"))
    assert [Path(t["data"]["doc"]).stem for t in tasks] == list(extracted)
    for task in tasks:
        text = task["data"]["text"]
        assert text == read_text(task["data"]["doc"])
        (prediction,) = task["predictions"]
        assert prediction["model_version"] == bundled.ruleset.digest
        records = extracted[Path(task["data"]["doc"]).stem]
        assert len(prediction["result"]) == len(records)
        for region, record in zip(prediction["result"], records):
            assert region["type"] == "labels" and region["from_name"] == "label" and region["to_name"] == "text"
            assert region["value"] == {"start": record["start"], "end": record["end"], "text": record["text"],
                                       "labels": [record["label"]]}
            assert text[region["value"]["start"] : region["value"]["end"]] == region["value"]["text"]
            meta = json.loads(region["meta"]["text"][0])
            assert meta == {"value": record["value"], "args": record["args"], "rule": record["rule"], "ruleset": record["ruleset"]}
        assert len({r["id"] for r in prediction["result"]}) == len(prediction["result"])


def test_extract_labelstudio_then_eval_gold_export_is_perfect(tasks_file, tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps(accepted(json.loads(tasks_file.read_text("utf-8")))), encoding="utf-8")
    result = invoke("eval", "--gold", str(export), "--json", *DOCS)
    assert result.exit_code == 0, result.stderr
    assert_perfect(json.loads(result.stdout), len(DOCS))


def test_labelstudio_reader_gives_back_the_records(tasks_file, extracted):
    export = accepted(json.loads(tasks_file.read_text("utf-8")))
    back = labelstudio.read_export(export)
    assert {Path(doc).stem for doc in back} == set(extracted)
    for doc, records in back.items():
        assert records == extracted[Path(doc).stem]


def test_labelstudio_reader_choice_of_annotation():
    region = {"from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": 0, "end": 4, "text": "Acme", "labels": ["ORG"]}}
    other = {**region, "value": {"start": 5, "end": 7, "text": "12", "labels": ["NUM", "X"]}}
    tasks = [
        {"id": 1, "data": {"text": "Acme 12", "doc": "a.txt"}, "annotations": [
            {"result": [region], "was_cancelled": True},
            {"result": [other]},
            {"result": [region], "ground_truth": True}]},
        {"id": 2, "data": {"text": "Acme 12", "doc": "b.txt"}, "annotations": [{"result": [other]}]},
        {"id": 3, "data": {"text": "Acme 12"}, "predictions": [{"result": [region]}]},   # not annotated: not gold
        {"id": 4, "data": {"text": "Acme 12"}, "annotations": [{"result": [region], "was_cancelled": True}]},
    ]
    back = labelstudio.read_export(tasks)
    assert back == {
        "a.txt": [{"doc": "a.txt", "label": "ORG", "start": 0, "end": 4, "text": "Acme", "value": {}, "args": {}}],
        "b.txt": [{"doc": "b.txt", "label": "NUM", "start": 5, "end": 7, "text": "12", "value": {}, "args": {}},
                  {"doc": "b.txt", "label": "X", "start": 5, "end": 7, "text": "12", "value": {}, "args": {}}],
    }
    with pytest.raises(ValueError, match="not a Label Studio JSON export"):
        labelstudio.read_export([{"text": "flat JSON_MIN rows are not supported"}])


def test_labelstudio_config_and_empty_run(write_rules, tmp_path):
    config = labelstudio.labeling_config(["ORG", "NUMBER", "ORG"])
    assert '<Labels name="label" toName="text">' in config and '<Text name="text" value="$text"/>' in config
    assert config.count("<Label value=") == 2 and "white-space: pre-wrap" in config
    (tmp_path / "empty.txt").write_text("nothing here\n", encoding="utf-8")
    result = invoke("extract", "--rules", str(write_rules(RULES)), "--format", "labelstudio", str(tmp_path / "empty.txt"))
    assert result.exit_code == 0
    (task,) = json.loads(result.stdout)
    assert task["data"] == {"text": "nothing here\n", "doc": str(tmp_path / "empty.txt")}
    assert task["predictions"][0]["result"] == []
    result = invoke("extract", "--rules", str(write_rules(RULES)), "--format", "labelstudio", str(tmp_path / "none.txt"))
    assert result.exit_code == 1 and json.loads(result.stdout) == []


# -- eval --gold in every form --------------------------------------------------------------


def test_load_gold_forms(tmp_path, write_rules):
    text = "Acme 12\n"
    records = [e.to_dict() for e in ruleie.load(write_rules(RULES)).extract(text, "corpus/one.txt")]
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "one.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    brat.write_document(tmp_path / "gold", "two", text, records)
    gold = load_gold(tmp_path / "gold")
    assert set(gold) == {"one", "two"}
    assert without_doc(gold["one"]) == without_doc(gold["two"]) == without_doc(records)
    assert load_gold(tmp_path / "gold" / "two.ann") == {"two": gold["two"]}
    all_records = tmp_path / "all.jsonl"
    all_records.write_text("".join(json.dumps({**r, "doc": d}) + "\n" for d in ("x/a.txt", "b.txt") for r in records), "utf-8")
    assert {stem: without_doc(rs) for stem, rs in load_gold(all_records).items()} == {
        "a": without_doc(records), "b": without_doc(records)}
    assert load_gold(tmp_path / "nowhere") == {}
    brat.write_document(tmp_path / "gold", "one", text, records)
    with pytest.raises(ValueError, match="both one.jsonl and one.ann"):
        load_gold(tmp_path / "gold")
    (tmp_path / "gold.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="gold is a directory"):
        load_gold(tmp_path / "gold.txt")


def test_eval_gold_jsonl_directory_still_works(tmp_path):
    doc = DOCS[2]
    result = invoke("eval", "--gold", str(ROOT / "corpus" / "gold"), "--json", doc)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["documents"] == 1 and report["all"]["gold"] > 0


# -- csv ------------------------------------------------------------------------------------


def test_extract_csv(extracted):
    result = invoke("extract", "--format", "csv", *DOCS[:4])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = [r for doc in DOCS[:4] for r in extracted[Path(doc).stem]]
    assert len(rows) - 1 == len(records)
    for row, record in zip(rows[1:], records):
        cells = dict(zip(CSV_COLUMNS, row))
        assert [cells["doc"], cells["label"], int(cells["start"]), int(cells["end"]), cells["text"]] == [
            record["doc"], record["label"], record["start"], record["end"], record["text"]]
        for key in VALUE_KEYS:
            if key not in record["value"]:
                assert cells[f"value.{key}"] == ""
            elif isinstance(record["value"][key], str):
                assert cells[f"value.{key}"] == record["value"][key]
            else:
                assert json.loads(cells[f"value.{key}"]) == record["value"][key]
        assert cells["value.other"] == ""
        assert json.loads(cells["args"]) == record["args"]
        assert [cells["rule_id"], cells["rule_file"], int(cells["rule_line"]), cells["ruleset"]] == [
            record["rule"]["id"], record["rule"]["file"], record["rule"]["line"], record["ruleset"]]


def test_csv_cells():
    record = {"doc": "d", "label": "X", "start": 0, "end": 9, "text": 'a "b",\nc', "args": {},
              "value": {"value": 2.5, "qualifier": None, "date": "2018", "extra": {"k": [1]}, "flag": True},
              "rule": {"id": "r", "file": "f.yml", "line": 3}, "ruleset": "sha256:x"}
    (row,) = list(csv.reader(io.StringIO(csv_line(record), newline="")))
    cells = dict(zip(CSV_COLUMNS, row))
    assert cells["text"] == 'a "b",\nc'
    assert (cells["value.value"], cells["value.qualifier"], cells["value.date"], cells["value.kind"]) == ("2.5", "null", "2018", "")
    assert json.loads(cells["value.other"]) == {"extra": {"k": [1]}, "flag": True}


def test_extract_csv_resumes_like_tsv(write_rules, tmp_path):
    rules = write_rules(RULES)
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Acme {name} 12\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    args = ["extract", "--rules", str(rules), "--format", "csv", "-o", str(out), str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert invoke(*args).exit_code == 0
    whole = out.read_text("utf-8")
    # a killed run: the first document written and journalled, then a resume
    part = out.with_name("out.csv.part")
    lines = whole.splitlines(keepends=True)
    first_doc = [lines[0]] + [line for line in lines[1:] if line.startswith(str(tmp_path / "a.txt") + ",")]
    assert len(first_doc) == 3
    part.write_text("".join(first_doc), encoding="utf-8")
    out.with_name("out.csv.part.journal").write_text(f"1\t{len(part.read_bytes())}\n", encoding="utf-8")
    out.unlink()
    assert invoke(*args, "--resume").exit_code == 0
    assert out.read_text("utf-8") == whole
    assert whole.count("doc,label,start") == 1


# -- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["--format", "brat", "-o", "d", "--resume"], "--resume does not apply to --format brat"),
    (["--format", "labelstudio", "-o", "t.json", "--resume"], "--resume does not apply to --format labelstudio"),
    (["--format", "brat"], "--format brat writes a directory"),
    (["--format", "brat", "-o", "-"], "--format brat writes a directory"),
    (["--format", "brat", "-o", "afile"], "is a file; --format brat writes a directory"),
    (["-o", "adir"], "is a directory; --format jsonl writes a file"),
    (["--format", "csv", "-o", "adir"], "is a directory; --format csv writes a file"),
])
def test_extract_refuses(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "doc.txt").write_text("Acme 12\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", *args, "doc.txt"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "afile", "doc.txt"]
