"""Parse an English number expression into a NUMBER value (docs/output.md).

``parse_number("more than $5-6 billion")`` gives
``{"low": 5000000000, "high": 6000000000, "kind": "money", "qualifier": "gt", "currency": "USD"}``.

The input is a whole span as a rule found it (qualifier, currency and percent included, the
counted noun not); anything that is not entirely a number expression gives None. This module
is self-contained (stdlib only) so rules, tests and other tools can reuse its vocabularies.

How it works: the text is normalised (spaces, dashes, dotted abbreviations) and cut into
tokens. A single expression is peeled from the outside in -- qualifier, sign, hyphenated
modifier, currency, percent -- and the core is read by a small grammar over "atoms" (number
words, digits, scales, ordinals, fractions). Only if that fails is the text read as a range
(two such expressions). Values are exact ``fractions.Fraction`` throughout, so "1.2 million"
is exactly 1200000 and "two thirds" is exact until the final conversion to float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, NamedTuple

__all__ = [
    "parse_number",
    "KINDS",
    "NUMBER_WORDS",
    "ORDINAL_WORDS",
    "FRACTION_WORDS",
    "SCALE_WORDS",
    "SCALE_ABBREVIATIONS",
    "VAGUE_WORDS",
    "VAGUE_QUANTIFIERS",
    "IDIOMS",
    "QUALIFIERS",
    "QUALIFIER_SUFFIXES",
    "PERCENT_WORDS",
    "CURRENCY_CODES",
    "CURRENCY_SYMBOLS",
    "DOLLAR_PREFIXES",
    "CURRENCY_NAMES",
    "AMBIGUOUS_CURRENCY_NAMES",
    "CURRENCY_SUBUNITS",
]

KINDS = ("cardinal", "ordinal", "percent", "money", "fraction", "vague")

# ---------------------------------------------------------------------------------------
# Vocabularies (lower case). Rules and tests may import these.
# ---------------------------------------------------------------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

#: Number words below one hundred that combine into larger numbers ("nought" is British).
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: 10 + i for i, w in enumerate(_TEENS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
    "nought": 0, "naught": 0, "fourty": 40,  # a frequent misspelling
}

#: Ordinal words. Their plurals ("fifths", "twenty-firsts") are fraction denominators.
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "nineth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 10**3,
    "millionth": 10**6, "billionth": 10**9, "trillionth": 10**12,
}

#: Fraction denominators that are not ordinals: "a half", "three quarters".
FRACTION_WORDS: dict[str, int] = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4}

#: Multipliers written as words. "hundred" multiplies the current group, the others close it.
SCALE_WORDS: dict[str, int] = {
    "hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9,
    "trillion": 10**12, "quadrillion": 10**15,
    "lakh": 10**5, "lac": 10**5, "crore": 10**7,  # Indian English
}

#: Abbreviated scales, only valid right after digits ("$3bn", "100K", "10 bln", "Rs 5 cr").
SCALE_ABBREVIATIONS: dict[str, int] = {
    "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "mil": 10**6, "mm": 10**6,
    "b": 10**9, "bn": 10**9, "bln": 10**9, "tn": 10**12, "trn": 10**12, "tln": 10**12,
    "cr": 10**7,
}

_DOZEN_WORDS = {"dozen", "dozens", "dz", "dzs", "doz", "dozs"}

#: Plural words for a vague quantity and the order of magnitude they give.
VAGUE_WORDS: dict[str, int] = {
    "tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 10**3,
    "millions": 10**6, "billions": 10**9, "trillions": 10**12, "lakhs": 10**5,
    "crores": 10**7,
}

#: Set phrases for a small number, written before "of" or a scale ("a couple of months",
#: "a score of jets", "a couple hundred"), and the qualifier they carry: "a couple" is
#: loose (two or three), "a pair" and "a score" are exact.
IDIOMS: dict[str, tuple[int, str | None]] = {
    "a couple": (2, "approx"), "a pair": (2, None), "a score": (20, None),
}

#: Words that turn a scale into a vague quantity: "several hundred", "a few thousand".
VAGUE_QUANTIFIERS = ("several", "a few", "few", "many")

#: Qualifier phrases before a number, and the qualifier code they give. None marks fillers
#: that carry no bound ("only 5", "just 5").
QUALIFIERS: dict[str, str | None] = {
    **dict.fromkeys(
        ["more than", "over", "above", "upwards of", "upward of", "in excess of",
         "greater than", "exceeding", "well over", "just over", "well above", "just above",
         "higher than", "larger than", "bigger than", "north of", ">"], "gt"),
    # A negated bound is the opposite closed bound: "not lower than 5%" is at least 5%.
    **dict.fromkeys(
        ["not lower than", "no lower than", "not smaller than", "no smaller than",
         "not below", "not under"], "ge"),
    **dict.fromkeys(
        ["not higher than", "no higher than", "not greater than", "no greater than",
         "not larger than", "no larger than", "not bigger than", "no bigger than",
         "not above", "not over", "not exceeding"], "le"),
    **dict.fromkeys(
        ["at least", "no fewer than", "no less than", "not less than", "not fewer than",
         "a minimum of", "minimum of", "at a minimum", "greater than or equal to",
         "more than or equal to", "equal to or more than", "equal to or greater than",
         ">=", "≥"], "ge"),
    **dict.fromkeys(
        ["less than", "fewer than", "under", "below", "nearly", "almost", "just under",
         "just below", "well under", "well below", "lower than", "smaller than",
         "just shy of", "shy of", "short of", "not quite", "<"], "lt"),
    **dict.fromkeys(
        ["up to", "at most", "no more than", "not more than", "a maximum of", "maximum of",
         "at the most", "as many as", "as much as", "less than or equal to",
         "equal to or less than", "<=", "≤"], "le"),
    **dict.fromkeys(
        ["about", "around", "some", "roughly", "approximately", "approx", "an estimated",
         "estimated", "close to", "circa", "ca", "in the region of", "on the order of",
         "in the order of", "an approximate", "approximate", "more or less", "~"],
        "approx"),
    **dict.fromkeys(["only", "just", "a total of", "exactly", "equal to", "equals"], None),
}

#: Qualifiers written after the number: "20 or more", "30-odd", "50-plus", "20+".
QUALIFIER_SUFFIXES: dict[str, str] = {
    **dict.fromkeys(["or more", "and more", "or above", "or over", "and above", "and over",
                     "and up", "or greater", "or higher", "plus", "+"], "ge"),
    **dict.fromkeys(["or less", "or fewer", "or under", "or below", "and under", "or lower"],
                    "le"),
    **dict.fromkeys(["or so", "odd", "or thereabouts"], "approx"),
}

#: Percent signs and words (percentage points are percent units too).
PERCENT_WORDS = (
    "%", "percent", "percents", "per cent", "pct", "pc", "percentage",
    "percentage point", "percentage points", "percent point", "percent points",
    "per cent point", "per cent points", "% point", "% points",
)

#: ISO 4217 codes: the active ones and the pre-euro ones still met in older news.
CURRENCY_CODES = frozenset("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV
    WST XAF XCD XOF XPF YER ZAR ZMW ZWG ZWL
    ATS BEF DEM ESP FIM FRF GRD HRK IEP ITL NLG PTE
""".split())

