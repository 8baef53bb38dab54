"""The ``agreement`` normalizer: type and status from the lexicon entries a rule matched."""

from __future__ import annotations

from typing import Any

from . import MatchView, normalizer


@normalizer("agreement")
def agreement_value(view: MatchView) -> dict[str, Any]:
    """``type`` and ``status`` come from the first captured lexicon entry that has them;
    a rule's own ``type:`` or ``status:`` fields override these."""
    value: dict[str, Any] = {"type": None, "status": None}
    for spans in view.captures.values():
        for span in spans:
            for key in value:
                if value[key] is None and span.data and span.data.get(key) and not span.label:
                    value[key] = span.data[key]
    return value
