"""Hypothesis strategies for number mentions, for rule authors' property tests.

``number_mentions()`` draws a true value and writes it the way news text does ("1.2 million",
"more than 250", "£150 million", "27%", "twenty-first", "two thirds", "20-30", ...), giving
``(text, expected)`` where ``expected`` is the NUMBER value dict (docs/output.md) that
``ruleie.normalize.numbers.parse_number(text)`` must return. The renderings here are written
independently of the parser (own word lists, own arithmetic) so that they can check it.

    from hypothesis import given
    from ruleie.testing.numbers import number_mentions

    @given(number_mentions())
    def test_numbers(mention):
        text, expected = mention
        assert parse_number(text) == expected
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Callable

from hypothesis import strategies as st

__all__ = ["number_words", "ordinal_words", "number_mentions", "pack_number_mentions",
           "expected_value", "FORMS", "PACK_ORDINAL_WORDS"]

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = [(10**9, "billion"), (10**6, "million"), (10**3, "thousand")]
_IRREGULAR_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                       "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def _below_hundred(n: int) -> str:
    if n < 20:
        return _SMALL[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens] + (f"-{_SMALL[unit]}" if unit else "")


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{_SMALL[hundreds]} hundred"] if hundreds else []
    if rest:
        words.append(("and " if hundreds else "") + _below_hundred(rest))
    return " ".join(words)


def number_words(n: int) -> str:
    """English words for ``0 <= n < 10**12``, British style: 250 gives "two hundred and
    fifty", 29 "twenty-nine", 1005 "one thousand and five"."""
    if not 0 <= n < 10**12:
        raise ValueError(f"number_words covers 0 <= n < 10**12, not {n}")
    if n == 0:
        return "zero"
    words = []
    for value, name in _SCALES:
        count, n = divmod(n, value)
        if count:
            words.append(f"{_below_thousand(count)} {name}")
    if n:
        # "one thousand and five": the "and" goes before a last group below a hundred.
        words.append(("and " if words and n < 100 else "") + _below_thousand(n))
    return " ".join(words)


def _ordinal_word(word: str) -> str:
    if word in _IRREGULAR_ORDINALS:
        return _IRREGULAR_ORDINALS[word]
    if word.endswith("y"):
        return word[:-1] + "ieth"
    return word + "th"


def ordinal_words(n: int) -> str:
    """English ordinal words for ``1 <= n < 10**12``: 21 gives "twenty-first", 200 "two
    hundredth". Round powers of ten are written without "one" ("thousandth"), because "one
    thousandth" reads as the fraction 1/1000."""
    if n < 1:
        raise ValueError("ordinals start at 1")
    words = number_words(n)
    if words in ("one hundred", "one thousand", "one million", "one billion"):
        words = words[4:]
    head, sep, last = max(words.rpartition(" "), words.rpartition("-"), key=lambda p: len(p[0]))
    return head + sep + _ordinal_word(last)


