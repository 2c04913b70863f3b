"""Ring-fenced money: which schemes spend a ring-fenced funding stream, and whether a
decision on money may move it. Pure: plain values in, a refusal (or None) out.

West Kent annex 3.1: "there are conditions attached to several of the funding
streams which will have to be met e.g. part of the money has been earmarked as
disabled facilities grant and may only be used for that purpose. Hence the funding
will not entirely lose its identity as more often is the case in pooled budgets."

The rule chosen (the annex says what, not how):

- a stream is ring-fenced in a fund when any contribution of it is marked
  ring-fenced, and a stream in ``ALWAYS_RING_FENCED`` always is, each with the
  source it comes from (the Disabled Facilities Grant: West Kent 3.1), so a fund
  whose contributions forget the flag still keeps its DFG;
- a scheme is ring-fenced when it spends a ring-fenced stream (``Scheme.stream``)
  or receives a ring-fenced contribution;
- money may move out of a ring-fenced scheme only to a scheme spending the same
  stream: a redistribution to any other scheme is refused, and so is returning its
  underspend to a partner (the money would leave its purpose);
- a commitment charged to a ring-fenced scheme must be for that purpose, so a
  commitment naming a ring-fenced scheme as the source and another as the target
  is refused too;
- a refusal quotes the clause of the money it protects: the conditions of the
  ring-fenced contribution (the source scheme's own first, then any of the stream's
  in the fund), so Portsmouth's DFG is refused with Portsmouth's conditions; only
  when no contribution states any is the default's source quoted.
"""

from collections.abc import Iterable
from dataclasses import dataclass

# Streams ring-fenced in every fund, whatever its contributions say, each with the
# source of the rule (quoted in a refusal when no contribution states conditions).
ALWAYS_RING_FENCED: dict[str, str] = {
    "dfg": "West Kent annex 3.1: money earmarked as disabled facilities grant “may "
    "only be used for that purpose”",
}
NO_CONDITIONS = "the fund's contributions of it are marked ring-fenced"


@dataclass(frozen=True)
class StreamMoney:
    """A contribution as this rule sees it, with the conditions attached to it (the
    clause a refusal quotes)."""

    stream: str
    ring_fenced: bool
    scheme: str | None = None
    conditions: str = ""


@dataclass(frozen=True)
class SchemeStream:
    reference: str
    stream: str = ""


def ring_fenced_streams(contributions: Iterable[StreamMoney]) -> set[str]:
    return set(ALWAYS_RING_FENCED) | {c.stream for c in contributions if c.ring_fenced}


def scheme_ring_fence(
    scheme: SchemeStream, contributions: Iterable[StreamMoney]
) -> str | None:
    """The ring-fenced stream a scheme spends, or None."""
    contributions = list(contributions)
    fenced = ring_fenced_streams(contributions)
    if scheme.stream and scheme.stream in fenced:
        return scheme.stream
    for c in contributions:
        if c.scheme == scheme.reference and c.stream in fenced:
            return c.stream
    return None


def refuse_move(
    *,
    source: SchemeStream,
    target: SchemeStream | None,
    contributions: Iterable[StreamMoney],
    stream_labels: dict[str, str] | None = None,
) -> str | None:
    """Why money may not move from ``source`` to ``target`` (None: a partner, as in
    an underspend returned), or None when it may."""
    contributions = list(contributions)
    fenced = scheme_ring_fence(source, contributions)
    if fenced is None:
        return None
    if target is not None and scheme_ring_fence(target, contributions) == fenced:
        return None
    label = (stream_labels or {}).get(fenced, fenced)
    where = f"to {target.reference}" if target is not None else "back to a partner"
    return (
        f"{source.reference} spends the {label}, which is ring-fenced: it cannot "
        f"be moved {where} ({clause(fenced, source, contributions)})."
    )


def clause(
    stream: str, source: SchemeStream, contributions: Iterable[StreamMoney]
) -> str:
    """Why ``stream`` is ring-fenced, in its own words: the conditions of the
    source scheme's ring-fenced contribution of it, else of any in the fund, else the
    source of the default (``ALWAYS_RING_FENCED``)."""
    stated = [
        c
        for c in contributions
        if c.stream == stream and c.ring_fenced and c.conditions.strip()
    ]
    stated.sort(key=lambda c: c.scheme != source.reference)
    if stated:
        return f"conditions: “{stated[0].conditions.strip()}”"
    return ALWAYS_RING_FENCED.get(stream, NO_CONDITIONS)
