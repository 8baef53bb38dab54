"""Settle overlaps: one deterministic policy, and a reason kept for every dropped candidate.

Within a label, candidates are ranked by priority (higher first), then length (longer
first), then position (leftmost first), then rule id; each is kept unless it overlaps one
kept before it. Across labels, a kept mention whose rule ``suppresses`` a label removes the
mentions of that label it overlaps (a DATE's "26" is not also a NUMBER).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass

from .scan import Candidate


@dataclass(frozen=True)
class Dropped:
    candidate: Candidate
    reason: str
    by: Candidate


def rank(candidate: Candidate) -> tuple:
    return (-candidate.rule.priority, -candidate.length, candidate.start, candidate.rule.id)


def _why(loser: Candidate, winner: Candidate) -> str:
    if loser.rule.priority != winner.rule.priority:
        return f"lost to {winner.rule.id} by priority ({winner.rule.priority} > {loser.rule.priority})"
    if loser.length != winner.length:
        return f"lost to {winner.rule.id} by length ({winner.length} > {loser.length} characters)"
    if loser.start != winner.start:
        return f"lost to {winner.rule.id} by position (it starts first)"
    return f"lost to {winner.rule.id} by rule id (same span, same priority)"


class Intervals:
    """Disjoint spans kept in order, answering 'what kept span overlaps this one?'."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.items: dict[int, Candidate] = {}

    def overlapping(self, start: int, end: int) -> Candidate | None:
        i = bisect_left(self.starts, end) - 1
        if i >= 0:
            kept = self.items[self.starts[i]]
            if kept.end > start:
                return kept
        return None

    def add(self, candidate: Candidate) -> None:
        insort(self.starts, candidate.start)
        self.items[candidate.start] = candidate


def resolve(candidates: list[Candidate]) -> tuple[list[Candidate], list[Dropped]]:
    """Keep the best non-overlapping candidates of each label."""
    kept_by_label: dict[str, Intervals] = {}
    kept, dropped = [], []
    for candidate in sorted(candidates, key=rank):
        intervals = kept_by_label.setdefault(candidate.rule.label, Intervals())
        winner = intervals.overlapping(candidate.start, candidate.end)
        if winner is None:
            intervals.add(candidate)
            kept.append(candidate)
        else:
            dropped.append(Dropped(candidate, _why(candidate, winner), winner))
    return kept, dropped


def suppress(suppressors: list[Candidate], mentions: list[Candidate]) -> tuple[list[Candidate], list[Dropped]]:
    """Remove mentions overlapped by a suppressor whose rule suppresses their label."""
    by_label: dict[str, list[Candidate]] = {}
    for candidate in suppressors:
        for label in candidate.rule.suppresses:
            by_label.setdefault(label, []).append(candidate)
    if not by_label:
        return mentions, []
    spans = {label: _sorted_spans(cands) for label, cands in by_label.items()}
    kept, dropped = [], []
    for mention in mentions:
        hit = _overlap(spans[mention.rule.label], mention) if mention.rule.label in spans else None
        if hit is None or hit is mention:
            kept.append(mention)
        else:
            dropped.append(Dropped(mention, f"suppressed by {hit.rule.label} from {hit.rule.id}", hit))
    return kept, dropped


def _sorted_spans(candidates: list[Candidate]) -> tuple[list[int], list[Candidate], int]:
    ordered = sorted(candidates, key=lambda c: (c.start, c.end))
    return [c.start for c in ordered], ordered, max(c.length for c in ordered)


def _overlap(spans, mention: Candidate) -> Candidate | None:
    starts, ordered, longest = spans
    # Suppressors may overlap each other: look back until none could reach the mention.
    for i in range(bisect_left(starts, mention.end) - 1, -1, -1):
        if ordered[i].end > mention.start:
            return ordered[i]
        if ordered[i].start + longest <= mention.start:
            break
    return None