def _digit_ordinal(n: int) -> str:
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _py(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def expected_value(value: Fraction | tuple[Fraction, Fraction], kind: str,
                   qualifier: str | None = None, currency: str | None = None,
                   modifier: str | None = None) -> dict[str, Any]:
    """The NUMBER value dict, keys in contract order; a tuple ``value`` is a range."""
    out: dict[str, Any] = (
        {"low": _py(value[0]), "high": _py(value[1])} if isinstance(value, tuple)
        else {"value": _py(value)}
    )
    out.update(kind=kind, qualifier=qualifier)
    if currency:
        out["currency"] = currency
    if modifier:
        out["modifier"] = modifier
    return out


# ---------------------------------------------------------------------------------------
# Surface forms. Each strategy gives (text, value as Fraction).
# ---------------------------------------------------------------------------------------

_GROUP_SPACES = [" ", "\u00a0", "\u2009", "\u202f"]


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@st.composite
def _digits(draw: Callable, max_value: int = 10**12, decimals: bool = True,
            spaces: bool = True, bare_years: bool = True) -> tuple[str, Fraction]:
    """ "1,234,567", "1234", "3.75", "1 000 000" (thin or no-break spaces too, unless
    ``spaces`` is false). ``bare_years``: a year-like number may come out bare ("1999"); else it
    is written with a comma ("1,999"), as the NUMBER pack reads a bare one as a year."""
    # Now and then a number that looks like a year ("1999 people"), which date rules may take.
    years = st.integers(1800, min(2099, max_value)) if max_value >= 1800 else st.nothing()
    n = draw(st.one_of(st.integers(0, max_value), years))
    style = draw(st.sampled_from(["plain", "commas", "spaces"] if spaces else ["plain", "commas"]))
    if style == "plain" or n < 1000:
        text = str(n)
    else:
        text = _group(n, "," if style == "commas" else draw(st.sampled_from(_GROUP_SPACES)))
    value = Fraction(n)
    places = draw(st.integers(0, 2)) if decimals else 0
    if places:
        digits = draw(st.integers(0, 10**places - 1))
        text += f".{digits:0{places}d}"
        value += Fraction(digits, 10**places)
    if not bare_years and re.fullmatch(r"(?:1[89]|20)\d\d", text):
        text = _group(n, ",")
    return text, value


_SCALE_WORD_RE = re.compile(r"\b(?:hundred|thousand|million|billion)\b")


@st.composite
def _words(draw: Callable, max_value: int = 10**12 - 1, max_scales: int | None = None
           ) -> tuple[str, Fraction]:
    """ "two hundred and fifty", "Twenty-nine", "ONE MILLION". ``max_scales``: at most this
    many scale words ("hundred", "thousand", ...)."""
    n = draw(st.integers(0, max_value))
    text = number_words(n)
    if max_scales is not None:
        while len(_SCALE_WORD_RE.findall(text)) > max_scales:
            n //= 1000
            text = number_words(n)
    case = draw(st.sampled_from([str, str.capitalize, str.upper]))
    return case(text), Fraction(n)


_SCALE_FORMS = [(" thousand", 10**3), (" million", 10**6), (" billion", 10**9),
                (" trillion", 10**12), ("bn", 10**9), (" bn", 10**9), ("m", 10**6),
                ("mn", 10**6), ("k", 10**3), ("K", 10**3), ("M", 10**6)]


# Scale forms the NUMBER pack reads after bare digits ("3bn", "100K", "5 million"); "3 bn"
# and "3m" it leaves alone unless a currency symbol comes first ("$3m").
_PACK_SCALE_FORMS = [f for f in _SCALE_FORMS if f[0] not in (" bn", "m", "M")]
_PACK_MONEY_SCALE_FORMS = [f for f in _SCALE_FORMS if f[0] != " bn"]


@st.composite
def _scaled(draw: Callable, forms: list | None = None, words: bool = True
            ) -> tuple[str, Fraction]:
    """ "1.2 million", "3.5bn", "100K", "five million". ``forms``: the scale forms to use;
    ``words``: also "five million" (not only digits)."""
    scale_text, scale = draw(st.sampled_from(forms or _SCALE_FORMS))
    if words and scale_text.strip() in ("thousand", "million", "billion", "trillion") \
            and draw(st.booleans()):
        n = draw(st.integers(1, 999))
        return f"{number_words(n)}{scale_text}", Fraction(n * scale)
    whole = draw(st.integers(1, 999))
    places = draw(st.integers(0, 2))
    digits = draw(st.integers(0, 10**places - 1)) if places else 0
    text = f"{whole}.{digits:0{places}d}" if places else str(whole)
    return text + scale_text, (whole + Fraction(digits, 10**places)) * scale


def _cardinals(pack: bool = False) -> st.SearchStrategy[tuple[str, Fraction]]:
    if pack:
        return st.one_of(_digits(spaces=False, bare_years=False), _words(max_scales=4),
                         _scaled(forms=_PACK_SCALE_FORMS))
    return st.one_of(_digits(), _words(), _scaled())


_CURRENCY_PREFIXES = [("$", "USD"), ("US$", "USD"), ("£", "GBP"), ("€", "EUR"), ("¥", "JPY"),
                      ("₹", "INR"), ("Rs ", "INR"), ("C$", "CAD"), ("A$", "AUD"),
                      ("HK$", "HKD"), ("USD ", "USD"), ("EUR ", "EUR"), ("GBP ", "GBP"),
                      ("CHF ", "CHF")]
_CURRENCY_SUFFIXES = [(" dollars", "USD"), (" US dollars", "USD"), (" euros", "EUR"),
                      (" pounds", "GBP"), (" yen", "JPY"), (" yuan", "CNY"),
                      (" rupees", "INR"), (" Swedish crowns", "SEK"), (" Swiss francs", "CHF"),
                      (" roubles", "RUB"), (" rand", "ZAR"), (" naira", "NGN"),
                      (" USD", "USD"), (" EUR", "EUR")]


@st.composite
def _money(draw: Callable, pack: bool = False) -> tuple[str, Fraction, str]:
    """ "$38.50", "US$5 million", "£150 million", "4.1 billion Swedish crowns". ``pack``:
    only what the NUMBER pack reads (no space-grouped digits, no "$five million")."""
    prefixed = draw(st.booleans())
    prefix, iso = draw(st.sampled_from(_CURRENCY_PREFIXES)) if prefixed else ("", "")
    if not pack:
        text, value = draw(st.one_of(_digits(max_value=10**9), _scaled()))
    elif prefixed:
        # "$3m" after a symbol, but "USD 3m" is not one of the pack's forms
        code = prefix.strip().isalpha() and prefix.strip().isupper() and prefix.strip() != "CHF"
        forms = _PACK_SCALE_FORMS if code else _PACK_MONEY_SCALE_FORMS
        text, value = draw(st.one_of(_digits(max_value=10**9, spaces=False),
                                     _scaled(forms=forms, words=False)))
    else:
        text, value = draw(st.one_of(_digits(max_value=10**9, spaces=False),
                                     _scaled(forms=_PACK_SCALE_FORMS), _words(max_scales=4)))
    if prefixed:
        return prefix + text, value, iso
    suffix, iso = draw(st.sampled_from(_CURRENCY_SUFFIXES))
    return text + suffix, value, iso


@st.composite
def _percent(draw: Callable, pack: bool = False) -> tuple[str, Fraction]:
    """ "27%", "32 percent", "90 per cent", "27 pc", "3.5 percentage points"."""
    text, value = draw(st.one_of(_digits(max_value=1000, spaces=not pack), _words(max_value=200)))
    suffix = draw(st.sampled_from(["%", " percent", " per cent", " pc",
                                   " percentage points"]))
    return text + suffix, value


#: The ordinals the NUMBER pack knows as words (its ``ordinal_words`` lexicon).
PACK_ORDINAL_WORDS = (*range(1, 26), 30, 40, 50, 60, 70, 80, 90, 100, 1000, 10**6)


@st.composite
def _ordinal(draw: Callable, pack: bool = False) -> tuple[str, Fraction]:
    """ "1st", "22nd", "103rd", "third", "twenty-first", "two hundredth"."""
    n = draw(st.integers(1, 10**6))
    if draw(st.booleans()):
        return _digit_ordinal(n), Fraction(n)
    if pack:
        n = draw(st.sampled_from(PACK_ORDINAL_WORDS))
    return ordinal_words(n), Fraction(n)


_DENOMINATORS = {2: ("half", "halves"), 4: ("quarter", "quarters")}


@st.composite
def _fraction(draw: Callable, pack: bool = False) -> tuple[str, Fraction]:
    """ "a half", "two thirds", "three quarters", "one fifth", "3/4". ``pack``: the words the
    NUMBER pack reads before "of" (halves to fifths, at most "four")."""
    den = draw(st.integers(2, 5 if pack else 10))
    num = draw(st.integers(1, min(den - 1, 4)) if pack else st.integers(1, den - 1))
    if not pack and draw(st.integers(0, 3)) == 0:
        return f"{num}/{den}", Fraction(num, den)
    single, plural = _DENOMINATORS.get(den) or (_ordinal_word(_SMALL[den]),) * 2
    if num == 1:
        text = f"{draw(st.sampled_from(['a', 'one']))} {single}"
    else:
        text = f"{_SMALL[num]} {plural if den in _DENOMINATORS else plural + 's'}"
    return text, Fraction(num, den)


_QUALIFIERS = [("more than", "gt"), ("over", "gt"), ("at least", "ge"), ("less than", "lt"),
               ("nearly", "lt"), ("almost", "lt"), ("up to", "le"), ("no more than", "le"),
               ("about", "approx"), ("around", "approx"), ("some", "approx"),
               ("an estimated", "approx"), ("roughly", "approx")]
_VAGUE = [("hundreds", 100), ("dozens", 12), ("thousands", 1000), ("tens of thousands", 10**4),
          ("hundreds of thousands", 10**5), ("millions", 10**6), ("scores", 20)]
_MODIFIERS = ["strong", "year", "year-old", "member", "day"]


def _mention(form: str, draw: Callable, pack: bool = False) -> tuple[str, dict[str, Any]]:
    if form == "cardinal":
        text, value = draw(_cardinals(pack))
        return text, expected_value(value, "cardinal")
    if form == "money":
        text, value, iso = draw(_money(pack))
        return text, expected_value(value, "money", currency=iso)
    if form == "percent":
        text, value = draw(_percent(pack))
        return text, expected_value(value, "percent")
    if form == "ordinal":
        text, value = draw(_ordinal(pack))
        return text, expected_value(value, "ordinal")
    if form == "fraction":
        text, value = draw(_fraction(pack))
        return text, expected_value(value, "fraction")
    if form == "qualified":
        phrase, qualifier = draw(st.sampled_from(_QUALIFIERS))
        text, expected = _mention(draw(st.sampled_from(["cardinal", "money", "percent"])), draw, pack)
        return f"{phrase} {text}", {**expected, "qualifier": qualifier}
    if form == "range":
        return draw(_range(pack))
    if form == "vague":
        text, value = draw(st.sampled_from(_VAGUE))
        return draw(st.sampled_from([str, str.capitalize]))(text), expected_value(
            Fraction(value), "vague", "ge")
    text, value = draw(_digits(decimals=False, spaces=not pack))  # "700,000-strong"
    modifier = draw(st.sampled_from(_MODIFIERS))
    return f"{text}-{modifier}", expected_value(value, "cardinal", modifier=modifier)


@st.composite
def _range(draw: Callable, pack: bool = False) -> tuple[str, dict[str, Any]]:
    """ "20-30", "20 to 30", "between 20 and 30 percent", "from $5 million to $7 million".
    ``pack``: the ranges the NUMBER pack reads ("between"/"from" ranges, and "20-30" of
    plain numbers and percents; not "20 to 30" nor "$20-$30")."""
    low = draw(st.integers(0, 10**6))
    high = draw(st.integers(low + 1, low + 10**6))
    kind = draw(st.sampled_from(["cardinal", "percent", "money"]))
    patterns = ["{}-{}", "{} to {}", "between {} and {}", "from {} to {}"]
    if pack:
        patterns = ["between {} and {}", "from {} to {}"] + (["{}-{}"] if kind != "money" else [])
    pattern = draw(st.sampled_from(patterns))
    a, b = f"{low:,}", f"{high:,}"
    if kind == "money":
        a, b = f"${a}", f"${b}"
    text = pattern.format(a, b) + ("%" if kind == "percent" else "")
    return text, expected_value((Fraction(low), Fraction(high)), kind,
                                currency="USD" if kind == "money" else None)


FORMS = ("cardinal", "money", "percent", "ordinal", "fraction", "qualified", "range",
         "vague", "compound")
_FORMS = list(FORMS)


@st.composite
def number_mentions(draw: Callable, forms: list[str] | None = None
                    ) -> tuple[str, dict[str, Any]]:
    """A number mention as news writes it and the value ``parse_number`` must give.

    ``forms`` restricts the surface forms: any of cardinal, money, percent, ordinal,
    fraction, qualified, range, vague, compound (default: all).
    """
    return _mention(draw(st.sampled_from(forms or _FORMS)), draw)


@st.composite
def pack_number_mentions(draw: Callable, forms: list[str] | None = None
                         ) -> tuple[str, dict[str, Any]]:
    """Like ``number_mentions``, restricted to what the bundled NUMBER rules extract as one
    whole mention: no space-grouped digits ("1 000 000"), no bare year-like cardinal ("1999" is
    a year, "1,999" an amount), no "3 bn" or bare "3m" (but "$3m"),
    number words with at most four scale words, word ordinals of the pack's lexicon,
    fractions from halves to fifths (the pack wants "of" after them: "two thirds of"), and
    ranges with "between", "from" or a hyphen (not "20 to 30", not "$20-$30")."""
    return _mention(draw(st.sampled_from(forms or _FORMS)), draw, pack=True)
