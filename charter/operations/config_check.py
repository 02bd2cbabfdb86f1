"""`flask charter check-config`: what a production deployment must set, checked before it
serves anyone, so a missing setting is found by the deploy rather than by the first user.

Refusals are settings without which the service is unsafe or broken; warnings are settings
whose default works on one host and breaks on several.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from charter.services.infrastructure.certificate_pdf import pdf_support_problem
from charter.web_addresses import is_web_address

DEV_SECRET = "dev-only-not-secret"


@dataclass
class ConfigReport:
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_production_config(config: Mapping, environ: Mapping[str, str] | None = None):
    """``config`` is the app's; ``environ`` says what was really set rather than defaulted."""
    env = os.environ if environ is None else environ
    report = ConfigReport()
    refuse, warn = report.refusals.append, report.warnings.append

    secret = env.get("SECRET_KEY", "")
    if not secret or secret == DEV_SECRET:
        refuse("SECRET_KEY is not set: sessions and emailed links could be forged.")
    elif len(secret) < 32:
        refuse(
            "SECRET_KEY is shorter than 32 characters: make one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )

    service_url = env.get("SERVICE_URL", "")
    if not service_url:
        refuse("SERVICE_URL is not set: links in emails would point at 127.0.0.1.")
    elif not is_web_address(service_url, ("https",)):
        refuse(f"SERVICE_URL must be an https:// address, not {service_url!r}.")

    # MAIL_BACKEND as the mail worker reads it: unset means smtp with MAIL_SERVER, else log.
    backend = (env.get("MAIL_BACKEND") or ("smtp" if env.get("MAIL_SERVER") else "")).lower()
    if backend == "smtp" and not env.get("MAIL_SERVER"):
        refuse("MAIL_BACKEND is smtp but MAIL_SERVER is not set.")
    elif backend == "notify" and not env.get("NOTIFY_API_KEY"):
        refuse("MAIL_BACKEND is notify but NOTIFY_API_KEY is not set.")
    elif backend not in ("smtp", "notify"):
        refuse(
            "No mail backend: set MAIL_SERVER (SMTP) or MAIL_BACKEND=notify with "
            "NOTIFY_API_KEY (GOV.UK Notify); emails would only be logged."
        )

    for name in ("NOTICES_POLL_URL", "FIND_A_TENDER_POLL_URL"):
        poll_url = env.get(name, "")
        if poll_url and not is_web_address(poll_url):
            refuse(f"{name} must be an http:// or https:// address, not {poll_url!r}.")
    _check_find_a_tender(env, refuse)
    if not str(env.get("NOTICES_POLL_MINUTES", "60")).isdigit() or not int(
        env.get("NOTICES_POLL_MINUTES", "60")
    ):
        refuse("NOTICES_POLL_MINUTES must be a whole number of minutes, at least 1.")

    if not env.get("TRUSTED_HOSTS"):
        refuse("TRUSTED_HOSTS is not set: name the host names the service answers to.")

    database = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if not env.get("DATABASE_URL") or database.startswith("sqlite"):
        refuse("DATABASE_URL must name a PostgreSQL database in production.")

    storage = (config.get("EVIDENCE_STORAGE") or "local").lower()
    if storage == "s3" and not config.get("EVIDENCE_S3_BUCKET"):
        refuse("EVIDENCE_STORAGE is s3 but EVIDENCE_S3_BUCKET is not set.")
    elif storage not in ("local", "s3"):
        refuse(f"EVIDENCE_STORAGE must be local or s3, not {storage!r}.")
    elif storage == "local":
        warn(
            "Evidence is stored on this host's disk: with several hosts use "
            "EVIDENCE_STORAGE=s3 or shared storage."
        )

    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        warn(
            "RATELIMIT_STORAGE_URI is memory://: each worker counts sign-in attempts on its "
            "own, so the limits multiply by the number of workers."
        )
    if "PROXY_COUNT" not in env:
        warn("PROXY_COUNT is not set: assuming one proxy in front of the service.")
    pdf_problem = pdf_support_problem()
    if pdf_problem:
        refuse(f"Charter Mark certificates cannot be downloaded: {pdf_problem}.")
    return report


def _check_find_a_tender(env, refuse) -> None:
    """The Find a Tender poll's settings (services/domain/notices_poll.py)."""
    for name, default in (
        ("FIND_A_TENDER_POLL_PAGES", "50"),
        ("FIND_A_TENDER_POLL_NOW_PAGES", "5"),
    ):
        pages = str(env.get(name, default))
        if not pages.isdigit() or not int(pages):
            refuse(f"{name} must be a whole number of pages, at least 1.")
    since = env.get("FIND_A_TENDER_POLL_SINCE", "")
    if since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", since):
        refuse(f"FIND_A_TENDER_POLL_SINCE must be a UK time as YYYY-MM-DDTHH:MM:SS, not {since!r}.")
    stages = str(env.get("FIND_A_TENDER_POLL_STAGES", "award")).split(",")
    if not stages or any(s.strip() not in ("planning", "tender", "award") for s in stages):
        refuse(
            "FIND_A_TENDER_POLL_STAGES must be planning, tender or award, or several "
            "separated by commas."
        )
