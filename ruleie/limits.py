"""Resource limits on rule files: safe defaults, configurable per load.

``ruleie.load(..., limits=Limits(pattern_chars=50_000))`` in the library; the ``ruleie``
command's ``--max-pattern-chars`` and friends (before the command name) in the shell. The
document size limit is ``ruleie extract --max-doc-bytes``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    rule_file_bytes: int = 50_000_000  # one rule or lexicon file, as read from disk
    pattern_chars: int = 20_000  # one pattern (or macro) as written, before macros expand
    nesting: int = 40  # groups nested in one pattern
    repeat: int = 100  # the largest bound of a {m,n} repetition

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"limit {name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = Limits()
