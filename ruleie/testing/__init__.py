"""Hypothesis strategies for testing rules and rule packs."""
