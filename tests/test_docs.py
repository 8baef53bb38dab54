"""Every YAML block in docs/rule-language.md is a rule file whose examples must pass."""

from __future__ import annotations

import re

import pytest

import ruleie
from ruleie.examples import run_examples

from .conftest import ROOT

BLOCKS = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "rule-language.md").read_text("utf-8"), re.S)


def test_the_reference_has_examples():
    assert len(BLOCKS) >= 12


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_rule_language_block(block, tmp_path):
    path = tmp_path / "doc.yml"
    path.write_text(block, encoding="utf-8")
    extractor = ruleie.load(path)
    results = run_examples(extractor)
    assert results, "each block shows at least one example"
    failures = [r.report() for r in results if not r.ok]
    assert not failures, "\n".join(failures)
