"""Tests of the number normalizer (ruleie.normalize.numbers.parse_number)."""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings

from ruleie.normalize.numbers import parse_number

from ..conftest import conformance_suite
from ruleie.testing.numbers import number_mentions, number_words, ordinal_words


def v(value, kind="cardinal", qualifier=None, **extra):
    return {"value": value, "kind": kind, "qualifier": qualifier, **extra}


def r(low, high, kind="cardinal", qualifier=None, **extra):
    return {"low": low, "high": high, "kind": kind, "qualifier": qualifier, **extra}


CASES = [
    # digits
    ("1,234,567", v(1234567)),
    ("3.75", v(3.75)),
    (".08", v(0.08)),
    ("1 000 000", v(1000000)),
    ("1\u202f000\u202f000", v(1000000)),
    ("1\u2009000", v(1000)),
    ("1\u00a0234\u00a0567.89", v(1234567.89)),
    ("-5", v(-5)),
    ("\u22125", v(-5)),
    ("minus 5", v(-5)),
    ("4.800", v(4.8)),
    ("12,34,567.89", v(1234567.89)),
    ("5.00", v(5)),
    # words
    ("Thirty", v(30)),
    ("eighty-five", v(85)),
    ("eighty five", v(85)),
    ("two hundred and fifty", v(250)),
    ("twenty-nine", v(29)),
    ("a hundred", v(100)),
    ("one thousand two hundred", v(1200)),
    ("a dozen", v(12)),
    ("half a dozen", v(6)),
    ("zero", v(0)),
    ("ninety-five hundred", v(9500)),
    ("two hundred and two thousand", v(202000)),
    ("twenty-one trillion and three hundred", v(21000000000300)),
    ("two hundred point zero three", v(200.03)),
    # scales
    ("1.2 million", v(1200000)),
    ("$3bn", v(3000000000, "money", currency="USD")),
    ("100K", v(100000)),
    ("3.5m", v(3500000)),
    ("2.4 billion", v(2400000000)),
    ("five million", v(5000000)),
    ("1.5 trillion", v(1500000000000)),
    ("half a million", v(500000)),
    ("a quarter of a million", v(250000)),
    ("five and a half million", v(5500000)),
    ("a million and a half", v(1500000)),
    ("two thirds of a million", v(2000000 / 3)),
    ("13 lakh", v(1300000)),
    ("Rs 5 crore", v(50000000, "money", currency="INR")),
    # fractions
    ("half", v(0.5, "fraction")),
    ("a half", v(0.5, "fraction")),
    ("three quarters", v(0.75, "fraction")),
    ("two thirds", v(2 / 3, "fraction")),
    ("two-thirds", v(2 / 3, "fraction")),
    ("one quarter", v(0.25, "fraction")),
    ("a third", v(1 / 3, "fraction")),
    ("1/2", v(0.5, "fraction")),
    ("3 1/2", v(3.5, "fraction")),
    ("3½", v(3.5, "fraction")),
    ("one and a half", v(1.5, "fraction")),
    ("one in five", v(0.2, "fraction")),
    ("a hundredth", v(0.01, "fraction")),
    # percents
    ("27%", v(27, "percent")),
    ("32 percent", v(32, "percent")),
    ("90 per cent", v(90, "percent")),
    ("27 pc", v(27, "percent")),
    ("27pc", v(27, "percent")),
    ("3.5 percentage points", v(3.5, "percent")),
    ("4.5 pct", v(4.5, "percent")),
    ("minus five percent", v(-5, "percent")),
    ("half a percent", v(0.5, "percent")),
    # money
    ("$38.50", v(38.5, "money", currency="USD")),
    ("US$5 million", v(5000000, "money", currency="USD")),
    ("U.S. $5 million", v(5000000, "money", currency="USD")),
    ("£150 million", v(150000000, "money", currency="GBP")),
    ("€2.3bn", v(2300000000, "money", currency="EUR")),
    ("15 euros", v(15, "money", currency="EUR")),
    ("4.1 billion Swedish crowns", v(4100000000, "money", currency="SEK")),
    ("USD 5 million", v(5000000, "money", currency="USD")),
    ("5 million dollars", v(5000000, "money", currency="USD")),
    ("Rs 500", v(500, "money", currency="INR")),
    ("Rs.500", v(500, "money", currency="INR")),
    ("¥3,000", v(3000, "money", currency="JPY")),
    ("3 million yuan", v(3000000, "money", currency="CNY")),
    ("200 rupees", v(200, "money", currency="INR")),
    ("A$5", v(5, "money", currency="AUD")),
    ("C$1.2 billion", v(1200000000, "money", currency="CAD")),
    ("HK$10", v(10, "money", currency="HKD")),
    ("R50 million", v(50000000, "money", currency="ZAR")),
    ("100 Egyptian pounds", v(100, "money", currency="EGP")),
    ("2 million Kenyan shillings", v(2000000, "money", currency="KES")),
    ("20 billion francs", v(20000000000, "money")),
    ("50 cents", v(0.5, "money", currency="USD")),
    ("50p", v(0.5, "money", currency="GBP")),
    ("12-cent", v(0.12, "money", currency="USD")),
    ("3 dollars 50 cents", v(3.5, "money", currency="USD")),
    ("$ 10 dollars", v(10, "money", currency="USD")),
    ("30 MSEK", v(30000000, "money", currency="SEK")),
    ("billions of dollars", v(1000000000, "money", "ge", currency="USD")),
    # ordinals
    ("third", v(3, "ordinal")),
    ("twenty-first", v(21, "ordinal")),
    ("1st", v(1, "ordinal")),
    ("22nd", v(22, "ordinal")),
    ("103rd", v(103, "ordinal")),
    ("hundredth", v(100, "ordinal")),
    ("two hundredth", v(200, "ordinal")),
    ("one hundred twenty-fifth", v(125, "ordinal")),
    # ranges
    ("20-30", r(20, 30)),
    ("20–30", r(20, 30)),
    ("20 to 30", r(20, 30)),
    ("between $500 million and $700 million", r(500000000, 700000000, "money", currency="USD")),
    ("from 5 to 7", r(5, 7)),
    ("$5-6 billion", r(5000000000, 6000000000, "money", currency="USD")),
    ("5-6 billion euros", r(5000000000, 6000000000, "money", currency="EUR")),
    ("between 20 and 30 percent", r(20, 30, "percent")),
    ("20%-30%", r(20, 30, "percent")),
    ("between 500,000 and 1 million", r(500000, 1000000)),
    ("between two hundred and fifty and three hundred", r(250, 300)),
    ("two or three", r(2, 3)),
    ("five to six", r(5, 6)),
    ("about 20-30", r(20, 30, qualifier="approx")),
    ("more than $5-6 billion", r(5000000000, 6000000000, "money", "gt", currency="USD")),
    ("20-30-year-old", r(20, 30, modifier="year-old")),
    # qualifiers
    ("More than 250", v(250, qualifier="gt")),
    ("over 5", v(5, qualifier="gt")),
    ("above 5", v(5, qualifier="gt")),
    ("upwards of 5", v(5, qualifier="gt")),
    ("at least 5", v(5, qualifier="ge")),
    ("no fewer than 5", v(5, qualifier="ge")),
    ("a minimum of 5", v(5, qualifier="ge")),
    ("less than 5", v(5, qualifier="lt")),
    ("fewer than 5", v(5, qualifier="lt")),
    ("under 5", v(5, qualifier="lt")),
    ("below 5", v(5, qualifier="lt")),
    ("nearly half", v(0.5, "fraction", "lt")),
    ("almost 5", v(5, qualifier="lt")),
    ("just under 5", v(5, qualifier="lt")),
    ("up to 5", v(5, qualifier="le")),
    ("at most 5", v(5, qualifier="le")),
    ("no more than 5", v(5, qualifier="le")),
    ("a maximum of 5", v(5, qualifier="le")),
    ("about $2.4 billion", v(2400000000, "money", "approx", currency="USD")),
    ("around 5", v(5, qualifier="approx")),
    ("some 300", v(300, qualifier="approx")),
    ("roughly 5", v(5, qualifier="approx")),
    ("approximately 5", v(5, qualifier="approx")),
    ("an estimated 5", v(5, qualifier="approx")),
    ("estimated 5", v(5, qualifier="approx")),
    ("close to 5", v(5, qualifier="approx")),
    ("20 or more", v(20, qualifier="ge")),
    ("30-odd", v(30, qualifier="approx")),
    ("50-plus", v(50, qualifier="ge")),
    ("more than a dozen", v(12, qualifier="gt")),
    # vague
    ("Hundreds", v(100, "vague", "ge")),
    ("dozens", v(12, "vague", "ge")),
    ("thousands", v(1000, "vague", "ge")),
    ("tens of thousands", v(10000, "vague", "ge")),
    ("hundreds of thousands", v(100000, "vague", "ge")),
    ("millions", v(1000000, "vague", "ge")),
    ("scores", v(20, "vague", "ge")),
    ("several hundred", v(100, "vague", "ge")),
    ("a few thousand", v(1000, "vague", "ge")),
    # compounds
    ("700,000-strong", v(700000, modifier="strong")),
    ("15-year", v(15, modifier="year")),
    ("15-year-old", v(15, modifier="year-old")),
    ("3,000-strong", v(3000, modifier="strong")),
    ("twenty-nine-year-old", v(29, modifier="year-old")),
    ("fourth-largest", v(4, "ordinal", modifier="largest")),
    # set phrases (the rules find them before "of" or a scale)
    ("a couple", v(2, qualifier="approx")),
    ("a pair", v(2)),
    ("a score", v(20)),
    ("a couple hundred", v(200, qualifier="approx")),
    # negated bounds keep their "not"
    ("not less than 25%", v(25, "percent", "ge")),
    ("not lower than 5%", v(5, "percent", "ge")),
    ("no higher than 7", v(7, qualifier="le")),
    ("not more than 40", v(40, qualifier="le")),
    # Indian English and glued scales
    ("Rs 3 crore", v(30000000, "money", currency="INR")),
    ("Rs. 30 lakh", v(3000000, "money", currency="INR")),
    ("INR 5 crore", v(50000000, "money", currency="INR")),
    ("₹12 lakh", v(1200000, "money", currency="INR")),
    ("three hundred crores", v(3000000000)),
    ("12 lakhs", v(1200000)),
    ("1.2M", v(1200000)),
    ("-1.2M", v(-1200000)),
    ("$3M", v(3000000, "money", currency="USD")),
    ("€3bn", v(3000000000, "money", currency="EUR")),
    ("negative five hundred and four", v(-504)),
    # hyphen-joined ranges; a percent change then a level is no range
    ("about five hundred or more", v(500, qualifier="ge")),
    ("about 500 or less", v(500, qualifier="le")),
    ("more than 5 or so", v(5, qualifier="gt")),
    ("30-to-60-day", r(30, 60, modifier="day")),
    ("two-to-three-year", r(2, 3, modifier="year")),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0] for c in CASES])
