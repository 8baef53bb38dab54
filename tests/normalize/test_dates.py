"""The calendar forms read in code give what dateparser (``_general``) gives for them; dates
without a year follow the tense of their clause; TIMEX3 values agree with date and grain."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ruleie.normalize.dates import WEEKDAYS, _calendar, _general, parse_date, tense, timex

_KEYS = ("date", "grain", "timex")

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
month_names = st.integers(0, 11).flatmap(
    lambda i: st.sampled_from([MONTHS[i], MONTHS[i][:3], MONTHS[i][:3] + "."] + (["sept"] if i == 8 else [])))
days = st.integers(1, 31).flatmap(lambda d: st.sampled_from([str(d), f"{d}{'th' if 10 < d < 14 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"]))


@st.composite
def calendar_texts(draw) -> str:
    month, day = draw(month_names), draw(st.one_of(st.none(), days))
    if day is None:
        body = draw(st.sampled_from(["", "early ", "mid-", "late "])) + month
    elif draw(st.booleans()):
        body = f"{draw(st.sampled_from(['', 'the ']))}{day} {draw(st.sampled_from(['', 'of ']))}{month}"
    else:
        body = f"{month} {day}"
    if draw(st.booleans()):
        body += draw(st.sampled_from([" ", ", "])) + str(draw(st.integers(1950, 2049)))
    if day is not None and draw(st.booleans()):
        body = draw(st.sampled_from(["tuesday, ", "friday "])) + body
    return body


@given(text=calendar_texts(), doc_date=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))))
def test_calendar_forms_agree_with_dateparser(text, doc_date):
    ours = _calendar(text, doc_date)
    assert ours is not None or "31" in text or "30" in text or "29" in text  # only impossible days fall through
    general = _general(text, doc_date)  # dateparser knows no "early"/"mid"/"late"
    named = next((day for day in WEEKDAYS if text.startswith(day)), None)
    if named and doc_date and general and dt.date.fromisoformat(general["date"]).weekday() != WEEKDAYS.index(named):
        # dateparser keeps the year it would give without the weekday; ours moves to a year
        # next to it in which the date falls on the named day, when there is exactly one
        moved = dt.date.fromisoformat(ours["date"])
        assert moved.weekday() == WEEKDAYS.index(named) or moved.isoformat() == general["date"], text
        assert abs(moved.year - int(general["date"][:4])) <= 1, text
        return
    assert (ours and {k: ours[k] for k in _KEYS}) == (general and {k: general[k] for k in _KEYS}), text


def test_examples():
    jan = dt.date(2024, 1, 10)
    assert parse_date("14 march 2024", None) == {"date": "2024-03-14", "grain": "day", "timex": "2024-03-14"}
    assert parse_date("the 7th of october", jan)["date"] == "2023-10-07"  # the nearer October
    assert parse_date("sept. 3", jan)["date"] == "2023-09-03"
    assert parse_date("mid-march", None) == {"date": None, "grain": "month", "timex": None, "mod": "MID"}
    assert parse_date("31 february 2024", None) is None


def test_day_words_agree_with_dateparser():
    for word in ("yesterday", "today", "tomorrow"):
        for doc_date in (None, dt.date(2024, 3, 1), dt.date(2023, 12, 31)):
            assert parse_date(word, doc_date) == _general(word, doc_date), (word, doc_date)


def test_since_a_month_named_without_its_year_is_a_past_month(bundled):
    def dates(text: str, doc_date: str) -> list[tuple[str, str]]:
        return [(e.text, e.value["date"]) for e in bundled.extract(text, doc_date=doc_date) if e.label == "DATE"]

    assert dates("Killings recorded since January.", "2021-10-05") == [("January", "2021-01-01")]
    assert dates("Prices have risen since 14 November.", "2021-10-05") == [("14 November", "2020-11-14")]
    assert dates("Prices have risen since March.", "2025-04-19") == [("March", "2025-03-01")]
    assert dates("Talks resume in January.", "2021-10-05") == [("January", "2022-01-01")]
    assert dates("Closed since January 2022.", "2021-10-05") == [("January 2022", "2022-01-01")]


def test_a_day_of_the_documents_own_month_stays_in_its_year(bundled):
    """Tense places a day without its year by its month: a past-tense clause may name a
    day still ahead in the document's month, a future one a day just gone."""
    def dates(text: str, doc_date: str) -> list[tuple[str, str]]:
        return [(e.text, e.value["date"]) for e in bundled.extract(text, doc_date=doc_date) if e.label == "DATE"]

    assert dates("The minister gave no reason for the Jan. 14 deadline.", "2031-01-05") == [("Jan. 14", "2031-01-14")]
    assert dates("Aid will go to the towns where the 7 August floods struck.", "2031-08-18") == [("7 August", "2031-08-07")]
    assert dates("The board met on Nov. 3 to vote.", "2031-10-28") == [("Nov. 3", "2030-11-03")]  # another month: the past one
    assert dates("The paper said in its editorial on Saturday, April 25, that it disagreed.", "2026-04-24") == \
        [("Saturday, April 25", "2026-04-25")]  # a Saturday in 2026, a Friday in 2025


