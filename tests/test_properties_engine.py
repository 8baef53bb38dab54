"""Property tests of the engine: any text, any prefix, every entry point, the pattern language.

* arbitrary Unicode text (and news-like text full of rule triggers): no exception escapes
  ``extract``; every record's text is its slice of the document, and so is every argument's;
* a prefix ending with a line break shifts every span by exactly the prefix's length;
* output is sorted by (start, -end, label, rule id) and the same on every run;
* ``extract``, ``extract_many`` and the command line (``python -m ruleie extract -``) agree;
* pattern ASTs: ``parse(to_text(ast)) == ast`` for every AST the grammar can produce;
* the rule compiler, given any pattern string, compiles it or raises RuleError/RuleErrors
  whose every error has a location (file:line:col) inside the rule file; nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings, strategies as st

import ruleie
from ruleie import extractor as extractor_module, grammar, syntax
from ruleie.errors import RuleError, RuleErrors
from ruleie.events import Events
from ruleie.text import base_shadow
from ruleie.testing import (
    DEFAULT_DOC_DATE,
    dates,
    documents,
    filler_sentences,
    number_mentions,
    pattern_asts,
    pattern_texts,
    texts_matching,
)

from .conftest import ROOT
from .test_properties_rules import RULE_IDS

SLOW_DRAWS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

# Words, numbers and signs that set rules off, and characters that test the edges of the
# tokenizer and the shadow text (line and paragraph separators, private-use characters,
# combining marks, right-to-left text, a byte-order mark, NUL).
NEWS_TOKENS = [
    "ceasefire", "deal", "talks", "between", "and", "the", "government", "signed", "agreed", "with",
    "Hamas", "ISIS", "UN", "Nordvik", "Shipping", "AB", "Inc.", "Ministry", "of", "Trade", "Union",
    "Front", "Channel", "more", "than", "about", "up", "to", "from", "in", "since", "by", "half",
    "a", "third", "quarter", "Q3", "million", "billion", "thousand", "hundred", "two", "twenty-one",
    "250", "1,234.5", ".08", "2018", "2024-03-14", "$", "£", "€", "US$", "%", "percent", "per", "cent",
    "26", "July", "May", "March", "29", "February", "Monday", "last", "next", "week", "weekend",
    "yesterday", "mid-March", "700,000-strong", "15-year-old", "21st", "(", ")", ",", ".", "-", "–",
    "'s", "’s", "\n", "\r\n", "\u2029", "\u2028", "\x0b", "\U000f0001", "\ue000", "\u0301", "שלום",
    "\ufeff", "\x00", "İ", "ß", "ﬁ", "Ⅻ", "٣", "🙂",
]


@st.composite
def news_like(draw) -> str:
    words = draw(st.lists(st.sampled_from(NEWS_TOKENS), max_size=30))
    seps = [draw(st.sampled_from([" ", " ", "", "  ", ". ", ", ", "\n"])) for _ in words]
    return "".join(w + s for w, s in zip(words, seps))


def mentions_documents(extractor) -> st.SearchStrategy[str]:
    """Documents of generated matches of the bundled rules, numbers and dates, in filler."""
    samples = st.sampled_from(RULE_IDS).flatmap(lambda rule_id: texts_matching(rule_id, extractor))
    mentions = st.one_of(samples, number_mentions(), dates(DEFAULT_DOC_DATE))
    return documents(mentions, max_mentions=4).map(lambda d: d.text)


def any_text(extractor) -> st.SearchStrategy[str]:
    return st.one_of(st.text(), news_like(), mentions_documents(extractor))


def doc_dates() -> st.SearchStrategy[dt.date | None]:
    return st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))


def check_slices(text: str, records) -> None:
    for r in records:
        assert 0 <= r.start < r.end <= len(text), r
        assert r.text == text[r.start : r.end], r
        for name, arg in r.args.items():
            for item in arg if isinstance(arg, list) else [arg]:
                assert item["text"] == text[item["start"] : item["end"]], (name, item)
        json.dumps(r.to_dict(), ensure_ascii=False)  # the record is JSON


# ---------------------------------------------------------------------------------------
# Any text
# ---------------------------------------------------------------------------------------


@settings(suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_any_text_extracts_and_every_record_is_its_slice(bundled, data):
    text = data.draw(any_text(bundled), label="text")
    doc_date = data.draw(doc_dates(), label="doc_date")
    records = bundled.extract(text, doc_date=doc_date)
    check_slices(text, records)


@settings(suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_skipping_sentences_without_a_cue_changes_nothing(bundled, data):
    """The scanner tries a rule only where the rest of the sentence holds a cue of each set
    the rule needs (``Compiler.required``); trying every rule everywhere finds the same."""
    text = data.draw(any_text(bundled), label="text")
    filtered = [r.to_dict() for r in bundled.extract(text, doc_date=DEFAULT_DOC_DATE)]
    saved = [stage.rule_needs for stage in bundled.ruleset.stages]
    try:
        for stage in bundled.ruleset.stages:
            stage.rule_needs = tuple(() for _ in stage.rules)
        everywhere = [r.to_dict() for r in bundled.extract(text, doc_date=DEFAULT_DOC_DATE)]
    finally:
        for stage, needs in zip(bundled.ruleset.stages, saved):
            stage.rule_needs = needs
    assert filtered == everywhere


@settings(suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_a_prefilter_fails_only_where_its_rule_cannot_match(bundled, data):
    """Wherever a rule with a prefilter (``compile.prefilter_source``) matches, at any offset
    of the shadow, its prefilter matches too; and extracting with the prefilters finds what
    trying every rule at every anchor finds."""
    text = data.draw(any_text(bundled), label="text")
    shadow = base_shadow(text)
    for stage in bundled.ruleset.stages[:1]:  # later stages see mentions: covered below
        for rule, prefilter in zip(stage.rules, stage.prefilters):
            if prefilter is None:
                continue
            for pos in range(len(shadow) + 1):
                if rule.regex.match(shadow, pos):
                    assert prefilter.match(shadow, pos), (rule.id, pos)
    filtered = [r.to_dict() for r in bundled.extract(text, doc_date=DEFAULT_DOC_DATE)]
    saved = [stage.prefilters for stage in bundled.ruleset.stages]
    try:
        for stage in bundled.ruleset.stages:
            stage.prefilters = (None,) * len(stage.rules)
        everywhere = [r.to_dict() for r in bundled.extract(text, doc_date=DEFAULT_DOC_DATE)]
    finally:
        for stage, prefilters in zip(bundled.ruleset.stages, saved):
            stage.prefilters = prefilters
    assert filtered == everywhere


def _every_rule_everywhere(stage, shadow: str) -> list[tuple[str, int, int]]:
    """What scan finds, found without anchors, cues or prefilters: each rule's regex tried at
    every offset, its matches not overlapping one another."""
    found = []
    for rule in stage.rules:
        if rule.regex is None:
            continue
        free = 0
        for pos in range(len(shadow) + 1):
            m = rule.regex.match(shadow, pos) if pos >= free else None
            if m:
                found.append((rule.id, m.start(), m.end()))
                free = m.end()
    return sorted(found)


@settings(suppress_health_check=SLOW_DRAWS, max_examples=50)
@given(data=st.data())
def test_the_scan_finds_what_trying_every_rule_at_every_offset_finds(bundled, data):
    """Anchors (glued starts included), required cues and prefilters only skip tries that
    cannot match: every stage's candidates are those of the brute-force scan."""
    text = data.draw(any_text(bundled), label="text")
    seen = []
    real_scan = extractor_module.scan

    def recording(stage, shadow, *args, **kwargs):
        found = real_scan(stage, shadow, *args, **kwargs)
        seen.append((stage, shadow, found))
        return found

    with mock.patch.object(extractor_module, "scan", recording):
        bundled.extract(text, doc_date=DEFAULT_DOC_DATE)
    for stage, shadow, found in seen:
        scanned = sorted((c.rule.id, c.start, c.end) for c in found if c.rule.regex is not None)
        assert scanned == _every_rule_everywhere(stage, shadow), stage.number


