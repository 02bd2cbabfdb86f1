"""gunicorn settings for production (`make serve`, the Procfile's web process).

Every value can be overridden from the environment, so a host changes none of this file:
WEB_CONCURRENCY (workers), GUNICORN_WORKER_CLASS and GUNICORN_THREADS, PORT or GUNICORN_BIND,
GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS, FORWARDED_ALLOW_IPS, DATABASE_STATEMENT_TIMEOUT_SECONDS.
"""

import multiprocessing
import os

# Listen on loopback by default: the proxy in front of us is on the same host or passes a bind.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# (2 x cores) + 1 workers as gunicorn suggests: requests are short and mostly wait on the
# database. Each worker holds its own database pool (SQLAlchemy's default, 5 + 10).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Threaded workers (gthread), a few threads each. A sync worker is killed when one request
# outlasts `timeout`: the built open-data files (register.json is 125 MiB at 100,000
# organisations) take over two minutes to a reader at 1 MB/s, and that reader got the file cut
# at the timeout (issue 23). A gthread worker's main thread keeps telling the arbiter it is alive
# while its threads send, so a slow download finishes and a quick page is not queued behind it.
# The app keeps no per-request state outside Flask's contexts, and its in-process caches lock
# (charter/caching.py, register_version.VersionCache), as under `flask run`, which is threaded.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker that stops answering the arbiter for this long is killed and replaced. With
# threads, this no longer limits one request: the proxy in front cuts a client that waits too
# long, and database statements are bounded by the database's own settings.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Each database statement of a web request is cancelled after this many seconds (the threads
# above are never killed for a long request, so this is what bounds one): read by the app each
# worker loads, not by the scheduler or the mail worker, which run no gunicorn.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_SECONDS", "30")

# Workers are not recycled after a count of requests. Each worker keeps the answers it has
# rendered and the register's filter lists and counts in memory, per register version
# (charter/caching.py): at the 2,000 requests this used to allow, a loaded worker restarted every
# second or two and began again with nothing, and repeated pages fell from ~0.45 of a bare Flask
# endpoint to 0.26 with a p99 of 0.5-1 s (issue 23). What a worker keeps is bounded by design
# (1,024 answers of at most 64 KiB per cache, emptied when the register changes), and no leak is
# known: bench/cluster.py prints each worker's memory after its fault runs so that a leak would
# show. Should one appear, GUNICORN_MAX_REQUESTS recycles workers again, jittered by a tenth so
# they do not all restart together; set it high (say 100,000), so a worker lives for minutes.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# Which proxies may tell us, by X-Forwarded-Proto, that the request came over HTTPS. The app's
# ProxyFix (PROXY_COUNT) decides the client address the same way.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No gunicorn access log: it would carry client addresses, query strings and the signed tokens
# in emailed links. The app writes one JSON line per request instead (charter/operations/logs.py),
# with the request id, the route's pattern, the status and the time taken.
accesslog = None
# ... and gunicorn builds none either: given the logging dictionary below, its own logger would
# build an access line for every request and drop it (charter/operations/gunicorn_logging.py).
logger_class = "charter.operations.gunicorn_logging.Logger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own lines (worker started, worker timed out) in the same JSON as the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "charter.operations.logs.JsonFormatter"}},
    "handlers": {
        "json": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    # This replaces gunicorn's default dictionary, so the root logger is named too.
    "root": {"handlers": ["json"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

# Off by default: with preload the app (and its database pool) would be built before the
# fork and shared by every worker.
preload_app = False
# Temporary request bodies in memory-backed storage where the host has it.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn 27's control socket (for `gunicornc`) would sit in $HOME, shared by every gunicorn
# of that user on the host: off unless a path is given.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")


def post_worker_init(worker):  # noqa: ARG001
    """Once the worker has loaded the app, move everything loaded so far (modules, mappers,
    templates' code) into the garbage collector's permanent generation. A full collection then
    walks only what requests allocate: over the whole loaded app one took ~110 ms, and it was
    the API's p99 latency under load (Instagram's `gc.freeze` technique, Python 3.7+)."""
    import gc

    gc.collect()
    gc.freeze()
