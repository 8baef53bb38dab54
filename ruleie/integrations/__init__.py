"""ruleie where its users already work: optional integrations.

* :mod:`ruleie.integrations.spacy`: the ``ruleie`` spaCy pipeline component (extra ``spacy``).
* :mod:`ruleie.integrations.brat`: brat standoff (``.ann``) writer and reader (stdlib only).
* :mod:`ruleie.integrations.labelstudio`: Label Studio pre-annotations writer and export
  reader (stdlib only).
* :mod:`ruleie.integrations.pandas`: ``to_frame``, one row per extraction (extra ``pandas``).
* :mod:`ruleie.integrations.tabular`: the flat row shared by ``--format csv`` and ``to_frame``.

Nothing here is imported by ``import ruleie``; each module imports its third-party library
only when it is itself imported. See docs/integrations.md.
"""