def test_case(text, expected):
    result = parse_number(text)
    assert result == expected
    assert list(result) == list(expected)  # key order is part of the contract


def test_a_percent_then_a_level_is_no_range():
    assert parse_number("2.53% to 2248.63") is None
    assert parse_number("5 to 7%") == r(5, 7, "percent")


def test_integral_values_are_ints():
    for text in ("1.2 million", "2.4 billion", "5.00", "$3bn", "half a million"):
        assert type(parse_number(text)["value"]) is int, text


NOT_NUMBERS = ["epa06912336", "V.1.0", "hello", "", "   ", "a", "an", "couple", "a couples", "percent",
               "dollars", "more than", "one second", "192.168.1.2", "COVID-19", "Channel 10",
               "10mm", "24/7", "the"]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_number(text):
    assert parse_number(text) is None


def test_number_words():
    assert number_words(250) == "two hundred and fifty"
    assert number_words(29) == "twenty-nine"
    assert number_words(0) == "zero"
    assert number_words(1005) == "one thousand and five"
    assert number_words(10**12 - 1).startswith("nine hundred and ninety-nine billion")
    assert ordinal_words(21) == "twenty-first"
    assert ordinal_words(1000) == "thousandth"
    with pytest.raises(ValueError):
        number_words(10**12)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number_mentions())
