"""Template globals and filters, and the test-mode Undefined."""

from __future__ import annotations

import os
import sys

from flask import Flask, g, has_request_context
from flask_login import current_user
from govuk_frontend_wtf.main import wtforms_errors
from jinja2 import StrictUndefined, Undefined
from jinja2.utils import missing

from charter.acting_charter import acting_charter_facts
from charter.auth.decorators import acts_as, is_staff_of_a_charter, may_administer
from charter.award import award_of, charter_name
from charter.branding import charter_with_id, current_branding
from charter.formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_exact_money,
    format_money,
    format_number,
    format_period,
)
from charter.public.charter_prefix import shown_charter
from charter.services.domain import pledge_periods, publishing, register_entries, signings
from workflows.lifecycle import STATE_LABELS, TRIGGERS

# GOV.UK tag colours per lifecycle state.
STATE_TAG_CLASSES = {
    "registered": "govuk-tag--grey",
    "signatory": "govuk-tag--blue",
    "plan_submitted": "govuk-tag--light-blue",
    "monitoring": "govuk-tag--turquoise",
    "under_assessment": "govuk-tag--purple",
    "information_requested": "govuk-tag--orange",
    "accredited": "govuk-tag--green",
    "renewal_due": "govuk-tag--yellow",
    "renewal_under_assessment": "govuk-tag--green",
    "renewal_information_requested": "govuk-tag--green",
    "mark_suspended": "govuk-tag--red",
    "mark_expired": "govuk-tag--grey",
    "mark_revoked": "govuk-tag--red",
    "no_mark": "govuk-tag--grey",
    "lapsed": "govuk-tag--grey",
    "suspended": "govuk-tag--red",
    "withdrawn": "govuk-tag--grey",
}


# Audit rows written by something other than a trigger: a data migration's correction, and
# the answers to the question of publishing the verified figures, an administrator's check or
# hiding of a register entry.
AUDIT_ONLY_LABELS = {
    "correct_expiry": "Corrected: an expired Charter Mark does not end the charter commitment",
    **publishing.AUDIT_LABELS,
    **register_entries.AUDIT_LABELS,
}


class NameStrictUndefined(StrictUndefined):
    """Strict for a misspelt template variable, lenient for a missing key or attribute.

    The GOV.UK Frontend macros test optional ``params.*`` keys by design, so a fully strict
    Undefined breaks them; a name that is not in the context at all is still an error in tests.
    """

    def __new__(cls, hint=None, obj=missing, name=None, exc=None):  # noqa: ARG004
        # Also lenient for `caller` (a macro used without {% call %}) and for any name inside
        # the GOV.UK macros themselves, which rely on Nunjucks' `undefined`/`null` literals and
        # on locals set only in some branches (e.g. govukInput, govukNotificationBanner).
        if obj is not missing or name == "caller" or _inside_govuk_macros():
            return Undefined(hint=hint, obj=obj, name=name)
        return super().__new__(cls)


_GOVUK_PACKAGES = ("govuk_frontend_jinja", "govuk_frontend_wtf")
_JINJA_PACKAGE = f"{os.sep}jinja2{os.sep}"


def _inside_govuk_macros() -> bool:
    """Whether the template code asking for a name is one of the GOV.UK packages' templates
    (skipping Jinja's own runtime frames between it and the Undefined)."""
    frame = sys._getframe(2)
    for _ in range(8):
        if frame is None:
            return False
        filename = frame.f_code.co_filename
        if any(package in filename for package in _GOVUK_PACKAGES):
            return True
        if _JINJA_PACKAGE not in filename:
            return False
        frame = frame.f_back
    return False


def error_summary(form) -> dict:
    """The GOV.UK error summary's parameters for a WTForms form.

    As govuk-frontend-wtf's ``wtforms_errors``, except that a date field's error links to its
    day (or first empty) box: the field's own id is the date group's wrapper, so following the
    link moved focus nowhere (issue 11).
    """
    params = wtforms_errors(form)
    targets = {
        f"#{field.id}": f"#{field.error_target_id}"
        for field in form
        if field.errors and hasattr(field, "error_target_id")
    }
    for item in params["errorList"]:
        item["href"] = targets.get(item["href"], item["href"])
    return params


