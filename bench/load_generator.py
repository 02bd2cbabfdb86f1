"""wrk, the load generator of the benchmarks: requests/s and p50/p99 of a URL for a fixed time,
and of a page beside the bare endpoint in alternating slices."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text_value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text_value).groups()
    return float(number) * _UNITS[unit]


# Each run starts its counter where no earlier run went (the argument after "--"), so runs in
# slices never repeat a URL that a worker has kept in memory.
FRESH_SCRIPT = """
counter = 0
init = function(args)
  counter = tonumber(args[1]) or 0
end
request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "bench=" .. counter)
end
"""


# A new address on every request, cycling through a list of paths (another period or measure
# of /impact each time), with a counter so that no repeat is served from memory.
PATHS_SCRIPT = """
paths = {%s}
counter = 0
init = function(args)
  counter = tonumber(args[1]) or 0
end
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, path .. sep .. "bench=" .. counter)
end
"""

_fresh_runs = iter(range(1, 10**6))


def wrk(
    url: str, seconds: float, connections: int = 4, headers=None, fresh=False, paths=None
) -> dict:
    """Requests/s and p50/p99 latency from wrk, a C load generator (1 thread, a few
    connections: it takes a small share of the two cores it shares with gunicorn). ``fresh``
    makes every URL different, so each request is rendered rather than served from memory;
    ``paths`` (with ``fresh``) cycles through those paths on ``url``'s host."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--latency"]
    if fresh:
        if paths:
            listed = ", ".join(f'"{path}"' for path in paths)
            script = Path("/tmp/bench-wrk-paths.lua")
            script.write_text(PATHS_SCRIPT % listed)
        else:
            script = Path("/tmp/bench-wrk-fresh.lua")
            script.write_text(FRESH_SCRIPT)
        command += ["-s", str(script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    if fresh:
        command += ["--", str(next(_fresh_runs) * 10**7)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


def wrk_pair(url: str, bare_url: str, seconds: float, rounds: int = 5, **options) -> tuple:
    """The page and the bare endpoint loaded in alternating one-second slices (``rounds`` of
    each, about ``seconds`` in all per side), so that both see the same moments of a shared
    machine's load rather than two different ``seconds``-long windows. Requests/s is the mean
    of the slices, p50 the median of their medians, p99 the highest of their p99s."""
    per_slice = max(1, round(seconds / rounds))
    service, bare = [], []
    for _ in range(rounds):
        service.append(wrk(url, per_slice, **options))
        bare.append(wrk(bare_url, per_slice))
    return _combine(service), _combine(bare)


def _combine(slices: list[dict]) -> dict:
    return {
        "rps": statistics.mean(s["rps"] for s in slices),
        "p50": statistics.median(s["p50"] for s in slices),
        "p99": max(s["p99"] for s in slices),
        "errors": sum(s["errors"] for s in slices),
    }
