"""The test suite on another date: ``CHARTER_TEST_TODAY=2027-03-20 make test``.

Everything in the service that depends on the date (the demo data, due dates, reminders,
standing) reads Python's clocks, so moving those moves the service. ``start`` moves them by
whole days, the same number in every process, and the clock keeps running: the suite's own
process (tests/conftest.py) and the served app of the browser tests (``python -m
tests.travel flask ...``, tests/browser/server_helpers.py) agree on the day.

time-machine rather than Debian's faketime: under libfaketime Python's timed waits never
return (a thread's ``Event.wait(timeout)``, so Flask-Limiter's timer keeps a process from
exiting: wolfcw/libfaketime#390 and #469; the suite's own process cancels those timers when it
ends, tests/conftest.py, so it can be run under faketime too), and the fix for that
(``FAKETIME_DONT_FAKE_MONOTONIC``) makes ``time.sleep`` fail with EINVAL. time-machine moves
the wall clock only (``time.time``, ``datetime.now``, ``date.today``), never the monotonic one
that timeouts use.
"""

from __future__ import annotations

import os
import runpy
import sys
import time
from datetime import date

ENVIRONMENT = "CHARTER_TEST_TODAY"


def requested_day() -> date | None:
    text = os.environ.get(ENVIRONMENT, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"{ENVIRONMENT}={text!r} is not a date like 2027-03-20") from None


def start() -> date | None:
    """Move this process's clocks to the requested day (same time of day), if one is set."""
    day = requested_day()
    if day is None:
        return None
    import time_machine

    days = (day - date.today()).days
    time_machine.travel(time.time() + days * 86_400, tick=True).start()
    return day


if __name__ == "__main__":
    # python -m tests.travel MODULE ARGS...: run MODULE as ``python -m`` would, on that day.
    start()
    module, sys.argv = sys.argv[1], sys.argv[1:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
