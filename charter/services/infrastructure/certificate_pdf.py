"""The Charter Mark certificate as an A4 landscape PDF, drawn with fpdf2's core fonts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf import FPDF

# The core fonts only cover Latin-1: swap the typographic characters people type most often.
_LATIN1_SWAPS = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "€": "EUR"}
)
# GOV.UK colours, as RGB.
_BLACK = (11, 12, 12)
_GREY = (80, 90, 95)
_BRAND = (29, 112, 184)


@dataclass(frozen=True)
class CertificateDetails:
    organisation_name: str
    district: str
    certificate_number: str
    scheme_name: str
    scheme_version: int
    awarded_on: date
    expires_on: date
    standing_label: str
    verify_url: str


def _latin1(text: str) -> str:
    return text.translate(_LATIN1_SWAPS).encode("latin-1", "replace").decode("latin-1")


def _date(value: date) -> str:
    return value.strftime("%-d %B %Y")


def certificate_pdf(details: CertificateDetails, *, compress: bool = True) -> bytes:
    """The certificate's bytes. ``compress=False`` leaves the text readable in the file."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_latin1(f"Charter Mark certificate {details.certificate_number}"))
    pdf.set_author(_latin1(details.scheme_name))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()

    # A frame in the brand colour.
    pdf.set_draw_color(*_BRAND)
    pdf.set_line_width(2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    width = pdf.w - 40
    pdf.set_xy(20, 28)
    pdf.set_text_color(*_BRAND)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(width, 10, _latin1(details.scheme_name), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_text_color(*_BLACK)
    pdf.set_font("Helvetica", "B", 32)
    pdf.set_x(20)
    pdf.cell(width, 18, "Charter Mark certificate", align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("Helvetica", "", 14)
    pdf.set_x(20)
    pdf.cell(width, 12, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("Helvetica", "B", 24)
    pdf.set_x(20)
    pdf.multi_cell(width, 12, _latin1(details.organisation_name), align="C")
    pdf.set_font("Helvetica", "", 12)
    pdf.set_text_color(*_GREY)
    pdf.set_x(20)
    pdf.cell(width, 8, _latin1(details.district), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_text_color(*_BLACK)
    pdf.set_font("Helvetica", "", 14)
    pdf.set_x(20)
    pdf.multi_cell(
        width,
        8,
        _latin1(
            f"was awarded the Charter Mark under {details.scheme_name} "
            f"(version {details.scheme_version})."
        ),
        align="C",
    )
    pdf.ln(6)

    rows = [
        ("Certificate number", details.certificate_number),
        ("Awarded on", _date(details.awarded_on)),
        ("Expires on", _date(details.expires_on)),
        ("Standing today", details.standing_label),
    ]
    for label, value in rows:
        pdf.set_x(70)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(60, 9, label)
        pdf.set_font("Helvetica", "", 13)
        pdf.cell(0, 9, _latin1(value), new_x="LMARGIN", new_y="NEXT")

    pdf.set_xy(20, pdf.h - 38)
    pdf.set_font("Helvetica", "", 11)
    pdf.set_text_color(*_GREY)
    pdf.cell(
        width,
        7,
        "Check that this certificate is current at:",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_x(20)
    pdf.set_text_color(*_BRAND)
    pdf.cell(width, 7, _latin1(details.verify_url), align="C", link=details.verify_url)
    return bytes(pdf.output())
