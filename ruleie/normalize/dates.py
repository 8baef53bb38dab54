"""The ``date`` normalizer: an ISO date, a grain and a TIMEX3 value, relative to the document date.

dateparser sees only the short spans that DATE rules found (its own search over whole text
reads about 0.03 MB/s) and only the forms not read here; results are cached per (text,
document date, direction). News uses weekdays, quarters, seasons and bare months in fixed
ways that dateparser's settings do not express, so those are computed here.

A date named without its year ("Friday", "in October", "the fourth quarter") is placed by
the tense of its clause (``tense``): after a past-tense verb, "since" or "ago" it is the last
one up to the document date; after "will", "is to", "until", "no later than" the next one
from it (a day of the document's own month stays in its year either way; a weekday named
with the date settles the year); with no cue a month or season is the nearest one, a weekday the last one and a
quarter or half the one holding the document date or closest to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from typing import Any, Callable

import regex

from ..lexicon import fold
from . import MatchView, normalizer

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "final": 4, "last": 4}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None}
_CENTURY_WORDS = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
# TIMEX3 season codes and the month each one starts in (winter: the December it begins in).
SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9), "winter": ("WI", 12)}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
MODS = {"early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
        "late": "END", "end": "END"}
_MOD = r"(?:(?:the\s+)?(?P<mod>early|mid|late|(?:beginning|start|middle|end)\s+of)[\s-]+(?:the\s+)?)?"
_REL_YEAR = r"(?:(?:of\s+)?(?P<rel>this|next|last|the\s+previous|the\s+same|the\s+current)\s+year)"

# ---------------------------------------------------------------------------------------
# tense of the clause around a mention
# ---------------------------------------------------------------------------------------

# Participles that stand as adjectives ("the scheduled vote") or do not mark the past.
_NOT_PAST = ("scheduled|expected|planned|slated|proposed|supposed|united|limited|red|bed|hundred|indeed|need|"
             "speed|feed|seed|proceed|exceed|succeed|interested|concerned|based|related|detailed|advanced|"
             "unexpected|unprecedented|called|named|listed|owned|controlled|embattled|troubled|indebted")
_CUES = regex.compile(
    r"(?i)\b(?:(?P<future>will|shall|won't|wo n't|'ll|would|should|must|could|can|might|(?-i:may)|be|"
    r"(?:is|are)\s+(?:due|set|to|expected|scheduled|slated|planned)|(?:set|due|expected|scheduled|slated|going|"
    r"plans?|intends?|aims?|hopes?|wants?|seeks?|expects?|agreed|asked|supposed)\s+to|scheduled|slated|planned|"
    r"upcoming|coming|next(?!\s+to\b)|anticipates?|expects?)"
    # the present says nothing about which side: "is calling for the redemption on Dec. 7"
    r"|(?P<present>(?:is|are|am)\s+(?!(?:due|set|to|expected|scheduled|slated|planned)\b)[a-z]+ing)"
    r"|(?P<past>was|were|had|did|ago|earlier|previous|last|since|"
    # a participle after "is", "be", "been" is no past tense: "is expected", "could be reported"
    r"(?<!\b(?:is|are|be|been|being|to|get|gets)\s+(?:\w+ly\s+)?)"
    rf"(?:(?!(?:{_NOT_PAST})\b)[a-z]{{2,}}ed|"
    r"said|told|met|made|took|came|went|began|left|rose|fell|won|lost|sold|"
    r"bought|paid|gave|held|saw|became|got|grew|led|ran|spent|struck|wrote|fought|sent|kept|brought|"
    r"thought|found|broke|chose|drove|flew|spoke|stood|understood|wore|forgot|knew|meant|laid|fled|sought|caught|"
    r"built|heard|felt|dealt|shot|drew|threw|withdrew|upheld|tore)))\b"
)
# A word right before the mention that says which way to look, whatever the verb.
_LEAD_FUTURE = regex.compile(
    r"(?i)\b(?:until|till|(?:no|not)\s+later\s+than|ahead\s+of|as\s+(?:soon|early)\s+as)\s+(?:the\s+)?"
    r"(?:\d{1,2}(?:[:.]\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)\s+(?:[A-Z]{2,4}\s+)?)?\Z")  # "until 9 a.m. (EDT) Tuesday"
_LEAD_TARGET = regex.compile(r"(?i)\b(?:to|through|payable|record|effective)\s+\Z")
_LEAD_BY = regex.compile(r"(?i)\bby\s+(?:the\s+)?\Z")
_LEAD_SINCE = regex.compile(r"(?i)\bsince\s+(?:the\s+)?\Z")
_FROM_ON = (regex.compile(r"(?i)\bfrom\s+\Z"), regex.compile(r"\s+on(?:wards?)?\b"))
# A period ends a clause, but not the one of an abbreviation ("4 a.m. Tuesday", "U.S.", "Mr.").
_CLAUSE_END = regex.compile(
    r"[!?;:\n\"“”]|(?<!\b(?:[ap]|[ap]\.m|\p{Lu}|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|No|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Ltd|vs|etc))\.")


def tense(document: str, start: int, end: int) -> str | None:
    """``"past"``, ``"future"`` or None: which way from the document date a date without its
    year points, from the words of its clause. "since" looks back and "until", "no later
    than", "ahead of" and "from ... on" forward, whatever the verb (an "until" that opens
    the clause only where no verb says otherwise); otherwise the nearest tense cue before
    the mention (then after it, in the same clause) decides."""
    before = document[max(0, start - 100):start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    before = before[cut:].replace("’", "'")
    if _LEAD_SINCE.search(before):
        return "past"
    lead = _LEAD_FUTURE.search(before)
    # "Until Thursday, they had not called him": opening the clause, the main verb decides.
    if (lead and before[:lead.start()].strip()) or (_FROM_ON[0].search(before) and _FROM_ON[1].match(document, end)):
        return "future"
    if _LEAD_TARGET.search(before):
        return None  # "was extended to Nov. 16", "payable Jan. 2": the verb's tense says nothing
    cues = list(_CUES.finditer(before))
    if cues:
        return _way(cues[-1])
    after = document[end:end + 100]
    after = after[:_CLAUSE_END.search(after).start() if _CLAUSE_END.search(after) else len(after)]
    cue = _CUES.search(after.replace("’", "'"))
    if cue:
        return _way(cue)
    return "future" if lead or _LEAD_BY.search(before) else None


def _way(cue: regex.Match) -> str | None:
    return "future" if cue["future"] else "past" if cue["past"] else None


# ---------------------------------------------------------------------------------------
# the normalizer
# ---------------------------------------------------------------------------------------


_TENS = {"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_SPELLED_YEAR = regex.compile(
    rf"(?i)\b(?:(?P<century>nineteen|eighteen)\s+(?:(?P<tens>{'|'.join(_TENS)})(?:[\s-]+(?P<ones>{'|'.join(_ONES)}))?"
    rf"|(?P<teen>{'|'.join(_TEENS)}))|two\s+thousand(?:\s+and)?(?:\s+(?P<small>{'|'.join(_ONES)}|ten|{'|'.join(_TEENS)}))?)\b")


def _digits(m: regex.Match) -> str:
    """ "nineteen ninety-six" -> "1996", "two thousand and one" -> "2001"."""
    if m["century"]:
        hundreds = {"nineteen": 1900, "eighteen": 1800}[m["century"].lower()]
        if m["teen"]:
            return str(hundreds + _TEENS[m["teen"].lower()])
        return str(hundreds + _TENS[m["tens"].lower()] + _ONES.get((m["ones"] or "").lower(), 0))
    small = (m["small"] or "").lower()
    return str(2000 + (_ONES.get(small) or _TEENS.get(small) or (10 if small == "ten" else 0)))


@normalizer("date")
def date_value(view: MatchView) -> dict[str, Any] | None:
    text = _SPELLED_YEAR.sub(_digits, fold(view.text))
    if _TITLE.match(view.text):
        return None
    direction = tense(view.document, view.start, view.end) if view.doc_date else None
    anchored = _anchored(text, view) if view.doc_date else None
    if anchored is None and view.doc_date and _IN_VIEW.match(text):
        anchored = _in_view(text, view)
    return anchored if anchored is not None else parse_date(text, view.doc_date, direction)


_IN_VIEW = regex.compile(r"(?i)^(?:the\s+|this\s+|that\s+)?(?:(?:latest|current|most\s+recent|comparable|fiscal)\s+)?"
                         r"(?:(?P<back>year-earlier|year-ago)\s*)?(?:quarter|period)?$")


def _anchor_quarter(anchor: regex.Match | None, doc_date: dt.date) -> dt.date:
    """The first day of the quarter an anchor names ("the third quarter of 1989", "the third
    quarter": the closest one); "the quarter" or none: the last one over by the document date."""
    number = _ORDINALS.get(anchor["quarter"].lower()) if anchor else None
    if number is None:
        return _add_months(dt.date(doc_date.year, 3 * ((doc_date.month - 1) // 3) + 1, 1), -3)
    if anchor["qyear"]:
        return dt.date(int(anchor["qyear"]), 3 * number - 2, 1)
    return _place(_span_period(3 * number - 2, 3), doc_date, "closest")


def _in_view(text: str, view: MatchView) -> dict[str, Any]:
    """ "the quarter", "the latest quarter", "the year-earlier period", "year-ago": the
    quarter the text was just talking about (or the last one over by the document date),
    a year back for "year-earlier" and "year-ago"."""
    anchors = [a for a in _ANCHOR.finditer(view.document, max(0, view.start - 1500), view.start)
               if a["quarter"] and a["quarter"].lower() in _ORDINALS]
    first = _anchor_quarter(anchors[-1] if anchors else None, view.doc_date)
    if _IN_VIEW.match(text)["back"]:
        first = first.replace(year=first.year - 1)
    return value(first, "quarter")


_COMPARED_LAST_YEAR = regex.compile(r"(?i)^(?P<way>last)\s+(?P<unit>year)$")
_COMPARISON = regex.compile(r"(?i)\b(?:compared\s+(?:with|to)|from|than|versus|against)\b")
_ANCHOR = regex.compile(
    r"(?i)\b(?:(?P<quarter>first|second|third|fourth|1st|2nd|3rd|4th|the|this|latest)[\s-]+quarter(?:\s+of\s+(?P<qyear>\d{4}))?"
    r"|(?P<year>(?:1[89]|20)\d\d)\b|(?P<rel>last|this|next)\s+year)")
_GRAINS = ("day", "week", "month", "quarter", "year")


def _anchored(text: str, view: MatchView) -> dict[str, Any] | None:
    """ "a year earlier", "the year previous", "a year ago" counted from the period the text
    was just talking about (the last quarter or year named in the 300 characters before),
    as annotators do: "the third quarter ... a year earlier" is the third quarter of the
    year before; "in 2008 ... the year previous" is 2007. None when nothing anchors it
    ("ago" counts from the document date unless a quarter is in view)."""
    m = _AGO.match(text) or _THE_UNIT_BEFORE.match(text) or _COMPARED_LAST_YEAR.match(text)
    if not m or not view.doc_date:
        return None
    if m.re is _COMPARED_LAST_YEAR:
        # "compared with $6.1 million last year" in a report on a quarter: that quarter, a year back
        sentence = view.document[max(0, view.start - 200):view.start]
        sentence = sentence[max((c.end() for c in _CLAUSE_END.finditer(sentence)), default=0):]
        if not _COMPARISON.search(sentence):
            return None
    groups = m.groupdict()
    way = (groups.get("way") or groups.get("way2") or "").lower()
    unit = (groups.get("unit") or groups.get("unit2")).lower()
    if unit not in _GRAINS:
        return None
    if way not in ("ago", "earlier", "before", "previous", "prior", "preceding", "last"):
        return None
    count = 1
    if groups.get("count"):
        count = int(m["count"]) if m["count"].isdigit() else _NUMBER_WORDS.get(m["count"].lower()) or 0
    anchors = list(_ANCHOR.finditer(view.document, max(0, view.start - 1500), view.start))
    near = [a for a in anchors if a["quarter"] or a.start() >= view.start - 300]  # a year: close by
    if not near or not count:
        return None
    a = near[-1]
    if m.re is _COMPARED_LAST_YEAR and not a["quarter"]:
        return None
    if a["quarter"]:
        first, grain = _anchor_quarter(a, view.doc_date), "quarter"
    elif way == "ago":
        return None
    elif a["year"]:
        first, grain = dt.date(int(a["year"]), 1, 1), "year"
    else:
        first, grain = dt.date(_year_shift(a["rel"].lower(), view.doc_date), 1, 1), "year"
    if _GRAINS.index(unit) < _GRAINS.index(grain) and unit != "year":
        return None  # "two months earlier" than a year: no telling which month
    if unit == "year":
        return value(first.replace(year=first.year - count), grain)
    return value(_shift(first, unit, -count), unit)


# "This Week", capitalised inside a sentence, is a programme's title
_TITLE = regex.compile(r"^(?:This|this) Week$")


def parse_date(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """``{"date": "YYYY-MM-DD" | None, "grain": ..., "timex": ..., "mod": ...}`` for a date
    expression, or None. A date that states its year depends on neither the document date
    nor the tense: cached once."""
    if _HAS_YEAR.search(text) and not _RELATIVE_TO_YEAR.search(text):
        doc_date, direction = None, None
    return _parse_date(text, doc_date, direction)


_HAS_YEAR = regex.compile(r"\b\d{4}\b|\b\d{3}0'?s\b|century")
_RELATIVE_TO_YEAR = regex.compile(r"(?i)\b(?:ago|earlier|later|before|after|previous)\b")


@lru_cache(maxsize=16384)
def _parse_date(text: str, doc_date: dt.date | None, direction: str | None) -> dict[str, Any] | None:
    for parse in _PARSERS:
        value = parse(text, doc_date, direction)
        if value is False:
            return None
        if value is not None:
            return value
    return _general(text, doc_date)


def value(day: dt.date | None, grain: str, mod: str | None = None, **extra: Any) -> dict[str, Any]:
    """The DATE value of the period of ``grain`` that begins on ``day``."""
    out: dict[str, Any] = {"date": day.isoformat() if day else None, "grain": grain, "timex": timex(day, grain)}
    if mod:
        out["mod"] = mod
    out.update(extra)
    return out


def timex(day: dt.date | None, grain: str, part: str | None = None) -> str | None:
    """The TIMEX3 value of the period of ``grain`` that begins on ``day``: "2012-08-03",
    "2013-W12", "2012-08", "2011-Q3", "2011-H1", "2012-SU", "2012", "199" (the 1990s), "19"
    (the 20th century)."""
    if day is None:
        return None
    y = f"{day.year:04d}"
    if grain == "day":
        return day.isoformat() + (f"T{part}" if part else "")
    if grain == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if grain == "month":
        return f"{y}-{day.month:02d}"
    if grain == "quarter":
        return f"{y}-Q{(day.month - 1) // 3 + 1}"
    if grain == "half":
        return f"{y}-H{1 if day.month < 7 else 2}"
    if grain == "season":
        return f"{y}-{next(code for code, month in SEASONS.values() if month == day.month)}"
    if grain == "year":
        return y
    if grain == "decade":
        return y[:3]
    if grain == "century":
        return y[:2]
    raise ValueError(f"unknown grain {grain!r}")


def _mod(word: str | None) -> str | None:
    return MODS[word.split()[0].lower()] if word else None


# ---------------------------------------------------------------------------------------
# choosing the year of a date named without one
# ---------------------------------------------------------------------------------------


def _place(period: Callable[[int], tuple[dt.date, dt.date]], doc_date: dt.date, direction: str | None,
           default: str | None = None) -> dt.date:
    """The start of the period ``period(year)`` (first and last day) that the direction picks:
    ``past`` the last one begun by the document date, ``future`` the first one not over by it, otherwise the one whose first day is nearest
    (the earlier on a tie)."""
    direction = direction or default
    options = []
    for year in range(doc_date.year - 4, doc_date.year + 5):
        try:
            options.append(period(year))
        except ValueError:  # 29 February
            continue
    if direction == "past":
        return max(first for first, _ in options if first <= doc_date)
    if direction == "future":
        return min(first for first, last in options if last >= doc_date)
    if direction == "closest":
        return min(options, key=lambda p: (max((p[0] - doc_date).days, (doc_date - p[1]).days, 0), p[0]))[0]
    return min((first for first, _ in options), key=lambda d: (abs((d - doc_date).days), d))


def _month_period(month: int, day: int | None) -> Callable[[int], tuple[dt.date, dt.date]]:
    def period(year: int) -> tuple[dt.date, dt.date]:
        if day:
            when = dt.date(year, month, day)
            return when, when
        return dt.date(year, month, 1), _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return period


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _span_period(first_month: int, months: int) -> Callable[[int], tuple[dt.date, dt.date]]:
    def period(year: int) -> tuple[dt.date, dt.date]:
        first = dt.date(year, first_month, 1)
        return first, _add_months(first, months) - dt.timedelta(days=1)
    return period


def _year_shift(rel: str | None, doc_date: dt.date | None) -> int | None:
    """The year that "this/next/last year" names, or None."""
    if not rel or doc_date is None:
        return None
    rel = rel.lower().split()[-1]
    return doc_date.year + {"this": 0, "current": 0, "same": 0, "next": 1, "last": -1, "previous": -1}[rel]


# ---------------------------------------------------------------------------------------
# the forms
# ---------------------------------------------------------------------------------------

# "jan", "jan." or "january"; "sept" too
_MONTH_NAME = r"(?P<month>" + "|".join(m[:3] + (m[3:] and f"(?:{'t|' if m == 'september' else ''}{m[3:]})?") for m in _MONTHS) + r")\.?"
_WEEKDAY_NAME = "|".join(WEEKDAYS)
_CALENDAR = regex.compile(
    rf"(?i)^(?:(?P<weekday>{_WEEKDAY_NAME}),?\s+)?(?P<shift>last|next|this|past|coming)?\s*{_MOD}(?:the\s+)?"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}"
    rf"|{_MONTH_NAME.replace('month', 'month2')}\s+(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|{_MONTH_NAME.replace('month', 'month3')})"
    rf"(?:,?\s+(?:of\s+)?(?P<year>\d{{4}})|,?\s+{_REL_YEAR})?$"
)


def _calendar(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """The calendar forms news uses most, read here rather than by dateparser (a thousand
    times faster): "14 March 2024", "March 14, 2024", "the 14th of March", "Tuesday, 14 March",
    "mid-March", "March 2024", "April of this year", "July last year", "last October".
    Anything else goes to ``_general``, which gives the same answers for these (a test
    compares the two when no tense is known)."""
    m = _CALENDAR.match(text)
    if not m:
        return None
    month = _month_number(m["month"] or m["month2"] or m["month3"])
    day = int(m["day"] or m["day2"] or 0) or None
    grain, mod = ("day" if day else "month"), _mod(m["mod"])
    shift = (m["shift"] or "").lower()
    if shift and day:
        return None
    year = int(m["year"]) if m["year"] else _year_shift(m["rel"], doc_date)
    if year is None and doc_date is None:
        return value(None, grain, mod)
    try:
        if year is not None:
            return value(dt.date(year, month, day or 1), grain, mod)
        period = _month_period(month, day)
        period(2000)  # 31 February is no date in any year
    except ValueError:
        return None
    if shift in ("last", "past"):  # "last October": the last one before this month
        direction, doc_date = "past", _add_months(doc_date.replace(day=1), -1)
    elif shift in ("next", "coming"):
        direction, doc_date = "future", _add_months(doc_date.replace(day=1), 1)
    elif shift == "this":
        return value(dt.date(doc_date.year, month, 1), grain, mod)
    if day and direction is not None:
        doc_date = _month_edge(doc_date, direction)
    placed = _place(period, doc_date, direction)
    if day and m["weekday"]:
        placed = _on_weekday(placed, m["weekday"])
    return value(placed, grain, mod)


def _month_edge(doc_date: dt.date, direction: str) -> dt.date:
    """Tense places a day by its month: in the document's own month a past-tense clause can
    name a day still ahead ("gave no reason for the Jan. 14 deadline", written on 5 January)
    and a future one a day just gone, so the whole month counts as now."""
    first = doc_date.replace(day=1)
    return _add_months(first, 1) - dt.timedelta(days=1) if direction == "past" else first


def _on_weekday(placed: dt.date, weekday: str) -> dt.date:
    """A weekday named with the date settles its year ("Saturday, April 25"): the one year
    next to the placed one in which that date falls on that day, if there is exactly one."""
    want = WEEKDAYS.index(weekday.lower())
    fits = []
    for year in (placed.year - 1, placed.year, placed.year + 1):
        try:
            if dt.date(year, placed.month, placed.day).weekday() == want:
                fits.append(year)
        except ValueError:  # 29 February
            continue
    return placed.replace(year=fits[0]) if len(fits) == 1 else placed


_WEEKDAY = regex.compile(
    rf"(?i)^(?:(?P<shift>last|next|this|past|coming)\s+)?(?P<day>{_WEEKDAY_NAME})(?:'s)?"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?$")


def _weekday(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "Tuesday", "last Wednesday", "next Friday", "Friday afternoon" (grain day, ``part``
    the TIMEX3 part of day: MO, AF, EV, NI): without "last" or "next", the last such day up to the
    document date, or the first from it when the clause looks forward."""
    m = _WEEKDAY.match(text)
    if not m:
        return None
    part = PARTS_OF_DAY.get((m["part"] or "").lower())
    if doc_date is None:
        return value(None, "day", **({"part": part} if part else {}))
    target = WEEKDAYS.index(m["day"].lower())
    shift = (m["shift"] or "").lower()
    back = (doc_date.weekday() - target) % 7
    ahead = (target - doc_date.weekday()) % 7
    if shift in ("next", "coming"):
        day = doc_date + dt.timedelta(days=ahead or 7)
    elif shift in ("last", "past"):
        day = doc_date - dt.timedelta(days=back or 7)
    elif direction == "future":
        day = doc_date + dt.timedelta(days=ahead)
    else:
        day = doc_date - dt.timedelta(days=back)
    return value(day, "day", **({"part": part} if part else {}))


_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}


def _day_word(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    shift = _DAY_WORDS.get(text.lower())
    if shift is None:
        return None
    return value(doc_date + dt.timedelta(days=shift) if doc_date else None, "day")


_QUARTER = regex.compile(
    rf"(?i)^{_MOD}(?:the\s+)?(?:(?P<year2>\d{{4}})\s+|(?P<rel2>this|last|next)\s+year\s*'s\s+)?"
    rf"(?:(?P<word>\w+)[\s-]+quarter|q(?P<number>[1-4]))"
    rf"(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<year>\d{{4}})|{_REL_YEAR}))?$")
_HALF = regex.compile(
    rf"(?i)^(?:the\s+)?(?:(?P<word>first|second|1st|2nd|latter)\s+half|h(?P<number>[12]))"
    rf"(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<year>\d{{4}})|{_REL_YEAR}))?$")


def _quarter(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "the third quarter", "Q3 2024", "the fourth quarter of last year". Without a year, the
    one closest to the document date, whatever the tense (a report in January 2010 on "the
    fourth quarter" means 2009's, one in November 2009 too; "will publish third-quarter
    results" in October is this year's)."""
    m = _QUARTER.match(text)
    if not m:
        return None
    number = int(m["number"]) if m["number"] else _ORDINALS.get(m["word"].lower())
    return None if number is None else _part_of_year(m, number, 3, "quarter", doc_date, direction)


def _half(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    m = _HALF.match(text)
    if not m:
        return None
    number = int(m["number"]) if m["number"] else (1 if m["word"].lower() in ("first", "1st") else 2)
    return _part_of_year(m, number, 6, "half", doc_date, direction)


def _part_of_year(m, number: int, months: int, grain: str, doc_date, direction) -> dict[str, Any]:
    first_month = months * (number - 1) + 1
    groups = m.groupdict()
    year = int(m["year"] or groups.get("year2") or 0) or _year_shift(m["rel"] or groups.get("rel2"), doc_date)
    if year is None and doc_date is None:
        return value(None, grain, _mod(m.groupdict().get("mod")))
    if year is None:
        # the nearest, whatever the tense: "will publish third-quarter results" in October
        # is this year's, a report in January on "the fourth quarter" last year's
        return value(_place(_span_period(first_month, months), doc_date, "closest"), grain, _mod(m.groupdict().get("mod")))
    return value(dt.date(year, first_month, 1), grain, _mod(m.groupdict().get("mod")))


_SEASON = regex.compile(
    rf"(?i)^(?P<shift>this\s+past|last|next|this|past|coming)?\s*{_MOD}(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)"
    rf"(?:\s+(?:of\s+)?(?:(?P<year>\d{{4}})|{_REL_YEAR}))?$")


def _season(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "this summer", "next spring", "last winter", "autumn 2009", "the summer of 2010". The
    date and grain are the year's (as news gold gives "fall 2007"); ``season`` and the
    TIMEX3 value ("2007-FA") name the season."""
    m = _SEASON.match(text)
    if not m:
        return None
    code, month = SEASONS[m["season"].lower()]
    mod = _mod(m["mod"])
    year = int(m["year"]) if m["year"] else _year_shift(m["rel"], doc_date)
    if year is None and doc_date is None:
        return {"date": None, "grain": "year", "timex": None, **({"mod": mod} if mod else {}), "season": code}
    if year is None:
        shift, period = " ".join((m["shift"] or "").lower().split()), _span_period(month, 3)
        if shift == "this":
            current = _place(period, doc_date, "past")
            year = (current if _add_months(current, 3) > doc_date else dt.date(doc_date.year, month, 1)).year
        else:
            if shift in ("last", "past", "this past"):
                direction, doc_date = "past", _add_months(doc_date.replace(day=1), -3)
            elif shift in ("next", "coming"):
                direction, doc_date = "future", _add_months(doc_date.replace(day=1), 3)
            year = _place(period, doc_date, direction).year
    out = value(dt.date(year, 1, 1), "year", mod, season=code)
    out["timex"] = f"{year:04d}-{code}"
    return out


_YEAR = regex.compile(rf"(?i)^{_MOD}(?:(?:the\s+)?(?:fiscal|financial|calendar|model)\s+(?:year\s+)?|(?:the\s+)?year\s+)?"
                      r"(?:fy\s*)?(?P<year>\d{4})(?:'s)?$")
_RANGE = regex.compile(r"(?i)^(?:(?:fiscal|financial)\s+(?:years?\s+)?)?(?P<first>\d{4})\s*(?:-|/|to|and)\s*(?P<last>\d{4}|\d{2})$")


def _year(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "2014", "fiscal 2024", "early 2011" (mod START), "the year 2000", "2019's"."""
    m = _YEAR.match(text)
    return value(dt.date(int(m["year"]), 1, 1), "year", _mod(m["mod"])) if m else None


def _range(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None | bool:
    """ "2015-2016", "1998-99": the first year, with ``until`` the first day of the last."""
    m = _RANGE.match(text)
    if not m:
        return None
    first, last = int(m["first"]), m["last"]
    last = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
    if last <= first:
        return False  # "a 2019-17 win": a score, no range
    return value(dt.date(first, 1, 1), "year", until=f"{last:04d}-01-01")


_DECADE = regex.compile(rf"(?i)^{_MOD}(?:the\s+)?(?P<decade>\d{{3}})0'?s$")
_CENTURY = regex.compile(
    rf"(?i)^{_MOD}(?:the\s+)?(?:(?P<number>\d{{1,2}})(?:st|nd|rd|th)|(?P<word>{'|'.join(_CENTURY_WORDS)}))[\s-]+century$")


def _decade(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "the 1990s", "the mid-1980s", "the late 1980's": TIMEX3 "199", "198"."""
    m = _DECADE.match(text)
    return value(dt.date(int(m["decade"]) * 10, 1, 1), "decade", _mod(m["mod"])) if m else None


def _century(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "the 20th century" (1900-1999, TIMEX3 "19"), "the early twenty-first century"."""
    m = _CENTURY.match(text)
    if not m:
        return None
    number = int(m["number"]) if m["number"] else _CENTURY_WORDS[m["word"].lower()]
    return value(dt.date((number - 1) * 100, 1, 1), "century", _mod(m["mod"])) if 1 < number < 100 else None


_UNITS = ("day", "week", "month", "year")
_AGO = regex.compile(
    r"(?i)^(?P<count>\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(?P<unit>day|week|month|year|decade)s?\s+"
    r"(?P<way>ago|earlier|before|previously|later|after|hence|from\s+now)$")
_THE_UNIT_BEFORE = regex.compile(
    r"(?i)^the\s+(?:(?P<unit>day|week|month|year)\s+(?P<way>before|previous|prior|earlier|after|following)"
    r"|(?P<way2>previous|prior|preceding|following|next)\s+(?P<unit2>day|week|month|year))$")


def _ago(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "three years ago", "a year earlier", "two months later", "the year previous", "the
    previous year", "the following week": counted from the document date."""
    m = _AGO.match(text)
    if m:
        count = _NUMBER_WORDS.get(m["count"].lower(), 0) if not m["count"].isdigit() else int(m["count"])
        if not count:
            return None
        unit, sign = m["unit"].lower(), (1 if m["way"].lower() in ("later", "after", "hence", "from now") else -1)
        if unit == "decade":
            unit, count = "year", count * 10
    else:
        m = _THE_UNIT_BEFORE.match(text)
        if not m:
            return None
        unit, way = (m["unit"] or m["unit2"]).lower(), (m["way"] or m["way2"]).lower()
        count, sign = 1, (1 if way in ("after", "following", "next") else -1)
    if doc_date is None:
        return value(None, unit)
    return value(_shift(doc_date, unit, sign * count), unit)


def _shift(day: dt.date, unit: str, count: int) -> dt.date:
    """The first day of the period of ``unit`` ``count`` periods from the one holding ``day``."""
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=count)
    if unit == "month":
        return _add_months(day.replace(day=1), count)
    return dt.date(day.year + count, 1, 1)


_PERIOD = regex.compile(
    r"(?i)^(?:(?P<mod>early|mid|late|earlier|later)[\s-]+|(?:the\s+)?(?P<edge>beginning|start|middle|end)\s+of\s+)?"
    r"(?:the\s+)?(?P<shift>last|past|this|next|coming|current|previous|(?<=of\s+)the)\s+(?P<unit>week|weekend|month|year)$")


def _relative_period(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "last week" (its Monday), "this month" (its first day), "next weekend" (its Saturday),
    "late last year" (mod END), "earlier this month", "the previous year", "the end of the
    month" (this month, mod END), "the start of next year"."""
    m = _PERIOD.match(text)
    if not m:
        return None
    unit = m["unit"].lower()
    grain = "week" if unit == "weekend" else unit
    mod = MODS.get((m["mod"] or m["edge"] or "").lower())
    if doc_date is None:
        return value(None, grain, mod)
    shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "the": 0, "current": 0, "next": 1, "coming": 1}[m["shift"].lower()]
    day = _shift(doc_date, grain, shift)
    if unit == "weekend":
        return {"date": (day + dt.timedelta(days=5)).isoformat(), "grain": "week", "timex": timex(day, "week") + "-WE"}
    return value(day, grain, mod)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


# Holidays news dates by: the day each falls on in a year.
HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "christmas": lambda y: dt.date(y, 12, 25),
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "independence day": lambda y: dt.date(y, 7, 4),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
    "easter": _easter,
}
_HOLIDAY = regex.compile(
    r"(?i)^(?P<shift>last|next|this)?\s*(?P<name>thanksgiving|christmas eve|christmas|new year's day|new year's eve|"
    r"independence day|election day|easter)(?:\s+day)?(?P<week>\s+week)?(?:\s+(?P<year>\d{4}))?$")


def _holiday(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "Thanksgiving Day", "last Christmas", "Easter week", "Election Day 1998"."""
    m = _HOLIDAY.match(text)
    if not m:
        return None
    day_of = HOLIDAYS[m["name"].lower()]
    grain = "week" if m["week"] else "day"
    if m["year"]:
        return value(_shift(day_of(int(m["year"])), grain, 0), grain)
    if doc_date is None:
        return value(None, grain)
    shift = (m["shift"] or "").lower()
    direction = {"last": "past", "next": "future"}.get(shift, direction)
    day = _place(lambda y: (day_of(y), day_of(y)), doc_date, direction)
    return value(_shift(day, grain, 0), grain)


_WEEKEND = regex.compile(r"(?i)^the\s+weekend$")


def _weekend(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "the weekend": the last one up to the document date, or the next one when the
    clause looks forward; TIMEX3 "1990-W32-WE"."""
    if not _WEEKEND.match(text):
        return None
    if doc_date is None:
        return value(None, "week")
    saturday = doc_date + dt.timedelta(days=(5 - doc_date.weekday()) % 7)
    if direction != "future" and saturday > doc_date + dt.timedelta(days=1) and doc_date.weekday() < 5:
        saturday -= dt.timedelta(weeks=1)
    out = value(saturday, "week")
    out["timex"] = timex(saturday - dt.timedelta(days=saturday.weekday()), "week") + "-WE"
    return out


_YEAR_IN_VIEW = regex.compile(
    r"(?i)^(?:(?:the|this|that)\s+(?:(?:full|fiscal|current|latest|current\s+fiscal|latest\s+fiscal)\s+)year"
    r"|(?P<end>(?:around\s+)?year[\s-]end|year's\s+end))$")


def _year_in_view(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "the fiscal year", "the full year", "the current year", "year-end" (mod END): the
    document's year."""
    m = _YEAR_IN_VIEW.match(text)
    if not m:
        return None
    return value(dt.date(doc_date.year, 1, 1) if doc_date else None, "year", "END" if m["end"] else None)


_VAGUE_AGO = regex.compile(r"(?i)^(?:a\s+few|several|many|some)\s+(?:years|months|weeks|days)\s+ago$")


def _vague_ago(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "a few years ago", "several months ago": some time before the document date
    (TIMEX3 PAST_REF), no date."""
    if not _VAGUE_AGO.match(text):
        return None
    unit = regex.search(r"(?i)(year|month|week|day)", text).group(1).lower()
    return {"date": None, "grain": unit, "timex": "PAST_REF"}


_DAY_ONLY = regex.compile(r"(?i)^the\s+(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)$")


def _day_only(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    """ "the 5th": a day of the month, placed like a month ("met on the 5th" the last 5th up
    to the document date, "until the 5th" the next one, otherwise the nearest)."""
    m = _DAY_ONLY.match(text)
    if not m:
        return None
    if doc_date is None:
        return value(None, "day")
    day, options = int(m["day"]), []
    for shift in range(-2, 3):
        month = _add_months(doc_date.replace(day=1), shift)
        if day <= calendar.monthrange(month.year, month.month)[1]:
            options.append(month.replace(day=day))
    if direction == "past":
        options = [d for d in options if d <= doc_date]
    elif direction == "future":
        options = [d for d in options if d >= doc_date]
    return value(min(options, key=lambda d: (abs((d - doc_date).days), d)), "day")


def _iso(text: str, doc_date: dt.date | None, direction: str | None = None) -> dict[str, Any] | None:
    try:
        return value(dt.date.fromisoformat(text), "day") if len(text) == 10 else None
    except ValueError:
        return None


_PARSERS = (_iso, _calendar, _weekday, _day_word, _quarter, _half, _season, _range, _year, _decade, _century,
            _ago, _relative_period, _holiday, _weekend, _year_in_view, _vague_ago, _day_only)


_HAS_DAY = regex.compile(r"(?i)(?<!\d)\d{1,2}(?:st|nd|rd|th)?(?!\d)|yesterday|today|tomorrow|\bday\b")
_MONTH = regex.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b")
_RELATIVE = regex.compile(r"(?i)\b(?:last|next|this|past|ago|yesterday|today|tomorrow)\b")
_NOISE = regex.compile(r"(?i)^(?:early|mid|late|the)[\s-]+")


def _general(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    """Any other form, by dateparser."""
    grain = _grain(text)
    if doc_date is None and not regex.search(r"\b\d{4}\b", text):
        return value(None, grain)
    import dateparser  # imported on first use: it takes a moment to load

    base = dt.datetime.combine(doc_date or dt.date(2000, 1, 1), dt.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if grain in ("month", "day"):
        settings["PREFER_DATES_FROM"] = "current_period"
    parsed = dateparser.parse(_NOISE.sub("", text), languages=["en"], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    if doc_date and not regex.search(r"\b\d{4}\b", text) and grain in ("day", "month") and not _RELATIVE.search(text):
        day = _place(_month_period(day.month, day.day if grain == "day" else None), doc_date, None)
    return value(_shift(day, grain, 0), grain)


def _grain(text: str) -> str:
    lowered = text.lower()
    if "week" in lowered:
        return "week"
    if "year" in lowered and not _MONTH.search(text):
        return "year"
    if "month" in lowered or (_MONTH.search(text) and not _HAS_DAY.search(_MONTH.sub("", text))):
        return "month"
    return "day"


_DATELINE = regex.compile(
    rf"(?i)\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+(?P<year>\d{{4}})"
    rf"|{_MONTH_NAME.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b"
)
DATELINE_WINDOW = 400


def find_dateline(text: str) -> dt.date | None:
    """The first full date near the top of a document: its publication date, as news
    datelines give it ("GENEVA, 14 March 2024 -", "March 14, 2024", "2024-03-14")."""
    for m in _DATELINE.finditer(text, 0, DATELINE_WINDOW):
        try:
            if m.group("iso"):
                return dt.date.fromisoformat(m.group("iso"))
            month = m.group("month") or m.group("month2")
            day, year = m.group("day") or m.group("day2"), m.group("year") or m.group("year2")
            return dt.date(int(year), _month_number(month), int(day))
        except ValueError:
            continue
    return None


def _month_number(name: str) -> int:
    prefix = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(prefix))
