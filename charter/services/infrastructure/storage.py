"""Where evidence files live: a local directory (the default) or an S3-compatible bucket.

evidence.py decides whether a file is acceptable; this module only keeps bytes under a name.
An upload is first written, counted and hashed into a private staging file, because the content
check needs the whole file (a ZIP's directory is at its end). ``commit`` then puts the staged
file in place: a rename inside the evidence directory, or a (multipart, streamed) upload to the
bucket. Until ``commit`` returns nothing is visible under the stored name, so a refused or
failed upload leaves nothing behind.

Downloads are streamed through the application (``open``) rather than redirected to a
presigned URL: every byte stays behind the same sign-in and membership check and gets the same
``nosniff``/sandbox/no-store headers, no link that works for anyone for a few minutes can be
forwarded or left in a browser history or proxy log, and the bucket needs no public endpoint or
CORS rules. Evidence files are at most 10MB, so the cost to a web worker is small.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
_EXTENSION_KEY = "evidence_storage"


class EvidenceStorage(Protocol):
    """What evidence.py, the download view, /readyz and the move command need of a store."""

    description: str

    def staging_path(self, stored_name: str) -> Path:
        """A new private file to write an upload into before it is checked."""

    def commit(self, stored_name: str, staged: Path, content_type: str) -> None:
        """Make the staged file the object ``stored_name``; the staged file is consumed."""

    def open(self, stored_name: str) -> BinaryIO | None:
        """The object's bytes as a file-like object to stream, or None if it is missing."""

    def delete(self, stored_name: str) -> None:
        """Remove the object; no error if it is already gone."""

    def exists(self, stored_name: str) -> bool: ...

    def names(self) -> Iterator[str]:
        """Every stored name, for checks and moves between stores."""

    def listing(self) -> Iterator[tuple[str, datetime]]:
        """Every stored name with when its object was written (UTC), for the orphan sweep."""

    def check_writable(self) -> None:
        """Raise if an object cannot be written and removed (for /readyz)."""


def check_name(stored_name: str) -> str:
    if not STORED_NAME.match(stored_name):
        raise ValueError(f"not a stored evidence name: {stored_name!r}")
    return stored_name


def _open_exclusive(path: Path):
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags, 0o600), "wb")


class LocalStorage:
    """Files under ``root/<first two hex digits>/<name>``, written then renamed into place.

    With several hosts the directory must be shared storage (NFS, EFS...); prefer S3Storage.
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.description = f"directory {self.root}"

    def path_for(self, stored_name: str) -> Path:
        check_name(stored_name)
        return self.root / stored_name[:2] / stored_name

    def staging_path(self, stored_name: str) -> Path:
        # In the final directory, so the rename in commit() is atomic on one filesystem.
        final = self.path_for(stored_name)
        final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return final.with_name(stored_name + ".part")

    def commit(self, stored_name: str, staged: Path, content_type: str) -> None:  # noqa: ARG002
        final = self.path_for(stored_name)
        os.replace(staged, final)
        _fsync_directory(final.parent)

    def open(self, stored_name: str) -> BinaryIO | None:
        try:
            return open(self.path_for(stored_name), "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def delete(self, stored_name: str) -> None:
        self.path_for(stored_name).unlink(missing_ok=True)

    def exists(self, stored_name: str) -> bool:
        return self.path_for(stored_name).is_file()

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*")):
            if STORED_NAME.match(path.name) and path.is_file():
                yield path.name

    def listing(self) -> Iterator[tuple[str, datetime]]:
        for name in self.names():
            try:
                modified = self.path_for(name).stat().st_mtime
            except FileNotFoundError:  # deleted since it was listed
                continue
            yield name, datetime.fromtimestamp(modified, UTC)

    def leftover_staging_files(self) -> Iterator[tuple[Path, datetime]]:
        """Staging files (``<name>.part``) a worker killed mid-upload left behind."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*.part")):
            if STORED_NAME.match(path.stem):
                try:
                    modified = path.stat().st_mtime
                except FileNotFoundError:
                    continue
                yield path, datetime.fromtimestamp(modified, UTC)

    def check_writable(self) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        probe = self.root / f".readyz-{secrets.token_hex(8)}"
        with _open_exclusive(probe) as out:
            out.write(b"ok")
        probe.unlink()


class StorageUnavailable(Exception):
    """The evidence store could not be reached or refused to store or give back a file (an
    outage, not the file's fault). Nothing is kept: the app answers a 503 saying so."""


@contextmanager
def _unavailable_on_failure(description: str, passing: type | tuple = ()):
    """botocore's and boto3's failures (connection lost, timeouts, 5xx after the retries) as
    StorageUnavailable; ``passing`` exceptions are left for the caller to sort."""
    from boto3.exceptions import S3UploadFailedError
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except passing:
        raise
    except (BotoCoreError, ClientError, S3UploadFailedError) as error:
        raise StorageUnavailable(f"{description}: {error}") from error


