"""Ring-fenced money: which schemes spend a ring-fenced funding stream, and whether a
decision on money may move it. Pure: plain values in, a refusal (or None) out.

West Kent annex 3.1: "there are conditions attached to several of the funding
streams which will have to be met e.g. part of the money has been earmarked as
disabled facilities grant and may only be used for that purpose. Hence the funding
will not entirely lose its identity as more often is the case in pooled budgets."

The rule chosen (the annex says what, not how):

- a stream is ring-fenced in a fund when any contribution of it is marked
  ring-fenced, and the Disabled Facilities Grant always is (it is a capital grant
  with conditions, West Kent 3.1);
- a scheme is ring-fenced when it spends a ring-fenced stream (``Scheme.stream``)
  or receives a ring-fenced contribution;
- money may move out of a ring-fenced scheme only to a scheme spending the same
  stream: a redistribution to any other scheme is refused, and so is returning its
  underspend to a partner (the money would leave its purpose);
- a commitment charged to a ring-fenced scheme must be for that purpose, so a
  commitment naming a ring-fenced scheme as the source and another as the target
  is refused too.
"""

from collections.abc import Iterable
from dataclasses import dataclass

ALWAYS_RING_FENCED = {"dfg"}
CLAUSE = (
    "West Kent annex 3.1: money earmarked as {stream} “may only be used for that "
    "purpose”"
)


@dataclass(frozen=True)
class StreamMoney:
    """A contribution as this rule sees it."""

    stream: str
    ring_fenced: bool
    scheme: str | None = None


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
        f"be moved {where} (" + CLAUSE.format(stream=label) + ")."
    )
