"""Two rows saying when the public register, and the public pages, last changed.

Every transaction that changes what the register publishes (organisations, signatures, Charter
Marks, schemes, lifecycle audit rows) bumps ``version`` as it commits (see
``charter.services.read_models.register_version``). Public pages and open data use it as their
ETag and Last-Modified, and per-process caches of the filter lists and counts are keyed on it, so
a repeat request costs one primary-key lookup instead of scans of the register.

A second row (the *pages* version) moves with every register change and also with any write to
plans, targets, measures, monitoring returns, return lines or contracts: an organisation's
public page, the API's organisation answer and the JSON export (published figures) follow it,
so saving a draft return never empties the register's own caches.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db

REGISTER_STATE_ID = 1


class RegisterState(db.Model):
    __tablename__ = "register_state"

    # REGISTER_STATE_ID, or the pages version's row (see register_version); each created by
    # the first change.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime]
