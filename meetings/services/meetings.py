"""Writes for meetings, agenda, papers, attendance, interests and actions."""
