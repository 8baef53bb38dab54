"""The pattern language, parsed with pyparsing into the AST of ``syntax``.

pyparsing reads rule patterns only, never documents. ``parse`` raises PatternSyntaxError
with the offset into the pattern, which the loader turns into ``file:line:col``.

Grammar (whitespace between items is free)::

    pattern  := alt
    alt      := seq ("|" seq)*
    seq      := item (["~"] item)*
    item     := look | [name ":" | name "[]:"] atom [quantifier]
    atom     := "(" alt ")" | "=" (word | string) | word | string | /regex/flags
              | "$"lexicon | "@"macro | "<"LABEL">" | "_"
    look     := ("(?=" | "(?!" | "(?<=" | "(?<!") alt ")"
    quantifier := "?" | "*" | "+" | "{" m "}" | "{" m "," [n] "}" | "{" "," n "}"
"""

from __future__ import annotations

from contextvars import ContextVar

import regex
import pyparsing as pp

from . import syntax as s
from .limits import DEFAULT_LIMITS, Limits

# The repetition limit of the parse under way, for the quantifier's parse action (the
# grammar is built once and shared; a context variable keeps concurrent parses apart).
_REPEAT_LIMIT: ContextVar[int] = ContextVar("repeat_limit", default=DEFAULT_LIMITS.repeat)