# Codes also accepted in lower case ("usd 20"): the common ones that are not English words
# ("all", "try", "top", "cup", "mad", "pen" are).
_LOWERCASE_CODES = frozenset("""
    usd eur gbp jpy cny inr chf cad aud nzd hkd sgd krw rub brl mxn zar sek nok dkk pln
    huf czk ils aed sar twd thb idr myr php vnd ngn egp pkr kes qar kwd
""".split())

#: Currency symbols and abbreviations written next to the amount. "$" alone is read as US
#: dollars and "¥" as yen, as in most English news; "Rs" and "₨" as Indian rupees.
CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "円": "JPY", "元": "CNY", "₹": "INR",
    "₨": "INR", "rs": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₦": "NGN",
    "₱": "PHP", "฿": "THB", "₫": "VND", "₴": "UAH", "₡": "CRC", "₾": "GEL", "₭": "LAK",
    "₸": "KZT", "₼": "AZN", "₮": "MNT", "₲": "PYG", "₵": "GHS", "zł": "PLN", "kč": "CZK",
    "rp": "IDR", "rm": "MYR", "ksh": "KES", "dhs": "AED", "sfr": "CHF", "e£": "EGP",
    "rmb": "CNY", "r": "ZAR",
}

#: Letters before "$" naming a dollar ("US$", "C$", "HK$"); an ISO code also works ("NZD$").
DOLLAR_PREFIXES: dict[str, str] = {
    "us": "USD", "c": "CAD", "ca": "CAD", "can": "CAD", "a": "AUD", "au": "AUD",
    "nz": "NZD", "hk": "HKD", "s": "SGD", "sg": "SGD", "nt": "TWD", "r": "BRL",
    "mex": "MXN", "mx": "MXN", "z": "ZWL", "j": "JMD", "ec": "XCD",
}


def _names(iso: str, *names: str) -> dict[str, str]:
    # Regular plurals are added here so the table below lists each name once.
    out = {}
    for name in names:
        out[name] = iso
        if not name.endswith("s"):
            out[name + "s"] = iso
    return out


#: Currency names (singular and plural, lower case) and their ISO 4217 code. A bare
#: "dollar" is read as US dollars and a bare "pound" as sterling, as in most English news.
CURRENCY_NAMES: dict[str, str] = {
    **_names("USD", "dollar", "us dollar", "american dollar", "united states dollar",
             "greenback", "dlr", "us dlr", "u.s. dlr"),  # "dlrs": wire-service shorthand
    **_names("CAD", "canadian dollar"), **_names("AUD", "australian dollar"),
    **_names("NZD", "new zealand dollar"), **_names("HKD", "hong kong dollar"),
    **_names("SGD", "singapore dollar", "singaporean dollar"),
    **_names("TWD", "taiwan dollar", "new taiwan dollar", "taiwanese dollar"),
    **_names("ZWL", "zimbabwe dollar", "zimbabwean dollar"),
    **_names("JMD", "jamaican dollar"), **_names("NAD", "namibian dollar"),
    **_names("XCD", "east caribbean dollar"), **_names("LRD", "liberian dollar"),
    **_names("EUR", "euro"),
    **_names("GBP", "pound", "british pound", "pound sterling", "sterling", "uk pound"),
    "pounds sterling": "GBP",
    **_names("EGP", "egyptian pound"), **_names("LBP", "lebanese pound"),
    **_names("SYP", "syrian pound"), **_names("SDG", "sudanese pound"),
    **_names("SSP", "south sudanese pound"),
    **_names("JPY", "yen", "japanese yen"),
    **_names("CNY", "yuan", "chinese yuan", "renminbi"),
    **_names("INR", "rupee", "indian rupee"), **_names("PKR", "pakistani rupee"),
    **_names("LKR", "sri lankan rupee"), **_names("NPR", "nepalese rupee", "nepali rupee"),
    **_names("MUR", "mauritian rupee"),
    **_names("RUB", "rouble", "ruble", "russian rouble", "russian ruble"),
    **_names("BYN", "belarusian rouble", "belarusian ruble"),
    **_names("KRW", "won", "south korean won", "korean won"),
    **_names("KPW", "north korean won"),
    **_names("CHF", "swiss franc"), **_names("FRF", "french franc"),
    **_names("BEF", "belgian franc"), **_names("CDF", "congolese franc"),
    **_names("RWF", "rwandan franc"), **_names("BIF", "burundian franc"),
    **_names("GNF", "guinean franc"), **_names("DJF", "djiboutian franc"),
    **_names("XOF", "west african cfa franc"), **_names("XAF", "central african cfa franc"),
    **_names("BRL", "real", "brazilian real"), "reais": "BRL", "brazilian reais": "BRL",
    **_names("MXN", "mexican peso"), **_names("ARS", "argentine peso", "argentinian peso"),
    **_names("CLP", "chilean peso"), **_names("COP", "colombian peso"),
    **_names("PHP", "philippine peso"), **_names("CUP", "cuban peso"),
    **_names("DOP", "dominican peso"), **_names("UYU", "uruguayan peso"),
    **_names("ZAR", "rand", "south african rand"), **_names("NGN", "naira", "nigerian naira"),
    **_names("GHS", "cedi", "ghanaian cedi"), **_names("ETB", "birr", "ethiopian birr"),
    **_names("KES", "kenyan shilling"), **_names("UGX", "ugandan shilling"),
    **_names("TZS", "tanzanian shilling"), **_names("SOS", "somali shilling"),
    **_names("AED", "dirham", "uae dirham", "emirati dirham"),
    **_names("MAD", "moroccan dirham"),
    **_names("SAR", "riyal", "saudi riyal"), **_names("QAR", "qatari riyal"),
    **_names("OMR", "omani rial"), **_names("YER", "yemeni rial"),
    **_names("IRR", "rial", "iranian rial"),
    **_names("IQD", "iraqi dinar"), **_names("KWD", "kuwaiti dinar"),
    **_names("JOD", "jordanian dinar"), **_names("BHD", "bahraini dinar"),
    **_names("LYD", "libyan dinar"), **_names("TND", "tunisian dinar"),
    **_names("DZD", "algerian dinar"), **_names("RSD", "serbian dinar"),
    **_names("MKD", "denar", "macedonian denar"),
    **_names("TRY", "lira", "turkish lira"), "liras": "TRY",
    **_names("ILS", "shekel", "new shekel", "israeli shekel", "new israeli shekel",
             "sheqel"),
    **_names("SEK", "krona", "swedish krona", "swedish crown"), "kronor": "SEK",
    "swedish kronor": "SEK",
    **_names("NOK", "norwegian krone", "norwegian crown"), "norwegian kroner": "NOK",
    **_names("DKK", "danish krone", "danish crown"), "danish kroner": "DKK",
    **_names("ISK", "icelandic krona", "icelandic crown"), "icelandic kronur": "ISK",
    **_names("CZK", "koruna", "czech koruna", "czech crown"), "korun": "CZK",
    **_names("PLN", "zloty", "polish zloty"), "zlotych": "PLN",
    **_names("HUF", "forint", "hungarian forint"),
    **_names("RON", "leu", "romanian leu"), "lei": "RON", "romanian lei": "RON",
    **_names("MDL", "moldovan leu"), "moldovan lei": "MDL",
    **_names("BGN", "lev", "bulgarian lev"), "leva": "BGN",
    **_names("UAH", "hryvnia", "hryvnya", "ukrainian hryvnia"),
    **_names("KZT", "tenge"), **_names("GEL", "lari"), **_names("AMD", "dram"),
    **_names("AZN", "manat", "azerbaijani manat"), **_names("TMT", "turkmen manat"),
    **_names("THB", "baht", "thai baht"), **_names("MYR", "ringgit", "malaysian ringgit"),
    **_names("IDR", "rupiah", "indonesian rupiah"), **_names("VND", "dong"),
    **_names("MMK", "kyat"), **_names("KHR", "riel"), **_names("LAK", "kip"),
    **_names("BDT", "taka"), **_names("AFN", "afghani"), **_names("MVR", "rufiyaa"),
    **_names("MNT", "tugrik"), **_names("MOP", "pataca"),
    **_names("ZMW", "kwacha", "zambian kwacha"), **_names("MWK", "malawian kwacha"),
    **_names("AOA", "kwanza"), **_names("MZN", "metical"), "meticais": "MZN",
    **_names("BWP", "pula"), **_names("MGA", "ariary"), **_names("GMD", "dalasi"),
    **_names("SLE", "leone"), **_names("ERN", "nakfa"),
    **_names("VES", "bolivar", "venezuelan bolivar"), "bolivares": "VES",
    **_names("BOB", "boliviano"), **_names("PEN", "peruvian sol"), "soles": "PEN",
    **_names("PYG", "guarani"), "guaranies": "PYG", **_names("GTQ", "quetzal"),
    "quetzales": "GTQ", **_names("HNL", "lempira"), **_names("NIO", "cordoba"),
    **_names("CRC", "colon", "costa rican colon"), "colones": "CRC",
    **_names("HTG", "gourde"), **_names("BAM", "convertible mark"),
    **_names("KGS", "som"), **_names("TJS", "somoni"),
    # pre-euro currencies, still met in archives
    **_names("DEM", "deutschmark", "deutsche mark", "german mark"),
    **_names("FIM", "markka", "finnish markka"), "markkaa": "FIM",
    **_names("NLG", "guilder", "dutch guilder"), **_names("ESP", "peseta", "spanish peseta"),
    **_names("PTE", "escudo", "portuguese escudo"), **_names("GRD", "drachma"),
    "drachmae": "GRD", **_names("IEP", "punt", "irish pound"),
    **_names("ATS", "schilling", "austrian schilling"), **_names("ITL", "italian lira"),
    "italian lire": "ITL", **_names("HRK", "kuna"),
}

