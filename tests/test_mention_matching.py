"""``lexicon.exact_matches``: a document's lexicon of mentions is searched without compiling
its trie, and finds exactly what the compiled trie finds."""

from __future__ import annotations

import regex
from hypothesis import given, strategies as st

from ruleie.lexicon import Entry, Lexicon, exact_matches
from ruleie.text import BOUNDARY, NOT_INSIDE_WORD

WORDS = ["Harwick", "Mining", "Harwick Mining", "PLC", "Corp.", "A&B", "O'Neil", "O’Neil", "U.S.", "Co", "x-ray",
         "X‐Ray", "NVLF", "Lines", "s", "(", ")", ",", "_", "Ab_", "\U000f0001"]
_forms = st.lists(st.sampled_from(WORDS[:-1]), min_size=1, max_size=3).map(" ".join).filter(lambda f: f[0].isupper())
_gaps = st.sampled_from([" ", "  ", "", "\t", "\u00a0", BOUNDARY, "\n", "-"])


def _regex_spans(lexicon: Lexicon, text: str) -> list[tuple[int, int]]:
    pattern = regex.compile(NOT_INSIDE_WORD + lexicon.source + NOT_INSIDE_WORD)
    return [m.span() for m in pattern.finditer(text)]


@given(st.lists(_forms, min_size=1, max_size=8, unique=True), st.lists(st.tuples(st.sampled_from(WORDS), _gaps), max_size=25))
def test_the_search_finds_what_the_compiled_trie_finds(forms, pieces):
    lexicon = Lexicon("mentions", [Entry(form) for form in forms], "sensitive")
    text = "".join(word + gap for word, gap in pieces)
    assert exact_matches(lexicon, text) == _regex_spans(lexicon, text)


def test_the_longest_form_wins_and_matches_do_not_overlap():
    lexicon = Lexicon("mentions", [Entry("Harwick"), Entry("Harwick Mining"), Entry("Mining Lines")], "sensitive")
    text = "Harwick  Mining Lines, Harwicks and Harwick\u2029Mining."
    assert exact_matches(lexicon, text) == [(0, 15), (36, 43)] == _regex_spans(lexicon, text)


def test_a_lexicon_with_a_case_insensitive_form_is_left_to_the_regex():
    assert exact_matches(Lexicon("lex", [Entry("Harwick")], "smart"), "harwick") is None


def test_a_space_next_to_punctuation_may_be_left_out_but_not_inside_a_word():
    lexicon = Lexicon("mentions", [Entry("Corp. Lines"), Entry("Ab_ Co")], "sensitive")
    text = "Corp.Lines, Ab_Co and Ab_ Co"
    assert exact_matches(lexicon, text) == [(0, 10), (22, 28)] == _regex_spans(lexicon, text)


def test_a_long_document_with_many_forms_is_left_to_the_regex():
    many = Lexicon("mentions", [Entry(f"Company{n} Ltd") for n in range(65)], "sensitive")
    assert exact_matches(many, "Company3 Ltd") is None
    assert exact_matches(Lexicon("mentions", many.entries[:64], "sensitive"), "Company3 Ltd") == [(0, 12)]
