"""Pooled funds: contributions, streams, schemes, returns, risk share (SPEC s.6)."""