# ---------------------------------------------------------------------------------------
# tense: generated past and future sentences around generated document dates
# ---------------------------------------------------------------------------------------

PAST = ["The talks ended on {}.", "He was detained in {}.", "The company said on {} that it had agreed.",
        "Prices rose sharply in {}, the agency reported.", "Since {}, the plant has been closed."]
FUTURE = ["The talks will resume on {}.", "The vote is to be held in {}.", "Ministers are due to meet in {}.",
          "The offer stands until {}.", "The firm expects to close the deal no later than {}."]
MONTH_NAMES = [m.capitalize() for m in MONTHS]


@st.composite
def underspecified(draw):
    """A weekday, a month, a day and month, or a season, as text and the (month, day) or
    weekday it names."""
    kind = draw(st.sampled_from(["weekday", "month", "day", "season"]))
    if kind == "weekday":
        day = draw(st.integers(0, 6))
        return kind, WEEKDAYS[day].capitalize(), day
    month = draw(st.integers(1, 12))
    if kind == "month":
        return kind, MONTH_NAMES[month - 1], month
    if kind == "season":
        name = draw(st.sampled_from(["spring", "summer", "autumn", "winter"]))
        return kind, f"the early {name}", name
    day = draw(st.integers(1, 28))
    return kind, f"{day} {MONTH_NAMES[month - 1]}", month


def _extract(bundled, sentence: str, mention: str, doc_date: dt.date) -> dict:
    start = sentence.index(mention)
    records = [r for r in bundled.extract(sentence, doc_date=doc_date) if r.label == "DATE" and r.start == start]
    assert records, f"no DATE at {mention!r} in {sentence!r}"
    return records[0].value


@given(doc_date=st.dates(dt.date(1950, 1, 1), dt.date(2050, 12, 31)), mention=underspecified(),
       past=st.booleans(), frame=st.integers(0, 4))
