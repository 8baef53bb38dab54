"""Generated rule trees for the growth curves: a big lexicon, and many keyword-anchored rules.

* ``lexicon_tree(dir, n)``: one rule over a text lexicon of ``n`` made-up organization names
  ("Quillanvor Ridge Mining PLC"), the way a large gazetteer is shipped (one entry a line).
  ``names(n)`` is a prefix of ``names(m)`` for n < m, so the bigger lexicon knows every name
  the smaller one does, and the text (``inject_names``) mentions names of the first 1,000.
* ``rules_tree(dir, n)``: ``n`` rules, each anchored on its own keyword (an inflection of a
  news verb: "extradited", "sanctions", "mediating"), with the shapes hand-written rules
  take: an agent or a place after the verb, a quantity, an object noun, a look-behind.
  Rule ``i`` is the same in every size, so the 10-rule file is a prefix of the 1,000-rule one.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterator

from . import vocab as v

_SYLLABLES = """ka lo mar ven dri tus bel or an sen qui rho pex zan tor vi ly na gar el bra
mon sti fal cor dun hel ith ro sa"""
_SYLLABLES_LIST = _SYLLABLES.split()


def names(n: int, seed: int = 11) -> list[str]:
    """``n`` distinct made-up organization names, always the same for a seed."""
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        first = "".join(rng.choice(_SYLLABLES_LIST) for _ in range(rng.randint(2, 4))).capitalize()
        words = [first]
        if rng.random() < 0.4:
            words.append(rng.choice(v.PLACE_WORDS))
        words.append(rng.choice(v.COMPANY_HEADS))
        if rng.random() < 0.5:
            words.append(rng.choice(v.SUFFIXES))
        name = " ".join(words)
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def lexicon_tree(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "generated_names.txt").write_text("\n".join(names(n)) + "\n", encoding="utf-8")
    (folder / "lexicon.yml").write_text(
        "ruleset: bench_lexicon\n"
        "lexicons:\n"
        "  generated_names:\n"
        "    file: generated_names.txt\n"
        "rules:\n"
        "  - id: bench.generated_name\n"
        "    label: GENORG\n"
        "    pattern: org:$generated_names\n"
        "    value: {name: {capture: org, field: name}}\n",
        encoding="utf-8",
    )
    return folder


def inject_names(records: Iterator[dict], known: list[str], seed: int = 5) -> Iterator[dict]:
    """Each document gets one more sentence naming two of ``known``."""
    rng = random.Random(seed)
    for record in records:
        first, second = rng.sample(known, 2)
        sentence = f"Analysts also pointed to {first} and {second}, which declined to comment.\n"
        yield {**record, "text": record["text"] + "\n" + sentence}


def keywords(seed: int = 3) -> list[str]:
    """Every inflection of every rule verb and noun, shuffled once for a seed (1,000 or more)."""
    words = sorted({form for verb in v.RULE_VERBS for form in v.inflections(verb)} | {
        form for noun in v.RULE_NOUNS for form in (noun, noun + "s")})
    random.Random(seed).shuffle(words)
    return words


_CAP = r"/\p{Lu}[\p{L}'’\-]+/"
_TEMPLATES = (
    ("AGENT", "{kw} (by | from | against | with) (the)? agent:(" + _CAP + "{1,4})"),
    ("PLACE", "{kw} (in | at | near | outside) place:" + _CAP + " (\",\"? " + _CAP + ")?"),
    ("AMOUNT", "{kw} (more than | about | nearly | some | up to)? amount:/\\d[\\d,.]*/ (million | billion)? "
               "(people | civilians | workers | jobs | tonnes | barrels | percent | \"%\")?"),
    ("OBJECT", "{kw} (the | a | an | its | their) (new | proposed | planned | final)? "
               "object:(proposal | decision | request | report | measures | plan | deal | agreement | sanctions | talks)"),
    ("ACTOR", "(?<= " + _CAP + ") {kw} (?= (the | a | an | its) _)"),
    ("DATE", "{kw} (on | last | this | next) when:(Monday | Tuesday | Wednesday | Thursday | Friday | Saturday | Sunday | week | month)"),
)


def rules_tree(folder: Path, n: int) -> Path:
    words = keywords()
    if n > len(words):
        raise ValueError(f"at most {len(words)} generated rules")
    lines = ["ruleset: bench_rules", "rules:"]
    for i in range(n):
        label, pattern = _TEMPLATES[i % len(_TEMPLATES)]
        lines += [
            f"  - id: bench.rule{i:04d}",
            f"    label: {label}",
            f"    pattern: {json.dumps(pattern.replace('{kw}', words[i]), ensure_ascii=False)}",
        ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
