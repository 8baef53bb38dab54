"""Value normalizers: small named functions that turn a match into a ``value`` dict.

A rule names one with ``value: {fn: NAME}`` and may add fields, literal or taken from a
capture (``{capture: X}`` its text, ``{capture: X, field: F}`` an attribute of the lexicon
entry or earlier mention it matched). A normalizer returns None to reject a match that its
rule found but that is not a valid mention (a "number" that does not parse).

Register your own with ``@ruleie.normalize.normalizer("name")``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    data: dict[str, Any] | None = None  # lexicon entry or mention value, when known
    label: str | None = None


@dataclass
class MatchView:
    """What a normalizer sees of a match."""

    text: str
    start: int
    end: int
    document: str
    captures: dict[str, list[Span]] = field(default_factory=dict)
    doc_date: dt.date | None = None

    def first(self, name: str) -> Span | None:
        spans = self.captures.get(name)
        return spans[0] if spans else None


Normalizer = Callable[[MatchView], "dict[str, Any] | None"]
NORMALIZERS: dict[str, Normalizer] = {}


def normalizer(name: str) -> Callable[[Normalizer], Normalizer]:
    """Register a normalizer under ``name`` for use as ``value: {fn: name}``."""

    def register(fn: Normalizer) -> Normalizer:
        NORMALIZERS[name] = fn
        return fn

    return register


def make_value(spec: dict[str, Any], view: MatchView) -> dict[str, Any] | None:
    """The value of a match: the normalizer's output, then the rule's own fields over it."""
    value: dict[str, Any] = {}
    if "fn" in spec:
        produced = NORMALIZERS[spec["fn"]](view)
        if produced is None:
            return None
        value.update(produced)
    for key, field_spec in spec.items():
        if key == "fn":
            continue
        if not isinstance(field_spec, dict):
            value[key] = field_spec
            continue
        span = view.first(field_spec["capture"])
        if span is None:
            continue
        if "field" not in field_spec:
            value[key] = span.text
        elif span.data and field_spec["field"] in span.data:
            value[key] = span.data[field_spec["field"]]
    return value


@normalizer("text")
def text_value(view: MatchView) -> dict[str, Any]:
    """The matched text itself."""
    return {"text": view.text}


# Importing the modules registers their normalizers.
from . import agreements, dates, numbers_fn, orgs  # noqa: E402,F401
