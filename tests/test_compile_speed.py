"""What the compiler does for speed, and that it changes nothing matched: ``to_regex``
shares a lexicon's whitespace runs; ``literal_starts`` and ``Compiler.required`` give the
cues a sentence must hold for a rule to be tried there."""

from __future__ import annotations

import regex
from hypothesis import given, strategies as st

import ruleie
from ruleie.compile import Cue, literal_starts, to_regex
from ruleie.lexicon import Entry, Lexicon
from ruleie.text import NOT_INSIDE_WORD, SPACE

WORDS = ["Bank", "of", "New", "york", "Co.", "A&B", "O'Neil", "U.N.", "x-ray", "Ltd"]
_forms = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
_gaps = st.sampled_from([" ", "  ", "\t", " \u00a0", "\u2029", ""])


@given(st.lists(_forms, min_size=1, max_size=12, unique=True), st.lists(st.tuples(st.sampled_from(WORDS), _gaps), max_size=20),
       st.sampled_from(["smart", "insensitive", "sensitive"]))
def test_a_shared_lexicon_matches_exactly_what_the_plain_one_does(forms, pieces, case):
    source = NOT_INSIDE_WORD + Lexicon("lex", [Entry(f) for f in forms], case).source + NOT_INSIDE_WORD
    text = "".join(word + gap for word, gap in pieces)
    shared, plain = to_regex(source), regex.compile(source)
    assert [m.span() for m in shared.finditer(text, overlapped=True)] == [m.span() for m in plain.finditer(text, overlapped=True)]


def test_a_lexicon_of_multi_word_names_calls_one_whitespace_run():
    source = Lexicon("lex", [Entry("Bank of England"), Entry("Bank of Japan"), Entry("Reserve Bank of India")]).source
    pattern = to_regex(source).pattern
    assert SPACE not in pattern.split("(?(DEFINE)")[0]
    assert pattern.count("(?&_space)") == 5 and pattern.endswith(f"(?(DEFINE)(?P<_space>{SPACE}))")
    assert to_regex(source).match("bank\t of  japan").group() == "bank\t of  japan"


def test_a_pattern_with_other_repeats_is_compiled_as_written():
    source = f"(?:a{SPACE}b)+"
    assert to_regex(source).pattern == source


def test_runs_in_a_look_behind_are_kept_and_still_hold():
    source = f"(?<=after{SPACE})word{SPACE}here"
    pattern = to_regex(source)
    assert pattern.pattern.startswith(f"(?<=after{SPACE})word(?&_space)here(?(DEFINE)")
    assert pattern.search("after   word  here").span() == (8, 18)
    assert pattern.search("afterword here") is None


def test_runs_that_are_escaped_or_in_a_class_are_not_runs():
    for source in (rf"\[^\S{SPACE[5:]}", f"[{SPACE}]x"):
        assert "(?&_space)" not in to_regex(source).pattern


def test_literal_starts_of_a_regex_are_the_literal_text_each_branch_begins_with():
    assert literal_starts("pc|pct") == {"pc", "pct"}
    assert literal_starts(r"%(?![\p{L}\p{N}])") == {"%"}
    assert literal_starts("percentage[-‐]points?") == {"percentage"}
    assert literal_starts("an?|ab+c|ab{2}") == {"a", "ab"}
    for pattern in (r"[ap]\.m\.", "(?:a|b)", "x|", r"\$5", r"\d+"):
        assert literal_starts(pattern) is None


def test_cues_of_glued_words_and_regexes_are_substrings(write_rules):
    extractor = ruleie.load(write_rules("""
ruleset: cues
rules:
  - id: test.pct
    label: PCT
    pattern: (/\\d+/ ~ /pc|pct/i | /\\d+/ ~ "%" | /\\d+/ percent)
"""))
    (rule,) = extractor.rules
    assert rule.required == (frozenset({Cue("pc", False), Cue("pct", False), Cue("%", False), Cue("percent")}),)
    text = "Up 5PCT. Up 6%. Up 7 percent. Up 8 points, 9 per cent."
    assert [e.text for e in extractor.extract(text)] == ["5PCT", "6%", "7 percent"]