@settings(suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_the_event_pass_changes_no_span_label_or_rule(bundled, data):
    """events.py adds parties, references, mediators and event ids; the mentions themselves
    (their spans, labels, rules and the rest of their values) are the stages' own."""
    text = data.draw(any_text(bundled), label="text")
    with mock.patch.object(Events, "annotate", lambda self, records, text, shadow=None: records):
        plain = [r.to_dict() for r in bundled.extract(text, doc_date=DEFAULT_DOC_DATE)]
    annotated = [r.to_dict() for r in bundled.extract(text, doc_date=DEFAULT_DOC_DATE)]
    assert len(plain) == len(annotated)
    for before, after in zip(plain, annotated):
        assert {k: v for k, v in after.items() if k not in ("value", "args")} == {k: v for k, v in before.items() if k not in ("value", "args")}
        assert {k: v for k, v in after["value"].items() if k != "event"} == before["value"]
        assert ("event" in after["value"]) == (after["label"] == "AGREEMENT")


def shifted(record: dict, offset: int) -> dict:
    out = dict(record, start=record["start"] + offset, end=record["end"] + offset)
    args = {}
    for name, arg in record["args"].items():
        items = [dict(item, start=item["start"] + offset, end=item["end"] + offset) for item in (arg if isinstance(arg, list) else [arg])]
        args[name] = items if isinstance(arg, list) else items[0]
    out["args"] = args
    return out


@settings(suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_a_prefix_shifts_every_span_by_its_length(bundled, data):
    """Text after a line break cannot see what comes before it, except through the
    document-wide things: the document date (fixed here), names that earlier ORG mentions
    introduce (so the prefix has none), and the agreement events (events.py, which reads the
    previous sentence for what "it" stands for and numbers events through the document: left
    out here, tested in tests/test_events.py)."""
    text = data.draw(any_text(bundled), label="text")
    prefix = data.draw(st.one_of(st.text(), news_like(), filler_sentences()), label="prefix")
    prefix += data.draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n"]), label="separator")
    assume(not any(r.label == "ORG" for r in bundled.extract(prefix, doc_date=DEFAULT_DOC_DATE)))
    with mock.patch.object(Events, "annotate", lambda self, records, text, shadow=None: records):
        alone = [r.to_dict() for r in bundled.extract(text, doc_date=DEFAULT_DOC_DATE)]
        combined = [r.to_dict() for r in bundled.extract(prefix + text, doc_date=DEFAULT_DOC_DATE)]
    assert all(r["end"] <= len(prefix) for r in combined if r["start"] < len(prefix)), "a record crosses the line break"
    assert [r for r in combined if r["start"] >= len(prefix)] == [shifted(r, len(prefix)) for r in alone]


@settings(suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_output_is_sorted_and_deterministic(bundled, data):
    text = data.draw(any_text(bundled), label="text")
    doc_date = data.draw(doc_dates(), label="doc_date")
    first = bundled.extract(text, doc_date=doc_date)
    keys = [(r.start, -r.end, r.label, r.rule_id) for r in first]
    assert keys == sorted(keys)
    again = bundled.extract(text, doc_date=doc_date)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in first]


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------


@settings(suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_extract_many_is_extract_of_each(bundled, data):
    texts = data.draw(st.lists(any_text(bundled), min_size=1, max_size=3), label="texts")
    doc_date = data.draw(doc_dates(), label="doc_date")
    documents_ = [{"id": f"d{i}", "text": t, "date": doc_date} for i, t in enumerate(texts)]
    many = [r.to_dict() for r in bundled.extract_many(documents_)]
    each = [r.to_dict() for i, t in enumerate(texts) for r in bundled.extract(t, f"d{i}", doc_date)]
    assert many == each
    pairs = [r.to_dict() for r in bundled.extract_many([(f"d{i}", t) for i, t in enumerate(texts)])]
    assert pairs == [r.to_dict() for i, t in enumerate(texts) for r in bundled.extract(t, f"d{i}")]


def cli_safe(text: str) -> bool:
    """Texts the command line reads back unchanged: no NUL (a binary file) and no leading
    byte-order mark (dropped on decoding), as inputs.py documents."""
    return "\x00" not in text and not text.startswith("\ufeff")


CORPUS_DOCUMENT = sorted((ROOT / "corpus").glob("*.txt"))[0]


# No shrinking: every step would start another process (tens of seconds each).
@settings(max_examples=1, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=SLOW_DRAWS)
@given(data=st.data())
def test_cli_agrees_with_extract(bundled, data, tmp_path_factory):
    """``python -m ruleie extract - docs.jsonl``, one process (each loads the packs, which
    takes seconds): a generated document on standard input, and a JSONL file of a few more
    generated ones and a corpus document, writes exactly the records ``extract`` gives, in
    the same order."""
    texts = data.draw(st.lists(any_text(bundled).filter(cli_safe), min_size=3, max_size=5)
                      .filter(lambda ts: sum(len(t) for t in ts) > 40), label="texts")
    texts.append(CORPUS_DOCUMENT.read_text("utf-8"))
    folder = tmp_path_factory.mktemp("cli")
    batch = folder / "docs.jsonl"
    batch.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts[1:])), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "ruleie", "extract", "-", str(batch), "--doc-date", DEFAULT_DOC_DATE.isoformat()],
        input=texts[0].encode("utf-8"), capture_output=True, cwd=ROOT, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")},
    )
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    got = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    want = [r.to_dict() for r in bundled.extract(texts[0], "-", DEFAULT_DOC_DATE)]
    want += [r.to_dict() for i, t in enumerate(texts[1:]) for r in bundled.extract(t, f"d{i}", DEFAULT_DOC_DATE)]
    differ = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    assert got == want, (
        f"{len(got)} records from the command line, {len(want)} from extract; first difference at {differ}:\n"
        f"  cli:     {got[differ] if differ < len(got) else None}\n  extract: {want[differ] if differ < len(want) else None}"
    )


