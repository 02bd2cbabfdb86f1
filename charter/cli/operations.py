"""Operations commands: check a production configuration, move evidence to the bucket, sweep
orphaned evidence."""

from __future__ import annotations

import click
from flask import current_app

from charter.cli import charter_cli


@charter_cli.command("check-config")
def check_config():
    """Refuse a production configuration that is missing what production needs."""
    from charter.operations.config_check import check_production_config

    report = check_production_config(current_app.config)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}")
    for refusal in report.refusals:
        click.echo(f"Refused: {refusal}", err=True)
    if report.refusals:
        raise SystemExit(1)
    click.echo("The production configuration is complete.")


@charter_cli.command("move-evidence-to-s3")
@click.option(
    "--delete-local",
    is_flag=True,
    help="Remove each local file once every file is safely in the bucket.",
)
def move_evidence_to_s3(delete_local: bool):
    """Copy evidence files from EVIDENCE_DIR to the EVIDENCE_S3_* bucket, checked, resumable."""
    from charter.operations.evidence_move import move_evidence
    from charter.services.infrastructure.storage import (
        local_storage_from_config,
        s3_storage_from_config,
    )

    config = current_app.config
    if not config.get("EVIDENCE_S3_BUCKET"):
        raise click.UsageError("Set EVIDENCE_S3_BUCKET (and the other EVIDENCE_S3_* settings).")
    source, target = local_storage_from_config(config), s3_storage_from_config(config)
    report = move_evidence(source, target, delete_local=delete_local)
    click.echo(
        f"Copied {report.copied}, already in the bucket {report.already_there}, "
        f"removed locally {report.deleted_local}."
    )
    for name in report.missing:
        click.echo(f"Missing on disk: {name}", err=True)
    for name in report.damaged:
        click.echo(f"Does not match its recorded SHA-256 or size: {name}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo("Now set EVIDENCE_STORAGE=s3 and restart the web workers.")


@charter_cli.command("sweep-evidence")
@click.option(
    "--older-than-hours",
    type=float,
    default=None,
    help="The safety age: only objects older than this are removed (default "
    "EVIDENCE_SWEEP_MIN_AGE_HOURS, 24; at least 1).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@click.option("--list", "list_names", is_flag=True, help="Print each removed object's name.")
@click.option(
    "--even-with-no-rows",
    is_flag=True,
    help="Sweep even though the database has no evidence rows at all (every object goes).",
)
def sweep_evidence(
    older_than_hours: float | None, dry_run: bool, list_names: bool, even_with_no_rows: bool
):
    """Remove stored evidence objects that no row refers to and that are older than the safety
    age (a killed upload's file); the scheduler runs this daily."""
    from charter.operations.evidence_sweep import SweepRefused, min_age, sweep_orphaned_evidence
    from charter.services.infrastructure.storage import evidence_storage

    if older_than_hours is None:
        older_than_hours = current_app.config.get("EVIDENCE_SWEEP_MIN_AGE_HOURS")
    try:
        age = min_age(older_than_hours)
    except SweepRefused as refused:
        raise click.BadParameter(str(refused), param_hint="--older-than-hours") from None
    storage = evidence_storage()
    report = sweep_orphaned_evidence(
        storage, older_than=age, dry_run=dry_run, even_with_no_rows=even_with_no_rows
    )
    if list_names:
        for name in report.removed:
            click.echo(name)
    hours = age.total_seconds() / 3600
    click.echo(f"{storage.description}, safety age {hours:g} hours: {report.summary()}")
    if report.failed:
        raise SystemExit(1)
