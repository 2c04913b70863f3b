"""Reading the demo files (demo/files.py): a mistake names its file and place."""

import shutil

import pytest

from demo import files


@pytest.fixture
def data(tmp_path):
    shutil.copy(files.DATA / files.SHARED, tmp_path / files.SHARED)
    return tmp_path


def test_every_demo_file_reads(db):
    """The shipped files read cleanly, one per reference document."""
    read = files.read_all()
    documents = {path.stem for path in files.document_files()}
    assert documents == {
        "leicestershire-integration-governance-2018",
        "leicestershire-jcg-terms-of-reference-2020",
        "portsmouth-cabinet-s75-report-2022",
        "portsmouth-pmg-terms-of-reference",
        "west-kent-bcf-s75-annex-2015",
    }
    assert read.boards and read.meetings and read.funds


def test_an_unknown_section_is_an_error_naming_the_file(data):
    (data / "a.yaml").write_text("document: a.txt\nboard: []\n")
    with pytest.raises(files.DemoFileError, match=r"a\.yaml: unknown key\(s\) board"):
        files.read_all(data)


def test_a_partner_given_twice_differently_is_an_error(data):
    (data / "a.yaml").write_text("partners:\n  x: {name: X, kind: other}\n")
    (data / "b.yaml").write_text("partners:\n  x: {name: Y, kind: other}\n")
    with pytest.raises(files.DemoFileError, match="partner 'x' differs"):
        files.read_all(data)


def test_an_unknown_seat_key_is_an_error(data, db):
    """A typo in a seat (``votin``) fails the load instead of being ignored."""
    from demo import load

    (data / "a.yaml").write_text(
        "partners:\n  x: {name: X, kind: other}\n"
        "boards:\n  - key: b\n    name: B\n    partners: [x]\n"
        "    seats:\n      - {title: T, partner: x, votin: false}\n"
    )
    with pytest.raises(files.DemoFileError, match="seat T: unknown key"):
        load.load(meetings=False, funds=False, directory=data)
