"""A self-contained HTML report of extractions: ``ruleie extract --format html``.

One file, inline CSS and JavaScript, nothing loaded from anywhere (a Content-Security-Policy
says so: no network, and no script runs but the page's own, by hash). It shows

* a legend, one colour per label, each with a toggle and its count;
* a summary table: one row per document (an anchor link), its counts per label, or its error;
* the documents that failed, each error record;
* every document's text with its mentions highlighted as nested ``<mark>`` elements,
  computed from the offsets: a mark contains exactly ``text[start:end]``. Mentions that
  cross (neither contains the other) keep that property by splitting the later one into
  fragments that nest properly; the fragments of a mention joined give its text;
* on hover, a tooltip with every mention under the pointer (label, text, value, rule id and
  ``file:line``); on click, a details panel with the whole record (value and args as JSON,
  rule, ruleset), the mentions it sits inside and those inside it. ``#m<doc>-<n>`` in the
  address opens the panel on that mention.

Escaping: the document text, ids, labels and error messages are rendered server-side through
:func:`html.escape`; the records are embedded as JSON in ``<script type="application/json">``
blocks with ``<``, ``>`` and ``&`` written as ``\\u003c``-style escapes, so ``</script>`` or
``<!--`` in a value cannot end the block; the page's script reads them with ``JSON.parse`` and
builds the tooltip and panel with ``textContent`` only. Only integers reach HTML attributes.

Displayed text substitutes control characters (other than tab and line ends) with their
visible Control Pictures (U+2400...) and lone surrogates with U+FFFD, one code point for one,
so offsets still hold; a carriage return is written as ``&#13;`` so that the browser keeps it.

The page is deterministic: the same results give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

from . import __version__

BUNDLED_LABELS = ("NUMBER", "ORG", "DATE", "AGREEMENT")

# Colours of the bundled labels, then of others (in the legend's order), then generated hues.
_BUNDLED_COLOURS = {"NUMBER": "#1f6fb4", "ORG": "#e07b00", "DATE": "#2a9d3a", "AGREEMENT": "#8e44ad"}
_PALETTE = ("#d62728", "#17becf", "#8c564b", "#e377c2", "#7f7f00", "#4b5cc4", "#b8860b", "#2f4f4f")
_MAX_HEIGHT = 6  # nesting levels that get their own underline offset

# -- escaping --------------------------------------------------------------------------------

def _display_table() -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
    table[0x7F] = "\u2421"
    table.update({c: "\ufffd" for c in range(0xD800, 0xE000)})
    return table


_DISPLAY = _display_table()


def esc(text: Any) -> str:
    """Text for HTML content or a quoted attribute: escaped, one code point per code point."""
    return html.escape(str(text).translate(_DISPLAY), quote=True).replace("\r", "&#13;")


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` block: no ``<``, ``>`` or ``&``
    (so no ``</script>`` or ``<!--``), ASCII only, no NaN/Infinity."""
    try:
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False, default=str)
    except ValueError:  # a non-finite float somewhere: write it as a string
        text = json.dumps(_finite(data), ensure_ascii=True, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _finite(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return str(data)
    if isinstance(data, Mapping):
        return {str(k): _finite(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(v) for v in data]
    return data


# -- marks -----------------------------------------------------------------------------------

class _Mark:
    """One fragment of a mention's mark: ``index`` into the document's records."""

    __slots__ = ("index", "first", "children", "height")

    def __init__(self, index: int, first: bool):
        self.index, self.first = index, first
        self.children: list[_Mark | str] = []
        self.height = 1


def mark_tree(text: str, spans: Sequence[tuple[int, int, int]]) -> list[_Mark | str]:
    """Properly nested marks over ``text`` for spans ``(start, end, index)``, given in
    contract order (start, longest first, ...): an earlier span at the same start is the
    outer one. A span that crosses an open one is closed and reopened (a new fragment)
    where the other ends. Returns the top-level children (strings and marks)."""
    starts: dict[int, list[tuple[int, int]]] = {}
    ends: dict[int, set[int]] = {}
    for start, end, index in spans:
        starts.setdefault(start, []).append((end, index))
        ends.setdefault(end, set()).add(index)
    root = _Mark(-1, True)
    stack: list[_Mark] = [root]
    position = 0
    for point in sorted(set(starts) | set(ends) | {len(text)}):
        if point > position:
            stack[-1].children.append(text[position:point])
            position = point
        ending = ends.get(point)
        if ending:
            depth = next((d for d in range(1, len(stack)) if stack[d].index in ending), len(stack))
            reopen = [m.index for m in stack[depth:] if m.index not in ending]
            del stack[depth:]
            for index in reopen:
                _open(stack, index, False)
        for end, index in starts.get(point, ()):
            if end == point:  # empty span: an empty mark, nothing opened
                stack[-1].children.append(_Mark(index, True))
            else:
                _open(stack, index, True)
    _heights(root)
    return root.children


def _open(stack: list[_Mark], index: int, first: bool) -> None:
    mark = _Mark(index, first)
    stack[-1].children.append(mark)
    stack.append(mark)


def _heights(root: _Mark) -> None:
    """Each mark's height: 1 + the tallest mark inside it (iteratively: nesting may be deep)."""
    order, todo = [], [root]
    while todo:
        mark = todo.pop()
        order.append(mark)
        todo.extend(c for c in mark.children if isinstance(c, _Mark))
    for mark in reversed(order):
        inner = [c.height for c in mark.children if isinstance(c, _Mark)]
        mark.height = 1 + max(inner, default=0)


def render_marks(doc_number: int, children: list[_Mark | str], label_of: Sequence[int]) -> str:
    """HTML of a mark tree; ``label_of[index]`` is the label's class number."""
    out: list[str] = []
    todo: list[_Mark | str | None] = list(reversed(children))  # None: close a mark
    while todo:
        item = todo.pop()
        if item is None:
            out.append("</mark>")
        elif isinstance(item, str):
            out.append(esc(item))
        else:
            label = label_of[item.index]
            classes = f"l{label} h{min(item.height, _MAX_HEIGHT)}" + ("" if item.first else " frag")
            ident = f' id="m{doc_number}-{item.index}"' if item.first else ""
            out.append(f'<mark class="{classes}" data-i="{item.index}" data-l="{label}"{ident}>')
            todo.append(None)
            todo.extend(reversed(item.children))
    return "".join(out)


# -- the page --------------------------------------------------------------------------------

class _Labels:
    """Labels in order of first appearance (their class numbers) and their counts."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}
        self.counts: Counter[str] = Counter()

    def of(self, label: str) -> int:
        return self.number.setdefault(label, len(self.number))

    def ordered(self) -> list[str]:
        """The legend's order: the bundled labels first, then the others alphabetically."""
        return sorted(self.number, key=_legend_key)

    def colours(self) -> dict[str, str]:
        colours, spare = {}, 0
        for label in self.ordered():
            if label in _BUNDLED_COLOURS:
                colours[label] = _BUNDLED_COLOURS[label]
            else:
                colours[label] = _PALETTE[spare] if spare < len(_PALETTE) else _hue(spare)
                spare += 1
        return colours


def _legend_key(label: str) -> tuple[int, str]:
    """The bundled labels first, in their order, then the others alphabetically."""
    return (BUNDLED_LABELS.index(label) if label in BUNDLED_LABELS else len(BUNDLED_LABELS), label)


def _hue(n: int) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb((n * 0.618033988749895) % 1.0, 0.42, 0.65)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _record(item: Any) -> dict[str, Any]:
    return item.to_dict() if hasattr(item, "to_dict") else dict(item)


class _Doc:
    """What the page keeps of one document once its section is rendered."""

    __slots__ = ("number", "id", "counts", "error")

    def __init__(self, number: int, doc_id: str, counts: Counter[str], error: Mapping[str, Any] | None):
        self.number, self.id, self.counts, self.error = number, doc_id, counts, error


def _document_section(number: int, doc_id: str, text: str, records: list[dict[str, Any]], labels: _Labels) -> tuple[str, Counter[str]]:
    counts: Counter[str] = Counter(str(r.get("label")) for r in records)
    label_of = [labels.of(str(r.get("label"))) for r in records]
    spans, misplaced = [], 0
    for index, r in enumerate(records):
        start, end = r.get("start"), r.get("end")
        if (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)
                and text[start:end] == r.get("text", text[start:end])):
            spans.append((start, end, index))
        else:
            misplaced += 1
    spans.sort(key=lambda s: (s[0], -s[1], str(records[s[2]].get("label")), str((records[s[2]].get("rule") or {}).get("id")), s[2]))
    body = render_marks(number, mark_tree(text, spans), label_of)
    chips = " ".join(
        f'<span class="chip l{labels.of(label)}">{esc(label)} <b>{counts[label]}</b></span>'
        for label in sorted(counts, key=_legend_key)
    ) or '<span class="none">no mentions</span>'
    warning = (f'<p class="warn">{misplaced} mention{"s" if misplaced != 1 else ""} whose offsets do not match '
               f'this text {"are" if misplaced != 1 else "is"} not highlighted.</p>') if misplaced else ""
    section = (
        f'<section class="doc" id="doc-{number}" data-doc="{number}">\n'
        f'<h3><a class="anchor" href="#doc-{number}">#</a> <span class="docid">{esc(doc_id)}</span></h3>\n'
        f'<p class="counts">{len(records)} mention{"s" if len(records) != 1 else ""}: {chips}'
        f' <span class="muted">· {len(text)} characters · <a href="#top">top</a></span></p>\n{warning}'
        f'<pre class="text">{body}</pre>\n'
        f'<script type="application/json" id="data-{number}">{script_json(records)}</script>\n'
        f'</section>\n'
    )
    return section, counts


def render_html(results: Iterable[tuple[str, str | None, Any]], title: str = "ruleie report") -> str:
    """The report page for ``(doc_id, text, extractions or error record)`` triples.

    ``extractions`` is a list of :class:`~ruleie.extractor.Extraction` (or their records,
    as dicts); an error record is a dict with ``error`` and ``message`` (as
    :func:`ruleie.emit.error_record` makes). Each document's section is rendered as soon as
    it is read; only its counts are kept for the summary, so ``results`` may be a generator.
    """
    labels = _Labels()
    docs: list[_Doc] = []
    sections: list[str] = []
    rulesets: set[str] = set()
    for number, (doc_id, text, result) in enumerate(results):
        doc_id = str(doc_id)
        if isinstance(result, Mapping):
            docs.append(_Doc(number, doc_id, Counter(), result))
            continue
        records = [_record(item) for item in result]
        rulesets.update(str(r["ruleset"]) for r in records if r.get("ruleset"))
        section, counts = _document_section(number, doc_id, text or "", records, labels)
        labels.counts.update(counts)
        sections.append(section)
        docs.append(_Doc(number, doc_id, counts, None))
    return "".join(_page(title, docs, sections, labels, sorted(rulesets)))


def _page(title: str, docs: list[_Doc], sections: list[str], labels: _Labels, rulesets: list[str]) -> Iterable[str]:
    ordered = labels.ordered()
    failed = [d for d in docs if d.error is not None]
    total = sum(labels.counts.values())
    style = _STYLE + _label_css(labels)
    meta = {"labels": [{"name": label, "class": labels.number[label]} for label in ordered]}
    csp = ("default-src 'none'; base-uri 'none'; form-action 'none'; img-src data:; "
           f"style-src '{_sha256(style)}'; script-src '{_sha256(_SCRIPT)}'")
    yield ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
           f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           '<meta name="referrer" content="no-referrer">\n'
           f'<meta name="generator" content="ruleie {esc(__version__)}">\n'
           f'<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n<div id="report">\n')
    # header and legend
    ruleset = (f' · ruleset <code>{esc(rulesets[0])}</code>' if len(rulesets) == 1
               else f' · {len(rulesets)} rulesets' if rulesets else "")
    failures = f' · <a href="#errors">{len(failed)} failed</a>' if failed else ""
    yield (f'<header id="top">\n<h1>{esc(title)}</h1>\n'
           f'<p class="meta">{len(docs)} document{"s" if len(docs) != 1 else ""} · {total} mention{"s" if total != 1 else ""}'
           f'{failures}{ruleset} · ruleie {esc(__version__)}</p>\n')
    yield '<nav id="legend" aria-label="Labels">\n'
    if ordered:
        for label in ordered:
            n = labels.number[label]
            yield (f'<label class="toggle"><input type="checkbox" checked data-l="{n}"> '
                   f'<span class="chip l{n}">{esc(label)}</span> <span class="muted">{labels.counts[label]}</span></label>\n')
        yield '<span class="hint muted">Hover a highlight for its value (an agreement\'s event lights up with it); click for the details.</span>\n'
    else:
        yield '<span class="muted">No mentions.</span>\n'
    yield '</nav>\n</header>\n'
    # summary
    yield '<section id="summary">\n<h2>Documents</h2>\n'
    if docs:
        yield '<table class="summary">\n<thead><tr><th>#</th><th>document</th><th>mentions</th>'
        yield "".join(f'<th><span class="chip l{labels.number[label]}">{esc(label)}</span></th>' for label in ordered)
        yield '</tr></thead>\n<tbody>\n'
        for d in docs:
            if d.error is not None:
                yield (f'<tr class="failed"><td>{d.number + 1}</td><td><a href="#err-{d.number}">{esc(d.id)}</a></td>'
                       f'<td colspan="{1 + len(ordered)}" class="error">error: {esc(d.error.get("error", "error"))}</td></tr>\n')
                continue
            cells = "".join(f'<td class="n">{d.counts[label] or ""}</td>' for label in ordered)
            yield (f'<tr><td>{d.number + 1}</td><td><a href="#doc-{d.number}">{esc(d.id)}</a></td>'
                   f'<td class="n">{sum(d.counts.values())}</td>{cells}</tr>\n')
        yield '</tbody>\n</table>\n'
    else:
        yield '<p class="muted">No documents.</p>\n'
    yield '</section>\n'
    # errors
    if failed:
        yield f'<section id="errors">\n<h2>Errors ({len(failed)})</h2>\n<ul class="errors">\n'
        for d in failed:
            assert d.error is not None
            yield (f'<li id="err-{d.number}"><span class="docid">{esc(d.id)}</span>: '
                   f'<b>{esc(d.error.get("error", "error"))}</b> <span class="message">{esc(d.error.get("message", ""))}</span></li>\n')
        yield '</ul>\n</section>\n'
    yield '<main id="docs">\n'
    yield from sections
    yield '</main>\n</div>\n'
    yield ('<aside id="panel" hidden aria-live="polite"><button type="button" id="panel-close" title="Close (Esc)">×</button>'
           '<div id="panel-body"></div></aside>\n<div id="tip" hidden></div>\n')
    yield f'<script type="application/json" id="ruleie-meta">{script_json(meta)}</script>\n'
    yield f'<script>{_SCRIPT}</script>\n</body>\n</html>\n'


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def _label_css(labels: _Labels) -> str:
    rules = []
    for label, colour in labels.colours().items():
        n = labels.number[label]
        rules.append(f".l{n}{{--c:{colour};--bg:{_rgba(colour, 0.14)};--bs:{_rgba(colour, 0.32)}}}"
                     f"#report.off-l{n} mark.l{n}{{background:none;border-bottom-color:transparent;cursor:text}}")
    return "\n".join(rules) + "\n"


_STYLE = """
:root{color-scheme:light;--panel:380px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d232a;background:#f6f7f9}
body{margin:0}
#report{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
body.panel-open #report{margin-right:calc(var(--panel) + 16px)}
h1{font-size:1.5rem;margin:.2em 0}
h2{font-size:1.15rem;margin:1.4em 0 .5em;border-bottom:1px solid #dde1e6;padding-bottom:.2em}
h3{font-size:1rem;margin:0 0 .3em;word-break:break-all}
a{color:#1f5fa8}
code{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
.muted,.none{color:#68717d}
.meta{color:#4c5561;margin:.2em 0 .8em}
#legend{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;position:sticky;top:0;z-index:2;background:#f6f7f9;padding:8px 0;border-bottom:1px solid #dde1e6}
#legend .hint{font-size:.85em;margin-left:auto}
.toggle{display:inline-flex;align-items:center;gap:5px;cursor:pointer;user-select:none}
.chip{display:inline-block;padding:0 7px;border-radius:9px;background:var(--bg);border:1px solid var(--c);font-size:.8rem;font-weight:600;line-height:1.5;white-space:nowrap}
.chip b{font-weight:700}
table.summary{border-collapse:collapse;background:#fff;font-size:.9rem;width:100%}
.summary th,.summary td{border:1px solid #e1e4e8;padding:3px 8px;text-align:left}
.summary td.n{text-align:right;font-variant-numeric:tabular-nums}
.summary tr.failed td{background:#fff3f2}
.summary td.error{color:#b3261e}
ul.errors{background:#fff3f2;border:1px solid #f3c6c2;border-radius:6px;padding:8px 8px 8px 28px}
ul.errors li{margin:.25em 0}
.message{white-space:pre-wrap}
.docid{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
.warn{color:#8a5300;background:#fff8e1;padding:4px 8px;border-radius:4px}
section.doc{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:12px 16px;margin:14px 0}
section.doc:target{border-color:#1f5fa8;box-shadow:0 0 0 2px rgba(31,95,168,.2)}
.anchor{text-decoration:none;color:#9aa3ad}
.counts{margin:0 0 .6em;font-size:.9rem}
pre.text{white-space:pre-wrap;overflow-wrap:anywhere;font:15px/2.05 Georgia,"DejaVu Serif",serif;margin:0;tab-size:4}
mark{color:inherit;background:var(--bg);border-bottom:2px solid var(--c);border-radius:2px;cursor:pointer;padding:1px 0 0;-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.h2{padding-bottom:3px}mark.h3{padding-bottom:6px}mark.h4{padding-bottom:9px}mark.h5{padding-bottom:12px}mark.h6{padding-bottom:15px}
mark:empty{border-bottom:0;border-left:3px solid var(--c);padding:0 1px}
mark.hov{background:var(--bs)}
mark.sel{background:var(--bs);outline:2px solid var(--c);outline-offset:0}
mark.ev{background:var(--bs);outline:1px dashed var(--c);outline-offset:1px}
#panel{position:fixed;top:0;right:0;bottom:0;width:var(--panel);box-sizing:border-box;overflow:auto;background:#fff;border-left:1px solid #cfd5dc;box-shadow:-4px 0 12px rgba(0,0,0,.06);padding:14px 16px;z-index:5;font-size:.9rem}
#panel[hidden],#tip[hidden]{display:none}
#panel-close{position:absolute;top:8px;right:10px;border:0;background:none;font-size:20px;cursor:pointer;color:#68717d}
#panel h4{margin:.2em 0 .6em;font-size:1rem;padding-right:24px}
#panel dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 10px;margin:0}
#panel dt{color:#68717d}
#panel dd{margin:0;min-width:0}
#panel pre{margin:0;background:#f6f7f9;border:1px solid #e1e4e8;border-radius:4px;padding:4px 6px;font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;white-space:pre-wrap;overflow-wrap:anywhere}
#panel .quote{font-family:Georgia,"DejaVu Serif",serif;white-space:pre-wrap;overflow-wrap:anywhere}
#panel ul.args li{padding:1px 0}
#panel details{margin-top:4px}
#panel summary{cursor:pointer;font-size:.8rem}
#panel h5{margin:1em 0 .3em;font-size:.85rem;color:#4c5561}
#panel ul{list-style:none;margin:0;padding:0}
#panel li button{all:unset;cursor:pointer;display:block;padding:2px 0;overflow-wrap:anywhere}
#panel li button:hover .t{text-decoration:underline}
#tip{position:fixed;z-index:6;max-width:420px;background:#fff;border:1px solid #b9c1ca;border-radius:6px;box-shadow:0 4px 14px rgba(0,0,0,.15);padding:6px 9px;font-size:.82rem;pointer-events:none}
#tip .row+.row{border-top:1px solid #e8ebee;margin-top:4px;padding-top:4px}
#tip .t{font-family:Georgia,"DejaVu Serif",serif}
#tip code{font-size:11px}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var report = document.getElementById("report");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var tip = document.getElementById("tip");
  var meta = JSON.parse(document.getElementById("ruleie-meta").textContent);
  var labelClass = Object.create(null);
  meta.labels.forEach(function (l) { labelClass[l.name] = "l" + l["class"]; });
  var cache = Object.create(null);
  var off = Object.create(null);
  var selected = null;

  function records(doc) {
    if (!(doc in cache)) {
      var block = document.getElementById("data-" + doc);
      cache[doc] = block ? JSON.parse(block.textContent) : [];
    }
    return cache[doc];
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function chip(label) { return el("span", "chip " + (labelClass[label] || ""), label); }
  function json(v, indent) { try { return JSON.stringify(v, null, indent); } catch (e) { return String(v); } }
  function short(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function docOf(mark) { var s = mark.closest("section.doc"); return s ? s.getAttribute("data-doc") : null; }
  function recordOf(mark) { return records(docOf(mark))[+mark.getAttribute("data-i")]; }
  function fragments(doc, i) {
    var s = document.getElementById("doc-" + doc);
    return s ? s.querySelectorAll('mark[data-i="' + (+i) + '"]') : [];
  }
  function shown(mark) { return !off[mark.getAttribute("data-l")]; }
  // The visible mentions whose marks contain node, innermost first, each once.
  function chain(node) {
    var out = [], seen = Object.create(null);
    var m = node && node.closest ? node.closest("pre.text mark") : null;
    for (; m; m = m.parentElement.closest("pre.text mark")) {
      var i = m.getAttribute("data-i");
      if (shown(m) && !seen[i]) { seen[i] = true; out.push(m); }
    }
    return out;
  }
  function where(r) {
    var rule = r.rule || {};
    return (rule.id || "?") + " @ " + (rule.file || "?") + ":" + (rule.line == null ? "?" : rule.line);
  }

  // -- agreement events: a mention, the other mentions of its event and their parties --
  function eventOf(r) { return r && r.label === "AGREEMENT" && r.value && r.value.event ? r.value.event : null; }
  function spanKey(a) { return a && a.start !== undefined ? a.start + ":" + a.end : null; }
  // The indices of the records that belong with record i: every mention of its event (or of
  // the events it is a party of) and every party mention those mentions name.
  function related(doc, i) {
    var recs = records(doc), r = recs[i], events = Object.create(null), any = false;
    if (eventOf(r)) { events[eventOf(r)] = true; any = true; }
    recs.forEach(function (x) {
      if (!eventOf(x)) return;
      ((x.args && x.args.parties) || []).forEach(function (p) {
        if (spanKey(p) === spanKey(r) && x !== r) { events[eventOf(x)] = true; any = true; }
      });
    });
    if (!any) return [];
    var parties = Object.create(null), out = [];
    recs.forEach(function (x) {
      if (eventOf(x) && events[eventOf(x)]) ((x.args && x.args.parties) || []).forEach(function (p) { parties[spanKey(p)] = true; });
    });
    recs.forEach(function (x, j) {
      if (j !== i && ((eventOf(x) && events[eventOf(x)]) || (!eventOf(x) && parties[spanKey(x)]))) out.push(j);
    });
    return out;
  }
  var grouped = [];
  function setEvent(doc, i) {
    grouped.forEach(function (f) { f.classList.remove("ev"); });
    grouped = [];
    if (doc === null) return;
    related(doc, i).forEach(function (j) {
      Array.prototype.forEach.call(fragments(doc, j), function (f) { f.classList.add("ev"); grouped.push(f); });
    });
  }

  // -- tooltip --
  var hovered = [];
  function setHover(marks) {
    hovered.forEach(function (m) {
      Array.prototype.forEach.call(fragments(docOf(m), m.getAttribute("data-i")), function (f) { f.classList.remove("hov"); });
    });
    hovered = marks.slice(0, 1);
    hovered.forEach(function (m) {
      Array.prototype.forEach.call(fragments(docOf(m), m.getAttribute("data-i")), function (f) { f.classList.add("hov"); });
    });
    if (hovered.length) setEvent(docOf(hovered[0]), +hovered[0].getAttribute("data-i"));
    else if (selected) setEvent(selected[0], selected[1]);
    else setEvent(null);
  }
  function showTip(marks, x, y) {
    tip.textContent = "";
    marks.forEach(function (m) {
      var r = recordOf(m);
      if (!r) return;
      var row = el("div", "row");
      row.appendChild(chip(r.label));
      row.appendChild(document.createTextNode(" "));
      row.appendChild(el("span", "t", "\u201c" + short(r.text, 120) + "\u201d"));
      row.appendChild(el("div", null, "value " + short(json(r.value), 240)));
      var args = argsSummary(r.args);
      if (args) row.appendChild(el("div", "muted", short(args, 200)));
      row.appendChild(el("code", "muted", where(r) + " \u00b7 " + short(r.ruleset || "", 19)));
      tip.appendChild(row);
    });
    tip.hidden = false;
    moveTip(x, y);
  }
  function moveTip(x, y) {
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8), top = y + 18;
    if (top + h > window.innerHeight - 8) top = Math.max(8, y - h - 12);
    tip.style.left = Math.max(8, left) + "px";
    tip.style.top = top + "px";
  }
  var docs = document.getElementById("docs");
  docs.addEventListener("mousemove", function (ev) {
    var marks = chain(ev.target);
    if (!marks.length) { tip.hidden = true; setHover([]); return; }
    if (marks[0] !== hovered[0]) { setHover(marks); showTip(marks, ev.clientX, ev.clientY); }
    else moveTip(ev.clientX, ev.clientY);
  });
  docs.addEventListener("mouseleave", function () { tip.hidden = true; setHover([]); });

  // -- details panel --
  function row(dl, name, node) {
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (typeof node === "string") dd.textContent = node; else dd.appendChild(node);
    dl.appendChild(dd);
  }
  function argItems(args) {
    var out = [];
    Object.keys(args || {}).forEach(function (name) {
      (Array.isArray(args[name]) ? args[name] : [args[name]]).forEach(function (a) { out.push([name, a]); });
    });
    return out;
  }
  function argsSummary(args) {
    return argItems(args).map(function (p) {
      return p[0] + ": " + (p[1] && p[1].text !== undefined ? p[1].text : json(p[1]));
    }).join(" \u00b7 ");
  }
  function argsNode(args) {
    var items = argItems(args), box = el("div");
    if (!items.length) { box.appendChild(el("span", "muted", "none")); return box; }
    var ul = el("ul", "args");
    items.forEach(function (p) {
      var a = p[1], li = el("li");
      li.appendChild(el("b", null, p[0] + " "));
      if (a && a.label !== undefined) { li.appendChild(chip(a.label)); li.appendChild(document.createTextNode(" ")); }
      li.appendChild(el("span", "quote", a && a.text !== undefined ? a.text : json(a)));
      if (a && a.start !== undefined) li.appendChild(el("span", "muted", " " + a.start + "\u2013" + a.end));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    var details = el("details");
    details.appendChild(el("summary", "muted", "as JSON"));
    details.appendChild(el("pre", null, json(args, 2)));
    box.appendChild(details);
    return box;
  }
  function mentionList(title, doc, indices) {
    var box = el("div");
    if (!indices.length) return box;
    box.appendChild(el("h5", null, title));
    var ul = el("ul");
    indices.forEach(function (i) {
      var r = records(doc)[i];
      if (!r) return;
      var b = el("button");
      b.type = "button";
      b.appendChild(chip(r.label));
      b.appendChild(document.createTextNode(" "));
      b.appendChild(el("span", "t", short(r.text, 90)));
      b.addEventListener("click", function () { select(doc, i, true); });
      var li = el("li");
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }
  function select(doc, i, scroll) {
    var frags = fragments(doc, i), r = records(doc)[i];
    if (!frags.length || !r) return false;
    if (selected) Array.prototype.forEach.call(fragments(selected[0], selected[1]), function (f) { f.classList.remove("sel"); });
    selected = [doc, i];
    Array.prototype.forEach.call(frags, function (f) { f.classList.add("sel"); });
    panelBody.textContent = "";
    var h = el("h4");
    h.appendChild(chip(r.label));
    h.appendChild(document.createTextNode(" "));
    h.appendChild(el("span", "quote", r.text));
    panelBody.appendChild(h);
    var dl = el("dl");
    row(dl, "document", String(r.doc));
    row(dl, "span", r.start + "\u2013" + r.end);
    row(dl, "text", el("span", "quote", r.text));
    row(dl, "value", el("pre", null, json(r.value, 2)));
    row(dl, "args", argsNode(r.args));
    var rule = r.rule || {};
    row(dl, "rule", el("code", null, String(rule.id)));
    row(dl, "at", el("code", null, rule.file + ":" + rule.line));
    row(dl, "ruleset", el("code", null, String(r.ruleset)));
    panelBody.appendChild(dl);
    var outer = chain(frags[0]).slice(1).map(function (m) { return +m.getAttribute("data-i"); });
    var inner = [], seen = Object.create(null);
    Array.prototype.forEach.call(frags, function (f) {
      Array.prototype.forEach.call(f.querySelectorAll("mark"), function (m) {
        var j = m.getAttribute("data-i");
        if (!seen[j] && +j !== +i) { seen[j] = true; inner.push(+j); }
      });
    });
    panelBody.appendChild(mentionList("inside", doc, outer));
    panelBody.appendChild(mentionList("contains", doc, inner));
    var together = related(doc, i);
    var name = eventOf(r) ? "event " + eventOf(r) + ": its mentions and parties" : "its agreement events";
    panelBody.appendChild(mentionList(name, doc, together));
    setEvent(doc, i);
    panel.hidden = false;
    document.body.classList.add("panel-open");
    if (history.replaceState) history.replaceState(null, "", "#m" + doc + "-" + i);
    if (scroll) frags[0].scrollIntoView({block: "center"});
    return true;
  }
  function closePanel() {
    if (selected) Array.prototype.forEach.call(fragments(selected[0], selected[1]), function (f) { f.classList.remove("sel"); });
    selected = null;
    setEvent(null);
    panel.hidden = true;
    document.body.classList.remove("panel-open");
  }
  docs.addEventListener("click", function (ev) {
    if (window.getSelection && String(window.getSelection()).length) return;  // selecting text
    var marks = chain(ev.target);
    if (marks.length) select(docOf(marks[0]), +marks[0].getAttribute("data-i"), false);
  });
  document.getElementById("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closePanel(); });

  // -- legend toggles --
  Array.prototype.forEach.call(document.querySelectorAll("#legend input[data-l]"), function (box) {
    box.addEventListener("change", function () {
      var n = box.getAttribute("data-l");
      off[n] = !box.checked;
      report.classList.toggle("off-l" + n, !box.checked);
      tip.hidden = true;
    });
  });

  // -- #m<doc>-<i> opens a mention --
  function fromHash() {
    var m = /^#m(\d+)-(\d+)$/.exec(location.hash);
    if (m) select(m[1], +m[2], true);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  document.documentElement.setAttribute("data-ready", "1");
})();
"""
