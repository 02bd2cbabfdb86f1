"""The scheduled reviews' recent runs, so an administrator can see they are happening."""

from __future__ import annotations

from flask import render_template

from charter.admin import bp
from charter.services.domain import reviews

RUNS_SHOWN = 50
STATUS_TAGS = {"ok": "govuk-tag--green", "failed": "govuk-tag--red", "running": "govuk-tag--blue"}
STATUS_LABELS = {"ok": "Done", "failed": "Failed", "running": "Running"}


def _summary_text(summary: dict | None) -> str:
    if not summary:
        return ""
    if "error" in summary:
        return str(summary["error"])
    return ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in summary.items())


@bp.get("/job-runs")
def list_job_runs():
    runs = reviews.recent_runs(RUNS_SHOWN)
    rows = [
        {
            "run": run,
            "job_label": run.job.replace("_", " ").capitalize(),
            "status_label": STATUS_LABELS.get(run.status, run.status),
            "status_tag": STATUS_TAGS.get(run.status, "govuk-tag--grey"),
            "summary_text": _summary_text(run.summary),
        }
        for run in runs
    ]
    return render_template("admin/job-runs.html", rows=rows, runs_shown=RUNS_SHOWN)
