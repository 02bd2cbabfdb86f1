"""The demo's cast and plot: staff, names, the journeys organisations take through the
lifecycle (as trigger steps with plausible gaps in days) and the reasons given on the way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from charter.models.staff import ADMINISTRATOR, ASSESSOR

DEMO_PASSWORD = "demo-password-2026"

# Plausible baselines by unit for the demo action plans.
PLAN_RANGES = {
    "GBP": (20_000, 250_000),
    "FTE": (2, 40),
    "weeks": (10, 150),
    "hours": (20, 300),
    "percent": (60, 90),
    "count": (1, 20),
}
PLAN_APPROACHES = [
    "Buy from local suppliers first, using the council's local supplier directory.",
    "Recruit through the local jobcentre and college partnerships.",
    "Work with the regional apprenticeship hub to take on new apprentices each year.",
    "Move supplier invoices to a weekly payment run.",
    "Pay every member of staff at least the Real Living Wage from April.",
]
DEMO_DOMAIN = "demo.example"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
SEED = 2026
BATCH_SIZE = 10
DATA_FILE = Path(__file__).with_name("organisations.toml")

STAFF = [
    (
        ADMIN_EMAIL,
        "Priya Shah",
        ADMINISTRATOR,
        "Administrator: assessors, suspensions, reports",
    ),
    (f"assessor1@{DEMO_DOMAIN}", "Gareth Evans", ASSESSOR, "Assessor: plans and applications"),
    (f"assessor2@{DEMO_DOMAIN}", "Helen Morgan", ASSESSOR, "Assessor: plans and applications"),
]
FIRST_NAMES = [
    "Alice", "Ben", "Catrin", "David", "Emma", "Fiona", "George", "Hannah", "Ian", "Jasmine",
    "Kieran", "Laura", "Mohammed", "Nia", "Owen", "Rachel", "Sam", "Tom", "Usha", "Will",
]  # fmt: skip
LAST_NAMES = [
    "Bennett", "Clarke", "Davies", "Edwards", "Griffiths", "Hughes", "Jones", "Lloyd", "Morris",
    "Owen", "Parry", "Price", "Roberts", "Taylor", "Thomas", "Walker", "Watkins", "Williams",
]  # fmt: skip
SIGNATORY_ROLES = {
    "business": ["Managing Director", "Director", "Chief Executive", "Operations Director"],
    "vcse": ["Chair of Trustees", "Chief Officer", "Director"],
    "public": ["Clerk", "Chief Executive", "Head of Procurement"],
}
REASONS = {
    "return_plan": "The targets for LE4 and LE5 have no baseline figures. Add the baselines from "
    "your last financial year and send the plan again.",
    "request_information": "Send the supplier spend report behind the LE1 and LE2 figures for the "
    "last two quarters, with the postcodes of the suppliers counted as local.",
    # Filled in from the demo's own figures when the decision is made.
    "award_mark": "All core measures met and {share}% of all targets met, at least the "
    "{minimum}% the scheme asks for. Evidence checked against {returns} verified monitoring "
    "returns.",
    "refuse_mark": "{code} not met: verified returns show {achieved} against a target of "
    "{target}. You can apply again after {wait} days.",
    "suspend": "A complaint that subcontractors were paid late is being investigated under the "
    "scheme's complaints procedure.",
    "revoke_mark": "Monitoring returns for the last two quarters show the core measure LE9 "
    "(invoices paid within 30 days) is no longer met.",
    "lapse": "No monitoring return was received within the 60-day grace period.",
    "suspend_mark": "The monitoring return for the last quarter was not sent within the grace "
    "period.",
    "lapse_signatory": "The annual review found no action plan a year after signing.",
}


@dataclass(frozen=True)
class Step:
    trigger: str
    actor: str  # owner | assessor | admin | system
    gap: tuple[int, int] | str  # days after the previous step, or a gap the scheme fixes
    reason: str | None = None  # key in REASONS


SIGN = Step("sign", "owner", (1, 30))
TO_MONITORING = [
    SIGN,
    Step("submit_plan", "owner", (14, 75)),
    Step("approve_plan", "assessor", (5, 25)),
]
# Two quarterly returns verified before applying: at least two periods and the time to file.
APPLY = Step("apply_for_mark", "owner", (215, 330))
AWARD = Step("award_mark", "assessor", (10, 35), "award_mark")
LAPSE = Step("lapse", "system", (150, 250), "lapse")
SUSPEND = Step("suspend", "admin", (30, 200), "suspend")
ASK = Step("request_information", "assessor", (5, 20), "request_information")
ANSWER = Step("provide_information", "owner", (4, 25))
OPEN_RENEWAL = Step("open_renewal", "system", "until_renewal_window")
TO_AWARD = [*TO_MONITORING, APPLY, AWARD]

# name -> (steps, range of days between the last step and today)
JOURNEYS: dict[str, tuple[list[Step], tuple[int, int]]] = {
    "registered": ([], (1, 60)),
    "withdrawn_before_signing": ([Step("withdraw", "owner", (20, 90))], (30, 300)),
    "signatory": ([SIGN], (5, 300)),
    "lapsed_signatory": ([SIGN, Step("lapse", "system", (365, 380), "lapse_signatory")], (10, 200)),
    "withdrawn": ([SIGN, Step("withdraw", "owner", (30, 200))], (10, 300)),
    "plan_submitted": ([SIGN, Step("submit_plan", "owner", (14, 75))], (2, 20)),
    "plan_resubmitted": (
        [
            SIGN,
            Step("submit_plan", "owner", (14, 75)),
            Step("return_plan", "assessor", (5, 20), "return_plan"),
            Step("submit_plan", "owner", (7, 30)),
        ],
        (2, 20),
    ),
    "withdrawn_plan": (
        [SIGN, Step("submit_plan", "owner", (14, 75)), Step("withdraw", "owner", (10, 40))],
        (10, 300),
    ),
    "monitoring": (TO_MONITORING, (10, 200)),
    "lapsed_missed_return": ([*TO_MONITORING, LAPSE], (10, 300)),
    "signatory_after_lapse": ([*TO_MONITORING, LAPSE, Step("sign", "owner", (20, 90))], (5, 120)),
    "suspended": ([*TO_MONITORING, SUSPEND], (10, 120)),
    "under_assessment": ([*TO_MONITORING, APPLY], (2, 30)),
    "information_requested": ([*TO_MONITORING, APPLY, ASK], (2, 25)),
    "under_assessment_after_information": ([*TO_MONITORING, APPLY, ASK, ANSWER], (2, 20)),
    "monitoring_after_refusal": (
        [*TO_MONITORING, APPLY, Step("refuse_mark", "assessor", (10, 35), "refuse_mark")],
        (10, 80),
    ),
    "accredited": (TO_AWARD, (20, 560)),
    "accredited_after_information": (
        [*TO_MONITORING, APPLY, ASK, ANSWER, AWARD],
        (20, 400),
    ),
    "accredited_after_suspension": (
        [
            *TO_AWARD,
            SUSPEND,
            Step("lift_suspension", "admin", (14, 60)),
        ],
        (10, 200),
    ),
    "suspended_accredited": (
        [*TO_AWARD, SUSPEND],
        (10, 150),
    ),
    "monitoring_after_revocation": (
        [*TO_AWARD, Step("revoke_mark", "admin", (60, 300), "revoke_mark")],
        (10, 150),
    ),
    "renewal_due": ([*TO_AWARD, OPEN_RENEWAL], (5, 80)),
    "renewal_under_assessment": (
        [*TO_AWARD, OPEN_RENEWAL, Step("apply_for_renewal", "owner", (10, 60))],
        (2, 25),
    ),
    # An expired Mark leaves the organisation a signatory, monitoring (issue 8).
    "monitoring_after_expiry": (
        [*TO_AWARD, OPEN_RENEWAL, Step("expire_mark", "system", "renewal_window")],
        (10, 120),
    ),
    # A holder that stopped sending returns: its Mark suspended by the system.
    "mark_suspended_missed_return": (
        [*TO_AWARD, Step("suspend_mark", "system", (150, 250), "suspend_mark")],
        (5, 40),
    ),
}
