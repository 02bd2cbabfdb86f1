"""Lifecycle state machines. Plain Python: no Flask, no database session.

The service layer (charter.services.domain.lifecycle) passes in the actor and a ``record`` callable
that adds the audit row to the caller's session, so the state change and its audit row commit
together or not at all.
"""
