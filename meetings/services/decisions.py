"""Writes for decisions: the only place their state changes."""
