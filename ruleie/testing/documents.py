"""Documents that embed generated mentions among filler sentences.

``documents(mentions)`` draws a few mentions from ``mentions`` (a strategy of
:class:`~ruleie.testing.patterns.Sample`, of ``(text, value)`` pairs such as
``number_mentions()`` and ``dates(...)`` give, or of plain strings) and writes a document in
which each stands in a sentence of its own between neutral filler sentences. The
:class:`Document` records where each mention ended up.

A ``(text, value)`` mention is written as ``lead + text + tail``: ``lead`` and ``tail`` are
strategies of neutral words around it (by default "Residents counted" before and "of the
crowd" after: no qualifier, no counted noun, nothing that turns the text into a longer
mention). A :class:`~ruleie.testing.dates.DateMention` adds its own ``lead``/``trail``.
A Sample is used as it is, context included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from hypothesis import strategies as st

from .filler import SEPARATORS, filler_sentences
from .patterns import Sample

__all__ = ["Document", "Placed", "documents", "embed"]

DEFAULT_LEADS = ("Residents counted", "Witnesses reported", "Officials listed", "Drivers saw")
DEFAULT_TAILS = (" of the crowd", " of the crowd near the river")


@dataclass(frozen=True)
class Placed:
    """One mention in a document: its span there, and what was drawn (a Sample shifted to the
    document, a ``(text, value)`` pair or a string)."""

    start: int
    end: int
    item: Any

    @property
    def value(self) -> Any:
        return self.item[1] if isinstance(self.item, tuple) else None


@dataclass(frozen=True)
class Document:
    text: str
    mentions: tuple[Placed, ...]
    doc_date: dt.date | None = None


def _block(draw: Callable, item: Any, lead, tail) -> tuple[str, int, int, Any]:
    """The sentence a mention stands in, and where in it the mention is."""
    if isinstance(item, Sample):
        return item.text, item.start, item.end, item
    text = item[0] if isinstance(item, tuple) else str(item)
    before = draw(lead) + " " + getattr(item, "lead", "")
    after = getattr(item, "trail", "") + draw(tail) + "."
    return before + text + after, len(before), len(before) + len(text), item


def embed(draw: Callable, blocks: list[tuple[str, int, int, Any]], filler=None) -> tuple[str, list[Placed]]:
    """Join sentence blocks (text, start, end, item) with filler sentences in between, each
    block on a line of its own; give the document and where each item went."""
    filler = filler if filler is not None else filler_sentences()
    pieces: list[str] = []
    placed: list[Placed] = []
    pos = 0
    for text, start, end, item in blocks:
        before = draw(filler)
        if before:
            chunk = before + draw(st.sampled_from(SEPARATORS))
            pieces.append(chunk)
            pos += len(chunk)
        elif pieces:
            sep = draw(st.sampled_from(SEPARATORS))
            pieces.append(sep)
            pos += len(sep)
        pieces.append(text)
        shifted = item.shifted(pos, "") if isinstance(item, Sample) else item
        placed.append(Placed(pos + start, pos + end, shifted))
        pos += len(text)
        after = draw(filler)
        if after:
            chunk = draw(st.sampled_from(SEPARATORS)) + after
            pieces.append(chunk)
            pos += len(chunk)
    document = "".join(pieces)
    placed = [Placed(p.start, p.end, _with_text(p.item, document)) for p in placed]
    return document, placed


def _with_text(item: Any, document: str) -> Any:
    if isinstance(item, Sample):
        return Sample(item.rule_id, document, item.start, item.end, item.captures, item.mentions)
    return item


@st.composite
def documents(
    draw: Callable,
    mentions: st.SearchStrategy,
    *,
    min_mentions: int = 1,
    max_mentions: int = 3,
    filler: st.SearchStrategy[str] | None = None,
    lead: st.SearchStrategy[str] | None = None,
    tail: st.SearchStrategy[str] | None = None,
    doc_date: dt.date | None = None,
) -> Document:
    """A document of filler sentences with ``min_mentions``..``max_mentions`` mentions drawn
    from ``mentions`` embedded in it, each in a sentence (or line) of its own."""
    lead = lead if lead is not None else st.sampled_from(DEFAULT_LEADS)
    tail = tail if tail is not None else st.sampled_from(DEFAULT_TAILS)
    items = draw(st.lists(mentions, min_size=min_mentions, max_size=max_mentions))
    blocks = [_block(draw, item, lead, tail) for item in items]
    text, placed = embed(draw, blocks, filler)
    return Document(text, tuple(placed), doc_date)
