"""TimeML (.tml) gold: the reader, and `ruleie eval` scoring TempEval-3's way (strict span,
relaxed span, value accuracy on the TIMEX3 value over relaxed matches)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ruleie.cli import main
from ruleie.evaluate import load_gold
from ruleie.integrations.timeml import read_timeml

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST-001</DOCID>
<DCT><TIMEX3 tid="t0" type="TIME" value="2010-01-28T10:00" temporalFunction="false" functionInDocument="CREATION_TIME">01-28-10</TIMEX3></DCT>
<TEXT>
Ford &amp; Co. <EVENT eid="e1" class="OCCURRENCE">posted</EVENT> a profit in <TIMEX3 tid="t1" type="DATE" value="2009-Q4">the fourth quarter</TIMEX3>, <TIMEX3 tid="t2" type="DATE" value="2010-01-26">Tuesday</TIMEX3>. Sales rose for <TIMEX3 tid="t3" type="DURATION" value="P3M">three months</TIMEX3> and will grow <TIMEX3 tid="t4" type="DATE" value="2010">this year</TIMEX3>, up from <TIMEX3 tid="t5" type="DATE" value="2008">2008</TIMEX3> levels. It is busy <TIMEX3 tid="t6" type="DATE" value="PRESENT_REF">now</TIMEX3>.
</TEXT>
</TimeML>
"""


def write(tmp_path, name="TEST-001.tml", text=TML):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reader_gives_plain_text_dct_and_dates_only(tmp_path):
    doc = read_timeml(write(tmp_path))
    assert doc.date == "2010-01-28"
    assert doc.text.startswith("\nFord & Co. posted a profit")
    assert "<" not in doc.text
    assert [(r["text"], r["value"]["timex"]) for r in doc.gold] == [
        ("the fourth quarter", "2009-Q4"), ("Tuesday", "2010-01-26"), ("this year", "2010"), ("2008", "2008"),
        ("now", "PRESENT_REF")]
    for record in doc.gold:
        assert doc.text[record["start"]:record["end"]] == record["text"]
        assert record["label"] == "DATE"


def test_load_gold_reads_a_directory_of_tml(tmp_path):
    write(tmp_path)
    gold = load_gold(tmp_path)
    assert list(gold) == ["TEST-001"] and len(gold["TEST-001"]) == 5
    assert load_gold(tmp_path / "TEST-001.tml") == gold


def test_eval_scores_tempeval_style(tmp_path):
    path = write(tmp_path)
    result = CliRunner().invoke(main, ["eval", str(path), "--gold", str(tmp_path), "--labels", "DATE", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["labels"]["DATE"]
    # found: the fourth quarter, Tuesday, this year, 2008 (not "now": PRESENT_REF is not reported)
    assert scores["gold"] == 5 and scores["predicted"] == 4
    assert scores["overlap_recall"] == 0.8 and scores["overlap_precision"] == 1.0  # relaxed
    assert scores["exact_recall"] == 0.8  # strict
    assert scores["value_accuracy"] == 1.0  # the TIMEX3 values, DCT-relative


def test_relaxed_but_not_strict_and_a_wrong_value(tmp_path):
    text = TML.replace('<TIMEX3 tid="t1" type="DATE" value="2009-Q4">the fourth quarter',
                       'the <TIMEX3 tid="t1" type="DATE" value="2008-Q4">fourth quarter')
    path = write(tmp_path, text=text)
    result = CliRunner().invoke(main, ["eval", str(path), "--gold", str(tmp_path), "--labels", "DATE", "--json"])
    scores = json.loads(result.output)["labels"]["DATE"]
    assert scores["overlap_recall"] == 0.8 and scores["exact_recall"] == 0.6
    assert scores["value_accuracy"] == 0.75
