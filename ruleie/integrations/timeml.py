"""Read TimeML (``.tml``) files, the format of TimeBank, AQUAINT and the TempEval-3 data.

A TimeML file holds a news text with its temporal expressions marked inline::

    <DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">
    01/08/1998</TIMEX3></DCT> ... <TEXT>Prices rose <TIMEX3 tid="t1" type="DATE"
    value="1997-Q4">in the fourth quarter</TIMEX3> ...</TEXT>

``read_timeml`` gives the plain text of the TEXT element (tags removed, entities decoded), the
document date (the creation time's day) and, as DATE gold records, the TIMEX3s of type DATE
inside TEXT with their offsets in that plain text and ``value.timex``. Other TIMEX3 types
(TIME, DURATION, SET) are not DATEs and are left out.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

_TEXT = regex.compile(r"<TEXT>(.*?)</TEXT>", regex.DOTALL)
_TOKEN = regex.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>|[^<]+")
_ATTRIBUTE = regex.compile(r'([A-Za-z]+)="([^"]*)"')
_DCT = regex.compile(r"<TIMEX3\b[^>]*functionInDocument=\"CREATION_TIME\"[^>]*>")


@dataclass
class TimeML:
    text: str
    date: str | None
    gold: list[dict[str, Any]] = field(default_factory=list)


def read_timeml(path: str | Path, raw: str | None = None) -> TimeML:
    """The text, document date and DATE gold of a TimeML file (``raw``: its content, if read)."""
    raw = Path(path).read_text("utf-8-sig") if raw is None else raw
    body = _TEXT.search(raw)
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element: not a TimeML file")
    parts: list[str] = []
    length, gold, open_timex = 0, [], None
    for m in _TOKEN.finditer(body.group(1)):
        if m.group(2) is None:
            chunk = html.unescape(m.group())
            parts.append(chunk)
            length += len(chunk)
        elif m.group(2) == "TIMEX3" and not m.group(1):
            open_timex = (length, dict(_ATTRIBUTE.findall(m.group(3))))
        elif m.group(2) == "TIMEX3" and open_timex is not None:
            start, attributes = open_timex
            if attributes.get("type") == "DATE" and length > start:
                gold.append({"start": start, "end": length, "value": {"timex": attributes.get("value")}})
            open_timex = None
    text = "".join(parts)
    for record in gold:
        record.update(doc=str(path), label="DATE", text=text[record["start"]:record["end"]])
    records = [{k: r[k] for k in ("doc", "label", "start", "end", "text", "value")} for r in gold]
    return TimeML(text, _document_date(raw), records)


def _document_date(raw: str) -> str | None:
    """The day of the creation time (DCT), "1990-08-15" of "1990-08-15T13:37"."""
    tag = _DCT.search(raw)
    value = dict(_ATTRIBUTE.findall(tag.group())).get("value", "") if tag else ""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