# ---------------------------------------------------------------------------------------
# The pattern language
# ---------------------------------------------------------------------------------------


@settings(suppress_health_check=SLOW_DRAWS)
@given(pattern_asts())
def test_parse_of_to_text_is_identity(ast):
    """syntax.py promises ``grammar.parse(to_text(node)) == node`` for every node the grammar
    produces; pattern_asts draws exactly those (sequences flattened, alternations flattened,
    quantifier bounds as a quantifier can say them, any group contents)."""
    text = syntax.to_text(ast)
    assert grammar.parse(text) == ast, text


@settings(suppress_health_check=SLOW_DRAWS)
@given(pattern_asts())
def test_an_ast_survives_the_build_cache(ast):
    """The build cache keeps a parsed pattern as ``syntax.to_data`` through ``marshal``;
    ``from_data`` gives back the same node, offsets (``pos``, which equality ignores) included."""
    parsed = grammar.parse(syntax.to_text(ast))
    data = marshal.loads(marshal.dumps(syntax.to_data(parsed)))
    assert syntax.from_data(data) == parsed
    assert syntax.to_data(syntax.from_data(data)) == syntax.to_data(parsed)  # positions too


# A rule file for the compiler: a lexicon, a macro and an ORG rule of stage 1 that the
# pattern under test (a stage-2 rule) may refer to.
RULE_FILE = """\
ruleset: fuzz
lexicons:
  lex: [alpha, beta gamma]
macros:
  mac: (one | two) three?
rules:
  - id: fuzz.org
    label: ORG
    pattern: =Acme
  - id: fuzz.rule
    label: FUZZ
    stage: 2
    pattern: {pattern}
"""


