"""Template globals and filters, and the test-mode Undefined."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from jinja2 import StrictUndefined, Undefined
from jinja2.utils import missing

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
    "lapsed": "govuk-tag--grey",
    "suspended": "govuk-tag--red",
    "withdrawn": "govuk-tag--grey",
}


class NameStrictUndefined(StrictUndefined):
    """Strict for a misspelt template variable, lenient for a missing key or attribute.

    The GOV.UK Frontend macros test optional ``params.*`` keys by design, so a fully strict
    Undefined breaks them; a name that is not in the context at all is still an error in tests.
    """

    def __new__(cls, hint=None, obj=missing, name=None, exc=None):
        if obj is not missing:
            return Undefined(hint=hint, obj=obj, name=name)
        return super().__new__(cls)


def format_date(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    if not value:
        return ""
    return value.strftime("%-d %B %Y at %-I:%M") + value.strftime("%p").lower()


def register_template_helpers(app: Flask) -> None:
    if app.config.get("TEMPLATES_STRICT"):
        app.jinja_env.undefined = NameStrictUndefined
    # Optional variables of the GOV.UK page template, so a strict Undefined does not trip on them.
    app.jinja_env.globals.update(
        {
            name: None
            for name in (
                "htmlLang", "htmlClasses", "pageTitleLang", "opengraphImageUrl", "assetUrl",
                "bodyClasses", "bodyAttributes", "cspNonce", "containerClasses", "mainClasses",
                "mainLang", "themeColor",
            )
        }
    )
    app.jinja_env.globals["govukRebrand"] = False
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")

    @app.template_filter("state_label")
    def state_label(state: str) -> str:
        return STATE_LABELS.get(state, state)

    @app.template_filter("trigger_label")
    def trigger_label(trigger: str) -> str:
        trig = TRIGGERS.get(trigger)
        return trig.past if trig else trigger

    @app.template_filter("state_tag_class")
    def state_tag_class(state: str) -> str:
        return STATE_TAG_CLASSES.get(state, "govuk-tag--grey")

    @app.context_processor
    def service_context():
        return {"service_name": app.config["SERVICE_NAME"]}
