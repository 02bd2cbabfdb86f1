"""The demo's stored evidence files: what an organisation would upload behind its figures (a
supplier spend report for local spend, a one-page PDF for anything else), made to match the
figure they support."""

from __future__ import annotations

from decimal import Decimal

SUPPLIERS = [
    ("Marches Builders' Merchants", "SY1 3NB"),
    ("Wrekin Haulage", "TF1 5QZ"),
    ("Ludlow Food Wholesale", "SY8 1XY"),
    ("Oswestry Office Supplies", "SY11 2PB"),
    ("Shrewsbury Print Co", "SY1 1UG"),
    ("Bridgnorth Plant Hire", "WV15 5AD"),
]


def spend_report_csv(rng, total: Decimal) -> bytes:
    """Supplier rows adding up to ``total``, with postcodes: what the assessor asks for."""
    chosen = rng.sample(SUPPLIERS, 4)
    shares = [rng.randint(10, 40) for _ in chosen]
    amounts = [int(total * share / sum(shares)) for share in shares]
    amounts[-1] += int(total) - sum(amounts)
    rows = ["supplier,postcode,spend_gbp"]
    rows += [
        f"{name},{postcode},{value}"
        for (name, postcode), value in zip(chosen, amounts, strict=True)
    ]
    rows.append(f"Total,,{int(total)}")
    return ("\r\n".join(rows) + "\r\n").encode()


def simple_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text, cross-reference table and all."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    safe = safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
