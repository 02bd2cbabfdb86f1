"""Database models. Import from here: ``from charter.models import User``."""

from charter.models.audit import AuditEvent
from charter.models.mail import OutboxEmail
from charter.models.organisation import Invitation, Membership, Organisation
from charter.models.plan import ActionPlan, PlanMilestone, PlanTarget
from charter.models.scheme import Measure, Principle, Scheme
from charter.models.signature import Signature
from charter.models.user import User

__all__ = [
    "ActionPlan",
    "AuditEvent",
    "Invitation",
    "Measure",
    "Membership",
    "Organisation",
    "OutboxEmail",
    "PlanMilestone",
    "PlanTarget",
    "Principle",
    "Scheme",
    "Signature",
    "User",
]
