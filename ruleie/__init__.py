"""ruleie: rule-based information extraction with exact provenance.

>>> import ruleie
>>> ex = ruleie.load()                       # the bundled rule packs
>>> [e.text for e in ex.extract("More than 250 people were killed.") if e.label == "NUMBER"]
['More than 250']
"""

__version__ = "0.1.0"

from .errors import DocumentError, PatternTimeout, RuleError, RuleErrors, RuleieError  # noqa: E402
from .extractor import Extraction, Extractor, load  # noqa: E402
from .limits import Limits  # noqa: E402

__all__ = [
    "DocumentError",
    "Extraction",
    "Extractor",
    "Limits",
    "PatternTimeout",
    "RuleError",
    "RuleErrors",
    "RuleieError",
    "__version__",
    "load",
]


def __getattr__(name: str):
    """``ruleie.to_frame`` (extra ``pandas``), imported on first use so that ``import ruleie``
    does not import pandas."""
    if name == "to_frame":
        from .integrations.pandas import to_frame

        return to_frame
    raise AttributeError(f"module 'ruleie' has no attribute {name!r}")
