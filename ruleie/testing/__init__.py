"""Hypothesis strategies for testing rules and rule packs (docs/testing.md).

* ``texts_matching(rule, extractor)``: texts a rule must match, generated from its pattern,
  as :class:`Sample` (text, expected span, expected capture spans);
* ``documents(mentions)``: documents that embed generated mentions among filler sentences;
* ``dates(doc_date)``: date mentions and their DATE value relative to a document date;
* ``number_mentions()`` / ``pack_number_mentions()``: number mentions and their NUMBER value;
* ``pattern_asts()`` / ``pattern_texts()``: pattern ASTs and pattern strings, for testing the
  pattern language itself;
* ``filler_words()`` / ``filler_sentences()``: neutral text that no bundled rule matches.
"""

from .dates import DATE_FORMS, DateMention, dates, expected_date
from .documents import Document, Placed, documents, embed
from .filler import FILLER_WORDS, SEPARATORS, filler_sentences, filler_words
from .numbers import (
    FORMS as NUMBER_FORMS,
    expected_value,
    number_mentions,
    number_words,
    ordinal_words,
    pack_number_mentions,
)
from .patterns import (
    DEFAULT_DOC_DATE,
    GeneratorMismatch,
    Sample,
    Unsupported,
    rule_scope,
    stage_shadow,
    texts_matching,
    token_strategy,
    visible_mentions,
)
from .syntax import pattern_asts, pattern_texts

__all__ = [
    "DATE_FORMS",
    "DEFAULT_DOC_DATE",
    "DateMention",
    "Document",
    "FILLER_WORDS",
    "GeneratorMismatch",
    "NUMBER_FORMS",
    "Placed",
    "SEPARATORS",
    "Sample",
    "Unsupported",
    "dates",
    "documents",
    "embed",
    "expected_date",
    "expected_value",
    "filler_sentences",
    "filler_words",
    "number_mentions",
    "number_words",
    "ordinal_words",
    "pack_number_mentions",
    "pattern_asts",
    "pattern_texts",
    "rule_scope",
    "stage_shadow",
    "texts_matching",
    "token_strategy",
    "visible_mentions",
]