def test_a_lone_letter_or_a_word_with_i_gives_no_substring_cue(write_rules):
    extractor = ruleie.load(write_rules("""
ruleset: cues
rules:
  - id: test.glued
    label: G
    pattern: (/\\d+/ ~ m | /\\d+/ ~ in)
"""))
    assert extractor.rules[0].required == ()
    assert [e.text for e in extractor.extract("5m and 6in")] == ["5m", "6in"]


def test_a_regex_is_bounded_unless_a_group_repeats_without_a_separator_first():
    from ruleie.compile import _regex_is_bounded

    for unsafe in ("(a+)+", r"(\w+\s?)*", "(a|aa)+", r"(?:[\]a]+)+", r"(?:x[,])+"):
        assert not _regex_is_bounded(unsafe), unsafe
    for safe in (r"(?:,\d{3})+", r"(?:[,]\d{3})+", r"\d+(?:\.\d+)?", r"(?:\s\w+){1,3}", r"[(]+"):
        assert _regex_is_bounded(safe), safe


def test_a_positive_look_ahead_gives_cues_and_other_look_arounds_do_not(write_rules):
    extractor = ruleie.load(write_rules("""
ruleset: cues
rules:
  - id: test.ahead
    label: A
    pattern: /\\p{Lu}\\w+/ (?= spokesman | "'s" chief) (?! said) (?<! the)
"""))
    (rule,) = extractor.rules
    assert rule.required == (frozenset({Cue("spokesman"), Cue("chief")}),)  # of "'s chief", the longer
    text = "A Vantora spokesman said so. Heskin's chief left. Dacia rose. The Fiat spokesman."
    assert [e.text for e in extractor.extract(text)] == ["Vantora", "Heskin", "Fiat"]


def test_the_prefix_of_a_pattern_stops_after_a_repetition_and_drops_look_arounds(write_rules):
    from ruleie import syntax
    from ruleie.compile import prefix_node

    extractor = ruleie.load(write_rules("""
ruleset: prefix
rules:
  - id: test.prefix
    label: P
    pattern: (?<! not) about? (x | y z){1,5} w v (?= u)
  - id: test.optional
    label: P
    pattern: (?<= a) b c (?= d) e f
  - id: test.few
    label: P
    pattern: about? (x | y z){1,2} w v
"""))
    first, second, few = extractor.rules
    macro = lambda ref: first.compiler().macro(ref).ast  # noqa: E731
    prefix, whole = prefix_node(first.ast, 2, macro)
    assert syntax.to_text(prefix) == "about? (x | y z){1}" and not whole  # the next x or w is not known
    prefix, whole = prefix_node(few.ast, 2, macro)
    assert syntax.to_text(prefix) == "about? (x | y z){1,2} w" and not whole  # a few: kept whole
    prefix, whole = prefix_node(second.ast, 2, macro)
    assert syntax.to_text(prefix) == "b c" and not whole
    prefix, whole = prefix_node(second.ast, 9, macro)
    assert syntax.to_text(prefix) == "b c e f" and whole


def test_a_start_glued_to_a_sign_is_scanned_with_it(write_rules):
    extractor = ruleie.load(write_rules("""
ruleset: glued
rules:
  - id: test.glued
    label: G
    pattern: /\\p{Ll}+/ ~ "-" backed deal
"""))
    (rule,) = extractor.rules
    (start,) = rule.anchors.opaque
    assert start.startswith("(?:\\p{Ll}+)") and regex.match(start, "state-") and not regex.match(start, "state ")
    text = "a state-backed deal, a state backed deal and a well-backed deal"
    assert [e.text for e in extractor.extract(text)] == ["state-backed deal", "well-backed deal"]
