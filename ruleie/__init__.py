"""ruleie: rule-based information extraction with exact provenance.

>>> import ruleie
>>> ex = ruleie.load()                       # the bundled rule packs
>>> [e.text for e in ex.extract("More than 250 people were killed.") if e.label == "NUMBER"]
['More than 250']
"""

__version__ = "0.1.0"

from .errors import DocumentError, PatternTimeout, RuleError, RuleErrors, RuleieError  # noqa: E402
from .extractor import Extraction, Extractor, load  # noqa: E402

__all__ = [
    "DocumentError",
    "Extraction",
    "Extractor",
    "PatternTimeout",
    "RuleError",
    "RuleErrors",
    "RuleieError",
    "__version__",
    "load",
]
