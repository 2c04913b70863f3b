"""Journey 4 (issue 8): an auditor downloads circulated minutes and the PDF opens
(SPEC s.5: auditors download any circulated version and see its checksum)."""

import hashlib
import re

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def test_auditor_downloads_circulated_minutes_and_the_pdf_opens(demo, visit):
    """From the auditors' minutes page, the shared PDF of a circulated version
    downloads as an attachment, opens as a PDF with pages and text, and its SHA-256
    is the checksum the page shows."""
    auditor = visit()
    auditor.sign_in("auditor@demo.example")
    auditor.goto("/meetings/minutes/audit/")
    page = auditor.page
    section = page.locator("section[aria-labelledby^='version-']").first
    heading = section.locator("h3").inner_text()
    shown = section.locator("li").first.locator("code").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", shown), shown
    auditor.screenshot()

    with page.expect_download() as info:
        section.get_by_role("link", name="download").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    content = open(path, "rb").read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == shown

    reader = PdfReader(path)
    assert len(reader.pages) >= 1
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    assert "Minutes" in text or "minutes" in text
    board_word = heading.split(":")[0].split()[0]
    assert board_word in text, (board_word, text[:200])
    auditor.assert_clean()
