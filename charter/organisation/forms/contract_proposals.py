"""Answering a change published to an accepted contract: the contract's version the page
showed, so a change accepted over someone else's edit is the 409 page, not a silent overwrite."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from charter.form_fields import VersionField


class ContractChangeAnswerForm(FlaskForm):
    version = VersionField(message="This page is out of date. Open your contracts again")
    submit = SubmitField("Continue", widget=GovSubmitInput())
