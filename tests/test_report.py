"""The HTML report (ruleie.report): escaping, nested marks computed from offsets, legend,
summary and errors; and the page in a real browser (headless Chromium, Debian's package),
which must show a document's ``<script>`` as text, run only its own script and render.

The browser tests are skipped, saying why, only when no chromium binary is on PATH
(``apt-get install -y chromium``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruleie.extractor import Extraction
from ruleie.report import esc, mark_tree, render_html, render_marks, script_json

RULESET = "sha256:" + "ab" * 32
# A small rule set of this file's own (the bundled packs change): ORG and DATE at stage 1,
# an AGREEMENT that contains them at stage 2, and NUMBER.
RULES = r"""
lexicons:
  orgs: [United Nations, Hamas]
rules:
  - id: org.name
    label: ORG
    pattern: name:$orgs
    value: {name: {capture: name}, type: other}
  - id: date.weekday
    label: DATE
    pattern: /(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day/
    value: {date: null, grain: day}
  - id: agreement.with
    label: AGREEMENT
    stage: 2
    pattern: parties[]:<ORG> signed a ceasefire agreement with parties[]:<ORG> on date:<DATE>
    value: {type: ceasefire, status: signed}
  - id: number.digits
    label: NUMBER
    pattern: /\d+/
    value: {kind: cardinal}
"""
EVIL = 'He said "<script>document.title=\'PWNED\';alert(1)</script>" & left. </script><!-- '
EVIL_IMG = '<img src=x onerror="document.documentElement.setAttribute(\'data-pwned\',\'img\')">'
NEWS = "The United Nations signed a ceasefire agreement with Hamas on Tuesday."
EVIL_VALUE = {
    "value": "</script><script>document.documentElement.setAttribute('data-pwned','value')</script>",
    "note": "<!-- " + EVIL_IMG + ' "quoted" & amp',
}


def ext(doc: str, text: str, label: str, start: int, end: int, value=None, args=None,
        rule_id: str = "r", rule_file: str = "rules/x.yml", line: int = 1, ruleset: str = RULESET) -> Extraction:
    return Extraction(doc, label, start, end, text[start:end], value or {}, args or {},
                      rule_id, rule_file, line, ruleset)


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


# -- parsing the page back ----------------------------------------------------------------


class Page(HTMLParser):
    """Marks (balanced, with the text inside each), scripts, and the text of each document."""

    VOID = {"meta", "input", "br", "img", "link", "hr"}

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.mark_text: dict[tuple[str, str], str] = {}  # (doc, data-i) -> text of its fragments
        self.mark_ids: dict[str, tuple[str, str]] = {}
        self.doc_text: dict[str, str] = {}
        self.nested = 0  # marks inside another mark
        self.max_depth = 0
        self.ids: Counter[str] = Counter()
        self.feed(source)
        self.close()
        assert not self.stack, f"unclosed elements: {[t for t, _ in self.stack]}"

    def _doc(self) -> str | None:
        for tag, attrs in reversed(self.stack):
            if tag == "section" and "data-doc" in attrs:
                return attrs["data-doc"]
        return None

    def _marks(self) -> list[dict]:
        return [attrs for tag, attrs in self.stack if tag == "mark"]

    def handle_starttag(self, tag, attrs_list):
        attrs = dict(attrs_list)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag in self.VOID:
            return
        if tag == "mark":
            assert any(t == "pre" for t, _ in self.stack), "a mark outside a document's text"
            if self._marks():
                self.nested += 1
            key = (self._doc(), attrs["data-i"])
            self.mark_text.setdefault(key, "")
            if "id" in attrs:
                self.mark_ids[attrs["id"]] = key
        self.stack.append((tag, attrs))
        self.max_depth = max(self.max_depth, len(self._marks()))
        if tag == "script":
            self.scripts.append((attrs, ""))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1][0] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        if any(t == "pre" for t, _ in self.stack):
            doc = self._doc()
            self.doc_text[doc] = self.doc_text.get(doc, "") + data
            for attrs in self._marks():
                key = (doc, attrs["data-i"])
                self.mark_text[key] += data


def data_blocks(page: Page) -> dict[str, list[dict]]:
    return {a["id"][len("data-"):]: json.loads(text) for a, text in page.scripts if a.get("id", "").startswith("data-")}


@pytest.fixture(scope="module")
def rules_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "rules.yml"
    path.write_text(RULES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extractor(rules_file):
    """This file's rules, compiled once."""
    import ruleie

    return ruleie.load(str(rules_file))


def news_results(extractor):
    evil_doc = EVIL + NEWS
    records = extractor.extract(evil_doc, "evil <b>&amp;</b>.txt")
    start, end = at(evil_doc, "<script>document.title='PWNED';alert(1)</script>")
    records.append(ext("evil <b>&amp;</b>.txt", evil_doc, "SCRIPT", start, end, EVIL_VALUE,
                       {"who": {"start": start, "end": start + 8, "text": evil_doc[start:start + 8]}},
                       rule_id='evil"</script>', rule_file="rules/<evil>.yml", line=7, ruleset=extractor.ruleset.digest))
    records.sort(key=lambda e: (e.start, -e.end, e.label, e.rule_id))
    return [
        ("evil <b>&amp;</b>.txt", evil_doc, records),
        ("missing <i>.txt", None, {"doc": "missing <i>.txt", "error": "unreadable", "message": "No such file: </script><script>x()</script>"}),
        ("plain.txt", NEWS, extractor.extract(NEWS, "plain.txt")),
    ]


# -- escaping -------------------------------------------------------------------------------


def test_script_in_document_text_is_text(extractor):
    page_html = render_html(news_results(extractor), title="<script>t()</script> & report")
    page = Page(page_html)
    # our three kinds of script: the meta block, one data block per document, the page's code
    kinds = [a.get("type") for a, _ in page.scripts]
    assert kinds == ["application/json", "application/json", "application/json", None]
    assert "<script>document.title" not in page_html
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;;alert(" in page_html
    assert ")&lt;/script&gt;</mark>&quot; &amp; left. &lt;/script&gt;&lt;!-- The <mark" in page_html
    assert page.doc_text["0"] == EVIL + NEWS  # the whole text, as text
    assert "<title>&lt;script&gt;t()&lt;/script&gt; &amp; report</title>" in page_html
    assert "evil &lt;b&gt;&amp;amp;&lt;/b&gt;.txt" in page_html
    assert "<img" not in page_html


def test_values_and_rule_data_are_escaped_json(extractor):
    results = news_results(extractor)
    page_html = render_html(results)
    page = Page(page_html)
    for attrs, text in page.scripts[:-1]:
        assert attrs.get("type") == "application/json"
        assert "</" not in text and "<!--" not in text and "<" not in text and "&" not in text
    blocks = data_blocks(page)
    assert blocks["0"] == [e.to_dict() for e in results[0][2]]  # round trip, exactly
    assert blocks["2"] == [e.to_dict() for e in results[2][2]]
    evil = next(r for r in blocks["0"] if r["label"] == "SCRIPT")
    assert evil["value"] == EVIL_VALUE and evil["rule"] == {"id": 'evil"</script>', "file": "rules/<evil>.yml", "line": 7}


def test_only_integers_reach_attributes(extractor):
    page_html = render_html(news_results(extractor))
    for match in re.finditer(r'<mark ([^>]*)>', page_html):
        assert re.fullmatch(r'class="l\d+ h\d+( frag)?" data-i="\d+" data-l="\d+"( id="m\d+-\d+")?', match.group(1))


def test_esc_and_script_json():
    assert esc('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert esc("a\r\nb\0c\x1bd\ud800e") == "a&#13;\nb\u2400c\u241bd\ufffde"
    assert script_json({"a": "</script><!-- & >"}) == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u003e"}'
    assert json.loads(script_json({"a": "</script><!-- & >"})) == {"a": "</script><!-- & >"}
    assert json.loads(script_json({"x": float("nan"), "y": [float("inf")]})) == {"x": "nan", "y": ["inf"]}
    assert json.loads(script_json({"s": "\ud800é\u2028"})) == {"s": "\ud800é\u2028"}


def test_control_characters_keep_offsets():
    text = "a\r\nACME\0 x\ud800 ACME"
    results = [("d", text, [ext("d", text, "ORG", 3, 7), ext("d", text, "ORG", 12, 16)])]
    page_html = render_html(results)
    page_html.encode("utf-8")  # a lone surrogate must not make the page unwritable
    page = Page(page_html)
    assert page.doc_text["0"] == "a\r\nACME\u2400 x\ufffd ACME"
    assert page.mark_text[("0", "0")] == "ACME" and page.mark_text[("0", "1")] == "ACME"


# -- marks ----------------------------------------------------------------------------------


def check_marks(page: Page, results) -> None:
    """Every placed mention's fragments, in order, give exactly its record text; each
    document's text comes back whole; first fragments carry the mention's anchor."""
    blocks = data_blocks(page)
    for number, (_, text, result) in enumerate(results):
        if isinstance(result, dict):
            continue
        doc = str(number)
        assert page.doc_text.get(doc, "") == text
        for i, record in enumerate(blocks[doc]):
            if record["start"] == record["end"]:
                assert page.mark_text[(doc, str(i))] == ""
            else:
                assert page.mark_text[(doc, str(i))] == record["text"] == text[record["start"]:record["end"]]
            assert page.mark_ids[f"m{doc}-{i}"] == (doc, str(i))
    assert all(count == 1 for count in page.ids.values()), "duplicate ids"


def test_agreement_marks_contain_org_marks(extractor):
    results = news_results(extractor)
    page = Page(render_html(results))
    check_marks(page, results)
    assert page.nested >= 3 and page.max_depth >= 2
    plain = render_html(results[2:])
    agreement = re.search(r'<mark class="l(\d+) h2" data-i="(\d+)"[^>]*><mark class="l(\d+) h1"[^>]*>United Nations</mark> signed'
                          r' a ceasefire agreement with <mark class="l\3 h1"[^>]*>Hamas</mark> on <mark class="l(\d+) h1"[^>]*>Tuesday</mark></mark>\.', plain)
    assert agreement, plain


def test_crossing_identical_and_empty_spans():
    text = "alpha beta gamma delta"
    spans = [(0, 10), (6, 16), (6, 16), (11, 22), (6, 6), (17, 22), (0, 22)]
    records = [ext("d", text, f"L{n % 3}", s, e, rule_id=f"r{n}") for n, (s, e) in enumerate(spans)]
    records.sort(key=lambda e: (e.start, -e.end, e.label, e.rule_id))
    results = [("d", text, records)]
    page_html = render_html(results)
    page = Page(page_html)
    check_marks(page, results)
    assert ' frag"' in page_html  # the crossing ones were split
    assert page.max_depth >= 3


@given(st.text(alphabet="ab <&>\"'\n", max_size=30).flatmap(
    lambda text: st.tuples(st.just(text), st.lists(
        st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted), max_size=8))))
def test_marks_property(case):
    """Any spans at all: balanced marks, each mention's text exact, the text whole."""
    text, spans = case
    records = [ext("d", text, f"L{n % 4}", s, e, rule_id=f"r{n}") for n, (s, e) in enumerate(spans)]
    records.sort(key=lambda e: (e.start, -e.end, e.label, e.rule_id))
    results = [("d", text, records)]
    check_marks(Page(render_html(results)), results)


def test_mark_tree_nests_by_offsets():
    text = "deal between Acme and Bolt"
    tree = mark_tree(text, [(0, 26, 0), (13, 17, 1), (22, 26, 2)])
    assert render_marks(0, tree, [0, 1, 1]) == (
        '<mark class="l0 h2" data-i="0" data-l="0" id="m0-0">deal between '
        '<mark class="l1 h1" data-i="1" data-l="1" id="m0-1">Acme</mark> and '
        '<mark class="l1 h1" data-i="2" data-l="1" id="m0-2">Bolt</mark></mark>')


def test_misplaced_records_are_listed_not_marked():
    text = "Acme and Bolt"
    bad = Extraction("d", "ORG", 0, 4, "Zzzz", {}, {}, "r", "f", 1, RULESET)
    out = Extraction("d", "ORG", 9, 99, "Bolt", {}, {}, "r", "f", 1, RULESET)
    page_html = render_html([("d", text, [bad, out])])
    assert "2 mentions whose offsets do not match this text are not highlighted" in page_html
    assert "<mark" not in page_html.split('id="docs"')[1]


# -- legend, summary, errors, page ----------------------------------------------------------


def test_legend_summary_and_errors(extractor):
    results = news_results(extractor)
    page_html = render_html(results)
    legend = page_html.split('<nav id="legend"')[1].split("</nav>")[0]
    labels = re.findall(r'<input type="checkbox" checked data-l="(\d+)"> <span class="chip l\1">([^<]+)</span>', legend)
    assert [name for _, name in labels] == ["NUMBER", "ORG", "DATE", "AGREEMENT", "SCRIPT"]
    colours = dict(re.findall(r"\.l(\d+)\{--c:(#[0-9a-f]{6})", page_html))
    assert len(set(colours.values())) == len(labels) == len(colours)
    summary = page_html.split('<section id="summary">')[1].split("</section>")[0]
    assert '<a href="#doc-0">evil &lt;b&gt;&amp;amp;&lt;/b&gt;.txt</a>' in summary
    assert '<a href="#err-1">missing &lt;i&gt;.txt</a>' in summary and "error: unreadable" in summary
    plain = Counter(e.label for e in results[2][2])
    row = re.search(r'<a href="#doc-2">plain.txt</a></td>(.*?)</tr>', summary).group(1)
    assert re.findall(r'<td class="n">(\d*)</td>', row) == [str(sum(plain.values()))] + [
        str(plain[label]) if plain[label] else "" for label in ("NUMBER", "ORG", "DATE", "AGREEMENT", "SCRIPT")]
    errors = page_html.split('<section id="errors">')[1].split("</section>")[0]
    assert '<li id="err-1"><span class="docid">missing &lt;i&gt;.txt</span>: <b>unreadable</b>' in errors
    assert "No such file: &lt;/script&gt;&lt;script&gt;x()&lt;/script&gt;" in errors
    assert 'id="doc-0"' in page_html and 'id="doc-2"' in page_html and 'id="doc-1"' not in page_html
    total = len(results[0][2]) + len(results[2][2])
    ruleset = extractor.ruleset.digest
    assert f'3 documents · {total} mentions · <a href="#errors">1 failed</a> · ruleset <code>{ruleset}</code>' in page_html


def test_csp_hashes_match_the_inline_style_and_script(extractor):
    """No network, and the browser runs the page's own script and style and nothing else."""
    page_html = render_html(news_results(extractor))
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page_html).group(1))
    assert "default-src 'none'" in csp
    page = Page(page_html)
    code = page.scripts[-1][1]
    style = re.search(r"<style>(.*?)</style>", page_html, re.S).group(1)
    for source in (code, style):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert not re.search(r"https?://", page_html)


