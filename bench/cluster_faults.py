"""Faults under a bounded mixed load on the reference deployment (bench/cluster.py), and a
checker comparing every write the load got a success for with the database.

Each fault run is ``duration`` seconds of traffic through HAProxy: anonymous visitors (home,
register, a search, an organisation's page, the API) and signed-in owners who open their return,
save a line's draft figure (an UPDATE) and upload evidence files (an INSERT and an object in the
store), each upload named uniquely. A quarter of the way in the fault starts; halfway it is
healed; the rest is "after". Then the checker counts, for the writes of that run:

- lost: a success answered (a redirect) but not in the database as answered: a draft whose
  last successful save is not what the line holds (unless a later save, whose answer never
  came, put its own value there), an upload with no row or no object in the store;
- doubled: an upload with more than one row;
- told failed, yet saved: an upload answered with an error whose row exists anyway;
- half stored: an object in the bucket that no row refers to.

Requests whose answer never arrived (the connection dropped: a host killed mid-request) are "in
doubt", counted apart, and not lost whichever way they went. For the SMTP fault, emails queued
while the server is down must each arrive exactly once after it returns.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import cluster_failover
from bench.cluster_checks import check_emails, check_writes, queue_emails, unreferenced_objects
from bench.load import PASSWORD, build_data, percentile
from tests.operations.smoke_helpers import Browser

PDF = b"%PDF-1.4\n% a cluster fault run\n%%EOF\n"
EMAILS_DURING_SMTP_FAULT = 20


@dataclass
class Sample:
    at: float
    seconds: float
    kind: str
    outcome: str  # "ok", or the failure's kind


@dataclass
class RunLog:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[Sample] = field(default_factory=list)
    saves_ok: dict = field(default_factory=dict)  # (return id, code) -> (value, narrative)
    saves_in_doubt: dict = field(default_factory=dict)  # (return id, code) -> [narratives]
    uploads: dict = field(default_factory=dict)  # original name -> "ok" | failure | "in doubt"

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def outcome_of(response, expected: tuple[int, ...]) -> str:
    if response is None:
        return "connection dropped"
    if response.status in expected:
        return "ok"
    if response.status == 503:
        if response.getheader("X-Charter-Balancer"):
            return "503 from the balancer"
        return "503 page (app)"
    if response.status >= 500:
        return f"{response.status}"
    return f"{response.status} refused"


class Load:
    def __init__(self, port: int, accounts: list, slugs: list[str], run: str):
        self.port, self.accounts, self.slugs, self.run = port, accounts, slugs, run
        self.log = RunLog()
        self.stop = threading.Event()
        self.started = time.monotonic()

    def timed(self, kind: str, call, expected=(200,)):
        began = time.monotonic()
        try:
            response, data = call()
        except OSError:
            response, data = None, b""
        outcome = outcome_of(response, expected)
        self.log.add(Sample(began - self.started, time.monotonic() - began, kind, outcome))
        return response, data, outcome

    def visitor(self) -> None:
        rng = random.Random()
        browser = Browser(self.port)
        pages = [
            ("home", lambda: "/"),
            ("register", lambda: "/c/shropshire/register"),
            ("search", lambda: f"/c/shropshire/register?q=bench+{rng.randint(0, 400)}"),
            ("public page", lambda: f"/c/shropshire/register/{rng.choice(self.slugs)}"),
            ("api", lambda: "/api/v1/organisations"),
        ]
        while not self.stop.is_set():
            kind, path = rng.choice(pages)
            target = path()
            self.timed(kind, lambda target=target: browser.get(target))

    def owner(self, number: int, account) -> None:
        email, slug, return_id, codes = account
        rng = random.Random()
        browser = Browser(self.port)
        while not self.stop.is_set():
            try:
                response, _ = browser.submit("/sign-in", {"email": email, "password": PASSWORD})
                if response.status == 302:
                    break
            except (OSError, AssertionError):  # no answer, or no form on a 503 page
                pass
            time.sleep(0.5)
        base = f"/organisations/{slug}/returns/{return_id}"
        counter = 0
        while not self.stop.is_set():
            counter += 1
            if rng.random() < 0.3:
                self.timed("return page", lambda: browser.get(base))
                continue
            code = rng.choice(codes)
            line = f"{base}/measures/{code}"
            response, data, outcome = self.timed("line page", lambda line=line: browser.get(line))
            if outcome != "ok":
                time.sleep(0.2)
                continue
            token = Browser.token_in(data)
            if rng.random() < 0.7:
                label = f"{self.run} {number}.{counter}"
                self.save_draft(browser, line, token, return_id, code, label)
            else:
                self.upload(browser, line, f"{self.run}-{number}-{counter}.pdf")

    def save_draft(self, browser, line, token, return_id, code, label) -> None:
        value = str(random.randint(1, 100))
        narrative = f"Draft {label} at {time.time():.6f}"
        _, _, outcome = self.timed(
            "save draft",
            lambda: browser.post_form(
                line, {"csrf_token": token, "actual_value": value, "narrative": narrative}
            ),
            expected=(302,),
        )
        with self.log.lock:
            if outcome == "ok":
                self.log.saves_ok[(return_id, code)] = (value, narrative)
                self.log.saves_in_doubt.pop((return_id, code), None)
            else:
                # Any answer but a redirect may still have been committed (a host killed after
                # its commit, a connection lost during COMMIT): the line may hold it.
                self.log.saves_in_doubt.setdefault((return_id, code), []).append(narrative)

    def upload(self, browser, line, name) -> None:
        _, _, outcome = self.timed(
            "upload",
            lambda: browser.upload(line + "/evidence", line, name, PDF),
            expected=(302,),
        )
        with self.log.lock:
            # No answer from the app (the connection dropped, or the balancer lost the host
            # mid-request: 502, 504): the upload may or may not have been committed.
            in_doubt = outcome in ("connection dropped", "502", "504")
            self.log.uploads[name] = "in doubt" if in_doubt else outcome


@dataclass
class Fault:
    describe: str
    inject: callable
    heal: callable
    prepare: callable = None  # before the load starts


def faults_for(cluster) -> dict[str, Fault]:
    def stop_store():
        cluster.balancer("disable server store/moto")
        cluster.balancer("shutdown sessions server store/moto")

    return {
        "kill-host": Fault(
            "kill one app host (SIGKILL to gunicorn and its workers); start it again",
            lambda: cluster.kill("app1"),
            lambda: cluster.start_app(1, "127.0.0.2"),
        ),
        "restart-primary": Fault(
            "stop PostgreSQL's primary (fast shutdown); start it again",
            lambda: cluster.pair.stop_primary("fast"),
            cluster.pair.start_primary,
        ),
        "stop-replica": Fault(
            "stop the replica; start it again",
            lambda: cluster.pair.stop_replica("fast"),
            cluster.pair.start_replica,
        ),
        "stop-store": Fault(
            "take the object store away (its HAProxy server disabled, connections cut); give "
            "it back",
            stop_store,
            lambda: cluster.balancer("enable server store/moto"),
        ),
        "stop-smtp": Fault(
            f"stop the SMTP server and queue {EMAILS_DURING_SMTP_FAULT} emails; start it again",
            lambda: (
                cluster.kill("smtp"),
                cluster.queued_subjects.extend(
                    queue_emails(cluster.database_url, cluster.run, EMAILS_DURING_SMTP_FAULT)
                ),
            ),
            cluster.start_mailbox,
        ),
        "lose-primary": Fault(
            "lose the primary for good (immediate stop, never started again); promote the "
            "replica, point both hosts at it one at a time (replication made synchronous first)",
            lambda: cluster_failover.lose_primary(cluster),
            lambda: cluster_failover.promote_and_repoint(cluster),
            prepare=cluster.pair.replicate_synchronously,
        ),
    }


from bench.cluster import BALANCER_PORT  # noqa: E402

FAULTS = (
    "kill-host",
    "restart-primary",
    "stop-replica",
    "stop-store",
    "stop-smtp",
    "lose-primary",  # always last: afterwards there is no replica
)


def run_one(cluster, name: str, fault: Fault, duration: float, accounts, slugs, visitors: int):
    cluster.run = f"{name}-{uuid.uuid4().hex[:6]}"
    cluster.queued_subjects = []
    cluster.failover = None
    if fault.prepare is not None:
        fault.prepare()
    unreferenced_before = unreferenced_objects(cluster.database_url)
    load = Load(BALANCER_PORT, accounts, slugs, cluster.run)
    cluster.load_log = load.log
    threads = [threading.Thread(target=load.visitor) for _ in range(visitors)] + [
        threading.Thread(target=load.owner, args=(n, account)) for n, account in enumerate(accounts)
    ]
    for thread in threads:
        thread.start()
    time.sleep(duration / 4)
    fault_at = time.monotonic() - load.started
    fault.inject()
    time.sleep(duration / 4)
    fault.heal()
    healed_at = time.monotonic() - load.started
    # At least a quarter after the heal, even when healing took long (a failover's restarts).
    time.sleep(max(duration / 4, duration - healed_at))
    load.stop.set()
    for thread in threads:
        thread.join(timeout=90)
    row = summarise(name, load.log, fault_at, healed_at)
    row["writes"] = check_writes(cluster.database_url, load.log, unreferenced_before)
    if cluster.queued_subjects:
        mailbox = Path(cluster.work) / "mailbox.jsonl"
        row["emails"] = check_emails(cluster.database_url, mailbox, cluster.queued_subjects, 90)
    if cluster.failover:
        writes = cluster_failover.writes_after(load.log, healed_at)
        row["failover"] = {**cluster.failover, "writes after": writes}
    cluster.wait_ready(2, timeout=120)
    return row


def summarise(name: str, log: RunLog, fault_at: float, healed_at: float) -> dict:
    phases = {"before": [], "during": [], "after": []}
    failures = Counter()
    for sample in log.samples:
        phase = "before" if sample.at < fault_at else "during" if sample.at < healed_at else "after"
        phases[phase].append(sample.seconds)
        if sample.outcome != "ok":
            failures[f"{sample.kind}: {sample.outcome}"] += 1
    return {
        "fault": name,
        "requests": len(log.samples),
        "failures": dict(failures.most_common()),
        "latency": {
            phase: (percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000)
            for phase, values in phases.items()
        },
        "window": (fault_at, healed_at),
    }


def run_faults(cluster, names, duration: float, owners: int, visitors: int) -> int:
    if "lose-primary" in names[:-1]:
        names = [name for name in names if name != "lose-primary"] + ["lose-primary"]
        print("lose-primary runs last: after it there is no replica to fail over to.")
    print("Adding organisations, owners and their returns...", flush=True)
    accounts = build_data(cluster.database_url, owners, 400)
    slugs = [f"bench-organisation-{n}" for n in range(owners + 400)]
    cluster.pair.wait_replayed()
    faults = faults_for(cluster)
    print(f"Workers' memory (MiB) before the runs: {cluster.worker_memory()}", flush=True)
    rows = []
    for name in names:
        print(f"\n{name}: {faults[name].describe}; {duration:g} s of load", flush=True)
        row = run_one(cluster, name, faults[name], duration, accounts, slugs, visitors)
        print(json.dumps(row, indent=2), flush=True)
        rows.append(row)
    print(f"Workers' memory (MiB) after the runs: {cluster.worker_memory()}", flush=True)
    print("\n" + table(rows))
    bad = sum(row["writes"].get("lost", 0) + row["writes"].get("doubled", 0) for row in rows)
    server_errors = sum(
        count
        for row in rows
        for kind, count in row["failures"].items()
        if kind.rsplit(": ", 1)[1] in ("500", "502", "504")
    )
    print(f"\nlost or doubled writes: {bad}; 500/502/504 answers: {server_errors}")
    return 1 if bad else 0


def table(rows: list[dict]) -> str:
    lines = [
        "| fault | requests | failures by kind | lost | doubled | told failed, yet saved "
        "| half stored | p50 / p99 ms before | during | after |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for row in rows:
        writes = row["writes"]
        failures = "; ".join(f"{k} {v}" for k, v in row["failures"].items()) or "none"
        if "emails" in row:
            e = row["emails"]
            failures += (
                f"; emails queued while down {e['queued']}: {e['sent once']} delivered once, "
                f"{e['never arrived']} never, {e['arrived twice or more']} twice or more"
            )
        if "failover" in row:
            failures += "; " + cluster_failover.describe(row["failover"])
        latency = [f"{p50:.0f} / {p99:.0f}" for p50, p99 in row["latency"].values()]
        lines.append(
            f"| {row['fault']} | {row['requests']} | {failures} | {writes.get('lost', 0)} "
            f"| {writes.get('doubled', 0)} | {writes.get('told failed, yet saved', 0)} "
            f"| {writes.get('half stored', 0)} | {' | '.join(latency)} |"
        )
    return "\n".join(lines)
