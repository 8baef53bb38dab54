"""The ``date`` normalizer: an ISO date and a grain, relative to the document date.

dateparser sees only the short spans that DATE rules found (its own search over whole text
reads about 0.03 MB/s), and results are cached per (text, document date). Weekdays and
quarters are computed here: news uses them in fixed ways that dateparser's settings do not
express ("Tuesday" in a report means the latest Tuesday up to the publication day).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import regex

from ..lexicon import fold
from . import MatchView, normalizer

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINAL_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}
_WEEKDAY = regex.compile(r"(?i)^(?:(last|next|this|past|coming)\s+)?(" + "|".join(WEEKDAYS) + r")$")
_QUARTER = regex.compile(r"(?i)^(?:the\s+)?(?:(\w+)[\s-]+quarter|q([1-4]))(?:\s+(?:of\s+)?(?:(\d{4})|(this|next|last)\s+year))?$")
_YEAR = regex.compile(r"^(?:(?:the\s+)?year\s+)?(\d{4})$", regex.IGNORECASE)
_HAS_YEAR = regex.compile(r"\b\d{4}\b")
_HAS_DAY = regex.compile(r"(?i)(?<!\d)\d{1,2}(?:st|nd|rd|th)?(?!\d)|yesterday|today|tomorrow|\bday\b")
_MONTH = regex.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b")
_RELATIVE = regex.compile(r"(?i)\b(?:last|next|this|past|ago|yesterday|today|tomorrow)\b")
_NOISE = regex.compile(r"(?i)^(?:early|mid|late|the)[\s-]+")


# "since January", "since mid-March": a time already past when the report was written.
_SINCE = regex.compile(r"(?i)\bsince\s+\Z")


@normalizer("date")
def date_value(view: MatchView) -> dict[str, Any] | None:
    text = fold(view.text)
    if view.doc_date and _SINCE.search(view.document, max(0, view.start - 12), view.start):
        since = _calendar(text, view.doc_date, past=True)
        if since is not None:
            return since
    return parse_date(text, view.doc_date)


def parse_date(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    """``{"date": "YYYY-MM-DD" | None, "grain": ...}`` for a date expression, or None.
    A date that states its year does not depend on the document date: cached once."""
    return _parse_date(text, None if _HAS_YEAR.search(text) else doc_date)


@lru_cache(maxsize=16384)
def _parse_date(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    for parse in (_calendar, _weekday, _day_word, _quarter, _year, _relative_period):
        value = parse(text, doc_date)
        if value is not None:
            return value
    return _general(text, doc_date)


def _calendar(text: str, doc_date: dt.date | None, past: bool = False) -> dict[str, Any] | None:
    """The calendar forms news uses most, read here rather than by dateparser (a thousand
    times faster): "14 March 2024", "March 14, 2024", "the 14th of March", "Tuesday, 14 March",
    "mid-March", "March 2024". Anything else goes to ``_general``, which gives the same
    answers for these (a test compares the two). ``past``: a day or month named without its
    year is the last one up to the document date ("since January")."""
    m = _CALENDAR.match(text)
    if not m:
        return None
    month = _month_number(m["month"] or m["month2"] or m["month3"])
    day = m["day"] or m["day2"]
    year = int(m["year"]) if m["year"] else None
    if year is None and doc_date is None:
        return {"date": None, "grain": "day" if day else "month"}
    try:
        when = dt.date(year or doc_date.year, month, int(day) if day else 1)
    except ValueError:
        return None
    if year is None:
        when = _nearest_year(when, doc_date, past)
    return {"date": when.isoformat(), "grain": "day" if day else "month"}


def _weekday(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    m = _WEEKDAY.match(text)
    if not m:
        return None
    if doc_date is None:
        return {"date": None, "grain": "day"}
    target = WEEKDAYS.index(m.group(2).lower())
    back = (doc_date.weekday() - target) % 7
    modifier = (m.group(1) or "").lower()
    if modifier in ("last", "past") and back == 0:
        back = 7
    if modifier in ("next", "coming"):
        day = doc_date + dt.timedelta(days=(target - doc_date.weekday()) % 7 or 7)
    else:
        day = doc_date - dt.timedelta(days=back)
    return {"date": day.isoformat(), "grain": "day"}


_DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1}


def _day_word(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    shift = _DAY_WORDS.get(text.lower())
    if shift is None:
        return None
    return {"date": (doc_date + dt.timedelta(days=shift)).isoformat() if doc_date else None, "grain": "day"}


def _quarter(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    m = _QUARTER.match(text)
    if not m:
        return None
    number = int(m.group(2)) if m.group(2) else _ORDINAL_QUARTERS.get(m.group(1).lower())
    if number is None:
        return None
    shift = {"next": 1, "last": -1}.get((m.group(4) or "").lower(), 0)
    year = int(m.group(3)) if m.group(3) else (doc_date.year + shift if doc_date else None)
    return {"date": dt.date(year, 3 * number - 2, 1).isoformat() if year else None, "grain": "quarter"}


def _year(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    m = _YEAR.match(text)
    return {"date": f"{m.group(1)}-01-01", "grain": "year"} if m else None


_PERIOD = regex.compile(r"(?i)^(last|past|this|next|coming)\s+(week|weekend|month|year)$")


def _relative_period(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    """"last week" (its Monday), "this month" (its first day), "next weekend" (its Saturday)."""
    m = _PERIOD.match(text)
    if not m:
        return None
    unit = m.group(2).lower()
    grain = "week" if unit == "weekend" else unit
    if doc_date is None:
        return {"date": None, "grain": grain}
    shift = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[m.group(1).lower()]
    if unit in ("week", "weekend"):
        monday = doc_date - dt.timedelta(days=doc_date.weekday()) + dt.timedelta(weeks=shift)
        day = monday + dt.timedelta(days=5) if unit == "weekend" else monday
    elif unit == "month":
        month = doc_date.month - 1 + shift
        day = dt.date(doc_date.year + month // 12, month % 12 + 1, 1)
    else:
        day = dt.date(doc_date.year + shift, 1, 1)
    return {"date": day.isoformat(), "grain": grain}


def _general(text: str, doc_date: dt.date | None) -> dict[str, Any] | None:
    grain = _grain(text)
    if doc_date is None and not _HAS_YEAR.search(text):
        return {"date": None, "grain": grain}
    import dateparser  # imported on first use: it takes a moment to load

    base = dt.datetime.combine(doc_date or dt.date(2000, 1, 1), dt.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if grain in ("month", "day"):
        settings["PREFER_DATES_FROM"] = "current_period"
    parsed = dateparser.parse(_NOISE.sub("", text), languages=["en"], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    if doc_date and not _HAS_YEAR.search(text) and grain in ("day", "month") and not _RELATIVE.search(text):
        day = _nearest_year(day, doc_date)
    if grain == "week":
        day -= dt.timedelta(days=day.weekday())
    elif grain == "month":
        day = day.replace(day=1)
    elif grain == "year":
        day = day.replace(month=1, day=1)
    return {"date": day.isoformat(), "grain": grain}


def _nearest_year(day: dt.date, doc_date: dt.date, past: bool = False) -> dt.date:
    """A day or month named without a year is the one nearest the document date
    ("7 October" in a January report is last October; "13 August" in July is this one);
    with ``past``, the nearest not after it."""
    options = []
    for year in range(doc_date.year - 4, doc_date.year + 5):  # 29 February needs a leap year
        try:
            options.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    if past:
        options = [d for d in options if d <= doc_date]
    return min(options, key=lambda d: (abs((d - doc_date).days), d))


def _grain(text: str) -> str:
    lowered = text.lower()
    if "week" in lowered:
        return "week"
    if "year" in lowered and not _MONTH.search(text):
        return "year"
    if "month" in lowered or (_MONTH.search(text) and not _HAS_DAY.search(_MONTH.sub("", text))):
        return "month"
    return "day"


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
# "jan", "jan." or "january"; "sept" too
_MONTH_NAME = r"(?P<month>" + "|".join(m[:3] + (m[3:] and f"(?:{'t|' if m == 'september' else ''}{m[3:]})?") for m in _MONTHS) + r")\.?"
_DATELINE = regex.compile(
    rf"(?i)\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+(?P<year>\d{{4}})"
    rf"|{_MONTH_NAME.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b"
)
DATELINE_WINDOW = 400
_CALENDAR = regex.compile(
    rf"(?i)^(?:(?:{'|'.join(WEEKDAYS)}),?\s+)?(?:(?:early|mid|late)[\s-]+)?(?:the\s+)?"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}"
    rf"|{_MONTH_NAME.replace('month', 'month2')}\s+(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|{_MONTH_NAME.replace('month', 'month3')})"
    r"(?:,?\s+(?:of\s+)?(?P<year>\d{4}))?$"
)


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
