"""An S3-compatible store for tests: moto's standalone server on loopback, spoken to over real
HTTP by boto3 (not moto's in-process mocks), one fresh bucket per test."""

from __future__ import annotations

import socket
import uuid

import boto3

S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto_server():
    """A running ThreadedMotoServer and its endpoint URL; call ``.stop()`` when done."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def s3_client(endpoint_url: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_CREDENTIALS["AWS_DEFAULT_REGION"],
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def new_bucket(endpoint_url: str) -> str:
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint_url).create_bucket(
        Bucket=name,
        CreateBucketConfiguration={"LocationConstraint": S3_CREDENTIALS["AWS_DEFAULT_REGION"]},
    )
    return name


def object_keys(endpoint_url: str, bucket: str) -> list[str]:
    response = s3_client(endpoint_url).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in response.get("Contents", []))
