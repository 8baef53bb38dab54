"""``ruleie init DIR``: a new rule pack with a commented example rule, examples and a test."""

from __future__ import annotations

from pathlib import Path

RULE_FILE = '''\
# A ruleie rule pack. Reference: docs/rule-language.md; schema: `ruleie schema`.
ruleset: {name}
version: 1

lexicons:
  # A lexicon: entries with a canonical name, aliases and any attributes you like.
  vessels:
    - {{name: tanker, aliases: [tankers, oil tanker, oil tankers], kind: cargo}}
    - {{name: frigate, aliases: [frigates], kind: navy}}

macros:
  # A named sub-pattern, used below as @count.
  count: /\\d+/ | a | one | two | three | several

rules:
  - id: {name}.vessels
    label: VESSEL
    description: A number of vessels ("three tankers").
    # Items match tokens in order; n: names a capture, _n is a private one.
    pattern: n:@count _kind:$vessels
    value: {{count: {{capture: n}}, kind: {{capture: _kind, field: kind}}}}
    examples:
      - text: "Three tankers and a frigate left port."
        expect:
          - {{text: "Three tankers", value: {{count: Three, kind: cargo}}, args: {{n: Three}}}}
          - {{text: "a frigate", value: {{kind: navy}}}}
      - text: "The tank was empty."
        expect: []
'''

TEST_FILE = '''\
"""Run every example embedded in this rule pack (one pytest test each)."""

from pathlib import Path

import pytest

import ruleie
from ruleie.examples import run_examples

PACK = Path(__file__).parent
EXTRACTOR = ruleie.load(PACK)
RESULTS = run_examples(EXTRACTOR)


@pytest.mark.parametrize("result", RESULTS, ids=[r.name for r in RESULTS])
def test_example(result):
    assert result.ok, result.report()
'''


def scaffold(directory: str | Path) -> list[Path]:
    """Create the pack; refuse to overwrite files that exist."""
    root = Path(directory)
    name = "".join(c if c.isalnum() else "_" for c in root.resolve().name).strip("_").lower() or "pack"
    files = {root / f"{name}.yml": RULE_FILE.format(name=name), root / "test_rules.py": TEST_FILE}
    existing = [p for p in files if p.exists()]
    if existing:
        raise FileExistsError(f"{existing[0]} exists; not overwriting")
    root.mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        path.write_text(content, encoding="utf-8")
    return list(files)
