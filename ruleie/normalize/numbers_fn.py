"""The ``number`` normalizer: the parsed value of the span text (see numbers.parse_number)."""

from __future__ import annotations

from typing import Any

from . import MatchView, normalizer


@normalizer("number")
def number_value(view: MatchView) -> dict[str, Any] | None:
    from .numbers import parse_number

    return parse_number(view.text)
