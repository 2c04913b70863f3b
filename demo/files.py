"""Reading the demo files (``demo/data/*.yaml``): one file per reference document,
plus ``shared.yaml`` (the logins, the standard agenda, meeting defaults).

Every file may hold the sections ``partners``, ``agreements``, ``boards``,
``meetings``, ``funds`` and ``obligations`` (the boards' duties); the loader takes
each section from every file in turn, so a board of one document may name a
partner, an agreement or a board of another.
A key this module does not know is an error naming the file and the place, so a typo
in a demo file fails loudly instead of being ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
SHARED = "shared.yaml"
SECTIONS = (
    "document",
    "cite_as",
    "partners",
    "agreements",
    "boards",
    "meetings",
    "funds",
    "obligations",
)


class DemoFileError(ValueError):
    """A demo file that cannot be loaded: says which file and where."""


@dataclass
class DemoData:
    shared: dict
    # How each file's document is cited ("Portsmouth PMG ToR"), by file name.
    cite_as: dict[str, str] = field(default_factory=dict)
    # (file name, entry) pairs, in file order.
    partners: list[tuple[str, str, dict]] = field(default_factory=list)
    agreements: list[tuple[str, dict]] = field(default_factory=list)
    boards: list[tuple[str, dict]] = field(default_factory=list)
    meetings: list[tuple[str, dict]] = field(default_factory=list)
    funds: list[tuple[str, dict]] = field(default_factory=list)
    obligations: list[tuple[str, dict]] = field(default_factory=list)


def check_keys(entry, allowed: set[str], where: str, *, required=()) -> dict:
    """The entry as a dict, refusing keys not in ``allowed`` and missing required
    ones."""
    if entry is None:
        entry = {}
    if not isinstance(entry, dict):
        raise DemoFileError(f"{where}: expected a mapping, found {entry!r}")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DemoFileError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = [key for key in required if key not in entry]
    if missing:
        raise DemoFileError(f"{where}: missing {', '.join(missing)}")
    return entry


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        content = yaml.safe_load(handle) or {}
    return check_keys(content, set(SECTIONS), path.name)


def document_files(directory: Path = DATA) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != SHARED)


def read_all(directory: Path = DATA) -> DemoData:
    """Every demo file, read and checked at the top level."""
    with (directory / SHARED).open(encoding="utf-8") as handle:
        shared = yaml.safe_load(handle) or {}
    data = DemoData(shared=shared)
    seen_partners: dict[str, tuple[str, dict]] = {}
    for path in document_files(directory):
        content = _read(path)
        data.cite_as[path.name] = content.get("cite_as", "")
        for key, partner in (content.get("partners") or {}).items():
            if key in seen_partners and seen_partners[key][1] != partner:
                raise DemoFileError(
                    f"{path.name}: partner {key!r} differs from the one in "
                    f"{seen_partners[key][0]}"
                )
            seen_partners[key] = (path.name, partner)
            data.partners.append((path.name, key, partner))
        for section in ("agreements", "boards", "meetings", "funds", "obligations"):
            for entry in content.get(section) or []:
                getattr(data, section).append((path.name, entry))
    return data
