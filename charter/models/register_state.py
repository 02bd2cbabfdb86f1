"""One row saying when the public register last changed.

Every transaction that changes what the register publishes (organisations, signatures, Charter
Marks, schemes, lifecycle audit rows) bumps ``version`` as it commits (see
``charter.services.read_models.register_version``). Public pages and open data use it as their
ETag and Last-Modified, and per-process caches of the filter lists and counts are keyed on it, so
a repeat request costs one primary-key lookup instead of scans of the register.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db

REGISTER_STATE_ID = 1


class RegisterState(db.Model):
    __tablename__ = "register_state"

    # Always REGISTER_STATE_ID: a single row, created by the first change.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime]
