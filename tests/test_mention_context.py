"""Rules over a lexicon built from earlier mentions, with look-arounds and ``not_in``: a match
is one of the bare rule's matches that its context allows, and never an entry of a ``not_in``
lexicon."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, strategies as st

import ruleie

STAGE_ONE = """\
lexicons:
  places: {case: sensitive, entries: [Lisbon, Porto]}
  earlier:
    from_mentions: ORG
    %s
rules:
  - id: company
    label: ORG
    pattern: (Lisbon | Porto | Harwick) (Air | Mining)? Inc.
    value: {fn: org}
  - id: later
    label: ORG
    stage: 2
    pattern: %s
    value: {name: {capture: _org, field: name}}
"""
WORDS = ["Lisbon", "Porto", "Harwick", "Air", "Mining", "Inc.", "the", "The", "brand", "said", "and", ","]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_a_match_is_a_bare_match_that_its_context_allows(tmp_path_factory, words):
    folder = tmp_path_factory.mktemp("rules")
    bare, framed = folder / "bare.yml", folder / "framed.yml"
    bare.write_text(STAGE_ONE % ("", "_org:$earlier"), "utf-8")
    framed.write_text(STAGE_ONE % ("not_in: [places]", "(?<! the) _org:$earlier (?! brand)"), "utf-8")
    text = " ".join(words)
    spans = lambda path: [(r.start, r.end) for r in ruleie.load(path).extract(text) if r.rule_id == "later"]  # noqa: E731
    allowed = [
        (start, end) for start, end in spans(bare)
        if not regex.search(r"(?i)(?<!\w)the\s*$", text[:start])
        and not regex.match(r"\s*brand(?!\w)", text[end:])
        and text[start:end] not in ("Lisbon", "Porto")
    ]
    assert spans(framed) == allowed


@pytest.mark.parametrize("lexicon_spec, pattern, message", [
    ("not_in: [nowhere]", "_org:$earlier", r"not_in.*nowhere"),         # not_in names no lexicon this file sees
    ("", "(?= Air) _org:$earlier", "look-behinds go before it"),      # a look-ahead before the lexicon
], ids=["unknown not_in lexicon", "look-ahead before the lexicon"])
def test_a_mention_lexicon_rule_with_a_bad_context_is_refused(tmp_path, lexicon_spec, pattern, message):
    path = tmp_path / "bad.yml"
    path.write_text(STAGE_ONE % (lexicon_spec, pattern), "utf-8")
    with pytest.raises(ruleie.RuleieError, match=message):
        ruleie.load(path)
