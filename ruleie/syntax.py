"""The pattern AST: plain frozen dataclasses, and a printer back to pattern text.

``grammar.parse(to_text(node)) == node`` for every node the grammar produces; the
printer adds parentheses only where precedence needs them. ``pos`` (the offset of the
construct in its pattern string, for error messages) does not take part in equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Callable, Union

BARE_WORD = re.compile(r"[^\W_][\w'’.\-&]*\Z")


@dataclass(frozen=True)
class Literal:
    """A word or quoted phrase; case-insensitive unless ``case_sensitive``."""

    text: str
    case_sensitive: bool = False
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class TokenRegex:
    """``/regex/flags``: a regex matched at token boundaries."""

    pattern: str
    flags: str = ""
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class LexiconRef:
    """``$name``: any entry of a lexicon (longest first)."""

    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class MacroRef:
    """``@name``: a named sub-pattern, inlined at compile time."""

    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class MentionRef:
    """``<LABEL>``: a mention found by an earlier stage."""

    label: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class AnyToken:
    """``_``: any one token."""

    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Seq:
    """Items in order. ``joins[i]`` is ``" "`` (whitespace allowed between item i and
    i+1) or ``"~"`` (the two touch, with no word boundary required)."""

    items: tuple[Node, ...]
    joins: tuple[str, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Alt:
    options: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Repeat:
    """``body{low,high}``; ``high`` None means unbounded."""

    body: Node
    low: int
    high: int | None
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Capture:
    """``name:body`` (``name[]:body`` collects every match into a list)."""

    name: str
    body: Node
    is_list: bool = False
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Look:
    """Context outside the span: ``(?=`` ``(?!`` ``(?<=`` ``(?<!``."""

    behind: bool
    negative: bool
    body: Node
    pos: int = field(default=0, compare=False)


Node = Union[Literal, TokenRegex, LexiconRef, MacroRef, MentionRef, AnyToken, Seq, Alt, Repeat, Capture, Look]


def to_text(node: Node) -> str:
    """Print a node as pattern text."""
    if isinstance(node, Literal):
        return ("=" if node.case_sensitive else "") + _literal_text(node.text)
    if isinstance(node, TokenRegex):
        return f"/{node.pattern}/{node.flags}"
    if isinstance(node, LexiconRef):
        return f"${node.name}"
    if isinstance(node, MacroRef):
        return f"@{node.name}"
    if isinstance(node, MentionRef):
        return f"<{node.label}>"
    if isinstance(node, AnyToken):
        return "_"
    if isinstance(node, Seq):
        out = _wrap(node.items[0], (Alt,))
        for join, item in zip(node.joins, node.items[1:]):
            out += (" ~ " if join == "~" else " ") + _wrap(item, (Alt,))
        return out
    if isinstance(node, Alt):
        return " | ".join(to_text(o) for o in node.options)
    if isinstance(node, Repeat):
        return _wrap(node.body, (Seq, Alt, Repeat, Capture, Look)) + _quantifier(node.low, node.high)
    if isinstance(node, Capture):
        return f"{node.name}{'[]' if node.is_list else ''}:" + _wrap(node.body, (Seq, Alt, Capture, Look))
    if isinstance(node, Look):
        opener = "(?" + ("<" if node.behind else "") + ("!" if node.negative else "=")
        return f"{opener}{to_text(node.body)})"
    raise TypeError(f"not a pattern node: {node!r}")


def _wrap(node: Node, needs_parens: tuple[type, ...]) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, needs_parens) else text


def _literal_text(text: str) -> str:
    if BARE_WORD.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") + '"'


def _quantifier(low: int, high: int | None) -> str:
    shorthand = {(0, 1): "?", (0, None): "*", (1, None): "+"}
    if (low, high) in shorthand:
        return shorthand[(low, high)]
    if high is None:
        return f"{{{low},}}"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"


def nullable(node: Node, macro: Callable[[MacroRef], Node]) -> bool:
    """Can the node match nothing at all? A look-around is zero-width; ``macro`` gives the
    pattern a macro reference stands for."""
    if isinstance(node, MacroRef):
        return nullable(macro(node), macro)
    if isinstance(node, Seq):
        return all(nullable(item, macro) for item in node.items)
    if isinstance(node, Alt):
        return any(nullable(option, macro) for option in node.options)
    if isinstance(node, Repeat):
        return node.low == 0 or nullable(node.body, macro)
    if isinstance(node, Capture):
        return nullable(node.body, macro)
    return isinstance(node, Look)


_NODE_TYPES = {cls.__name__: cls for cls in (Literal, TokenRegex, LexiconRef, MacroRef, MentionRef, AnyToken, Seq, Alt, Repeat, Capture, Look)}


_NODE_CLASSES = tuple(_NODE_TYPES.values())


def to_data(node: Node) -> list:
    """The node as plain lists, tuples and scalars (for ``marshal``): ``[type name, fields...]``,
    its ``pos`` included; a node is a list, a tuple of nodes a tuple."""
    return [type(node).__name__, *(_field_data(getattr(node, f.name)) for f in fields(node))]


def _field_data(value):
    if isinstance(value, tuple):
        return tuple(_field_data(item) for item in value)
    return to_data(value) if isinstance(value, _NODE_CLASSES) else value


def from_data(data: list) -> Node:
    """The node ``to_data`` gave ``data`` for. Only pattern node types are built."""
    cls = _NODE_TYPES[data[0]]
    return cls(*(_from_field(value) for value in data[1:]))


def _from_field(value):
    if isinstance(value, list):
        return from_data(value)
    if isinstance(value, tuple):
        return tuple(_from_field(item) for item in value)
    return value


def walk(node: Node):
    """Yield the node and every node below it, depth first, in pattern order."""
    yield node
    if isinstance(node, Seq):
        children: tuple[Node, ...] = node.items
    elif isinstance(node, Alt):
        children = node.options
    elif isinstance(node, (Repeat, Capture, Look)):
        children = (node.body,)
    else:
        children = ()
    for child in children:
        yield from walk(child)