class PatternSyntaxError(ValueError):
    """A pattern that does not parse or breaks a rule of the language; ``pos`` is its offset."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message = message
        self.pos = pos


def _build_grammar() -> pp.ParserElement:
    alt = pp.Forward()

    word = pp.Regex(r"[^\W_][\w'’.\-&]*").set_name("word")
    word.set_parse_action(lambda loc, t: s.Literal(t[0], False, loc))
    string = pp.QuotedString('"', esc_char="\\", unquote_results=True).set_name("quoted string")
    string.set_parse_action(lambda loc, t: s.Literal(t[0], False, loc))
    exact = pp.Regex(r'=(?=[\w"])').suppress() + (word | string)
    exact.set_parse_action(lambda loc, t: s.Literal(t[0].text, True, loc))
    token_regex = pp.Regex(r"/((?:[^/\\\n]|\\.)+)/([a-z]*)").set_name("/regex/")
    token_regex.set_parse_action(_token_regex)
    lexicon = pp.Regex(r"\$([A-Za-z_]\w*)").set_name("$lexicon")
    lexicon.set_parse_action(lambda loc, t: s.LexiconRef(t[0][1:], loc))
    macro = pp.Regex(r"@([A-Za-z_]\w*)").set_name("@macro")
    macro.set_parse_action(lambda loc, t: s.MacroRef(t[0][1:], loc))
    mention = pp.Regex(r"<([A-Z][A-Z0-9_]*)>").set_name("<LABEL>")
    mention.set_parse_action(lambda loc, t: s.MentionRef(t[0][1:-1], loc))
    any_token = pp.Regex(r"_(?!\w)").set_name("_")
    any_token.set_parse_action(lambda loc, t: s.AnyToken(loc))

    group = pp.Suppress(pp.Regex(r"\((?!\?)")) - alt - pp.Suppress(")")
    look_open = pp.Regex(r"\(\?<?[=!]").set_name("lookaround")
    look = look_open - alt - pp.Suppress(")")
    look.set_parse_action(_look)

    atom = group | exact | word | string | token_regex | lexicon | macro | mention | any_token
    quantifier = pp.Regex(r"[?*+]|\{\s*\d*\s*(?:,\s*\d*\s*)?\}").set_name("quantifier")
    quantifier.set_parse_action(lambda loc, t: [_quantifier_bounds(t[0], loc)])
    capture = pp.Regex(r"([A-Za-z_]\w*)(\[\])?:").set_name("capture name")
    item = look | pp.Group(pp.Opt(capture, default="") + atom + pp.Opt(quantifier, default=""))
    item.set_parse_action(_item)
    join = pp.Opt(pp.Literal("~"), default=" ")
    seq = item + pp.ZeroOrMore(join + item)
    seq.set_parse_action(_seq)
    alt <<= seq + pp.ZeroOrMore(pp.Suppress("|") - seq)
    alt.set_parse_action(lambda loc, t: t[0] if len(t) == 1 else s.Alt(_flatten_alt(t), loc))
    return alt + pp.StringEnd()


def _token_regex(loc: int, t: pp.ParseResults) -> s.TokenRegex:
    body, flags = regex.fullmatch(r"/((?:[^/\\\n]|\\.)+)/([a-z]*)", t[0]).groups()
    return s.TokenRegex(body, flags, loc)


def _look(loc: int, t: pp.ParseResults) -> s.Look:
    opener = t[0]
    return s.Look(behind="<" in opener, negative="!" in opener, body=t[1], pos=loc)


def _item(loc: int, t: pp.ParseResults) -> s.Node:
    if isinstance(t[0], s.Look):
        return t[0]
    name, node, quant = t[0][0], t[0][1], t[0][2]
    if quant:
        low, high = quant
        node = s.Repeat(node, low, high, loc)
    if name:
        is_list = name.endswith("[]:")
        node = s.Capture(name[: -3 if is_list else -1], node, is_list, loc)
    return node


def _quantifier_bounds(quant: str, loc: int) -> tuple[int, int | None]:
    if quant in "?*+":
        return {"?": (0, 1), "*": (0, None), "+": (1, None)}[quant]
    inner = quant[1:-1].replace(" ", "")
    low_text, comma, high_text = inner.partition(",")
    low = int(low_text) if low_text else 0
    high = (int(high_text) if high_text else None) if comma else low
    if high is not None and (high < low or high == 0):
        raise pp.ParseFatalException("", loc, f"bad repetition {quant}: need 0 <= min <= max, max > 0")
    limit = _REPEAT_LIMIT.get()
    if max(low, high or 0) > limit:
        raise pp.ParseFatalException("", loc, f"repetition {quant} is over the limit of {limit}")
    return low, high


def _seq(loc: int, t: pp.ParseResults) -> s.Node:
    items: list[s.Node] = []
    joins: list[str] = []
    for i, part in enumerate(t):
        if i % 2:
            joins.append(part)
            continue
        if isinstance(part, s.Seq):  # a parenthesised sequence joins the outer one
            items.extend(part.items)
            joins.extend(part.joins)
        else:
            items.append(part)
    return items[0] if len(items) == 1 else s.Seq(tuple(items), tuple(joins), loc)


def _flatten_alt(t: pp.ParseResults) -> tuple[s.Node, ...]:
    options: list[s.Node] = []
    for option in t:
        options.extend(option.options if isinstance(option, s.Alt) else (option,))
    return tuple(options)


_GRAMMAR = _build_grammar()
_GRAMMAR.parse_with_tabs()  # offsets are string offsets: tabs are not expanded


def parse(text: str, limits: Limits = DEFAULT_LIMITS) -> s.Node:
    """Parse pattern text into an AST, or raise PatternSyntaxError."""
    if len(text) > limits.pattern_chars:
        raise PatternSyntaxError(f"pattern is {len(text)} characters, over the limit of {limits.pattern_chars}", 0)
    _check_nesting(text, limits.nesting)
    if not text.strip():
        raise PatternSyntaxError("empty pattern", 0)
    try:
        token = _REPEAT_LIMIT.set(limits.repeat)
        try:
            return _GRAMMAR.parse_string(text, parse_all=True)[0]
        finally:
            _REPEAT_LIMIT.reset(token)
    except pp.ParseBaseException as exc:
        raise PatternSyntaxError(_explain(exc, text), exc.loc) from None


def _check_nesting(text: str, limit: int) -> None:
    """Refuse deep nesting before pyparsing recurses into it."""
    depth = 0
    for pos, char in enumerate(regex.sub(r"/(?:[^/\\\n]|\\.)+/|\"(?:[^\"\\]|\\.)*\"", lambda m: "x" * len(m[0]), text)):
        depth += char == "("
        depth -= char == ")"
        if depth > limit:
            raise PatternSyntaxError(f"groups nested deeper than {limit}", pos)


def _explain(exc: pp.ParseBaseException, text: str) -> str:
    if exc.msg and not exc.msg.startswith("Expected"):
        return exc.msg
    rest = text[exc.loc:]
    if exc.msg == "Expected ')'" or (not rest.strip() and text.count("(") > text.count(")")):
        return "unclosed group: expected ')'"
    if rest.startswith(")"):
        return "unexpected ')': no group is open here"
    if rest and rest[0] in "?*+{":
        return f"quantifier {rest[:1]!r} has nothing to repeat"
    if rest[:1] == "/":
        return "unterminated /regex/"
    if rest[:1] == '"':
        return "unterminated quoted string"
    if rest[:1] == "|" or text.rstrip().endswith("|"):
        return "empty alternative around '|'"
    shown = rest.split()[0] if rest.split() else "end of pattern"
    return f"unexpected {shown!r}"
