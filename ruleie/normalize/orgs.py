"""The ``org`` normalizer: canonical name and type of an organization mention."""

from __future__ import annotations

from typing import Any

import regex

from . import MatchView, normalizer

_LEADING_THE = regex.compile(r"^the\s+", regex.IGNORECASE)


@normalizer("org")
def org_value(view: MatchView) -> dict[str, Any]:
    """A gazetteer entry matched by the whole span gives name and type; else the text."""
    for spans in view.captures.values():
        for span in spans:
            if span.data and "name" in span.data and (span.start, span.end) == (view.start, view.end):
                return {"name": span.data["name"], "type": span.data.get("type", "other")}
    return {"name": _LEADING_THE.sub("", " ".join(view.text.split())), "type": "other"}
