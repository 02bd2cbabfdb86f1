"""PDF documents from HTML, and QR codes: for the Charter Mark certificate.

WeasyPrint lays out an HTML page (a Jinja template, so the certificate is written like every
other page) and writes it as PDF/UA-1: a tagged PDF whose structure tree has the headings,
paragraphs, table and figure of the page (the QR code with its alternative text), with the
document's language and title, so a screen reader reads it in order. It needs Debian's Pango
(libpango-1.0-0, libpangoft2-1.0-0), imported only when a PDF is made, so the rest of the service
runs without it; ``pdf_support_problem`` tells the production configuration check.

segno draws the QR code (pure Python) as an SVG, embedded in the page as a data URI.
"""

from __future__ import annotations

import segno

# Medium error correction (15% of the code may be damaged or dirty) and the standard quiet zone
# of four modules: a printed certificate scans from across a desk.
QR_ERROR = "m"
QR_BORDER = 4
PDF_VARIANT = "pdf/ua-1"


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code of ``text``, black on white, as a data URI for an <img>."""
    return segno.make(text, error=QR_ERROR).svg_data_uri(scale=4, border=QR_BORDER)


def pdf_from_html(html: str) -> bytes:
    """The PDF/UA-1 document of ``html`` (self-contained: images as data URIs)."""
    from weasyprint import HTML  # needs Pango: see the module's docstring

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_support_problem() -> str | None:
    """Why PDFs cannot be made here (Pango missing), or None."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # cffi could not load Pango
        return (
            "the PDF library needs Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
            f"{error})"
        )
    return None
