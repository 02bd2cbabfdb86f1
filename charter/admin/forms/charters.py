"""The form that sets a charter's region (its choices are checked by regions.checked, so a
region not in the list gets that message rather than a form error)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class CharterRegionForm(FlaskForm):
    """Only its CSRF token: the region comes from the select named "region"."""
