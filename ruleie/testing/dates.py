"""Hypothesis strategies for date mentions, for rule authors' property tests.

``dates(doc_date)`` draws a date and writes it the way news text does ("26 July 2018",
"March 14, 2024", "last Wednesday", "the third quarter", "Q3 2024", "mid-March", "in 2018"),
giving a :class:`DateMention`: a ``(text, expected)`` pair, where ``expected`` is the DATE
value (docs/output.md: ``{"date": "YYYY-MM-DD", "grain": ..., "timex": ...}``) relative to ``doc_date``.
The expected values are computed here with plain calendar arithmetic, independently of the
``date`` normalizer (which uses dateparser), so that they can check it:

* a weekday alone is the most recent such day on or before the document date; "last" and
  "past" go back a week when it is that day; "next" is the first one after it;
* a day or month without a year is the last one on or before the document date (the
  mentions are written for past-tense sentences: "Residents gathered in March"); a quarter
  without a year is the one holding the document date or closest to it;
* coarser grains give the first day of their period (weeks start on Monday);
* "last/next/this week|month|year" are the period before, after or around the document date.

Some forms need a word around them to be a DATE at all: a bare year is one only after a word
such as "in" or "since" (``mention.lead``), or before a possessive "'s" (``mention.trail``).

    from hypothesis import given, strategies as st
    from ruleie.testing import dates

    @given(st.dates().flatmap(lambda d: st.tuples(st.just(d), dates(d))))
    def test_dates(dated):
        doc_date, (text, expected) = dated
        ...
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Callable

from hypothesis import strategies as st

__all__ = ["DateMention", "dates", "DATE_FORMS", "expected_date"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# Abbreviations the DATE pack's month lexicon lists (with and without the dot); May has none.
_ABBREVIATIONS = {1: ["Jan"], 2: ["Feb"], 3: ["Mar"], 4: ["Apr"], 6: ["Jun"], 7: ["Jul"], 8: ["Aug"],
                  9: ["Sep", "Sept"], 10: ["Oct"], 11: ["Nov"], 12: ["Dec"]}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_QUARTER_WORDS = {1: ["first", "1st"], 2: ["second", "2nd"], 3: ["third", "3rd"],
                  4: ["fourth", "4th", "final"]}
# Words before a year that stay outside its span ("early", "late" and "mid" are part of it:
# "early 2011" is one DATE with its mod).
_YEAR_LEADS = ("in", "since", "by", "until", "from", "during", "before", "after", "of",
               "end of", "start of", "beginning of", "through", "In", "Since")

#: The forms ``dates`` can write.
DATE_FORMS = ("calendar", "day_month", "month_year", "month", "weekday", "relative", "quarter",
              "iso", "year")


class DateMention(tuple):
    """``(text, expected)``; ``lead``/``trail``: words that must stand right before/after the
    text for it to be a date ("in" before a bare year), not part of the mention."""

    lead: str
    trail: str

    def __new__(cls, text: str, expected: dict[str, Any], lead: str = "", trail: str = ""):
        self = super().__new__(cls, (text, expected))
        self.lead = lead
        self.trail = trail
        return self

    @property
    def text(self) -> str:
        return self[0]

    @property
    def expected(self) -> dict[str, Any]:
        return self[1]

    def __repr__(self) -> str:
        extra = "".join(f", {k}={getattr(self, k)!r}" for k in ("lead", "trail") if getattr(self, k))
        return f"DateMention({self[0]!r}, {self[1]!r}{extra})"


def expected_date(day: dt.date | None, grain: str, mod: str | None = None) -> dict[str, Any]:
    """The DATE value: the first day of the period of ``grain`` that holds ``day``, its
    TIMEX3 value, and ``mod`` (START, MID, END) when given."""
    out = _expected_date(day, grain)
    if mod:
        out["mod"] = mod
    return out


def _expected_date(day: dt.date | None, grain: str) -> dict[str, Any]:
    if day is None:
        return {"date": None, "grain": grain, "timex": None}
    if grain == "week":
        day -= dt.timedelta(days=day.weekday())
    elif grain == "month":
        day = day.replace(day=1)
    elif grain == "quarter":
        day = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    elif grain == "year":
        day = dt.date(day.year, 1, 1)
    return {"date": day.isoformat(), "grain": grain, "timex": _timex(day, grain)}


def _timex(day: dt.date, grain: str) -> str:
    if grain == "day":
        return day.isoformat()
    if grain == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if grain == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if grain == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


def _nearest(month: int, day: int, doc_date: dt.date) -> dt.date:
    """The date with this month and day that a past-tense sentence means: the last one on or
    before ``doc_date`` (for a month, ``day`` 1: the last month begun by then)."""
    options = []
    for year in range(max(dt.MINYEAR, doc_date.year - 4), min(dt.MAXYEAR, doc_date.year + 4) + 1):
        if day <= calendar.monthrange(year, month)[1]:
            options.append(dt.date(year, month, day))
    return max(d for d in options if d <= doc_date)


def _closest_quarter(number: int, doc_date: dt.date) -> int:
    """The year of the quarter ``number`` holding ``doc_date`` or closest to it."""
    def distance(year: int) -> tuple[int, int]:
        first = dt.date(year, 3 * number - 2, 1)
        last = dt.date(year + (number == 4), (3 * number) % 12 + 1, 1) - dt.timedelta(days=1)
        return max((first - doc_date).days, (doc_date - last).days, 0), year
    return min(range(doc_date.year - 1, doc_date.year + 2), key=distance)


def _ordinal_suffix(n: int) -> str:
    return "th" if n in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


@st.composite
def _month_name(draw: Callable, month: int) -> str:
    names = [MONTHS[month - 1]]
    for abbreviation in _ABBREVIATIONS.get(month, []):
        names += [abbreviation, abbreviation + "."]
    return draw(st.sampled_from(names))


@st.composite
def _day_text(draw: Callable, day: int) -> str:
    forms = [str(day), f"{day}{_ordinal_suffix(day)}"]
    if day < 10:
        forms.append(f"0{day}")
    return draw(st.sampled_from(forms))


_ANY_DAY = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    st.sampled_from([dt.date(2016, 2, 29), dt.date(2000, 2, 29), dt.date(2019, 12, 31), dt.date(2020, 1, 1)]),
)


@st.composite
def _calendar(draw: Callable, doc_date: dt.date, with_year: bool) -> DateMention:
    """ "26 July 2018", "26th of July, 2018", "July 26, 2018", "Thursday, 26 July 2018";
    without a year, "26 July", "Sept. 26"."""
    day = draw(_ANY_DAY)
    month, day_text = draw(_month_name(day.month)), draw(_day_text(day.day))
    year = f"{draw(st.sampled_from(['', ',']))} {day.year}" if with_year else ""
    text = draw(st.sampled_from([
        f"{day_text} {month}{year}",
        f"{day_text} of {month}{year}",
        f"{month} {day_text}{year}",
    ]))
    target = day if with_year else _nearest(day.month, day.day, doc_date)
    if with_year and draw(st.booleans()):
        text = f"{WEEKDAYS[day.weekday()]}{draw(st.sampled_from(['', ',']))} {text}"
    return DateMention(text, expected_date(target, "day"))


@st.composite
def _month_year(draw: Callable) -> DateMention:
    """ "July 2018", "Sept. 2018", "March, 2024"."""
    day = draw(_ANY_DAY)
    text = f"{draw(_month_name(day.month))}{draw(st.sampled_from(['', ',']))} {day.year}"
    return DateMention(text, expected_date(day, "month"))


@st.composite
def _month(draw: Callable, doc_date: dt.date) -> DateMention:
    """ "September", "early March", "late May", "mid-July": the nearest such month."""
    month = draw(st.integers(1, 12))
    name = MONTHS[month - 1]
    mod = draw(st.sampled_from(["", "early", "late", "mid"]))
    text = f"{mod}-{name}" if mod == "mid" else f"{mod} {name}".strip()
    return DateMention(text, expected_date(_nearest(month, 1, doc_date), "month",
                                           {"early": "START", "mid": "MID", "late": "END"}.get(mod)))


@st.composite
def _weekday(draw: Callable, doc_date: dt.date) -> DateMention:
    """ "Tuesday", "last Wednesday", "past Friday", "next Monday"."""
    target = draw(st.integers(0, 6))
    modifier = draw(st.sampled_from(["", "last", "past", "next"]))
    back = (doc_date.weekday() - target) % 7
    if modifier in ("last", "past") and back == 0:
        back = 7
    if modifier == "next":
        day = doc_date + dt.timedelta(days=(target - doc_date.weekday()) % 7 or 7)
    else:
        day = doc_date - dt.timedelta(days=back)
    text = f"{modifier} {WEEKDAYS[target]}".strip()
    return DateMention(text, expected_date(day, "day"))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@st.composite
def _relative(draw: Callable, doc_date: dt.date) -> DateMention:
    """ "yesterday", "today", "tomorrow", "last week", "next month", "this year"."""
    word = draw(st.sampled_from(["yesterday", "today", "tomorrow", "period"]))
    if word != "period":
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[word]
        text = draw(st.sampled_from([word, word.capitalize()]))
        return DateMention(text, expected_date(doc_date + dt.timedelta(days=shift), "day"))
    modifier = draw(st.sampled_from(["last", "next", "this"]))
    period = draw(st.sampled_from(["week", "month", "year"]))
    step = {"last": -1, "next": 1, "this": 0}[modifier]
    if period == "week":
        day = doc_date + dt.timedelta(weeks=step)
    elif period == "month":
        day = _add_months(doc_date, step)
    else:
        day = dt.date(doc_date.year + step, 1, 1)
    return DateMention(f"{modifier} {period}", expected_date(day, period))


@st.composite
def _quarter(draw: Callable, doc_date: dt.date) -> DateMention:
    """ "the third quarter", "3rd quarter of 2023", "fourth-quarter", "Q3", "Q3 2024",
    "the first quarter of next year"."""
    number = draw(st.integers(1, 4))
    year_kind = draw(st.sampled_from(["none", "year", "relative"]))
    year, year_text = (doc_date.year if year_kind != "none" else _closest_quarter(number, doc_date)), ""
    if year_kind == "year":
        year = draw(st.integers(1900, 2099))
    if draw(st.booleans()):
        if year_kind == "year":
            year_text = f" {year}"
        return DateMention(f"Q{number}{year_text}", expected_date(dt.date(year, 3 * number - 2, 1), "quarter"))
    if year_kind == "year":
        year_text = f" of {year}"
    elif year_kind == "relative":
        which = draw(st.sampled_from(["this", "next", "last"]))
        year += {"this": 0, "next": 1, "last": -1}[which]
        year_text = f" of {which} year"
    words = list(_QUARTER_WORDS[number])
    if number == 4 and year_kind != "none":
        words.append("last")  # "the last quarter" alone could be the one before this one
    word = draw(st.sampled_from(words))
    text = f"{draw(st.sampled_from(['', 'the ']))}{word}{draw(st.sampled_from([' ', '-']))}quarter{year_text}"
    return DateMention(text, expected_date(dt.date(year, 3 * number - 2, 1), "quarter"))


@st.composite
def _iso(draw: Callable) -> DateMention:
    day = draw(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
    return DateMention(day.isoformat(), expected_date(day, "day"))


@st.composite
def _year(draw: Callable) -> DateMention:
    """ "2018" after "in", "since", ...; or before "'s"."""
    year = draw(st.integers(1800, 2099))
    value = expected_date(dt.date(year, 1, 1), "year")
    if draw(st.booleans()):
        return DateMention(str(year), value, lead=draw(st.sampled_from(_YEAR_LEADS)) + " ")
    return DateMention(str(year), value, trail=draw(st.sampled_from(["'s", "’s"])))


@st.composite
def dates(draw: Callable, doc_date: dt.date, forms: list[str] | None = None) -> DateMention:
    """A date mention as news writes it and the DATE value it has in a document dated
    ``doc_date``. ``forms`` restricts the forms (``DATE_FORMS``; default all)."""
    form = draw(st.sampled_from(list(forms or DATE_FORMS)))
    if form == "calendar":
        return draw(_calendar(doc_date, with_year=True))
    if form == "day_month":
        return draw(_calendar(doc_date, with_year=False))
    if form == "month_year":
        return draw(_month_year())
    if form == "month":
        return draw(_month(doc_date))
    if form == "weekday":
        return draw(_weekday(doc_date))
    if form == "relative":
        return draw(_relative(doc_date))
    if form == "quarter":
        return draw(_quarter(doc_date))
    if form == "iso":
        return draw(_iso())
    if form == "year":
        return draw(_year())
    raise ValueError(f"unknown date form {form!r} (known: {', '.join(DATE_FORMS)})")
