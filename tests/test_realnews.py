"""Floors under the bundled packs' scores on third-party news (shared/realnews beside the
checkout: Wikinews articles with gold in the project's format). Raise a floor whenever a rule
change lifts its figure, so that no later change can lose it silently."""

from __future__ import annotations

import pytest

from ruleie.evaluate import evaluate, load_gold
from ruleie.inputs import read_documents

from .conftest import shared_dir

# label: (overlap F1, exact F1, value accuracy)
FLOORS = {
    "NUMBER": (1.0, 0.99, 1.0),
    "ORG": (0.99, 0.98, 0.98),
    "DATE": (0.99, 0.96, 0.98),
    "AGREEMENT": (0.98, 0.78, 0.91),
}
PARTY_RECALL_FLOOR = 0.90


@pytest.fixture(scope="module")
def report(bundled):
    root = shared_dir("realnews")
    if not (root / "docs.jsonl").is_file():
        pytest.skip(f"real-news set {root} not found")
    docs = read_documents([str(root / "docs.jsonl")])
    return evaluate(bundled, docs, load_gold(root / "gold")).to_dict()


@pytest.mark.parametrize("label", sorted(FLOORS))
def test_label_meets_its_floors(report, label):
    overlap, exact, value = FLOORS[label]
    scores = report["labels"][label]
    assert scores["overlap_f1"] >= overlap, scores
    assert scores["exact_f1"] >= exact, scores
    assert scores["value_accuracy"] >= value, scores


def test_agreement_parties_meet_their_floor(report):
    assert report["documents"] == 17
    assert report["party_recall"] >= PARTY_RECALL_FLOOR