#: Money words that name no single currency: the mention is money, its currency unknown.
AMBIGUOUS_CURRENCY_NAMES = frozenset(
    f"{w}{s}" for w in ["franc", "peso", "crown", "krone", "dinar", "shilling", "cfa franc"]
    for s in ("", "s")) | {"kroner", "lire"}

#: Minor units: (ISO code, how many make one major unit). Values are converted to the
#: major unit: "50 cents" gives 0.5 USD (a bare "cent" is read as a US cent).
CURRENCY_SUBUNITS: dict[str, tuple[str, int]] = {
    "cent": ("USD", 100), "cents": ("USD", 100), "euro cent": ("EUR", 100),
    "euro cents": ("EUR", 100), "penny": ("GBP", 100), "pennies": ("GBP", 100),
    "pence": ("GBP", 100), "p": ("GBP", 100), "paise": ("INR", 100),
    "kopeck": ("RUB", 100), "kopecks": ("RUB", 100), "kopek": ("RUB", 100),
    "kopeks": ("RUB", 100),
}

# ---------------------------------------------------------------------------------------
# Normalising and tokenising
# ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\n]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
# Digit groups separated by single spaces are one number: "1 000 000", "40 000".
_SPACED_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d/])")
# Dotted abbreviations become plain words so that the dots are not read as decimal points.
_ABBREVIATIONS = [
    (re.compile(r"\bu\.\s?s\.(?:\s?a\.)?|\bu\.s\b", re.I), "US"),
    (re.compile(r"\brs\.", re.I), "Rs "),
    (re.compile(r"\bp\.c\.", re.I), "pc"),
    (re.compile(r"\bapprox\.", re.I), "approx"),
    (re.compile(r"^(?:c|ca)\.\s*", re.I), "circa "),
    (re.compile(r"\best\.", re.I), "estimated"),
]
_TOKEN = re.compile(r"\s*([0-9]+(?:[.,][0-9]+)*|[.,][0-9]+|[^\W\d_]+|\S)")
_NUMERIC = re.compile(r"[0-9.,]+")


class _Tok(NamedTuple):
    text: str
    low: str
    spaced: bool  # whitespace before it

    @property
    def is_digits(self) -> bool:
        return bool(_NUMERIC.fullmatch(self.text)) and any(c.isdigit() for c in self.text)


def _normalize(text: str) -> str:
    s = _DASHES.sub("-", _SPACES.sub(" ", text)).replace("\u2044", "/")
    s = re.sub(r" {2,}", " ", s).strip()
    s = _SPACED_GROUPS.sub(lambda m: m.group().replace(" ", ""), s)
    for pattern, repl in _ABBREVIATIONS:
        s = pattern.sub(repl, s)
    # A sentence full stop after the last digit is not part of the number ("192.").
    return re.sub(r"(?<=\d)\.$", "", s).strip()


def _tokenize(text: str) -> list[_Tok]:
    toks = []
    for m in _TOKEN.finditer(text):
        word = m.group(1)
        toks.append(_Tok(word, word.lower(), m.start(1) > m.start()))
    return toks


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(t.low for t in _tokenize(_normalize(text)))


_LONGEST_PHRASE = 6  # tokens: "greater than or equal to" has five


def _ends_with(toks: list[_Tok], table: dict[tuple[str, ...], Any]) -> int:
    """How many tokens at the end of ``toks`` form the longest phrase of ``table`` (0: none)."""
    for n in range(min(len(toks), _LONGEST_PHRASE), 0, -1):
        if tuple(t.low for t in toks[-n:]) in table:
            return n
    return 0


def _starts_with(toks: list[_Tok], table: dict[tuple[str, ...], Any]) -> int:
    for n in range(min(len(toks), _LONGEST_PHRASE), 0, -1):
        if tuple(t.low for t in toks[:n]) in table:
            return n
    return 0


def _trim_hyphen(toks: list[_Tok]) -> list[_Tok]:
    # "10-percent", "12-cent", "30-odd": the hyphen only joins the word to the number.
    return toks[:-1] if toks and toks[-1].text == "-" else toks