def test_round_trip(mention):
    text, expected = mention
    result = parse_number(text)
    assert result == expected
    assert list(result) == list(expected)


@settings(max_examples=300, deadline=None)
@given(number_mentions(forms=["cardinal"]))
def test_words_and_digits_agree(mention):
    text, expected = mention
    if isinstance(expected["value"], int) and 0 <= expected["value"] < 10**12:
        assert parse_number(number_words(expected["value"])) == expected


# ---------------------------------------------------------------------------------------
# Conformance: Microsoft Recognizers-Text English specs, on their gold spans
# ---------------------------------------------------------------------------------------
# This measures the normalizer alone: each expected item's "text" is parsed and its value
# compared. Whether rules find those spans is measured elsewhere.

SUITES = ["number", "percent", "ordinal", "currency"]

# Out of scope for news extraction: (suite or None for all, pattern on the item text, reason).
OUT_OF_SCOPE = [
    (None, r"\d[eE][+-]?\d", "exponent notation (1e10, 1.3e6): scientific, not news"),
    (None, r"\^", "power notation (1.1^23, 2.5^-1)"),
    (None, r"\dx10", "scientific notation (1.3x10^6)"),
    (None, r"\d\s*G$", "G as giga (10G): in news 5G is a network generation"),
    (None, r"\bover\b", "spoken-maths fractions (one over three, 2000 over 3)"),
    (None, r"\b(twen|thir|for|fif|six|seven|eigh|nine)ty and (one|two|three|four|five|six|"
     r"seven|eight|nine) and\b",
     "archaic 'twenty and three' (tens and units joined by 'and')"),
    (None, r"hundred and two dozens", "dozens after hundreds (300 + 2 dozen): ambiguous"),
    ("percent", r"^per ?cents? of|^percents? of", "'percent of N' inverted order: in news "
     "it introduces a base, not a value"),
    ("ordinal", r"(?i)\b(last|next|previous|current|penultimate|antepenultimate)\b",
     "relative ordinals (last, next, penultimate): positions, not numbers"),
    ("currency", r"bitcoin|BTC|satoshi|₿", "cryptocurrency: no ISO 4217 code"),
    ("currency", r"kuai|mao", "colloquial Chinese money units"),
    ("currency", r"^sen ", "minor unit written before the amount"),
    ("currency", r"ரூ", "Tamil-script rupee sign"),
]