PATTERN_LINE = RULE_FILE.count("\n")  # the pattern is the file's last line


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")
_UNKNOWN_NAME = re.compile(r"unknown (?:lexicon|macro) '([$@][^']*)'")


@settings(suppress_health_check=SLOW_DRAWS)
@given(st.one_of(pattern_texts(lexicons=["lex", "nolex"], macros=["mac", "nomac"], labels=["ORG", "NOLABEL"]), st.text()))
def test_compiler_compiles_or_reports_a_located_rule_error(fuzz_dir, pattern):
    """Every error points into the pattern: its line, a column within the pattern's scalar;
    and an unknown ``$name``/``@name`` exactly at the name."""
    path = fuzz_dir / "fuzz.yml"
    scalar = yaml.safe_dump(pattern, default_style='"', allow_unicode=False, width=10**6).rstrip("\n")
    if scalar.endswith("..."):  # a document end marker after a plain scalar
        scalar = scalar[:-3].rstrip()
    source = RULE_FILE.format(pattern=scalar)
    path.write_text(source, encoding="utf-8")
    line = source.splitlines()[PATTERN_LINE - 1]
    first_col = line.index(scalar) + 1
    try:
        extractor = ruleie.load(path)
    except RuleErrors as exc:
        errors = exc.errors
    except RuleError as exc:
        errors = [exc]
    else:
        extractor.extract("Acme said one three alpha beta gamma.", doc_date=DEFAULT_DOC_DATE)
        return
    assert errors
    for error in errors:
        where = error.location
        assert where is not None, f"no location: {error.message}"
        assert str(error).startswith(f"{path}:{where.line}:{where.col}: "), str(error)
        assert where.file == str(path) and where.line == PATTERN_LINE, f"{where} is not the pattern's line: {error.message}"
        assert first_col <= where.col <= len(line) + 1, f"column {where.col} is outside the pattern {scalar}: {error.message}"
        name = _UNKNOWN_NAME.match(error.message)
        if name:
            assert line[where.col - 1 :].startswith(name.group(1)), (
                f"{error.message} at column {where.col}, which is {line[where.col - 1:where.col + 20]!r} of {line!r}"
            )


