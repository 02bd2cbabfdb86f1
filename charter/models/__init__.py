"""Database models. Import from here: ``from charter.models import User``."""

from charter.models.assessment import (
    Appeal,
    Application,
    CharterMark,
    InformationRequest,
    MeasureJudgement,
)
from charter.models.charter import Charter
from charter.models.contract import (
    CharterCommissioner,
    Commissioner,
    Contract,
    ContractCommitment,
    ContractManager,
)
from charter.models.contract_social_value import CommitmentAlternative, ServiceCredit
from charter.models.declarations import SelfAssessment, StandardsDeclaration
from charter.models.duties import AnnualConfirmation, AuditDraw, MarkAudit
from charter.models.history import AuditEvent, ContractMonitoringEvent
from charter.models.impact import (
    ImpactBuild,
    ImpactCell,
    ImpactComparison,
    ImpactLifecycleCount,
    ImpactVersion,
    ProxyValue,
)
from charter.models.invitation import Invitation
from charter.models.mail import OutboxEmail
from charter.models.monitoring import (
    ContractFigure,
    EvidenceFile,
    EvidenceLink,
    MonitoringReturn,
    ReturnLine,
)
from charter.models.notice_poll import NoticePoll
from charter.models.organisation import Membership, Organisation
from charter.models.plan import ActionPlan, PlanMilestone, PlanTarget
from charter.models.privacy import DataExport
from charter.models.published_notice import (
    AwardedSupplier,
    BuyerIdentifier,
    NoticeEvent,
    NoticeImport,
    NoticeRecord,
    NoticeRelease,
)
from charter.models.register_state import RegisterState
from charter.models.schedule import JobRun, ScheduledNotice
from charter.models.scheme import Measure, Principle, Scheme
from charter.models.scheme_theme import Priority, Theme
from charter.models.signature import Signature
from charter.models.signing import Signing
from charter.models.staff import StaffRole
from charter.models.user import User

__all__ = [
    "ActionPlan",
    "AnnualConfirmation",
    "Appeal",
    "Application",
    "AuditDraw",
    "AuditEvent",
    "AwardedSupplier",
    "BuyerIdentifier",
    "Charter",
    "CharterCommissioner",
    "CharterMark",
    "Commissioner",
    "CommitmentAlternative",
    "Contract",
    "ContractCommitment",
    "ContractFigure",
    "ContractManager",
    "ContractMonitoringEvent",
    "DataExport",
    "EvidenceFile",
    "EvidenceLink",
    "ImpactBuild",
    "ImpactCell",
    "ImpactComparison",
    "ImpactLifecycleCount",
    "ImpactVersion",
    "InformationRequest",
    "Invitation",
    "JobRun",
    "MarkAudit",
    "Measure",
    "MeasureJudgement",
    "Membership",
    "MonitoringReturn",
    "NoticeEvent",
    "NoticeImport",
    "NoticePoll",
    "NoticeRecord",
    "NoticeRelease",
    "Organisation",
    "OutboxEmail",
    "PlanMilestone",
    "PlanTarget",
    "Principle",
    "Priority",
    "ProxyValue",
    "RegisterState",
    "ReturnLine",
    "ScheduledNotice",
    "Scheme",
    "SelfAssessment",
    "ServiceCredit",
    "Signature",
    "Signing",
    "StaffRole",
    "StandardsDeclaration",
    "Theme",
    "User",
]
