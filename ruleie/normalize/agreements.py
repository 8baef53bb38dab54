"""The ``agreement`` normalizer: an agreement's type and status.

``type`` comes from the lexicon entry of the trigger the rule captured ("ceasefire",
"takeover" -> acquisition). ``status`` comes from a captured status word if the rule has
one, else from the clause around the mention: the cue nearest the mention wins ("talks
collapsed" -> collapsed; "due to sign" -> proposed; "signed a truce" -> signed). Talks and
negotiations with no other cue are ``negotiating``. A rule's own ``type:``/``status:``
fields override all of this.
"""

from __future__ import annotations

from typing import Any

import regex

from . import MatchView, normalizer

# Strong cues state what happened; weak ones only lean. The nearest strong cue wins; else the
# nearest weak one. Within a tier, where two cues are equally near, the earlier row wins.
_STRONG = [
    ("proposed", r"due to sign|set to sign|prepared to sign|expected to sign|to be signed|would sign|will sign|plans? to sign|"
                 r"(?:hop\w*|seek\w*|aim\w*|bid|efforts?|push\w*|tr(?:y|ying|ied)|wants?|sought) to (?:reach|agree|strike|secure|sign)|"
                 r"(?:plans?|planned|plann\w+|intends?|intention|seeks?|seeking|wants?|hopes?|offer\w*|propos\w+|bid|calls? on|called on|urg\w+) to "
                 r"(?:\w+ )?(?:buy|acquire|purchase|take over|merge|sell)|(?:may|might|could|should) be signed"),
    ("collapsed", r"collaps\w*|fails? to pass|revoked|revok\w+|cancell?ed|broke down|break(?:s|ing)? down|fell apart|fall(?:s|ing)? apart|scrapped|call(?:ed|s|ing)? off|"
                  r"ended|ending|abandon\w*|terminat\w*|walked away|pulled out|rejected|failed"),
    ("stalled", r"stall\w*|falter\w*|deadlock\w*|suspend\w*|paus\w*|frozen|on hold|stuck|impasse|postponed"),
    ("ratified", r"ratif\w*|backed|endorsed|approved unanimously|unanimously approved|voted (?:to )?(?:approve|accept|endorse)"),
    ("implemented", r"took effect|take effect|takes effect|came into force|come(?:s)? into force|in force|implement\w*|"
                    r"completed|had taken place|took place|in place"),
    ("signed", r"signed|signs"),
    ("negotiating", r"(?:words|steps?|days?|close|closer|near) (?:away )?from (?:a|the) deal|nearing (?:a|the) deal"),
    ("reached", r"entered into|enters into|went through|go(?:es)? through|gone through|agreed|agree|agrees|reach\w*|struck|sealed|clinched|secured|wins|won|concluded|brokered|negotiated|"
                r"accepted|tentative"),
]
_WEAK = [
    ("proposed", r"propos\w*|offer\w*|bidders?|bidding|floated|draft|hop\w*|call(?:ed|s)? for|demand\w* for|push(?:ed|ing)? for|possible|potential|"
                 r"new round"),
    ("negotiating", r"talks|negotiat\w*|discuss\w*|mediat\w*"),
]
_OUTCOMES = {"reached", "signed", "ratified", "implemented"}  # of a deal, not of the talks toward it
_CUES = _STRONG + _WEAK
_CUE_RE = regex.compile("|".join(f"(?P<c{i}>\\b(?:{pattern})\\b)" for i, (_, pattern) in enumerate(_CUES)), regex.IGNORECASE)
_CLAUSE_END = regex.compile(r"[.;!?\n]|\s[—–-]\s")
WINDOW = 70


@normalizer("agreement")
def agreement_value(view: MatchView) -> dict[str, Any]:
    value: dict[str, Any] = {"type": None, "status": None}
    for spans in view.captures.values():
        for span in spans:
            for key in value:
                if value[key] is None and span.data and span.data.get(key) and not span.label:
                    value[key] = span.data[key]
    if value["status"] is None:
        value["status"] = status_from_context(view.document, view.start, view.end, value["type"])
    if value["status"] is None:  # a deal verb's own ("to buy": reached; "offers": proposed)
        value["status"] = next((s.data["default_status"] for spans in view.captures.values() for s in spans
                                if s.data and s.data.get("default_status") and not s.label), None)
    return value


def status_from_context(document: str, start: int, end: int, kind: str | None) -> str | None:
    """The status the clause around [start, end) states: the nearest strong cue, else the
    nearest weak one; for talks, outcome words ("agreed") describe the deal, not the talks."""
    left = max(0, start - WINDOW)
    ends = list(_CLAUSE_END.finditer(document, left, start))
    left = ends[-1].end() if ends else left
    stop = _CLAUSE_END.search(document, end, end + WINDOW)
    right = stop.start() if stop else min(len(document), end + WINDOW)
    best: tuple[int, int, int, str] | None = None
    for m in _CUE_RE.finditer(document, left, right):
        index = int(m.lastgroup[1:])
        status = _CUES[index][0]
        inside = start <= m.start() < end
        if (status == "negotiating" and inside) or (kind == "negotiation" and status in _OUTCOMES):
            continue  # the trigger word itself ("talks") is not a cue
        distance = 0 if inside else min(abs(m.start() - end), abs(start - m.end()))
        rank = (index >= len(_STRONG), distance, index)
        if best is None or rank < best[:3]:
            best = (*rank, status)
    if best is not None:
        return best[3]
    return "negotiating" if kind == "negotiation" else None
