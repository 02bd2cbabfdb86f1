"""Configuration classes. Secrets come only from the environment."""

import os
from urllib.parse import urlsplit

from charter.resources import instance_dir, resource_dir

INSTANCE_DIR = instance_dir()


def _database_url(default: str, name: str = "DATABASE_URL") -> str:
    url = os.environ.get(name, default)
    # Heroku-style URLs name the dialect "postgres"; psycopg 3 is the driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _trusted_hosts(service_url: str) -> list[str] | None:
    """TRUSTED_HOSTS (comma-separated) if set; in production, else the SERVICE_URL's host."""
    names = [name.strip() for name in os.environ.get("TRUSTED_HOSTS", "").split(",")]
    names = [name for name in names if name]
    if names:
        return names
    host = urlsplit(service_url).hostname
    return [host] if host else None


class Config:
    # The service name in the header, page titles and emails. Unset, it is the default charter's
    # (its scheme file's [charter] service_name), or "Social Value Charter Mark" before there is
    # a charter; set, it overrides the charter's (docs/charters.md).
    SERVICE_NAME = os.environ.get("SERVICE_NAME") or None
    # How long each process holds the default charter's branding before reading it again (a
    # change made in the same process is read at once: charter/branding.py).
    CHARTER_BRANDING_TTL = float(os.environ.get("CHARTER_BRANDING_TTL", "60"))
    # Named in the privacy notice and accessibility statement as the data controller / contact,
    # and signing emails while there is no charter. SERVICE_CONTACT_EMAIL's default is a
    # placeholder (example.gov.uk): the operator must set it, and it stands in for a charter's
    # contact address until the charter's running body gives one.
    # Where the service is published: links in emails sent by scheduled reviews (no request).
    SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:5000")
    SERVICE_OPERATOR = os.environ.get("SERVICE_OPERATOR", "Shropshire Council")
    SERVICE_CONTACT_EMAIL = os.environ.get("SERVICE_CONTACT_EMAIL", "socialvalue@example.gov.uk")
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'charter.db'}")
    # Pooled PostgreSQL connections idle for longer than this are pinged before use; others
    # are used as they are (charter/operations/connection_checks.py).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    DB_IDLE_PING_SECONDS = float(os.environ.get("DB_IDLE_PING_SECONDS", "10"))
    # PostgreSQL cancels a statement that runs longer (0: never). gunicorn.conf.py sets 30 for
    # the web processes; jobs and commands keep none (charter/operations/connection_settings.py).
    DATABASE_STATEMENT_TIMEOUT_SECONDS = float(
        os.environ.get("DATABASE_STATEMENT_TIMEOUT_SECONDS", "0")
    )
    SQLALCHEMY_RECORD_QUERIES = False
    # --- Reads from a replica (charter/operations/replica.py; docs/deployment.md) ---
    # A streaming replica of DATABASE_URL (charter/replica_session.py); unset, every query goes
    # to the primary. Its engine is the app's own, not a Flask-SQLAlchemy bind: a bind's
    # metadata is shared by every app of the process, and create_all() would then need it too.
    REPLICA_DATABASE_URI = _database_url("", "DATABASE_REPLICA_URL") or None
    # Public pages and the API read from the replica while its lag is at most this...
    REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
    # ...measured by each process at most this often.
    REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "1"))
    # After a POST a person reads from the primary this long (and never less than the two above).
    READ_YOUR_WRITES_SECONDS = float(os.environ.get("READ_YOUR_WRITES_SECONDS", "10"))
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # A request a little larger than the largest evidence file, so the upload form can say
    # "must be smaller than 10MB" itself instead of a bare 413.
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    # Office and OpenDocument files are zip archives: what one may unpack to (archive_limits.py).
    EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES = int(
        os.environ.get("EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
    )
    EVIDENCE_ZIP_MAX_RATIO = int(os.environ.get("EVIDENCE_ZIP_MAX_RATIO", 100))
    EVIDENCE_ZIP_MAX_ENTRIES = int(os.environ.get("EVIDENCE_ZIP_MAX_ENTRIES", 10_000))
    # Outside the web root; shared storage when running on several hosts.
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", str(INSTANCE_DIR / "evidence"))
    # The open-data files (each charter's full register and impact exports, built after each
    # change and served whole: charter.public.open_data_files). Local to each host: a host
    # without them builds them on the first request.
    OPEN_DATA_DIR = os.environ.get("OPEN_DATA_DIR", str(INSTANCE_DIR / "open-data"))
    # "local" (EVIDENCE_DIR) or "s3" (any S3-compatible store: storage.py, docs/operations.md).
    EVIDENCE_STORAGE = os.environ.get("EVIDENCE_STORAGE", "local")
    EVIDENCE_S3_BUCKET = os.environ.get("EVIDENCE_S3_BUCKET")
    EVIDENCE_S3_PREFIX = os.environ.get("EVIDENCE_S3_PREFIX", "evidence/")
    EVIDENCE_S3_ENDPOINT_URL = os.environ.get("EVIDENCE_S3_ENDPOINT_URL")  # non-AWS stores
    EVIDENCE_S3_REGION = os.environ.get("EVIDENCE_S3_REGION")
    EVIDENCE_S3_SSE = os.environ.get("EVIDENCE_S3_SSE", "AES256")  # "aws:kms", or "" for none
    EVIDENCE_S3_KMS_KEY_ID = os.environ.get("EVIDENCE_S3_KMS_KEY_ID")
    # Where uploads wait while they are checked before going to the bucket (private, 0600).
    EVIDENCE_STAGING_DIR = os.environ.get("EVIDENCE_STAGING_DIR")
    # Stored objects no row refers to are removed once older than this (operations/evidence_sweep).
    EVIDENCE_SWEEP_MIN_AGE_HOURS = float(os.environ.get("EVIDENCE_SWEEP_MIN_AGE_HOURS", 24))
    # How many proxies set X-Forwarded-For/-Proto/-Host in front of the app (ProxyFix); 0 trusts
    # none. Wrong in either direction breaks the per-address sign-in throttle (docs/operations.md).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # "json": one JSON object per line with a request id (production); "text" for development.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    # argon2id; RFC 9106 "second recommended" profile, above OWASP's minimum (m=19 MiB, t=2, p=1).
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 64 * 1024
    PASSWORD_HASH_PARALLELISM = 4
    EMAIL_VERIFY_MAX_AGE = 60 * 60 * 24 * 3
    PASSWORD_RESET_MAX_AGE = 60 * 60
    INVITATION_MAX_AGE = 60 * 60 * 24 * 14
    # Host names the service answers to; any other Host header is refused with a 400 (Flask's
    # own check). Unset in development; production defaults to the SERVICE_URL's host.
    TRUSTED_HOSTS = _trusted_hosts(SERVICE_URL) if os.environ.get("TRUSTED_HOSTS") else None
    # Strict-Transport-Security max-age; only in production, where the service is on HTTPS.
    HSTS_SECONDS = None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    SIGN_IN_LIMIT_PER_IP = "20 per 10 minutes"
    SIGN_IN_LIMIT_PER_ACCOUNT = "5 per 10 minutes"
    # Account creation, verification and reset emails, so the forms cannot flood an inbox.
    EMAIL_SENDING_LIMIT_PER_IP = "20 per 10 minutes"
    # --- Email delivery (the mail worker; docs/operations.md "Email delivery" lists each) ---
    # "log" (development), "smtp" or "notify"; unset means smtp if MAIL_SERVER is set, else log.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND")
    MAIL_FROM = os.environ.get("MAIL_FROM", "charter-mark@example.gov.uk")
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_STARTTLS = os.environ.get("MAIL_USE_STARTTLS") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", "30"))
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY")
    NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    NOTIFY_REPLY_TO_ID = os.environ.get("NOTIFY_REPLY_TO_ID")
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    MAIL_RETRY_BASE_SECONDS = int(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60"))
    MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", "3600"))
    MAIL_SENDING_LEASE_SECONDS = int(os.environ.get("MAIL_SENDING_LEASE_SECONDS", "900"))
    MAIL_WORKER_POLL_SECONDS = float(os.environ.get("MAIL_WORKER_POLL_SECONDS", "5"))
    MAIL_DELIVERY_IN_SCHEDULER = os.environ.get("MAIL_DELIVERY_IN_SCHEDULER") == "1"
    # --- end of email delivery settings ---
    # A release package the scheduler fetches and imports every NOTICES_POLL_MINUTES, as
    # `flask charter import-notices --url` would (docs/ocds.md). Unset (the default): no poll.
    NOTICES_POLL_URL = os.environ.get("NOTICES_POLL_URL") or None
    NOTICES_POLL_MINUTES = int(os.environ.get("NOTICES_POLL_MINUTES", "60"))
    # The Find a Tender API the scheduler walks every NOTICES_POLL_MINUTES, keeping the notices
    # of commissioners' buyers (docs/ocds.md), e.g.
    # https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages. Unset: no poll.
    FIND_A_TENDER_POLL_URL = os.environ.get("FIND_A_TENDER_POLL_URL") or None
    # The stages asked for, one walk each; the first walk's updatedFrom (UK time,
    # YYYY-MM-DDTHH:MM:SS; unset: a day before it); the most pages one run fetches.
    FIND_A_TENDER_POLL_STAGES = os.environ.get("FIND_A_TENDER_POLL_STAGES", "award")
    FIND_A_TENDER_POLL_SINCE = os.environ.get("FIND_A_TENDER_POLL_SINCE") or None
    FIND_A_TENDER_POLL_PAGES = int(os.environ.get("FIND_A_TENDER_POLL_PAGES", "50"))
    # An administrator's "poll now" (/admin/notice-imports) waits for this many pages a stage.
    FIND_A_TENDER_POLL_NOW_PAGES = int(os.environ.get("FIND_A_TENDER_POLL_NOW_PAGES", "5"))
    # Fetching a release package from a URL: seconds to connect and between two pieces, and
    # for the whole download (a server trickling bytes).
    NOTICES_URL_TIMEOUT_SECONDS = float(os.environ.get("NOTICES_URL_TIMEOUT_SECONDS", "30"))
    NOTICES_URL_DEADLINE_SECONDS = float(os.environ.get("NOTICES_URL_DEADLINE_SECONDS", "300"))
    # The outbox page (/dev/emails) lets a person running the demo follow emailed links.
    SHOW_OUTBOX = os.environ.get("SHOW_OUTBOX") == "1"
    DEFAULT_SCHEME_FILE = str(resource_dir("schemes") / "supporting-the-local-economy.toml")
    TEMPLATES_STRICT = False
    # Part of the public pages' ETags: a new release must not answer 304 for a page it renders
    # differently. Default: a digest of the code and templates, the same in every worker.
    RELEASE = os.environ.get("RELEASE")
    # Seconds a process may reuse the register's version (ETags, caches) before reading it again.
    REGISTER_VERSION_TTL = float(os.environ.get("REGISTER_VERSION_TTL", "1"))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    SERVER_NAME = "localhost"
    SERVICE_URL = "http://localhost"
    # Cheap hashes keep the suite fast; the algorithm is still argon2id.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 1024
    PASSWORD_HASH_PARALLELISM = 1
    TEMPLATES_STRICT = True
    # Every request reads the register's version, so query counts do not depend on timing.
    REGISTER_VERSION_TTL = 0
    # The charter's branding is held until a charter changes, so query counts do not either.
    CHARTER_BRANDING_TTL = None
    EVIDENCE_DIR = None  # tests set a temporary directory per app


class ProductionConfig(Config):
    SHOW_OUTBOX = False
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = 60 * 60 * 24 * 365

    def __init__(self, *, checking_only: bool = False) -> None:
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            if not checking_only:
                raise RuntimeError("SECRET_KEY must be set in the environment in production")
            secret = os.urandom(32).hex()  # never used to sign anything: the check refuses
        self.SECRET_KEY = secret
        self.TRUSTED_HOSTS = _trusted_hosts(self.SERVICE_URL)