# ---------------------------------------------------------------------------------------
# Bugs the properties above found, each as its smallest input. They fail until the grammar
# or the printer is fixed; the properties find them again if they come back.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", ["x:(y:a)", "x:((?=a))", "((?=a))?"])
def test_bug_to_text_of_a_group_the_grammar_produces(pattern):
    """The grammar accepts a capture or look-around as the whole content of a group, and
    gives Capture(Capture), Capture(Look), Repeat(Look); to_text prints them without the
    group ("x:y:a", "x:(?=a)", "(?=a)?"), which does not parse. Found by
    test_parse_of_to_text_is_identity."""
    ast = grammar.parse(pattern)
    assert grammar.parse(syntax.to_text(ast)) == ast, syntax.to_text(ast)


@pytest.mark.parametrize("pattern", [r'"a\tb"', r'"a\nb"', r'"a\rb"'])
def test_bug_to_text_of_an_escaped_control_character(pattern):
    """A quoted literal's escapes \\t, \\n, \\r give a Literal holding a tab, line break or
    carriage return; to_text prints the character itself, which the grammar then reads as
    spaces (a tab) or cannot read at all (a line break ends the string). Found by
    test_parse_of_to_text_is_identity."""
    ast = grammar.parse(pattern)
    assert grammar.parse(syntax.to_text(ast)) == ast, syntax.to_text(ast)


def test_bug_tabs_in_a_pattern_are_kept_and_located():
    """pyparsing expands tabs to spaces before parsing (parse_string without
    parse_with_tabs), so a tab inside a /regex/ becomes eight spaces (another regex), and
    every position after a tab is off: errors point past their place. Found by
    test_compiler_compiles_or_reports_a_located_rule_error ('$lex\\t$nolex': the unknown
    lexicon is reported at the closing quote)."""
    assert grammar.parse("/a\tb/") == syntax.TokenRegex("a\tb")
    with pytest.raises(grammar.PatternSyntaxError) as error:
        grammar.parse("a\t)")
    assert (error.value.pos, error.value.message) == (2, "unexpected ')': no group is open here")