class S3Storage:
    """Objects ``<prefix><name>`` in a bucket of AWS S3 or any S3-compatible store.

    Credentials come from boto3's usual chain (environment, instance role, ~/.aws); the bucket
    is private and never needs to be public. ``server_side_encryption`` is passed on every
    write ("AES256" or "aws:kms", with ``kms_key_id`` for a customer-managed key).
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        server_side_encryption: str | None = None,
        kms_key_id: str | None = None,
        staging_dir: str | None = None,
    ):
        import boto3
        from botocore.config import Config as BotoConfig

        if not bucket:
            raise ValueError("EVIDENCE_S3_BUCKET must be set to store evidence in S3")
        self.bucket = bucket
        self.prefix = prefix
        self.staging_dir = Path(staging_dir or tempfile.gettempdir())
        self.extra_args: dict[str, str] = {}
        if server_side_encryption:
            self.extra_args["ServerSideEncryption"] = server_side_encryption
        if kms_key_id:
            self.extra_args["SSEKMSKeyId"] = kms_key_id
        # Clients are thread-safe; each gunicorn worker builds its own after the fork.
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            config=BotoConfig(retries={"max_attempts": 4, "mode": "standard"}),
        )
        self.description = f"bucket {bucket}" + (f", prefix {prefix}" if prefix else "")

    def key_for(self, stored_name: str) -> str:
        return self.prefix + check_name(stored_name)

    def staging_path(self, stored_name: str) -> Path:
        self.staging_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.staging_dir / f"charter-evidence-{check_name(stored_name)}.part"

    def commit(self, stored_name: str, staged: Path, content_type: str) -> None:
        try:
            # upload_file streams the file in parts (multipart above 8MB), never all in memory.
            with _unavailable_on_failure(self.description):
                self.client.upload_file(
                    str(staged),
                    self.bucket,
                    self.key_for(stored_name),
                    ExtraArgs={**self.extra_args, "ContentType": content_type},
                )
        finally:
            staged.unlink(missing_ok=True)

    def open(self, stored_name: str) -> BinaryIO | None:
        from botocore.exceptions import ClientError

        try:
            with _unavailable_on_failure(self.description, passing=ClientError):
                response = self.client.get_object(Bucket=self.bucket, Key=self.key_for(stored_name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageUnavailable(f"{self.description}: {error}") from error
        return response["Body"]

    def delete(self, stored_name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key_for(stored_name))

    def exists(self, stored_name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_for(stored_name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def size(self, stored_name: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key_for(stored_name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise
        return head["ContentLength"]

    def names(self) -> Iterator[str]:
        for name, _modified in self.listing():
            yield name

    def listing(self) -> Iterator[tuple[str, datetime]]:
        paginator = self.client.get_paginator("list_objects_v2")
        with _unavailable_on_failure(self.description):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    name = item["Key"].removeprefix(self.prefix)
                    if STORED_NAME.match(name):
                        yield name, item["LastModified"]

    def check_writable(self) -> None:
        key = f"{self.prefix}.readyz/{secrets.token_hex(8)}"
        self.client.put_object(Bucket=self.bucket, Key=key, Body=b"ok", **self.extra_args)
        self.client.delete_object(Bucket=self.bucket, Key=key)


def local_storage_from_config(config) -> LocalStorage:
    return LocalStorage(config["EVIDENCE_DIR"])


def s3_storage_from_config(config) -> S3Storage:
    return S3Storage(
        config.get("EVIDENCE_S3_BUCKET") or "",
        prefix=config.get("EVIDENCE_S3_PREFIX") or "",
        endpoint_url=config.get("EVIDENCE_S3_ENDPOINT_URL"),
        region=config.get("EVIDENCE_S3_REGION"),
        server_side_encryption=config.get("EVIDENCE_S3_SSE"),
        kms_key_id=config.get("EVIDENCE_S3_KMS_KEY_ID"),
        staging_dir=config.get("EVIDENCE_STAGING_DIR"),
    )


def storage_from_config(config) -> EvidenceStorage:
    kind = (config.get("EVIDENCE_STORAGE") or "local").lower()
    if kind == "local":
        return local_storage_from_config(config)
    if kind == "s3":
        return s3_storage_from_config(config)
    raise ValueError(f"EVIDENCE_STORAGE must be 'local' or 's3', not {kind!r}")


def evidence_storage(app: Flask | None = None) -> EvidenceStorage:
    """The app's store, built on first use (after gunicorn forks, so no client is shared).

    Rebuilt if the settings it came from change (tests point EVIDENCE_DIR at a new folder).
    """
    app = app or current_app._get_current_object()
    settings = tuple(
        app.config.get(key)
        for key in (
            "EVIDENCE_STORAGE",
            "EVIDENCE_DIR",
            "EVIDENCE_S3_BUCKET",
            "EVIDENCE_S3_PREFIX",
            "EVIDENCE_S3_ENDPOINT_URL",
            "EVIDENCE_S3_SSE",
        )
    )
    cached = app.extensions.get(_EXTENSION_KEY)
    if cached is None or cached[0] != settings:
        cached = (settings, storage_from_config(app.config))
        app.extensions[_EXTENSION_KEY] = cached
    return cached[1]


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not possible on every platform."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
