"""The checker of the fault runs (bench/cluster_faults.py): every write the load generator was
told succeeded, compared with the primary database and the object store; every email queued
during the SMTP fault, compared with what the SMTP server received."""

from __future__ import annotations

import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path


def direct_app(database_url: str):
    """The app on the primary alone, for the checker (no replica, no HTTP)."""
    from charter import create_app
    from config import Config

    class CheckConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        REPLICA_DATABASE_URI = None

    return create_app(CheckConfig)


def _done() -> None:
    from charter.extensions import db

    db.session.remove()
    db.engine.dispose()


def store_client():
    """The object store itself (moto), not through the balancer's switch."""
    import boto3

    from bench.cluster import MOTO_PORT, S3_CREDENTIALS

    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{MOTO_PORT}",
        region_name=S3_CREDENTIALS["AWS_DEFAULT_REGION"],
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def stored_objects() -> set[str]:
    from bench.cluster import BUCKET

    names = set()
    for page in store_client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            names.add(item["Key"].rsplit("/", 1)[-1])
    return names


def unreferenced_objects(database_url: str) -> set[str]:
    """Objects in the bucket no evidence row refers to."""
    from sqlalchemy import select

    from charter.extensions import db
    from charter.models import EvidenceFile

    app = direct_app(database_url)
    with app.app_context():
        referenced = set(db.session.scalars(select(EvidenceFile.stored_name)))
        _done()
    return stored_objects() - referenced


def check_writes(database_url: str, log, unreferenced_before: set[str]) -> dict:
    """Lost, doubled, told-failed-yet-saved and half-stored writes of one run."""
    from sqlalchemy import select

    from charter.extensions import db
    from charter.models import EvidenceFile, Measure, ReturnLine

    app = direct_app(database_url)
    result = Counter()
    examples: list[str] = []
    with app.app_context():
        for (return_id, code), (value, narrative) in log.saves_ok.items():
            line = db.session.scalar(
                select(ReturnLine)
                .join(Measure, Measure.id == ReturnLine.measure_id)
                .where(ReturnLine.return_id == return_id, Measure.code == code)
            )
            later = log.saves_in_doubt.get((return_id, code), [])
            if line is not None and line.narrative in later:
                result["drafts overwritten by a save in doubt"] += 1
            # The narrative is unique to each save; some measures take their figure in other
            # fields (per contract), so the value is compared only where the line keeps one.
            elif (
                line is None
                or line.narrative != narrative
                or line.actual_value not in (None, Decimal(value))
            ):
                result["lost"] += 1
                found = None if line is None else (str(line.actual_value), line.narrative)
                examples.append(
                    f"draft {return_id}/{code}: answered {value!r} {narrative!r}, holds {found}"
                )
        result["drafts saved"] = len(log.saves_ok)
        names = list(log.uploads)
        rows = db.session.execute(
            select(EvidenceFile.original_name, EvidenceFile.stored_name).where(
                EvidenceFile.original_name.in_(names)
            )
        ).all()
        _done()
    by_name = Counter(row.original_name for row in rows)
    stored_name = {row.original_name: row.stored_name for row in rows}
    objects = stored_objects()
    unreferenced = unreferenced_objects(database_url)
    for name, outcome in log.uploads.items():
        count = by_name.get(name, 0)
        if count > 1:
            result["doubled"] += 1
        if outcome == "ok":
            result["uploads stored"] += 1
            if count == 0 or stored_name[name] not in objects:
                result["lost"] += 1
                examples.append(f"upload {name}: {count} rows")
        elif outcome == "in doubt":
            result["uploads in doubt"] += 1
        elif count:
            result["told failed, yet saved"] += 1
    # An object with no row: a host killed between storing the file and committing its row.
    result["half stored"] = len(unreferenced - unreferenced_before)
    return {**result, "lost examples": examples[:5]}


def queue_emails(database_url: str, run: str, count: int) -> list[str]:
    """Queue ``count`` emails through the outbox, as a change would; their subjects."""
    from charter.extensions import db
    from charter.services.notices.outbox import queue_bulk

    subjects = [f"Cluster fault run {run}: email {n}" for n in range(count)]
    app = direct_app(database_url)
    with app.app_context():
        queue_bulk(
            [
                {"to_address": f"person{n}@cluster.example", "subject": subject, "body": "Hello."}
                for n, subject in enumerate(subjects)
            ]
        )
        db.session.commit()
        _done()
    return subjects


def check_emails(database_url: str, mailbox: Path, subjects: list[str], timeout: float) -> dict:
    """Wait for the outbox to send ``subjects``; how many arrived once, never, or more."""
    from sqlalchemy import func, select

    from charter.extensions import db
    from charter.models import OutboxEmail
    from charter.models.mail import MAIL_SENT

    app = direct_app(database_url)
    deadline = time.monotonic() + timeout
    with app.app_context():
        while time.monotonic() < deadline:
            sent = db.session.scalar(
                select(func.count())
                .select_from(OutboxEmail)
                .where(OutboxEmail.subject.in_(subjects), OutboxEmail.status == MAIL_SENT)
            )
            db.session.rollback()
            if sent == len(subjects):
                break
            time.sleep(0.5)
        _done()
    received = Counter()
    if mailbox.exists():
        for line in mailbox.read_text().splitlines():
            subject = json.loads(line)["subject"]
            if subject in subjects:
                received[subject] += 1
    return {
        "queued": len(subjects),
        "sent once": sum(1 for s in subjects if received[s] == 1),
        "never arrived": sum(1 for s in subjects if received[s] == 0),
        "arrived twice or more": sum(1 for s in subjects if received[s] > 1),
    }
