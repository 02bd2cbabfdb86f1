"""A PostgreSQL primary and its streaming replica, made from nothing in a temporary directory.

For the replica tests (tests/operations/test_replica_reads.py) and the reference deployment
(bench/cluster.py): ``initdb`` a primary that allows replication connections from loopback,
``pg_basebackup -R`` a copy of it, and start the copy as a hot standby on another port. Uses the
server binaries Debian's postgresql package installs (/usr/lib/postgresql/<version>/bin);
:func:`binaries` says whether they are there. PostgreSQL refuses to run as root, so as root every
server command runs as the ``postgres`` user, which owns the directory.

The servers are for throwaway data: ``fsync`` is off (a crash of the process loses nothing, a
crash of the machine would).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def binaries() -> Path | None:
    """The newest PostgreSQL server binaries on this machine, or None."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all((Path(folder) / name).exists() for name in SERVER_PROGRAMS):
            return Path(folder)
    return None


def missing_reason() -> str | None:
    """Why a primary and replica cannot be made here, or None if they can."""
    if binaries() is None:
        return "PostgreSQL server binaries not found (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the servers as"
    if shutil.which("psql") is None:
        return "psql not found (apt-get install postgresql-client)"
    return None


class PostgresPair:
    def __init__(self, primary_port: int = 5433, replica_port: int = 5434, root: str | None = None):
        self.primary_port = primary_port
        self.replica_port = replica_port
        self.bin = binaries()
        if self.bin is None:
            raise RuntimeError(missing_reason())
        self.root = Path(root or tempfile.mkdtemp(prefix="charter-pg-"))
        self.primary_dir = self.root / "primary"
        self.replica_dir = self.root / "replica"
        self.as_postgres = os.geteuid() == 0

    # --- running commands ---------------------------------------------------------------

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result

    def url(self, port: int, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"

    def primary_url(self, database: str = "postgres") -> str:
        return self.url(self.primary_port, database)

    def replica_url(self, database: str = "postgres") -> str:
        return self.url(self.replica_port, database)

    def psql(self, port: int, sql: str, database: str = "postgres") -> str:
        connection = ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database]
        result = subprocess.run(
            ["psql", "-X", "-qAt", *connection, "-c", sql],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout.strip()

    # --- making and starting ------------------------------------------------------------

    def start(self) -> PostgresPair:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.primary_dir), "-U", "postgres", "--auth=trust")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.root}'",
            "wal_level": "replica",
            "max_wal_senders": "5",
            "max_connections": "200",
            "hot_standby": "on",
            # The replica tells the primary which rows its queries still read, so VACUUM on the
            # primary does not cancel them ("conflict with recovery").
            "hot_standby_feedback": "on",
            "fsync": "off",
            "full_page_writes": "off",
            "shared_buffers": "64MB",
            "wal_sender_timeout": "5s",
            "wal_receiver_status_interval": "1s",
        }
        with open(self.primary_dir / "postgresql.conf", "a") as conf:
            conf.write("".join(f"{key} = {value}\n" for key, value in settings.items()))
        with open(self.primary_dir / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self.start_primary()
        self._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(self.replica_dir),
            "-R",
            "-X",
            "stream",
        )
        with open(self.replica_dir / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {self.replica_port}\n")
        self.start_replica()
        return self

    def _pg_ctl(self, data: Path, action: str, mode: str = "fast") -> None:
        args = ["pg_ctl", "-D", str(data), "-w", "-t", "60", "-l", str(data / "server.log")]
        if action == "stop":
            args += ["-m", mode]
        if action in ("start", "restart"):
            args += ["-o", f"-p {self._port_of(data)}"]
        self._run(*args, action)

    def _port_of(self, data: Path) -> int:
        return self.primary_port if data == self.primary_dir else self.replica_port

    def start_primary(self) -> None:
        self._pg_ctl(self.primary_dir, "start")

    def stop_primary(self, mode: str = "fast") -> None:
        self._pg_ctl(self.primary_dir, "stop", mode)

    def start_replica(self) -> None:
        self._pg_ctl(self.replica_dir, "start")

    def stop_replica(self, mode: str = "fast") -> None:
        self._pg_ctl(self.replica_dir, "stop", mode)

    def running(self, data: Path) -> bool:
        return self._run("pg_ctl", "-D", str(data), "status", check=False).returncode == 0

    def stop(self) -> None:
        """Stop both servers and remove the directory."""
        for data in (self.replica_dir, self.primary_dir):
            if data.exists() and self.running(data):
                self._pg_ctl(data, "stop", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # --- replication --------------------------------------------------------------------

    def create_database(self, name: str) -> None:
        self.psql(self.primary_port, f'CREATE DATABASE "{name}"')
        self.wait_replayed()

    def wait_replayed(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        target = self.psql(self.primary_port, "SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replayed = self.psql(
                self.replica_port,
                f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn",
            )
            if replayed == "t":
                return
            time.sleep(0.05)
        raise TimeoutError(f"the replica did not replay up to {target} in {timeout} s")

    def pause_replay(self) -> None:
        self.psql(self.replica_port, "SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.psql(self.replica_port, "SELECT pg_wal_replay_resume()")

    # --- failover -----------------------------------------------------------------------

    def replicate_synchronously(self) -> None:
        """Make every commit on the primary wait until the replica has it on disk
        (``synchronous_standby_names``), so a commit the app acknowledged survives the loss of
        the primary. Set by ALTER SYSTEM on the primary alone: the replica, once promoted,
        has no standby to wait for."""
        self.psql(self.primary_port, "ALTER SYSTEM SET synchronous_standby_names = '*'")
        self.psql(self.primary_port, "SELECT pg_reload_conf()")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            state = self.psql(self.primary_port, "SELECT sync_state FROM pg_stat_replication")
            if state == "sync":
                return
            time.sleep(0.1)
        raise TimeoutError(f"the replica did not become synchronous (state {state!r})")

    def lose_primary(self) -> None:
        """The primary gone for good: stopped at once, with no shutdown checkpoint and no
        goodbye to the replica (as a machine that dies), and never started again."""
        self.stop_primary("immediate")

    def promote_replica(self) -> None:
        """Make the replica the primary (``pg_ctl promote``, waiting until it takes writes)."""
        self._run("pg_ctl", "-D", str(self.replica_dir), "-w", "-t", "60", "promote")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.psql(self.replica_port, "SELECT pg_is_in_recovery()") == "f":
                return
            time.sleep(0.1)
        raise TimeoutError("the replica was promoted but is still in recovery")