def register_template_helpers(app: Flask) -> None:
    if app.config.get("TEMPLATES_STRICT"):
        app.jinja_env.undefined = NameStrictUndefined
    # Optional variables of the GOV.UK page template, so a strict Undefined does not trip on them.
    app.jinja_env.globals.update(
        {
            name: None
            for name in (
                "htmlLang",
                "htmlClasses",
                "pageTitleLang",
                "opengraphImageUrl",
                "assetUrl",
                "bodyClasses",
                "bodyAttributes",
                "cspNonce",
                "containerClasses",
                "mainClasses",
                "mainLang",
                "themeColor",
            )
        }
    )
    app.jinja_env.globals["govukRebrand"] = False
    app.add_template_global(error_summary, "error_summary")
    # An organisation's signing (its route, its consent to publish figures): read once a request.
    app.add_template_global(signings.signing_of, "signing_of")
    # A charter's public facts by id (its name, running body, area), as the process holds them.
    app.add_template_global(charter_with_id, "charter_with_id")
    # The name of the award of the charter in play ("Charter Mark"), or None when it awards
    # none: the one way a page or an email asks (charter/award.py).
    app.add_template_global(award_of, "award_of")
    app.add_template_global(charter_name, "charter_name")
    # The period a return line's figure covers where it is longer than its return's (a pledge
    # reported once a year), else None (charter.services.domain.pledge_periods).
    app.add_template_global(pledge_periods.covers_label, "covers_label")
    # Figures and dates as people read them (charter/formatting.py): use these, never a raw
    # value, `|round`, "%.2f" or "£" ~ value. `amount` takes the measure's unit code.
    app.add_template_filter(format_money, "money")  # £163,156 / £163,156.50
    app.add_template_filter(format_exact_money, "pounds")  # £8.325: never rounded
    app.add_template_filter(format_amount, "amount")  # 77%, 12.5 FTE, 40 weeks, £1,200
    app.add_template_filter(format_number, "quantity")  # 1,250 (a count with no unit)
    app.add_template_filter(format_date, "date")  # 24 October 2028
    app.add_template_filter(format_datetime, "datetime")  # 24 October 2028 at 3:05pm
    # A period (.start and .end) or a return (.period_start and .period_end): 1 January to
    # 31 March 2027, the one way a period is written.
    app.add_template_filter(_period, "period")

    @app.template_filter("state_label")
    def state_label(state: str) -> str:
        return STATE_LABELS.get(state, state)

    @app.template_filter("trigger_label")
    def trigger_label(trigger: str) -> str:
        trig = TRIGGERS.get(trigger)
        return trig.past if trig else AUDIT_ONLY_LABELS.get(trigger, trigger)

    @app.template_filter("state_tag_class")
    def state_tag_class(state: str) -> str:
        return STATE_TAG_CLASSES.get(state, "govuk-tag--grey")

    @app.context_processor
    def service_context():
        # Held by the process: no query per page (charter/branding.py). A page under /c/<slug>/
        # is branded by its charter, any other by the default charter.
        # An email or page acting in one charter (a review run for it, an organisation's page
        # for one of its signings) is signed and branded by it.
        charter = (g.get("charter") if has_request_context() else None) or acting_charter_facts()
        branding = charter.branding if charter is not None else current_branding()
        return {
            "service_name": branding.service_name,
            "running_body": branding.running_body,
            # The charter whose pages the header and footer link to (charter/public/charter_prefix).
            "shown_charter": shown_charter,
            # The signed-in person's roles in the acting charter, read with the user row.
            "acts_as": acts_as,
            # The header's links to the staff pages, which act in the person's own charter.
            "may_administer": may_administer,
            "is_staff_of_a_charter": is_staff_of_a_charter,
            "admin_home": _admin_home,
            # Loaded with the user row (User.manages_contracts): no query of its own.
            "manages_contracts": lambda: bool(
                current_user.is_authenticated and current_user.manages_contracts
            ),
        }


def _admin_home() -> str:
    from charter.admin.scope import home

    return home()


def _period(value) -> str:
    if hasattr(value, "period_start"):
        return format_period(value.period_start, value.period_end)
    return format_period(value.start, value.end)
