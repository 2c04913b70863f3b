"""Reading and validating a return file (SPEC s.6): a bad file is rejected with an
error per row and column, and nothing is kept."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pooled_funds import imports
from pooled_funds.imports import SchemeInfo

D = Decimal
SCHEMES = {
    "BCF REF WK002": SchemeInfo("BCF REF WK002", D("3092000")),
    "BCF REF WK004": SchemeInfo("BCF REF WK004", D("94000")),
}
HEAD = "period,scheme,scheme_name,original_budget,budget,actual_to_date,forecast_outturn,activity,commentary,action_plan\n"


def validate(text: str, period="2015-Q1"):
    rows = imports.read_csv(text.encode())
    return imports.validate_rows(
        rows[1:],
        period=period,
        frequency="quarterly",
        financial_year=2015,
        schemes=SCHEMES,
        headings=rows[0]["_headings"] if rows else [],
    )


def test_a_good_file_gives_lines_with_pounds_and_pence():
    """ "£" and thousands commas are read; a blank original budget is the scheme's."""
    result = validate(
        HEAD
        + '2015-Q1,BCF REF WK002,Self care,,"£3,092,000",700000.50,3100000,104 packages,ok,plan\n'
        + ",bcf ref wk004,,94000,94000,20000,90000,,,\n"
        + ",TOTAL,,,3186000,720000.50,3190000,,,\n"
    )
    assert result.ok, result.errors
    assert [line.scheme for line in result.lines] == ["BCF REF WK002", "BCF REF WK004"]
    assert result.lines[0].budget == D("3092000.00")
    assert result.lines[0].original_budget == D("3092000")
    assert result.lines[0].actual_to_date == D("700000.50")
    assert result.lines[1].row == 3


def test_every_error_in_a_bad_file_is_reported_by_row_and_column():
    """Unknown scheme, negative money, non-numeric money, duplicate scheme, wrong
    period and a TOTAL that does not add up: all reported, and no lines kept."""
    result = validate(
        HEAD
        + "2015-Q1,BCF REF WK999,,1,1,1,1,,,\n"  # row 2 unknown scheme
        + "2015-Q1,BCF REF WK002,,1,-5,1,1,,,\n"  # row 3 negative
        + "2015-Q1,BCF REF WK004,,1,1,lots,1,,,\n"  # row 4 non-numeric
        + "2015-Q1,BCF REF WK004,,1,1,1,1,,,\n"  # row 5 duplicate of row 4? row 4 failed
        + "2015-Q1,BCF REF WK004,,1,1,1,1,,,\n"  # row 6 duplicate of row 5
        + "2015-Q2,BCF REF WK002,,1,1,1,1.005,,,\n"  # row 7 wrong period + 3 decimals
    )
    found = {(e.row, e.column) for e in result.errors}
    assert (2, "scheme") in found
    assert (3, "budget") in found
    assert (4, "actual_to_date") in found
    assert (6, "scheme") in found
    assert (7, "period") in found
    assert (7, "forecast_outturn") in found
    assert result.lines == []
    messages = " ".join(str(e) for e in result.errors)
    assert "unknown scheme" in messages and "duplicate scheme" in messages
    assert "negative" in messages and "not a number" in messages
    assert "wrong period" in messages


def test_totals_that_do_not_add_up_are_refused():
    """A TOTAL row must equal the sum of the lines above it."""
    result = validate(
        HEAD
        + ",BCF REF WK002,,,3092000,5,10,,,\n,BCF REF WK004,,,94000,5,10,,,\n"
        + ",TOTAL,,,3186001,10,20,,,\n"
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, "budget")]
    assert "does not add up" in result.errors[0].message


@pytest.mark.parametrize(
    "text, column",
    [
        ("scheme,budget\nBCF REF WK002,1\n", "actual_to_date, forecast_outturn"),
        ("", "scheme, budget, actual_to_date, forecast_outturn"),
    ],
)
def test_missing_columns_are_reported_on_row_one(text, column):
    """A file without the template's columns is refused as a whole."""
    result = validate(text)
    assert [(e.row, e.column) for e in result.errors] == [(1, column)]


def test_a_wrong_period_label_for_the_fund_is_refused():
    """A monthly label for a quarterly fund is an error on the period."""
    result = validate(
        HEAD + ",BCF REF WK002,,,3092000,1,1,,,\n,BCF REF WK004,,,94000,1,1,,,\n",
        period="2015-06",
    )
    assert [(e.row, e.column) for e in result.errors] == [(None, "period")]


def test_excel_round_trip_of_the_template():
    """The downloadable Excel template reads back as a valid return."""
    rows = imports.template_rows(
        period="2015-Q1",
        schemes=[
            ("BCF REF WK002", "Self care", D("3092000")),
            ("BCF REF WK004", "Mobile clinical services", D("94000")),
        ],
    )
    rows[1][5], rows[1][6] = D("1000.10"), D("3092000")
    rows[2][5], rows[2][6] = D("0"), D("94000")
    rows[3][5], rows[3][6] = D("1000.10"), D("3186000")
    read = imports.read_file("return.xlsx", imports.template_xlsx(rows))
    result = imports.validate_rows(
        read[1:],
        period="2015-Q1",
        frequency="quarterly",
        financial_year=2015,
        schemes=SCHEMES,
        headings=read[0]["_headings"],
    )
    assert result.ok, result.errors
    assert result.lines[0].actual_to_date == D("1000.10")


def test_unreadable_files_are_refused():
    with pytest.raises(imports.FileUnreadable):
        imports.read_file("x.xlsx", b"not a zip")
    with pytest.raises(imports.FileUnreadable):
        imports.read_file("x.pdf", b"%PDF")


money_values = st.decimals(min_value=0, max_value=10**9, places=2)


@given(
    st.lists(st.tuples(money_values, money_values), min_size=2, max_size=2),
)
def test_property_valid_files_round_trip_and_one_bad_cell_saves_nothing(figures):
    """Any valid file gives back exactly its figures; one bad cell anywhere gives
    no lines at all."""
    rows = imports.template_rows(
        period="2015-Q1", schemes=[(r, "", s.budget) for r, s in SCHEMES.items()]
    )[:-1]
    for row, (actual, forecast) in zip(rows[1:], figures, strict=True):
        row[5], row[6] = actual, forecast
    text = imports.template_csv(rows).decode("utf-8-sig")
    result = validate(text)
    assert result.ok
    assert [(x.actual_to_date, x.forecast_outturn) for x in result.lines] == [
        tuple(v.quantize(D("0.01")) for v in f) for f in figures
    ]
    rows[1][5] = "-1"
    assert validate(imports.template_csv(rows).decode("utf-8-sig")).lines == []
