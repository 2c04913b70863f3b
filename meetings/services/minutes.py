"""Writes for minutes: the only place their state changes."""
