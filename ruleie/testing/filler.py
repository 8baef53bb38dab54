"""Neutral filler: words and sentences that no bundled rule turns into a mention.

Generated matches are embedded in filler so that a property tests a mention *in a document*,
not a document that is nothing but the mention. The words are chosen to stay out of every
bundled rule's way: no number words, months, weekdays, qualifiers, agreement triggers,
party nouns, capitalised head words or year-context prepositions.
``tests/test_properties_rules.py`` checks that filler alone yields no extraction.
"""

from __future__ import annotations

from typing import Callable

from hypothesis import strategies as st

__all__ = ["FILLER_WORDS", "filler_words", "filler_sentences", "SEPARATORS"]

#: Lower-case words that are no mention and no part of one.
FILLER_WORDS = (
    "river", "village", "road", "bridge", "garden", "school", "field", "harbour", "station",
    "market", "weather", "morning", "evening", "quiet", "green", "narrow", "busy", "calm",
    "warm", "rain", "wind", "crowd", "street", "house", "window", "walked", "waited",
    "watched", "listened", "gathered", "returned", "stayed", "slowly", "together", "nearby",
    "the", "with", "near", "along", "its", "their", "old", "tall", "dry", "bright", "soft",
)

_STARTERS = ("Residents", "Witnesses", "Farmers", "Neighbours", "Visitors", "Children", "Drivers")
_VERBS = ("walked", "waited", "gathered", "stayed", "returned", "listened")
_TAILS = ("near the river", "along the road", "by the station", "in the garden", "with the crowd",
          "near the old bridge", "slowly", "together")

#: Ways to end one sentence and start the next that always make a sentence boundary
#: (a line break, or a full stop before a capital).
SEPARATORS = ("\n", "\n\n", "\r\n")


def filler_words(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[str]:
    """A few neutral lower-case words joined by spaces ("quiet river road")."""
    return st.lists(st.sampled_from(FILLER_WORDS), min_size=min_size, max_size=max_size).map(" ".join)


@st.composite
def _sentence(draw: Callable) -> str:
    words = [draw(st.sampled_from(_STARTERS)), draw(st.sampled_from(_VERBS))]
    if draw(st.booleans()):
        words.append(draw(st.sampled_from(_TAILS)))
    return " ".join(words) + "."


def filler_sentences(min_size: int = 0, max_size: int = 3) -> st.SearchStrategy[str]:
    """Neutral sentences ("Residents gathered near the river. Drivers waited."), joined by a
    space; no bundled rule finds anything in them."""
    return st.lists(_sentence(), min_size=min_size, max_size=max_size).map(" ".join)
