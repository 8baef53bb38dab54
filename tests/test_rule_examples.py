"""Every example embedded in the bundled rule packs, one test each (as `ruleie test` runs them)."""

from __future__ import annotations

import pytest

import ruleie
from ruleie.examples import check_example

EXTRACTOR = ruleie.load()
CASES = [(rule, index, example) for rule in EXTRACTOR.rules for index, example in enumerate(rule.examples)]


def test_every_rule_has_examples():
    assert [rule.id for rule in EXTRACTOR.rules if not rule.examples] == []


@pytest.mark.parametrize("rule, index, example", CASES, ids=[f"{rule.id}[{index}]" for rule, index, _ in CASES])
def test_rule_example(rule, index, example):
    result = check_example(EXTRACTOR, rule, index, example)
    assert result.ok, result.report()
