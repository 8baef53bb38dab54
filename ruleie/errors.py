"""One family of errors, rooted at RuleieError.

Every error a rule author can cause carries a Location, and renders as
``file:line:col: message`` followed by the offending line and a caret.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A point in a rule file: 1-based line and column, plus the line's text."""

    file: str
    line: int
    col: int
    source_line: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def excerpt(self) -> str:
        if not self.source_line:
            return ""
        line = self.source_line.rstrip("\r\n").expandtabs(1)
        return f"    {line}\n    {' ' * (self.col - 1)}^"


class RuleieError(Exception):
    """Base of every error ruleie raises on purpose."""


class RuleError(RuleieError):
    """A problem in a rule file (syntax, schema, pattern, reference), with its location."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        excerpt = self.location.excerpt()
        head = f"{self.location}: {self.message}"
        return f"{head}\n{excerpt}" if excerpt else head


class RuleErrors(RuleieError):
    """Several rule errors found in one load; ``check`` reports them all."""

    def __init__(self, errors: list[RuleError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class DocumentError(RuleieError):
    """A document that cannot be read or processed (undecodable, binary, too large)."""

    def __init__(self, doc: str, message: str):
        super().__init__(f"{doc}: {message}")
        self.doc = doc
        self.message = message


class PatternTimeout(RuleieError):
    """A rule's regex ran past the time limit on a document."""

    def __init__(self, rule_id: str, location: str, doc: str, seconds: float):
        super().__init__(
            f"{location}: rule {rule_id!r} exceeded the {seconds:g}s match time limit on {doc}"
        )
        self.rule_id = rule_id
        self.doc = doc


def location_at(file: str, source: str, line: int, col: int) -> Location:
    """Build a Location for 1-based line/col, taking the line's text from the file's source."""
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return Location(file, line, col, text)
