"""The spaCy comparison: ``blank("en")`` plus an EntityRuler doing roughly what the bundled
packs do, so the two throughputs answer "what would the usual tool cost here?".

* ORG: the gazetteer's surface forms (names and aliases) as phrase patterns, matched on
  ORTH (as written; ruleie's gazetteer is case-smart, a little more work).
* NUMBER, MONEY, PERCENT, DATE: a few token patterns (numbers with scales, currency before
  or after, percent words, day-month-year, month-day-year, weekdays).

Far less than the packs do (no ranges, qualifiers, agreements, values, later mentions);
the ratio is a floor on what spaCy would cost for the same job.
"""

from __future__ import annotations

from . import vocab as v

SCALES = ["hundred", "thousand", "million", "billion", "trillion", "bn", "m"]
CURRENCY_WORDS = ["dollars", "euros", "pounds", "crowns", "francs", "yen", "rupees", "usd", "eur", "gbp", "sek"]


def token_patterns() -> list[dict]:
    months = [m.lower() for m in v.MONTHS]
    weekdays = [d.lower() for d in v.WEEKDAYS]
    number = {"LIKE_NUM": True}
    scale = {"LOWER": {"IN": SCALES}, "OP": "?"}
    day = {"SHAPE": {"IN": ["d", "dd"]}}
    year = {"SHAPE": "dddd"}
    return [
        {"label": "MONEY", "pattern": [{"IS_CURRENCY": True}, number, scale]},
        {"label": "MONEY", "pattern": [number, scale, {"LOWER": {"IN": CURRENCY_WORDS}}]},
        {"label": "PERCENT", "pattern": [number, {"LOWER": {"IN": ["%", "percent", "pc"]}}]},
        {"label": "PERCENT", "pattern": [number, {"LOWER": "per"}, {"LOWER": "cent"}]},
        {"label": "NUMBER", "pattern": [number, scale]},
        {"label": "DATE", "pattern": [day, {"LOWER": {"IN": months}}, {**year, "OP": "?"}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": months}}, day, {"ORTH": ",", "OP": "?"}, {**year, "OP": "?"}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["last", "next", "this"]}, "OP": "?"}, {"LOWER": {"IN": weekdays}}]},
    ]


def build():
    """The pipeline, and how many patterns it holds."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "validate": False})
    phrases = [{"label": "ORG", "pattern": form} for form in dict.fromkeys(v.surface_forms())]
    patterns = phrases + token_patterns()
    ruler.add_patterns(patterns)
    return nlp, len(patterns)
