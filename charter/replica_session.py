"""The session that sends a public request's reads to the PostgreSQL replica, and all else to
the primary.

Flask-SQLAlchemy's documented way to change how ``db.session`` picks an engine is a subclass of
its ``Session`` passed as ``session_options={"class_": ...}``; this one overrides ``get_bind`` as
SQLAlchemy's "custom vertical partitioning" recipe does. The replica's engine is made from
``DATABASE_REPLICA_URL`` by charter/operations/replica.py and kept in ``app.extensions``: without
it every statement goes to the primary, as before.

A statement goes to the replica only when the request was marked for it before the view ran
(charter/operations/replica.py decides: a GET of a public page or the API, from someone who has
not just written, while the replica is up and its lag is under the limit), and only while the
session has written nothing: a flush, an INSERT, UPDATE or DELETE, and every read after one in
the same session go to the primary. Outside a request (the scheduler, the mail worker, the
command line) nothing is marked, so nothing reads from the replica.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from flask import current_app, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase

logger = logging.getLogger(__name__)

REPLICA_ENGINE = "charter_replica_engine"
# Set in the WSGI environ by charter/operations/replica.py for a request whose reads may go to
# the replica (the environ, not ``g``: ``g`` can outlive a request when an app context stays
# pushed, as in the tests).
READS_FROM_REPLICA = "charter.reads_from_replica"
_WROTE = "charter_wrote"


def reading_from_replica() -> bool:
    """Whether this request's reads were sent to the replica."""
    return has_request_context() and bool(request.environ.get(READS_FROM_REPLICA))


class RoutingSession(Session):
    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any):
        if bind is None and self._reads_may_use_replica(clause):
            replica = current_app.extensions.get(REPLICA_ENGINE)
            if replica is not None:
                return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)

    def _reads_may_use_replica(self, clause: Any) -> bool:
        if self.info.get(_WROTE):
            return False
        if self._flushing or isinstance(clause, UpdateBase):
            # From here to the end of the session, reads see what this session wrote.
            self.info[_WROTE] = True
            return False
        return reading_from_replica()

    def close(self) -> None:
        """At the end of every request (Flask-SQLAlchemy's teardown): a connection that died
        meanwhile (the database restarted) makes the closing ROLLBACK fail, and an exception in
        teardown reaches gunicorn as a bare 500 after the page was made. The connections are
        invalidated instead, so the pool replaces them, and the answer stands."""
        self.info.pop(_WROTE, None)
        try:
            super().close()
        except DBAPIError:
            logger.warning("a database connection was lost while closing the session")
            with contextlib.suppress(DBAPIError):
                self.invalidate()
