"""`flask charter check-config` refuses a production configuration missing what it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from charter.operations.config_check import check_production_config

CHECKOUT = Path(__file__).resolve().parents[2]
COMPLETE = {
    "CHARTER_ENV": "production",
    "SECRET_KEY": "k" * 64,
    "SERVICE_URL": "https://charter.example.gov.uk",
    "TRUSTED_HOSTS": "charter.example.gov.uk",
    "MAIL_SERVER": "smtp.example.gov.uk",
    "DATABASE_URL": "postgresql+psycopg://charter@db.internal/charter",
    "EVIDENCE_STORAGE": "s3",
    "EVIDENCE_S3_BUCKET": "charter-evidence",
    "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379",
    "PROXY_COUNT": "1",
}


def run_check(environ: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in COMPLETE and k not in ("NOTIFY_API_KEY", "MAIL_BACKEND")
    }
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "charter", "check-config"],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_complete_configuration_passes():
    result = run_check(COMPLETE)
    assert result.returncode == 0, result.stderr
    assert "complete" in result.stdout
    assert "Warning" not in result.stdout


def test_an_empty_production_configuration_is_refused_with_every_reason():
    result = run_check({"CHARTER_ENV": "production"})

    assert result.returncode == 1
    for setting in ("SECRET_KEY", "SERVICE_URL", "MAIL_SERVER", "TRUSTED_HOSTS", "DATABASE_URL"):
        assert setting in result.stderr
    assert "Traceback" not in result.stderr


def test_each_missing_setting_is_refused_on_its_own():
    for name in ("SECRET_KEY", "SERVICE_URL", "MAIL_SERVER", "TRUSTED_HOSTS"):
        environ = {k: v for k, v in COMPLETE.items() if k != name}
        report = check_production_config({"EVIDENCE_STORAGE": "local"}, environ)
        assert any(name in refusal for refusal in report.refusals), name


def test_notify_is_a_mail_backend_too():
    environ = {k: v for k, v in COMPLETE.items() if k != "MAIL_SERVER"}
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql://x"}
    environ["MAIL_BACKEND"] = "notify"
    assert len(check_production_config(config, environ).refusals) == 1, "no key"
    environ["NOTIFY_API_KEY"] = "key"
    assert check_production_config(config, environ).refusals == []
    environ["MAIL_BACKEND"] = "log"
    assert len(check_production_config(config, environ).refusals) == 1, "log is no backend"


@pytest.mark.parametrize(
    "service_url",
    ["http://charter.example", "https://[charter.example", "https://charter.example:443x"],
)
def test_a_weak_secret_or_an_address_not_https_is_refused(service_url):
    environ = {**COMPLETE, "SECRET_KEY": "short", "SERVICE_URL": service_url}
    report = check_production_config({"SQLALCHEMY_DATABASE_URI": "postgresql://x"}, environ)
    assert len(report.refusals) == 2
    assert f"SERVICE_URL must be an https:// address, not {service_url!r}." in report.refusals


def test_per_process_rate_limits_and_local_evidence_are_warned_about():
    environ = {k: v for k, v in COMPLETE.items() if k != "PROXY_COUNT"}
    config = {"RATELIMIT_STORAGE_URI": "memory://", "EVIDENCE_STORAGE": "local"}
    report = check_production_config(config, environ)
    assert len(report.warnings) == 3


def test_a_host_that_cannot_make_certificate_pdfs_is_refused(monkeypatch):
    from charter.operations import config_check

    config = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://charter@db/charter"}
    assert config_check.pdf_support_problem() is None  # Pango is here
    assert not any("certificates" in r for r in check_production_config(config, COMPLETE).refusals)
    monkeypatch.setattr(
        config_check, "pdf_support_problem", lambda: "the PDF library needs Pango (no libpango)"
    )
    refusals = check_production_config(config, COMPLETE).refusals
    assert (
        "Charter Mark certificates cannot be downloaded: the PDF library needs Pango "
        "(no libpango)." in refusals
    )


def test_a_notices_poll_url_must_be_an_http_address():
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql://x"}
    for url, refusals in [
        ("https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages", 0),
        ("http://feeds.internal/package.json", 0),
        ("file:///var/notices.json", 1),
        ("www.find-tender.service.gov.uk", 1),
    ]:
        report = check_production_config(config, {**COMPLETE, "NOTICES_POLL_URL": url})
        assert len(report.refusals) == refusals, url
    for minutes, refusals in [("15", 0), ("0", 1), ("-5", 1), ("hourly", 1)]:
        report = check_production_config(config, {**COMPLETE, "NOTICES_POLL_MINUTES": minutes})
        assert len(report.refusals) == refusals, minutes


@pytest.mark.parametrize(
    "name, value, refused",
    [
        (
            "FIND_A_TENDER_POLL_URL",
            "https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages",
            False,
        ),
        ("FIND_A_TENDER_POLL_URL", "www.find-tender.service.gov.uk", True),
        ("FIND_A_TENDER_POLL_PAGES", "50", False),
        ("FIND_A_TENDER_POLL_PAGES", "0", True),
        ("FIND_A_TENDER_POLL_PAGES", "lots", True),
        ("FIND_A_TENDER_POLL_NOW_PAGES", "5", False),
        ("FIND_A_TENDER_POLL_NOW_PAGES", "0", True),
        ("FIND_A_TENDER_POLL_SINCE", "2025-02-24T00:00:00", False),
        ("FIND_A_TENDER_POLL_SINCE", "2025-02-24", True),
        ("FIND_A_TENDER_POLL_STAGES", "award", False),
        ("FIND_A_TENDER_POLL_STAGES", "tender,award", False),
        ("FIND_A_TENDER_POLL_STAGES", "contract", True),
    ],
)
def test_the_find_a_tender_poll_settings_are_checked(name, value, refused):
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql://x"}
    report = check_production_config(config, {**COMPLETE, name: value})
    assert len(report.refusals) == refused, report.refusals
    assert all(name in refusal for refusal in report.refusals)
