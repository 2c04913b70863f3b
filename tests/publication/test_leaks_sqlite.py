"""The leak walk (``test_leaks.py``) on SQLite as well (issue 19: "the leak test
passes on PostgreSQL and SQLite"). CI runs the suite on PostgreSQL; this runs the
walk again in a subprocess with ``DATABASE_URL`` on SQLite, so the fallback search
is walked too. On a laptop without PostgreSQL the suite itself runs on SQLite and
``test_leaks.py`` is the SQLite walk."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_the_leak_walk_passes_on_sqlite(tmp_path):
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'walk.sqlite3'}"
    env["PUBLICATION_EXPECT_VENDOR"] = "sqlite"
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/publication/test_leaks.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-rs",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    tail = result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    summary = re.search(r"(\d+) passed", result.stdout)
    assert summary and int(summary.group(1)) >= 5, tail
    assert "skipped" not in result.stdout.splitlines()[-1], tail
