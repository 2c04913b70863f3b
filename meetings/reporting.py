"""Which boards receive periodic reports that their meetings follow (PMG: bi-monthly
after each monthly report; IFPG: at least quarterly after each quarterly report).

The reports come from apps above this one (a pooled fund's returns), so they register
a source in their ``AppConfig.ready()``; the meetings app imports none of them. Where
several sources report to one board, the most frequent cycle counts.
"""

from collections.abc import Callable, Iterable

from .scheduling import ReportingCycle

CycleSource = Callable[[Iterable[int]], dict[int, ReportingCycle]]

_sources: list[CycleSource] = []


def register_reporting_cycles(source: CycleSource) -> None:
    if source not in _sources:
        _sources.append(source)


def reporting_cycles(board_ids: Iterable[int]) -> dict[int, ReportingCycle]:
    board_ids = list(board_ids)
    cycles: dict[int, ReportingCycle] = {}
    for source in _sources:
        for board_id, cycle in source(board_ids).items():
            current = cycles.get(board_id)
            if current is None or cycle.months < current.months:
                cycles[board_id] = cycle
    return cycles
