"""Database models. Import from here: ``from charter.models import User``."""

from charter.models.audit import AuditEvent
from charter.models.contract import Commissioner, Contract, ContractCommitment
from charter.models.mail import OutboxEmail
from charter.models.monitoring import EvidenceFile, EvidenceLink, MonitoringReturn, ReturnLine
from charter.models.organisation import Invitation, Membership, Organisation
from charter.models.plan import ActionPlan, PlanMilestone, PlanTarget
from charter.models.scheme import Measure, Principle, Scheme
from charter.models.signature import Signature
from charter.models.user import User

__all__ = [
    "ActionPlan",
    "AuditEvent",
    "Commissioner",
    "Contract",
    "ContractCommitment",
    "EvidenceFile",
    "EvidenceLink",
    "Invitation",
    "Measure",
    "Membership",
    "MonitoringReturn",
    "Organisation",
    "OutboxEmail",
    "PlanMilestone",
    "PlanTarget",
    "Principle",
    "ReturnLine",
    "Scheme",
    "Signature",
    "User",
]
