"""Small real documents for tests: papers must parse (issue 14: a paper is opened
with pypdf at upload and refused if it does not)."""

import io

from pypdf import PdfWriter


def blank_pdf(pages: int = 1, *, password: str | None = None) -> bytes:
    """A valid PDF of ``pages`` blank A4 pages (optionally encrypted)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
