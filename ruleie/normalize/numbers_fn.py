"""The ``number`` normalizer: the parsed value of the span text (see numbers.parse_number)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import MatchView, normalizer


@normalizer("number")
def number_value(view: MatchView) -> dict[str, Any] | None:
    value = _parse(view.text)
    return dict(value) if value is not None else None  # a copy: the cached one stays as it is


@lru_cache(maxsize=65536)
def _parse(text: str) -> dict[str, Any] | None:
    """News repeats its numbers ("250", "$1 billion", "about 5%"): each text parsed once."""
    from .numbers import parse_number

    return parse_number(text)
