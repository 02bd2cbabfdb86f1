"""Evidence on a draft return line, for the storage tests."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from charter.extensions import db
from charter.models import EvidenceFile, Measure, MonitoringReturn, ReturnLine
from charter.services.infrastructure.evidence import store_evidence
from tests.factories import signing_id_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def make_line(organisation) -> ReturnLine:
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        period_start=date(2025, 4, 1),
        period_end=date(2025, 9, 30),
        due_date=date(2025, 10, 31),
    )
    db.session.add(monitoring_return)
    db.session.flush()
    measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
    line = ReturnLine(return_id=monitoring_return.id, measure_id=measure.id)
    db.session.add(line)
    db.session.commit()
    return line


def store(line, organisation, user, data: bytes = PDF_BYTES, name: str = "report.pdf"):
    return store_evidence(
        FileStorage(stream=io.BytesIO(data), filename=name),
        organisation=organisation,
        line=line,
        user=user,
    )


def row_count() -> int:
    return db.session.scalar(select(func.count()).select_from(EvidenceFile))
