"""Documents as the matchers see them: sentences, tokens, and the same-length shadow text.

Matching never runs on a modified copy whose offsets differ from the original. Instead each
stage matches a *shadow*: a string of exactly the document's length in which

* every line break and every gap between sentences starts with BOUNDARY (U+2029), which
  patterns do not cross unless a rule asks to;
* every mention from an earlier stage is overwritten by a run of private-use characters
  (one start character per label, then CONTINUE), so ``<ORG>`` matches it as one token;
* private-use characters that the document itself contains are neutralised first, so a
  document cannot forge a mention.

Because the shadow has the document's length, a match's offsets are the document's offsets.
"""

from __future__ import annotations

import regex

BOUNDARY = "\u2029"
CONTINUE = "\U000f0000"
_LABEL_BASE = 0xF0001
_MARKER_RANGE = "\U000f0000-\U000fffff"

# A word char on both sides of a point means the point is inside a word.
NOT_INSIDE_WORD = r"(?!(?<=\w)\w)"
# Between two tokens: whitespace that is not a sentence boundary, or nothing at a word edge.
SPACE = rf"[^\S{BOUNDARY}]+"  # white space within a sentence
JOIN = rf"(?:{SPACE}|{NOT_INSIDE_WORD})"
JOIN_ACROSS_SENTENCES = rf"(?:\s+|{NOT_INSIDE_WORD})"
MARKER_RUN = rf"(?>[\U000f0001-\U000fffff]{CONTINUE}*)"
# One token: a number with separators, a word with inner apostrophes or hyphens, a mention
# run, or one other visible character.
ANY_TOKEN = (
    rf"(?:\d+(?:[.,]\d+)+|\w+(?:['’\-]\w+)*|{MARKER_RUN}|[^\s{_MARKER_RANGE}])"
)

_TOKEN_RE = regex.compile(ANY_TOKEN)
_LINE_BREAKS = str.maketrans({c: BOUNDARY for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028"})
_MARKERS_RE = regex.compile(f"[{_MARKER_RANGE}]")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st gen col lt sgt capt cpt maj adm gov sen rep rev fr sr jr
    jan feb mar apr jun jul aug sep sept oct nov dec vs etc inc corp ltd co plc bros
    dept univ est approx fig al rs""".split()
)
# The last stop of a sentence, its closing quotes, and the gap after it. Matched from the stop
# (not from the word before it, which a pass from every word start would scan again and again
# along one long run of letters); the word is read backwards from there.
_SENTENCE_END_RE = regex.compile(
    r"[.!?…][\"'”’)\]]*+([^\S\n\r\u2028\u2029]++)(?=[\"'“‘(\[]?[\p{Lu}\p{N}])"
)
_WORD_BEFORE_RE = regex.compile(r"\S*", regex.REVERSE)


def label_marker(index: int) -> str:
    """The start character for mentions of the label with this index."""
    return chr(_LABEL_BASE + index)


def tokens(text: str) -> list[tuple[int, int]]:
    """Token spans of a text (for explain and test tooling, not the hot path)."""
    return [m.span() for m in _TOKEN_RE.finditer(text)]


def sentence_breaks(text: str) -> list[int]:
    """Offsets of the whitespace that starts each gap between two sentences on a line."""
    breaks = []
    for m in _SENTENCE_END_RE.finditer(text):
        word = _WORD_BEFORE_RE.match(text, 0, m.start()).group().lower().lstrip("\"'“‘([")
        if word in _ABBREVIATIONS or regex.fullmatch(r"(?:\p{L}\.)*\p{L}", word):
            continue  # "Mr. Radwan", "U.S. forces", initials: not an end
        breaks.append(m.start(1))
    return breaks


def base_shadow(text: str) -> str:
    """The stage-1 shadow: markers neutralised, line and sentence breaks made BOUNDARY."""
    if _MARKERS_RE.search(text):
        text = _MARKERS_RE.sub("\ufffd", text)
    text = text.translate(_LINE_BREAKS)
    breaks = sentence_breaks(text)
    if not breaks:
        return text
    pieces, last = [], 0
    for at in breaks:
        pieces.append(text[last:at])
        pieces.append(BOUNDARY)
        last = at + 1
    pieces.append(text[last:])
    return "".join(pieces)


def overwrite_mentions(shadow: str, spans: list[tuple[int, int, int]]) -> str:
    """Overwrite (start, end, label_index) spans with marker runs. Where mentions overlap, the
    one that starts first (and, at one start, the longest) is written; the other is not."""
    if not spans:
        return shadow
    pieces, last = [], 0
    for start, end, label_index in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if start < last:
            continue
        pieces.append(shadow[last:start])
        pieces.append(label_marker(label_index) + CONTINUE * (end - start - 1))
        last = end
    pieces.append(shadow[last:])
    return "".join(pieces)