def test_deterministic_streaming_and_empty(extractor):
    results = news_results(extractor)
    assert render_html(results) == render_html(iter(results)) == render_html(r for r in results)
    empty = render_html([])
    assert "No documents." in empty and "No mentions." in empty
    Page(empty)
    dicts = [(d, t, r if isinstance(r, dict) else [e.to_dict() for e in r]) for d, t, r in results]
    assert render_html(dicts) == render_html(results)


# -- in a browser ---------------------------------------------------------------------------


def chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install -y chromium)")
    return binary


def run_chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=3000",
    ]
    result = subprocess.run([binary, *flags, *args], capture_output=True, timeout=180, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB rows of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [b"".join(r[i:i + 3] for i in range(0, stride, channels)) for r in rows]


@pytest.fixture
def report_file(extractor, tmp_path) -> tuple[Path, list]:
    results = news_results(extractor)
    path = tmp_path / "report dir" / "report.html"
    path.parent.mkdir()
    path.write_text(render_html(results, title="ruleie report"), encoding="utf-8")
    return path, results


def test_browser_shows_script_as_text_and_runs_only_its_own(report_file, tmp_path):
    binary = chromium()
    path, results = report_file
    evil = next(i for i, e in enumerate(results[0][2]) if e.label == "SCRIPT")
    dom = run_chromium(binary, tmp_path, "--dump-dom", f"{path.as_uri()}#m0-{evil}").stdout
    assert 'data-ready="1"' in dom, "the page's own script did not run"
    # an injected script or handler would have retitled the page or set data-pwned
    assert "<title>ruleie report</title>" in dom and not re.search(r'data-pwned="', dom)
    # the document's markup is text: in text nodes (between the marks), and no element was made of it
    shown = re.search(r'<section class="doc" id="doc-0".*?<pre class="text">(.*?)</pre>', dom, re.S).group(1)
    assert re.sub(r"</?mark[^>]*>", "", shown) == (EVIL + NEWS).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert len(re.findall(r"<script\b", dom)) == 4 and "<img" not in dom
    # the details panel is open on the evil mention, built from the JSON as text
    panel = dom.split('<aside id="panel"')[1].split("</aside>")[0]
    assert not panel.startswith(" hidden")
    assert "&lt;/script&gt;&lt;script&gt;document.documentElement.setAttribute('data-pwned','value')&lt;/script&gt;" in panel
    assert "evil\"&lt;/script&gt;" in panel and "rules/&lt;evil&gt;.yml:7" in panel
    mark_class = re.search(rf'<mark class="([^"]*)"[^>]*id="m0-{evil}"', dom).group(1)
    assert "sel" in mark_class.split()


def test_browser_screenshot(report_file, tmp_path):
    """The page with the details panel open on the AGREEMENT. Keep this report short enough
    to fit the window: headless Chromium's --screenshot comes out blank when the page has
    scrolled (as it does for a #fragment further down, on any page)."""
    binary = chromium()
    path, results = report_file
    agreement = next(i for i, e in enumerate(results[0][2]) if e.label == "AGREEMENT")
    shot = tmp_path / "report.png"
    run_chromium(binary, tmp_path, f"--screenshot={shot}", "--window-size=1280,900", f"{path.as_uri()}#m0-{agreement}")
    assert shot.exists() and shot.stat().st_size > 20_000
    width, height, rows = png_pixels(shot)
    assert (width, height) == (1280, 900)
    pixels = Counter(row[i:i + 3] for row in rows[::3] for i in range(0, len(row), 9))
    assert len(pixels) > 50, "a nearly blank page"
    # the selected AGREEMENT (#8e44ad at .32 on white) and an ORG underline (#e07b00) are drawn
    def near(rgb, tolerance=6):
        return any(all(abs(p - q) <= tolerance for p, q in zip(pixel, rgb)) for pixel in pixels)
    assert near((219, 195, 229)), "no selected AGREEMENT highlight in the screenshot"
    assert near((0xe0, 0x7b, 0x00), 20), "no ORG colour in the screenshot"


# -- the command line (ruleie extract --format html) ------------------------------------------


def test_cli_extract_format_html(tmp_path, rules_file):
    from click.testing import CliRunner

    from ruleie.cli import main

    evil = tmp_path / "evil.txt"
    evil.write_text(EVIL + NEWS + "\n", encoding="utf-8")
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["extract", "--rules", str(rules_file), "--format", "html", "-o", str(page), str(evil), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1, result.output
    text = page.read_text(encoding="utf-8")
    parsed = Page(text)
    assert parsed.doc_text["0"] == EVIL + NEWS + "\n"
    assert '<a href="#err-1">' in text and "No such file or directory" in text
    blocks = data_blocks(parsed)
    assert {r["label"] for r in blocks["0"]} >= {"ORG", "AGREEMENT"}
    assert not list(tmp_path.glob("*.part*"))
    resumed = CliRunner().invoke(main, ["extract", "--rules", str(rules_file), "--format", "html", "--resume", "-o", str(page), str(evil)])
    assert resumed.exit_code == 2


DEALS = (
    "Northgate Foods Inc. said on Monday it had agreed to buy Pellman Dairy Corp. for $410 million.\n\n"
    "The deal is expected to close in June.\n\n"
    "Separately, Halden Group signed a supply contract with Corvex Ltd. on Tuesday."
)


def test_browser_lights_up_an_agreement_event_with_its_mentions_and_parties(tmp_path):
    """Opening "The deal" (#m0-i) marks the earlier mention of its event and that mention's
    parties, and nothing of the other deal."""
    import ruleie

    binary = chromium()
    records = ruleie.load().extract(DEALS, "deals.txt")
    path = tmp_path / "events.html"
    path.write_text(render_html([("deals.txt", DEALS, records)]), encoding="utf-8")
    deal = next(i for i, e in enumerate(records) if e.label == "AGREEMENT" and e.text == "deal")
    dom = run_chromium(binary, tmp_path, "--dump-dom", f"{path.as_uri()}#m0-{deal}").stdout
    assert 'data-ready="1"' in dom
    lit = {int(i) for i in re.findall(r'<mark class="[^"]*\bev\b[^"]*" data-i="(\d+)"', dom)}
    assert {records[i].text for i in lit} == {
        "buy Pellman Dairy Corp. for $410 million", "Northgate Foods Inc.", "Pellman Dairy Corp."}
    panel = dom.split('<aside id="panel"')[1].split("</aside>")[0]
    assert "event e1: its mentions and parties" in panel