# Minor units in the specs keep their own value ("50 cents" = 50 Cent); the normalizer gives
# the major unit (0.5 USD).
MINOR_UNITS = {"Cent": 100, "Pence": 100, "Penny": 100}


def _out_of_scope(suite, text):
    for only, pattern, reason in OUT_OF_SCOPE:
        if (only is None or only == suite) and re.search(pattern, text):
            return reason
    return None


def _expected_number(suite, item):
    value = item["value"]
    if value in (None, "null"):
        return None
    if suite == "percent":
        return float(value.rstrip("%"))
    if suite == "ordinal":
        return float(item["offset"])
    return float(value) / MINOR_UNITS.get(item.get("unit"), 1)


def _passes(suite, item):
    result = parse_number(item["text"])
    expected = _expected_number(suite, item)
    if item.get("type") == "ordinal.relative":
        return False  # not supported (out of scope)
    if expected is None:  # a bare unit ("percent", "dollar") is not a number
        return result is None
    if result is None or "value" not in result:
        return False
    want_kind = {"percent": "percent", "ordinal": "ordinal", "currency": "money"}.get(suite)
    if want_kind and result["kind"] != want_kind:
        return False
    iso = item.get("isoCurrency")  # absent for names of no single currency ("Dollar")
    if suite == "currency" and iso and result.get("currency") != iso:
        return False
    return math.isclose(result["value"], expected, rel_tol=1e-9, abs_tol=1e-12)


def _score(suite):
    path = conformance_suite(suite)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for item in json.loads(line)["expected"]:
            rows.append((item["text"], _passes(suite, item), _out_of_scope(suite, item["text"])))
    return rows


@pytest.mark.parametrize("suite", SUITES)
def test_conformance(suite):
    rows = _score(suite)
    passed = sum(ok for _, ok, _ in rows)
    in_scope = [ok for _, ok, reason in rows if reason is None]
    scope_rate = sum(in_scope) / len(in_scope)
    print(f"\nconformance {suite}: all {passed}/{len(rows)} = {passed / len(rows):.3f}; "
          f"in scope {sum(in_scope)}/{len(in_scope)} = {scope_rate:.3f}")
    for text, ok, reason in rows:
        if not ok:
            print(f"  out of scope ({reason}): {text!r}" if reason else f"  FAIL: {text!r}")
    assert scope_rate >= 0.9
