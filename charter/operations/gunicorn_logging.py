"""gunicorn's logger, building an access line only when there is an access log to write it to.

``gunicorn.conf.py`` sets no access log (``charter/operations/logs.py`` writes one line a request
instead, naming the route's pattern rather than the path), but it gives gunicorn a logging
dictionary, for JSON error lines. Given any logging dictionary, gunicorn builds an access line
for every request (a dictionary of some thirty atoms, the date formatted, a log record) and
hands it to the ``gunicorn.access`` logger, which has no handler and does not propagate, so the
line is dropped. Under load that was a sixth of a worker's Python time on a page served from
memory (issue 23). gunicorn's own default (no access log, no dictionary) builds nothing; here the
same holds with the dictionary.
"""

from __future__ import annotations

from gunicorn import glogging


class Logger(glogging.Logger):
    def setup(self, cfg) -> None:
        """At start and at each configuration reload: worked out again on the next request."""
        self.__dict__.pop("_writes_access_lines", None)
        super().setup(cfg)

    def access(self, resp, req, environ, request_time) -> None:
        writes = self.__dict__.get("_writes_access_lines")
        if writes is None:  # read once: each setting read is a lookup in gunicorn's Config
            writes = self._writes_access_lines = writes_access_lines(self.cfg)
        if writes:
            super().access(resp, req, environ, request_time)


def writes_access_lines(cfg) -> bool:
    """Whether an access line would go anywhere: an access log file or stream, syslog (which
    gunicorn sends access lines to unless told not to), or a ``gunicorn.access`` logger named
    in the logging dictionary."""
    if cfg.accesslog:
        return True
    if cfg.syslog and not cfg.disable_redirect_access_to_syslog:
        return True
    return "gunicorn.access" in (cfg.logconfig_dict or {}).get("loggers", {})
