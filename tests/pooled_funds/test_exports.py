"""Exports: every CSV escapes formula-leading cells (=, +, -, @, tab, CR); the
quarterly BCF return is an .xlsx in the national template's sheet and row layout
with no live formula."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.exports import csv_bytes, spreadsheet_safe
from pooled_funds import bcf_template
from pooled_funds.services.returns import return_enter
from tests.pooled_funds.conftest import all_lines

INJECTION = '=HYPERLINK("http://evil.example","Click")'


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+44 20", "'+44 20"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        (Decimal("-5.00"), Decimal("-5.00")),  # a number stays a number
        (-3, -3),
        (None, None),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_csv_bytes_escapes_every_cell():
    text = csv_bytes([["x", INJECTION], ["@me", Decimal("-1")]]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["x", "'" + INJECTION], ["'@me", "-1"]]


@pytest.fixture
def injected(fund, officer):
    fund.schemes.filter(reference="S2").update(name="-cmd|' /C calc'!A0")
    return return_enter(
        fund=fund,
        period="2015-Q1",
        rows=all_lines(),
        user=officer,
        narrative=INJECTION,
    )


@pytest.mark.django_db
def test_bcf_csv_escapes_a_formula_narrative(client, officer, injected):
    client.force_login(officer)
    body = client.get(reverse("pooled_funds:return_bcf_csv", args=[injected.pk]))
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'" + INJECTION in cells and INJECTION not in cells
    assert "'-cmd|' /C calc'!A0" in cells


@pytest.mark.django_db
def test_template_csv_escapes_scheme_names(client, officer, injected):
    client.force_login(officer)
    body = client.get(
        reverse("pooled_funds:return_template", args=[injected.fund_id, "csv"])
    ).content.decode("utf-8-sig")
    assert ",'-cmd|" in body


@pytest.mark.django_db
def test_bcf_xlsx_has_the_templates_sheets_rows_and_no_formula(
    client, officer, injected
):
    client.force_login(officer)
    response = client.get(reverse("pooled_funds:return_bcf_xlsx", args=[injected.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    content = response.content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == bcf_template.SHEETS
    ie = book["4. Income and Expenditure"]
    assert ie.cell(bcf_template.INCOME_HEADING_ROW, 1).value == "Income by source"
    assert ie.cell(bcf_template.INCOME_FIRST_ROW, 1).value == "NHS minimum contribution"
    assert ie.cell(bcf_template.INCOME_FIRST_ROW, 2).value == 1000000
    assert ie.cell(bcf_template.INCOME_TOTAL_ROW, 1).value == "Total income"
    heading = bcf_template.EXPENDITURE_HEADING_ROW
    assert ie.cell(heading, 1).value == "Scheme reference"
    assert [ie.cell(heading + i, 1).value for i in (1, 2, 3)] == ["S1", "S2", "S3"]
    narrative = book["8. Narrative"]
    assert narrative.cell(3, 2).value == INJECTION
    # No cell anywhere is a formula, in openpyxl's reading or in the XML itself.
    assert not [
        c.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(
                    name
                )