def test_tense_places_dates_without_a_year(bundled, doc_date, mention, past, frame):
    """In a past-tense sentence a date without its year is on or before the document date
    (its period has begun); in a future one it is on or after it (its period is not over).
    A day counts by its month: the document's whole month is now."""
    kind, text, _ = mention
    if kind == "season":  # "in the early spring", not "on" or "until"
        frame %= 3
    sentence = (PAST if past else FUTURE)[frame].format(text)
    if kind == "season":
        sentence = sentence.replace(" on the early", " in the early")
    value = _extract(bundled, sentence, text, doc_date)
    first = dt.date.fromisoformat(value["date"])
    if kind == "season":
        first = {"SP": first.replace(month=3), "SU": first.replace(month=6), "FA": first.replace(month=9),
                 "WI": first.replace(month=12)}[value["season"]]
    months = {"day": 0, "weekday": 0, "month": 1, "season": 3}[kind]
    last = first if not months else (dt.date(first.year + (first.month + months - 1) // 12,
                                             (first.month + months - 1) % 12 + 1, 1) - dt.timedelta(days=1))
    if kind == "day":  # the document's month is now
        month_first = doc_date.replace(day=1)
        doc_date = month_first if not past else (month_first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    if past:
        assert first <= doc_date, (sentence, doc_date, value)
        assert (doc_date - first).days < 366 + 92, (sentence, doc_date, value)
    else:
        assert last >= doc_date, (sentence, doc_date, value)
        assert (last - doc_date).days < 366 + 92, (sentence, doc_date, value)


def test_tense_cues():
    def cue(sentence: str, mention: str) -> str | None:
        start = sentence.index(mention)
        return tense(sentence, start, start + len(mention))

    assert cue("The transaction should be completed in October.", "October") == "future"
    assert cue("It could rise before it is officially reported in March.", "March") == "future"
    assert cue("On Friday, the company said it would cut jobs.", "Friday") == "past"
    assert cue("By Sunday night, 40 hostages had been freed.", "Sunday") == "past"
    assert cue("The deal must be signed by Friday.", "Friday") == "future"
    assert cue("Trading resumes from Monday on.", "Monday") == "future"
    assert cue("Talks in March.", "March") is None
    # an "until" that opens the clause leaves the tense to the verb; alone, it looks forward
    assert cue("Until Thursday, they had not called him a suspect.", "Thursday") == "past"
    assert cue("Until Thursday, nothing changes.", "Thursday") == "future"
    assert cue("The agency has given them until 9 a.m. Tuesday to sign.", "Tuesday") == "future"
    # "next to" is a place, not a time; an abbreviation's period does not end the clause
    assert cue("A bomb ripped through a building next to the U.S. embassy Friday.", "Friday") == "past"


# ---------------------------------------------------------------------------------------
# TIMEX3 values agree with date and grain
# ---------------------------------------------------------------------------------------

DATE_TEXTS = st.sampled_from([
    "friday", "last week", "next weekend", "this month", "the third quarter", "the first half", "this summer",
    "next spring", "early 2011", "the mid-1980s", "the 20th century", "three years ago", "late last year",
    "earlier this month", "april of this year", "july last year", "1998-99", "fiscal 2024", "mid-march",
    "14 march 2024", "the fourth quarter of last year", "q3 2024", "the year previous", "yesterday",
    "friday afternoon", "thanksgiving day", "the weekend", "year-end", "easter week 2000",
])


@given(text=DATE_TEXTS, doc_date=st.dates(dt.date(1950, 1, 1), dt.date(2050, 12, 31)),
       direction=st.sampled_from([None, "past", "future"]))
def test_timex_is_consistent_with_date_and_grain(text, doc_date, direction):
    value = parse_date(text, doc_date, direction)
    day = dt.date.fromisoformat(value["date"])
    grain = value["grain"]
    if "season" in value:
        assert grain == "year" and value["timex"] == f"{day.year:04d}-{value['season']}"
    elif value["timex"].endswith("-WE"):
        assert value["timex"] == timex(day - dt.timedelta(days=day.weekday()), "week") + "-WE"
    else:
        assert value["timex"] == timex(day, grain)
        start = {"day": day, "week": day - dt.timedelta(days=day.weekday()), "month": day.replace(day=1),
                 "quarter": day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1),
                 "half": day.replace(month=1 if day.month < 7 else 7, day=1), "year": day.replace(month=1, day=1),
                 "decade": day.replace(year=day.year // 10 * 10, month=1, day=1),
                 "century": day.replace(year=day.year // 100 * 100, month=1, day=1)}[grain]
        assert day == start, value  # the first day of its period
    assert value.get("mod") in (None, "START", "MID", "END")


def test_timex_examples():
    d = dt.date(2012, 8, 3)
    assert [timex(d, g) for g in ("day", "week", "month", "quarter", "half", "year")] == [
        "2012-08-03", "2012-W31", "2012-08", "2012-Q3", "2012-H2", "2012"]
    assert timex(dt.date(1990, 1, 1), "decade") == "199"
    assert timex(dt.date(1900, 1, 1), "century") == "19"
    assert parse_date("early 2011", None)["mod"] == "START"