# ---------------------------------------------------------------------------------------
# Digits
# ---------------------------------------------------------------------------------------

_DIGIT_FORMS = [
    (re.compile(r"\d+|\d*\.\d+"), lambda s: s),
    (re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"), lambda s: s.replace(",", "")),
    # Indian grouping: 12,34,567.89
    (re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"), lambda s: s.replace(",", "")),
    # Continental: 1.111,11 -- the dots cannot be decimal points, so the comma is.
    (re.compile(r"\d{1,3}(?:\.\d{3})+,\d+"), lambda s: s.replace(".", "").replace(",", ".")),
    # A comma before one or two digits cannot separate thousands: 5,00 and 1,3 are decimals.
    (re.compile(r"\d+,\d{1,2}"), lambda s: s.replace(",", ".")),
]


def _parse_digits(text: str) -> Fraction | None:
    for pattern, clean in _DIGIT_FORMS:
        if pattern.fullmatch(text):
            return Fraction(clean(text))
    return None


# ---------------------------------------------------------------------------------------
# Atoms: the words and numbers of the core expression, classified
# ---------------------------------------------------------------------------------------


class _Atom(NamedTuple):
    cls: str  # digits unit teen tens hundred scale abbr dozen frac vulgar a and point ...
    val: Fraction = Fraction(0)
    ordinal: bool = False
    plural: bool = False
    joined: bool = False  # written with a hyphen before it ("fifty-four", "two-thirds")


def _word_atoms() -> dict[str, _Atom]:
    atoms: dict[str, _Atom] = {}
    for word, n in NUMBER_WORDS.items():
        atoms[word] = _Atom("unit" if n < 10 else "teen" if n < 20 else "tens", Fraction(n))
    for word, n in SCALE_WORDS.items():
        cls = "hundred" if n == 100 else "scale"
        atoms[word] = _Atom(cls, Fraction(n))
        atoms[word + "s"] = _Atom(cls, Fraction(n), plural=True)
    for word, n in ORDINAL_WORDS.items():
        cls = ("unit" if n < 10 else "teen" if n < 20 else "tens" if n < 100
               else "hundred" if n == 100 else "scale")
        atoms[word] = _Atom(cls, Fraction(n), ordinal=True)
        atoms[word + "s"] = _Atom(cls, Fraction(n), ordinal=True, plural=True)
    for word, n in FRACTION_WORDS.items():
        atoms[word] = _Atom("frac", Fraction(n), plural=word.endswith("s"))
    for word, n in SCALE_ABBREVIATIONS.items():
        atoms.setdefault(word, _Atom("abbr", Fraction(n)))
    for word in _DOZEN_WORDS:
        atoms[word] = _Atom("dozen", Fraction(12), plural=word.endswith("s"))
    for word in ("st", "nd", "rd", "th"):
        atoms[word] = _Atom("suffix")
    for word in ("a", "an"):
        atoms[word] = _Atom("a", Fraction(1))
    for word in ("and", "point", "of", "in", "out"):
        atoms[word] = _Atom(word)
    return atoms


_WORD_ATOMS = _word_atoms()
_VULGAR = {ch: Fraction(n, d) for ch, n, d in [
    ("½", 1, 2), ("⅓", 1, 3), ("⅔", 2, 3), ("¼", 1, 4), ("¾", 3, 4), ("⅕", 1, 5),
    ("⅖", 2, 5), ("⅗", 3, 5), ("⅘", 4, 5), ("⅙", 1, 6), ("⅚", 5, 6), ("⅐", 1, 7),
    ("⅛", 1, 8), ("⅜", 3, 8), ("⅝", 5, 8), ("⅞", 7, 8), ("⅑", 1, 9), ("⅒", 1, 10)]}


def _atoms(toks: list[_Tok]) -> list[_Atom] | None:
    out: list[_Atom] = []
    joined = False
    for tok in toks:
        if tok.text in ("-", ","):  # hyphens and commas only join words
            joined = tok.text == "-"
            continue
        atom = _atom(tok)
        if atom is None:
            return None
        out.append(atom._replace(joined=joined))
        joined = False
    return _merge_slashes(out)


def _atom(tok: _Tok) -> _Atom | None:
    if tok.is_digits:
        value = _parse_digits(tok.text)
        return _Atom("digits", value) if value is not None else None
    if tok.low == "mm" and tok.text != "MM":  # "1MM" is a million, "10mm" millimetres
        return None
    if tok.low in _WORD_ATOMS:
        return _WORD_ATOMS[tok.low]
    if tok.text in _VULGAR:
        return _Atom("vulgar", _VULGAR[tok.text])
    return _Atom("slash") if tok.text == "/" else None


# Denominators of written fractions in news ("3/4", "1/16"); others are more likely dates or
# names ("9/11", "24/7").
_SLASH_DENOMINATORS = {*range(2, 11), 12, 16, 32, 64, 100}


def _merge_slashes(atoms: list[_Atom]) -> list[_Atom] | None:
    # "3/4" becomes one vulgar-fraction atom; only proper fractions ("24/7" is not one).
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        if atoms[i].cls != "slash":
            out.append(atoms[i])
            i += 1
            continue
        if not out or out[-1].cls != "digits" or i + 1 >= len(atoms):
            return None
        num, den = out.pop().val, atoms[i + 1].val
        if atoms[i + 1].cls != "digits" or not _is_int(num) or den not in _SLASH_DENOMINATORS \
                or not 0 <= num < den:
            return None
        out.append(_Atom("vulgar", num / den))
        i += 2
    return out


def _is_int(value: Fraction) -> bool:
    return value.denominator == 1


# ---------------------------------------------------------------------------------------
# The core grammar: cardinals, ordinals, fractions
# ---------------------------------------------------------------------------------------

# Which atom may follow which (None: the start). Keeps "five six" or "twenty thirty" from
# being read as one number, so that they can be read as ranges or rejected.
_FOLLOWS = {
    "unit": {None, "tens", "hundred", "scale", "and"},
    "teen": {None, "hundred", "scale", "and"},
    "tens": {None, "hundred", "scale", "and"},
    "digits": {None, "hundred", "scale", "and"},
    "hundred": {None, "unit", "teen", "tens", "digits", "a"},
    "scale": {None, "unit", "teen", "tens", "digits", "hundred", "a"},
    "dozen": {None, "unit", "teen", "tens", "digits", "a"},
    "and": {"hundred", "scale"},
    "a": {None},
}
_NUMBERISH = {"unit", "teen", "tens", "digits", "a"}
_INDIAN_SCALES = {SCALE_WORDS["lakh"], SCALE_WORDS["crore"]}


@dataclass
class _Amount:
    value: Fraction
    kind: str  # cardinal | ordinal | fraction
    scale: int | None = None  # the trailing scale word, shared across ranges ("5-6 billion")


def _cardinal(atoms: list[_Atom]) -> _Amount | None:
    """Read a cardinal: "two hundred and fifty", "4 thousand 3 hundred", "1.2 million"."""
    total, cur, top, last = Fraction(0), Fraction(0), None, None
    in_hundred = False  # the current group already has its hundreds
    for atom in atoms:
        cls = atom.cls
        if cls == "abbr":  # "3bn", "100K": abbreviations only follow digits
            if last != "digits":
                return None
            cls = "scale"
        if atom.ordinal or cls not in _FOLLOWS:
            return None
        if atom.plural and last not in _NUMBERISH and atom.val not in _INDIAN_SCALES:
            return None  # "five hundreds", but "three hundred crores" is Indian English
        if cls == "scale" and last == "scale" and cur == 0 and atom.val > top:
            total, top, last = total * atom.val, atom.val, cls  # "three lakh crore"
            continue
        if last not in _FOLLOWS[cls]:
            return None
        if cls == "digits" and last is not None:
            cap = 100 if in_hundred else top
            if not _is_int(atom.val) or (cap is not None and atom.val >= cap):
                return None
        if cls in ("unit", "teen", "tens", "digits"):
            cur += atom.val
        elif cls == "a":
            cur = Fraction(1)
        elif cls == "hundred":
            if in_hundred or (cur >= 100 and last != "digits"):
                return None
            cur, in_hundred = (cur or 1) * 100, True
        elif cls == "dozen":
            cur = (cur or 1) * 12
        elif cls == "scale":
            if top is not None and atom.val >= top:
                return None
            total += (cur or 1) * atom.val
            cur, top, in_hundred = Fraction(0), atom.val, False
        last = cls
    if last in (None, "and", "a"):
        return None
    scale = int(atoms[-1].val) if last in ("scale", "dozen") else None
    return _Amount(total + cur, "cardinal", scale)


def _digit_ordinal(atoms: list[_Atom]) -> _Amount | None:
    """ "1st", "22nd", "103rd", "11th"."""
    if len(atoms) == 2 and atoms[0].cls == "digits" and atoms[1].cls == "suffix" \
            and _is_int(atoms[0].val):
        return _Amount(atoms[0].val, "ordinal")
    return None


def _word_ordinal(atoms: list[_Atom]) -> _Amount | None:
    """ "third", "twenty-first", "two hundredth", "one hundred and fifth"."""
    last = atoms[-1]
    if not last.ordinal or last.plural:
        return None
    amount = _cardinal(atoms[:-1] + [last._replace(ordinal=False)])
    return _Amount(amount.value, "ordinal") if amount else None


def _is_one(atoms: list[_Atom]) -> bool:
    return len(atoms) == 1 and (atoms[0].cls == "a" or _is_word(atoms[0], "unit", 1))


def _is_word(atom: _Atom, cls: str, value: int, plural: bool = False) -> bool:
    return (atom.cls, atom.val, atom.ordinal, atom.plural) == (cls, value, False, plural)


def _denominator(atoms: list[_Atom]) -> Fraction | None:
    """The value of a denominator: "fifths", "thirty-fifths", "one hundred fifth", "half"."""
    last = atoms[-1]
    if last.cls == "frac":
        return last.val if len(atoms) == 1 else None
    if not last.ordinal:
        return None
    # A multi-word denominator never starts with a bare scale ("hundred thirty fifths" is
    # 100/35, not 1/135), and "first"/"second" alone are not denominators ("one second").
    if len(atoms) > 1 and atoms[0].cls in ("hundred", "scale", "and", "a"):
        return None
    if len(atoms) == 1 and last.val <= 2:
        return None
    amount = _cardinal(atoms[:-1] + [last._replace(ordinal=False, plural=False)])
    return amount.value if amount else None


def _word_fraction(atoms: list[_Atom]) -> Fraction | None:
    """ "two thirds", "a half", "one eighth", "twenty-three fifths", "three twenty-firsts".

    The denominator is the longest ordinal at the end that leaves a valid numerator, so
    "one hundred thirty fifths" is 100/35 and "one hundred and thirty fifths" 130/5.
    A singular denominator needs a numerator of one ("one fifth", not "two fifth").
    """
    if len(atoms) == 1 and _is_word(atoms[0], "frac", 2):
        return Fraction(1, 2)
    for i in range(1, len(atoms)):
        if atoms[i].joined and atoms[i].cls == "unit" and atoms[i - 1].cls == "tens":
            continue  # never split "fifty-four hundredths" inside "fifty-four"
        den = _denominator(atoms[i:])
        if den is None:
            continue
        if _is_one(atoms[:i]):
            num = Fraction(1)
        else:
            amount = _cardinal(atoms[:i])
            if amount is None or not atoms[-1].plural:
                continue
            num = amount.value
        return num / den
    return None


def _fraction(atoms: list[_Atom]) -> Fraction | None:
    """Any fraction: words, "3/4", "¾", "3 1/2", "3½"."""
    if not atoms:
        return None
    if atoms[-1].cls == "vulgar":
        if len(atoms) == 1:
            return atoms[0].val
        if len(atoms) == 2 and atoms[0].cls == "digits" and _is_int(atoms[0].val):
            return atoms[0].val + atoms[1].val
        return None
    return _word_fraction(atoms)


def _unit_fraction(atoms: list[_Atom]) -> _Amount | None:
    """ "a third", "one hundredth": read as fractions before they can be read as ordinals."""
    if len(atoms) == 2 and _is_one(atoms[:1]):
        den = _denominator(atoms[1:])
        if den is not None:
            return _Amount(1 / den, "fraction")
    return None


def _simple_fraction(atoms: list[_Atom]) -> _Amount | None:
    value = _fraction(atoms)
    return _Amount(value, "fraction") if value is not None else None


def _scaled_fraction(atoms: list[_Atom]) -> _Amount | None:
    """A fraction of a scale: "half a million", "a quarter of a million", "3 1/2 million",
    "five and a half million", "half a dozen", "three quarters billion"."""
    last = atoms[-1]
    if last.cls not in ("scale", "dozen") or last.plural or last.ordinal or len(atoms) < 2:
        return None
    head = atoms[:-1]
    if head[-1].cls == "a":
        head = head[:-1]
    if head and head[-1].cls == "of":
        head = head[:-1]
    if not head or any(a.cls in ("scale", "dozen", "abbr") for a in head):
        return None
    value = _fraction(head)
    if value is None:
        if len(head) == 1 and _is_word(head[0], "frac", 4):  # "quarter million"
            value = Fraction(1, 4)
        else:
            mixed = _mixed(head)
            value = mixed.value if mixed else None
    if value is None:
        return None
    return _Amount(value * last.val, "cardinal", int(last.val))


def _mixed(atoms: list[_Atom]) -> _Amount | None:
    """A whole number and a fraction: "one and a half", "two hundred and fifty-four
    hundredths", "3 million and a half" (a half million), "one billion and a half million".

    The split is at the last "and" and only when the fraction is proper: otherwise the
    whole text is a numerator ("one hundred and thirty-two fifths" is 132/5).
    """
    ands = [i for i, a in enumerate(atoms) if a.cls == "and"]
    if not ands:
        return None
    whole = _cardinal(atoms[:ands[-1]])
    rest = atoms[ands[-1] + 1:]
    if whole is None or not rest:
        return None
    part = _fraction(rest)
    if part is not None and 0 < part < 1:
        if whole.scale:  # "a million and a half": a half of the million
            return _Amount(whole.value + part * whole.scale, "cardinal", whole.scale)
        return _Amount(whole.value + part, "fraction")
    scaled = _scaled_fraction(rest)
    if scaled and whole.scale and scaled.scale < whole.scale:
        return _Amount(whole.value + scaled.value, "cardinal")
    return None


def _ratio(atoms: list[_Atom]) -> _Amount | None:
    """ "one in five", "two out of five hundred": a fraction of a whole."""
    for i, atom in enumerate(atoms):
        if atom.cls == "in":
            left, right = atoms[:i], atoms[i + 1:]
        elif atom.cls == "out" and i + 1 < len(atoms) and atoms[i + 1].cls == "of":
            left, right = atoms[:i], atoms[i + 2:]
        else:
            continue
        num, den = _cardinal(left) if left else None, _cardinal(right) if right else None
        if not (num and den and _is_int(num.value) and _is_int(den.value)):
            return None
        return _Amount(num.value / den.value, "fraction") if 0 < num.value <= den.value else None
    return None


def _merge_point(atoms: list[_Atom]) -> list[_Atom] | None:
    """Spoken decimals become digits: "two hundred point zero three" is 200.03, "nought
    point eleven" 0.11; a following scale stays ("two point five million")."""
    points = [i for i, a in enumerate(atoms) if a.cls == "point"]
    if not points:
        return atoms
    if len(points) > 1:
        return None
    i = points[0]
    end = next((j for j in range(i + 1, len(atoms)) if atoms[j].cls in ("scale", "abbr")),
               len(atoms))
    left, right = atoms[:i], atoms[i + 1:end]
    whole = _cardinal(left) if left else _Amount(Fraction(0), "cardinal")
    if whole is None or whole.scale or not right:
        return None
    if all(a.cls == "unit" and not a.ordinal for a in right):
        digits = "".join(str(int(a.val)) for a in right)
    else:
        after = _cardinal(right)
        if after is None or after.scale or not _is_int(after.value):
            return None
        digits = str(after.value)
    return [_Atom("digits", whole.value + Fraction(int(digits), 10 ** len(digits)))] + atoms[end:]


def _amount(toks: list[_Tok]) -> _Amount | None:
    """The core number of an expression, without sign, qualifier, currency or percent."""
    atoms = _atoms(toks)
    if atoms:
        atoms = _merge_point(atoms)
    if not atoms:
        return None
    # Order matters: "a hundredth" is a fraction before it is an ordinal, "five and a
    # half million" is a scaled fraction before it is a mixed number.
    for reader in (_digit_ordinal, _cardinal, _unit_fraction, _word_ordinal,
                   _scaled_fraction, _mixed, _simple_fraction, _ratio):
        amount = reader(atoms)
        if amount is not None:
            return amount
    return None


# ---------------------------------------------------------------------------------------
# Vague quantities: "hundreds", "tens of thousands", "several hundred"
# ---------------------------------------------------------------------------------------


def _vague(toks: list[_Tok]) -> Fraction | None:
    words = [t.low for t in toks if t.text not in ("-", ",")]
    if words and words[-1] == "of":  # "billions of" (dollars): the noun was cut off
        words = words[:-1]
    quantified = False
    for q in VAGUE_QUANTIFIERS:
        if words[:len(q.split())] == q.split():
            words, quantified = words[len(q.split()):], True
            break
    words = [w for w in words if w != "of"]
    if not words:
        return None
    value = Fraction(1)
    plural = False
    for word in words:
        if word in VAGUE_WORDS:
            value, plural = value * VAGUE_WORDS[word], True
        elif quantified and (word in SCALE_WORDS or word == "dozen"):
            value *= SCALE_WORDS.get(word, 12)
        else:
            return None
    return value if plural or quantified else None


# ---------------------------------------------------------------------------------------
# Currency and percent
# ---------------------------------------------------------------------------------------

_AMBIGUOUS = "?"  # money of no single currency

_CURRENCY_TABLE: dict[tuple[str, ...], tuple[str, Fraction]] = {}
for _name, _iso in CURRENCY_SYMBOLS.items():
    _CURRENCY_TABLE[_phrase(_name)] = (_iso, Fraction(1))
for _name, _iso in DOLLAR_PREFIXES.items():
    _CURRENCY_TABLE[(_name, "$")] = (_iso, Fraction(1))
for _name in ("us", "a", "nz", "hk", "c", "s"):  # Australian style: "$US5 million", "$A10"
    _CURRENCY_TABLE[("$", _name)] = (DOLLAR_PREFIXES[_name], Fraction(1))
for _name, _iso in CURRENCY_NAMES.items():
    _CURRENCY_TABLE[_phrase(_name)] = (_iso, Fraction(1))
for _name in AMBIGUOUS_CURRENCY_NAMES:
    _CURRENCY_TABLE[_phrase(_name)] = (_AMBIGUOUS, Fraction(1))
for _name, (_iso, _per) in CURRENCY_SUBUNITS.items():
    _CURRENCY_TABLE[_phrase(_name)] = (_iso, Fraction(1, _per))
# Short forms that are also ordinary letters must touch the number: "A$5", "R50", "50p".
_ATTACHED_PREFIXES = {("a", "$"), ("r",), ("s", "$")} | {
    ("$", p) for p in ("us", "a", "nz", "hk", "c", "s")}
_ATTACHED_SUFFIXES = {("p",)}
# Abbreviations written only before the amount ("Rs 500", not "500 Rs"), minor units only
# after it ("50 cents").
_PREFIX_ONLY = {("r",), ("rs",), ("rp",), ("rm",), ("ksh",), ("dhs",), ("sfr",)} | {
    (p, "$") for p in DOLLAR_PREFIXES}
_SUFFIX_ONLY = {_phrase(w) for w in CURRENCY_SUBUNITS}

_PERCENT_TABLE = {_phrase(w): True for w in PERCENT_WORDS}
_QUALIFIER_TABLE = {_phrase(w): q for w, q in QUALIFIERS.items()}
_QUALIFIER_SUFFIX_TABLE = {_phrase(w): q for w, q in QUALIFIER_SUFFIXES.items()}


def _currency_at(toks: list[_Tok], i: int) -> tuple[int, str, Fraction] | None:
    """The currency written at ``toks[i]``: (tokens used, ISO code or "?", multiplier)."""
    for n in range(min(4, len(toks) - i), 0, -1):
        key = tuple(t.low for t in toks[i:i + n])
        if key in _CURRENCY_TABLE:
            return n, *_CURRENCY_TABLE[key]
        if n == 2 and key[1] == "$" and toks[i].text.upper() in CURRENCY_CODES:
            return n, toks[i].text.upper(), Fraction(1)  # "NZD$15"
    text = toks[i].text
    if (text.isupper() and text in CURRENCY_CODES) or text in _LOWERCASE_CODES:
        return 1, text.upper(), Fraction(1)
    # Nordic financial style: "MSEK", "30 MUSD" are millions of the currency.
    if text.isupper() and len(text) == 4 and text[0] == "M" and text[1:] in CURRENCY_CODES:
        return 1, text[1:], Fraction(10**6)
    return None


def _placed(toks: list[_Tok], start: int, n: int, prefix: bool) -> bool:
    """Whether the currency at ``toks[start:start+n]`` may stand before (or after) the amount."""
    key = tuple(t.low for t in toks[start:start + n])
    if key in (_SUFFIX_ONLY if prefix else _PREFIX_ONLY):
        return False
    if prefix and key in _ATTACHED_PREFIXES:
        return not any(t.spaced for t in toks[start + 1:start + n + 1])
    if not prefix and key in _ATTACHED_SUFFIXES:
        return not toks[start].spaced
    return True


@dataclass
class _Money:
    iso: str
    mult: Fraction
    rest: list[_Tok]
    cents: list[_Tok] | None = None  # "3 dollars 50 (cents)": the minor-unit part


def _split_currency(toks: list[_Tok]) -> _Money | None:
    """Find the currency: before the amount ("US$5", "USD 5", "Rs 500"), after it ("15 euros",
    "4.1 billion Swedish crowns", "10 €"), or inside it ("75 USD million", "3 dollars 50")."""
    found = _currency_at(toks, 0)
    if found and _placed(toks, 0, found[0], prefix=True):
        n, iso, mult = found
        return _drop_repeated_currency(_Money(iso, mult, toks[n:]), dollar="$" in toks[n - 1].text)
    for i in range(1, len(toks)):
        found = _currency_at(toks, i)
        if not found or not _placed(toks, i, found[0], prefix=False):
            continue
        n, iso, mult = found
        before, after = _trim_hyphen(toks[:i]), toks[i + n:]
        if not after:
            return _Money(iso, mult, before)
        if all(t.low in SCALE_WORDS or t.low in SCALE_ABBREVIATIONS for t in after):
            return _Money(iso, mult, before + after)  # "75 USD million"
        if mult == 1:
            return _Money(iso, mult, before, cents=after)
    return None


def _drop_repeated_currency(money: _Money, dollar: bool) -> _Money:
    """ "$ 10 dollars", "C$10 dollars": the currency written twice (any "$" with "dollars")."""
    rest = money.rest
    for i in range(1, len(rest)):
        found = _currency_at(rest, i)
        if not found or i + found[0] != len(rest):
            continue
        if found[1] == money.iso or (dollar and rest[i].low in ("dollar", "dollars")):
            return replace(money, rest=rest[:i])
    return money


def _minor_units(toks: list[_Tok]) -> Fraction | None:
    """The cents after a major amount: "50", "and forty-five cents", "30 cent"."""
    if toks and toks[0].low == "and":
        toks = toks[1:]
    if toks and tuple(t.low for t in toks[-1:]) in _CURRENCY_TABLE:
        if _CURRENCY_TABLE[(toks[-1].low,)][1] != Fraction(1, 100):
            return None
        toks = toks[:-1]
    amount = _amount(toks) if toks else None
    if amount and amount.kind == "cardinal" and _is_int(amount.value) and amount.value < 100:
        return amount.value / 100
    return None


def _money_amount(money: _Money) -> _Amount | None:
    amount = _amount(money.rest) if money.rest else None
    cents = money.cents
    if amount is None and money.mult == 1 and money.cents is None:
        # "C$ 100 and fifty": a prefix currency, then dollars and cents.
        ands = [i for i, t in enumerate(money.rest) if t.low == "and"]
        if ands:
            amount, cents = _amount(money.rest[:ands[-1]]), money.rest[ands[-1]:]
    if amount is None or amount.kind == "ordinal":
        return None
    if cents is not None:
        part = _minor_units(cents)
        if part is None or amount.scale or not _is_int(amount.value):
            return None
        amount = _Amount(amount.value + part, "cardinal")
    scale = amount.scale or (int(money.mult) if money.mult > 1 else None)
    return _Amount(amount.value * money.mult, "money", scale)


# ---------------------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------------------


@dataclass
class _Quantity:
    value: Fraction
    kind: str
    qualifier: str | None = None
    currency: str | None = None
    modifier: str | None = None
    scale: int | None = None
    high: Fraction | None = None  # set for ranges: then ``value`` is the low end


def _strip_qualifier(toks: list[_Tok]) -> tuple[str | None, list[_Tok]]:
    qualifier = None
    # Repeatedly, so that fillers may precede a qualifier: "only about 5".
    while (n := _starts_with(toks, _QUALIFIER_TABLE)) and n < len(toks):
        qualifier = qualifier or _QUALIFIER_TABLE[tuple(t.low for t in toks[:n])]
        toks = toks[n:]
    n = _ends_with(toks, _QUALIFIER_SUFFIX_TABLE)
    if n and n < len(toks):
        suffix = _QUALIFIER_SUFFIX_TABLE[tuple(t.low for t in toks[-n:])]
        # A bound written after the amount is its bound: "about 500 or more" is at least 500.
        if qualifier in (None, "approx") and suffix != "approx":
            qualifier = suffix
        qualifier, toks = qualifier or suffix, _trim_hyphen(toks[:-n])
    return qualifier, toks


def _strip_sign(toks: list[_Tok]) -> tuple[int, list[_Tok]]:
    if len(toks) > 1 and toks[0].low in ("-", "minus", "negative"):
        return -1, toks[1:]
    if len(toks) > 1 and toks[0].text == "+":
        return 1, toks[1:]
    return 1, toks


def _parse_single(toks: list[_Tok]) -> _Quantity | None:
    """One number expression (not a range), qualifier included."""
    qualifier, toks = _strip_qualifier(toks)
    sign, toks = _strip_sign(toks)
    quantity = _parse_core(toks) or _parse_with_modifier(toks) or _idiom(toks)
    if quantity is None:
        return None
    if sign < 0:
        if quantity.kind in ("vague", "ordinal"):
            return None
        quantity.value = -quantity.value
    if qualifier:
        quantity.qualifier = qualifier
    return quantity


_NUMBER_VOCABULARY = (set(NUMBER_WORDS) | set(ORDINAL_WORDS) | set(SCALE_WORDS)
                      | set(FRACTION_WORDS) | set(VAGUE_WORDS) | _DOZEN_WORDS)


_IDIOM_TABLE = {_phrase(w): v for w, v in IDIOMS.items()}


def _idiom(toks: list[_Tok]) -> _Quantity | None:
    """ "a couple", "a pair", "a score", and with a scale: "a couple hundred" (about 200)."""
    n = _starts_with(toks, _IDIOM_TABLE)
    if not n:
        return None
    value, qualifier = _IDIOM_TABLE[tuple(t.low for t in toks[:n])]
    scales = [t.low for t in toks[n:]]
    if any(w not in SCALE_WORDS or w.endswith("s") for w in scales) or len(scales) > 1:
        return None
    scale = SCALE_WORDS[scales[0]] if scales else None
    return _Quantity(Fraction(value * (scale or 1)), "cardinal", qualifier, scale=scale)


def _parse_with_modifier(toks: list[_Tok]) -> _Quantity | None:
    """A hyphenated compound: "700,000-strong", "15-year", "15-year-old", "fourth-largest".

    The modifier is the longest hyphenated tail of plain words that holds no number word,
    so "twenty-nine-year-old" is 29 with "year-old".
    """
    for i, tok in enumerate(toks):
        if tok.text != "-" or i == 0 or tok.spaced:
            continue
        modifier = _modifier(toks[i + 1:])
        quantity = _parse_core(toks[:i]) if modifier else None
        if quantity is not None and quantity.kind != "vague":
            quantity.modifier = modifier
            return quantity
    return None


def _modifier(tail: list[_Tok]) -> str | None:
    words, joins = tail[::2], tail[1::2]
    if not words or any(t.spaced for t in tail) or any(t.text != "-" for t in joins):
        return None
    for w in words:
        if not w.text.isalpha() or w.low in _NUMBER_VOCABULARY \
                or w.low.rstrip("s") in _NUMBER_VOCABULARY:
            return None
    return "-".join(w.low for w in words)


def _parse_core(toks: list[_Tok]) -> _Quantity | None:
    if not toks:
        return None
    # Percent first: the "cent" of "per cent" is not money.
    n = _ends_with(toks, _PERCENT_TABLE)
    if n and n < len(toks):
        amount = _amount(_trim_hyphen(toks[:-n])) or _fraction_of_a(toks[:-n])
        if amount is None or amount.kind == "ordinal":
            return None
        return _Quantity(amount.value, "percent", scale=amount.scale)
    money = _split_currency(toks)
    if money is not None:
        return _money_quantity(money)
    vague = _vague(toks)
    if vague is not None:
        return _Quantity(vague, "vague", "ge")
    amount = _amount(toks)
    if amount is None:
        return None
    return _Quantity(amount.value, amount.kind, scale=amount.scale)


def _fraction_of_a(toks: list[_Tok]) -> _Amount | None:
    """ "half a" (percent), "a quarter of a" (percent): a fraction of one unit."""
    if len(toks) < 2 or toks[-1].low not in ("a", "an"):
        return None
    toks = toks[:-2] if toks[-2].low == "of" else toks[:-1]
    amount = _amount(toks)
    return amount if amount and amount.kind == "fraction" else None


def _money_quantity(money: _Money) -> _Quantity | None:
    currency = None if money.iso == _AMBIGUOUS else money.iso
    vague = _vague(money.rest) if money.rest and money.cents is None else None
    if vague is not None:  # "billions of dollars": money, at least that order of magnitude
        return _Quantity(vague * money.mult, "money", "ge", currency)
    amount = _money_amount(money)
    if amount is None:
        return None
    return _Quantity(amount.value, "money", currency=currency, scale=amount.scale)


# Ranges -------------------------------------------------------------------------------

_RANGE_OPENERS = {"between": {"and", "-"}, "from": {"to", "-"}}
_RANGE_SEPARATORS = {"-", "to", "or", "through", "thru"}


def _parse_range(toks: list[_Tok]) -> _Quantity | None:
    """ "20-30", "20 to 30", "between $500 million and $700 million", "$5-6 billion"."""
    qualifier, toks = _strip_qualifier(toks)
    separators = _RANGE_SEPARATORS
    if toks and toks[0].low in _RANGE_OPENERS:
        separators, toks = _RANGE_OPENERS[toks[0].low], toks[1:]
    for i in range(1, len(toks) - 1):
        if toks[i].low not in separators:
            continue
        left, right = toks[:i], toks[i + 1:]
        if toks[i].low != "-" and _hyphen_joined(toks, i):  # "30-to-60-day"
            left, right = left[:-1], right[1:]
        low, high = _parse_single(left), _parse_single(right)
        if low is None or high is None:
            continue
        merged = _merge_range(low, high)
        if merged is not None:
            merged.qualifier = qualifier or low.qualifier or high.qualifier
            return merged
    return None


def _hyphen_joined(toks: list[_Tok], i: int) -> bool:
    """Whether the word separator ``toks[i]`` is written inside hyphens: "30-to-60"."""
    return (0 < i < len(toks) - 2 and toks[i - 1].text == "-" and toks[i + 1].text == "-"
            and not any(t.spaced for t in toks[i - 1:i + 3]))


def _merge_range(low: _Quantity, high: _Quantity) -> _Quantity | None:
    """Share what one end states with the other: "$5-6 billion" is 5e9..6e9 dollars."""
    if "vague" in (low.kind, high.kind):
        return None
    if high.scale and not low.scale and low.value < high.value / high.scale:
        low = replace(low, value=low.value * high.scale)
    kinds = {low.kind, high.kind}
    if low.currency and high.currency and low.currency != high.currency:
        return None
    if low.kind == "percent" and high.kind != "percent":
        return None  # "rose 2.53% to 2248.63": a change, then the level it reached
    if "money" in kinds:
        kind = "money"
    elif "percent" in kinds:
        kind = "percent"
    elif len(kinds) == 1:
        kind = low.kind
    elif "ordinal" in kinds:
        return None
    else:
        kind = "cardinal"
    if kinds - {kind, "cardinal", "fraction"} or not low.value < high.value:
        return None
    return _Quantity(low.value, kind, currency=low.currency or high.currency,
                     modifier=high.modifier or low.modifier, high=high.value)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _py(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _to_dict(q: _Quantity) -> dict[str, Any]:
    out: dict[str, Any] = (
        {"low": _py(q.value), "high": _py(q.high)} if q.high is not None
        else {"value": _py(q.value)}
    )
    out["kind"] = q.kind
    out["qualifier"] = q.qualifier
    if q.currency:
        out["currency"] = q.currency
    if q.modifier:
        out["modifier"] = q.modifier
    return out


_MAX_TOKENS = 40  # far above any real number expression; bounds the work on odd input


def parse_number(text: str) -> dict[str, Any] | None:
    """The NUMBER value of a complete number expression, or None if ``text`` is not one.

    >>> parse_number("More than 250")
    {'value': 250, 'kind': 'cardinal', 'qualifier': 'gt'}
    >>> parse_number("4.1 billion Swedish crowns")
    {'value': 4100000000, 'kind': 'money', 'qualifier': None, 'currency': 'SEK'}
    >>> parse_number("between 20 and 30 percent")
    {'low': 20, 'high': 30, 'kind': 'percent', 'qualifier': None}
    """
    if not isinstance(text, str):
        return None
    toks = _tokenize(_normalize(text))
    if not toks or len(toks) > _MAX_TOKENS:
        return None
    quantity = _parse_single(toks) or _parse_range(toks)
    return _to_dict(quantity) if quantity is not None else None
