"""The calendar forms read in code give what dateparser (``_general``) gives for them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ruleie.normalize.dates import _calendar, _general, parse_date

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
    assert ours == _general(text, doc_date), text


def test_examples():
    jan = dt.date(2024, 1, 10)
    assert parse_date("14 march 2024", None) == {"date": "2024-03-14", "grain": "day"}
    assert parse_date("the 7th of october", jan) == {"date": "2023-10-07", "grain": "day"}  # the nearer October
    assert parse_date("sept. 3", jan) == {"date": "2023-09-03", "grain": "day"}
    assert parse_date("mid-march", None) == {"date": None, "grain": "month"}
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
