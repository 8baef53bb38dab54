"""The ``org`` and ``org_initials`` normalizers: canonical name and type of an organization mention."""

from __future__ import annotations

from collections import Counter
from typing import Any

import regex

from . import MatchView, normalizer

_LEADING_THE = regex.compile(r"^the\s+", regex.IGNORECASE)
# What may follow a known name and leave it the same company: "Toyota Motor Corp." is
# Toyota, "Fiat Group SpA" is Fiat; "Renault Samsung Motors" is another company.
_SAME_COMPANY_TAIL = regex.compile(
    r"(?:,?\s*(?:Motors?|Group|Holdings?|Company|Co\.?|Corp\.?|Corporation|Inc\.?|Incorporated|Ltd\.?|Limited|"
    r"LLC|L\.L\.C\.|LP|L\.P\.|PLC|plc|Plc|AG|SE|SA|S\.A\.|SpA|S\.p\.A\.|NV|N\.V\.|AB|ASA|GmbH|KK))+"
)


@normalizer("org")
def org_value(view: MatchView) -> dict[str, Any]:
    """A gazetteer entry matched by the whole span gives name and type; so does one that only
    legal suffixes and generic heads follow (capture ``_base``); else the text."""
    for spans in view.captures.values():
        for span in spans:
            if span.data and "name" in span.data and (span.start, span.end) == (view.start, view.end):
                return {"name": span.data["name"], "type": span.data.get("type", "other")}
    for span in view.captures.get("_base", ()):
        rest = view.document[span.end : view.end]
        if span.data and "name" in span.data and span.start == view.start and _SAME_COMPANY_TAIL.fullmatch(rest):
            return {"name": span.data["name"], "type": span.data.get("type", "company")}
    return {"name": _LEADING_THE.sub("", " ".join(view.text.split())), "type": "other"}


_NAME_WORD = regex.compile(r"[\p{L}\p{M}&'’.]+")


def initials(name: str) -> str:
    """The initials of a name's capitalised words ("United Marxist-Leninist": "UML")."""
    return "".join(word[0] for word in _NAME_WORD.findall(name) if word[0].isupper())


@normalizer("org_initials")
def org_initials_value(view: MatchView) -> dict[str, Any] | None:
    """A name that the acronym in capture ``_abbr`` abbreviates, else no mention: the acronym
    begins with the name's first initial and each of its capitals is the initial of one
    capitalised word ("Movement of Socialist Democrats (MDS)": the order may differ, as it
    does where the acronym is made in another language)."""
    abbr = view.first("_abbr")
    letters = [c for c in abbr.text if c.isupper()] if abbr else []
    name = initials(view.text)
    if len(letters) < 2 or not name or letters[0] != name[0] or len(name) > len(letters) + 1:
        return None
    if not Counter(letters) <= Counter(name):
        return None
    return {"name": " ".join(view.text.split()), "type": "other"}
