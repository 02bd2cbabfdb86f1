"""Operations commands: check a production configuration, move evidence to the bucket."""

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
