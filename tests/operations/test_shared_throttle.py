"""The sign-in throttle counts in Redis when RATELIMIT_STORAGE_URI says so, so a second worker
(here: a second app, as a second process would build) sees the first one's failed attempts.
With the default memory:// store it does not: that is what breaks without a shared store."""

from __future__ import annotations

import uuid

import pytest

from charter import create_app
from charter.extensions import db
from config import TestConfig
from tests.factories import PASSWORD, csrf_token, make_user

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


def worker_app(tmp_path, storage_uri: str, prefix: str):
    class WorkerConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'shared.db'}"
        RATELIMIT_STORAGE_URI = storage_uri
        RATELIMIT_KEY_PREFIX = prefix
        SIGN_IN_LIMIT_PER_ACCOUNT = "3 per 10 minutes"

    return create_app(WorkerConfig)


def attempt(app, email: str, password: str) -> int:
    with app.app_context():
        client = app.test_client()
        token = csrf_token(client, "/sign-in")
        response = client.post(
            "/sign-in", data={"csrf_token": token, "email": email, "password": password}
        )
        db.session.remove()
        return response.status_code


def failed_attempts_then_another_worker(tmp_path, storage_uri: str, prefix: str) -> int:
    first = worker_app(tmp_path, storage_uri, prefix)
    with first.app_context():
        db.create_all()
        make_user(email="olive@example.com")
        db.session.remove()
    for _ in range(3):
        assert attempt(first, "olive@example.com", "wrong password here") == 200
    second = worker_app(tmp_path, storage_uri, prefix)
    return attempt(second, "olive@example.com", PASSWORD)


def test_a_second_worker_sees_the_attempts_counted_in_redis(tmp_path):
    redis_client = redis_or_skip()
    prefix = f"test-production-{uuid.uuid4().hex}"
    try:
        status = failed_attempts_then_another_worker(tmp_path, REDIS_URL, prefix)
        assert status == 429
        assert list(redis_client.scan_iter(f"*{prefix}*")), "nothing was counted in Redis"
    finally:
        for key in redis_client.scan_iter(f"*{prefix}*"):
            redis_client.delete(key)


def test_without_a_shared_store_each_worker_counts_alone(tmp_path):
    assert failed_attempts_then_another_worker(tmp_path, "memory://", "unshared") == 302
