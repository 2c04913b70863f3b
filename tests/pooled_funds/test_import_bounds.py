"""Hostile return files are refused quickly with a message, never a 500 or a worker
held for 30 s (issue 14, findings 2 and 4): rows are bounded counting blank rows,
an Excel file's decompressed size is bounded before it is parsed, and a CSV with a
NUL byte, a cell over 128 KB or UTF-16 text is read or refused with a reason."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pooled_funds import imports
from pooled_funds.models import Return
from pooled_funds.services.import_jobs import import_is_large

HEAD = (
    "period,scheme,scheme_name,original_budget,budget,actual_to_date,"
    "forecast_outturn,activity,commentary,action_plan"
)
GOOD_LINE = ",S1,,,500000,120000,480000,,,"


def xlsx(rows_xml_chunks, *, shared_strings: bytes | None = None) -> bytes:
    """A minimal .xlsx whose one worksheet is the heading row followed by the
    chunks of ``<row>`` XML given (streamed, so millions of rows stay cheap)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Return" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>scheme</t></is></c></row>'
            )
            for chunk in rows_xml_chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def blank_rows(count: int, per_chunk: int = 100_000):
    """Rows with nothing in them, as a spreadsheet writes formatted empty rows."""
    for start in range(0, count, per_chunk):
        yield b"<row/>" * min(per_chunk, count - start)


def test_an_xlsx_of_millions_of_blank_rows_is_refused_at_once():
    """About 140 KB holding 4.8 million blank rows: blank rows count toward the
    limit, and the decompressed worksheet is measured before anything is parsed."""
    content = xlsx(blank_rows(4_800_000))
    assert len(content) < 400_000
    started = time.monotonic()
    with pytest.raises(imports.FileUnreadable, match="too large|more than"):
        imports.read_file("return.xlsx", content)
    assert time.monotonic() - started < 2


def test_blank_rows_count_toward_the_row_limit(monkeypatch):
    """Within the size bound, a sheet of blank rows past MAX_ROWS is refused."""
    monkeypatch.setattr(imports, "MAX_ROWS", 1_000)
    with pytest.raises(imports.FileUnreadable, match="more than 1,000 rows"):
        imports.read_file("return.xlsx", xlsx(blank_rows(5_000)))
    csv_blank = (HEAD + "\n" + ",,,,,,,,,\n" * 5_000).encode()
    with pytest.raises(imports.FileUnreadable, match="more than 1,000 rows"):
        imports.read_file("return.csv", csv_blank)


def test_an_xlsx_whose_shared_strings_decompress_to_a_bomb_is_refused():
    """The whole package's decompressed size is bounded (shared strings are read
    whole by openpyxl, before any row)."""
    bomb = b"<sst>" + b"<si><t>" + b"A" * 60_000_000 + b"</t></si></sst>"
    content = xlsx([], shared_strings=bomb)
    assert len(content) < 200_000
    with pytest.raises(imports.FileUnreadable, match="too large"):
        imports.read_file("return.xlsx", content)


def test_a_small_xlsx_of_many_rows_goes_to_the_background_not_the_request():
    """The request/background choice is made on the decompressed worksheet, not the
    compressed bytes (a 141 KB file held a request for 30 s)."""
    content = xlsx(blank_rows(200_000))
    assert len(content) < 150_000
    assert import_is_large(filename="r.xlsx", content=content)


@pytest.mark.parametrize(
    "content, message",
    [
        ((HEAD + "\n" + GOOD_LINE + "\x00\n").encode(), "NUL"),
        ((HEAD + "\n,S1,,," + "9" * 140_000 + ",1,1,,,\n").encode(), "longer than"),
        (b"\x00\x01\x02\xff" * 100, "not text|NUL"),
    ],
    ids=["nul-byte", "cell-over-128kb", "binary"],
)
def test_a_hostile_csv_is_refused_with_a_reason(content, message):
    with pytest.raises(imports.FileUnreadable, match=message):
        imports.read_file("return.csv", content)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_is_read(encoding):
    """Excel's "Unicode text" is UTF-16 (with a byte-order mark, tab-separated)."""
    text = (HEAD + "\n" + GOOD_LINE + "\n").replace(",", "\t")
    content = text.encode(encoding)
    if encoding != "utf-16":
        bom = "\ufeff".encode(encoding)
        content = bom + content
    rows = imports.read_file("return.csv", content)
    assert rows[0]["_headings"][:2] == ["period", "scheme"]
    assert rows[1]["scheme"] == "S1" and rows[1]["budget"] == "500000"


def upload(client, fund, name, content, period="2015-Q1"):
    return client.post(
        reverse("pooled_funds:return_upload", args=[fund.pk]),
        {"period": period, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("r.csv", (HEAD + "\n" + GOOD_LINE + "\x00\n").encode()),
        ("r.csv", (HEAD + "\n,S1,,," + "9" * 140_000 + ",1,1,,,\n").encode()),
        ("r.csv", (HEAD + "\n" + GOOD_LINE + "\n").encode("utf-16")),
        ("r.xlsx", b"PK\x03\x04 not really a zip"),
    ],
    ids=["nul-byte", "cell-over-128kb", "utf-16", "broken-zip"],
)
def test_the_upload_page_answers_a_hostile_file_with_a_message(
    client, fund, officer, name, content
):
    """The page shows the reason (or saves the UTF-16 return); never a 500."""
    client.force_login(officer)
    response = upload(client, fund, name, content)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "file" in response.content.decode().lower()
        assert not Return.objects.exists()


def test_the_import_service_refuses_a_blank_row_bomb_quickly(fund, officer):
    """What the worker runs for a large file: refused with a row error in well under
    a second, nothing saved."""
    from pooled_funds.services.returns import ReturnRejected, return_import

    content = xlsx(blank_rows(4_800_000))
    started = time.monotonic()
    with pytest.raises(ReturnRejected, match="more than 20,000 rows"):
        return_import(
            fund=fund,
            period="2015-Q1",
            filename="r.xlsx",
            content=content,
            user=officer,
        )
    assert time.monotonic() - started < 2
    assert not Return.objects.exists()
