"""One Ignite server node of a harness cluster: its ports, its JVM command, its process.

Everything about ports is derived from one number, the cluster's ``base_port`` (the first
node's thin-client port), so that clusters started side by side (the test suite runs a
single node, a three-node cluster, an SSL node and an authenticated node at once) never
see each other:

* thin-client port of node *i*: ``base_port + i``
* discovery port of node *i*: ``DISCOVERY_BASE + (base_port - 10800) + i``, and the
  static IP finder lists exactly this cluster's :data:`MAX_NODES` discovery ports
* communication port of node *i*: ``COMMUNICATION_BASE + (base_port - 10800) + i``

so two clusters whose base ports are at least :data:`MAX_NODES` apart are disjoint.  The
three ranges are :data:`PORT_SPAN` wide and do not overlap one another (Ignite's own
defaults, 47500 and 47100, are only 400 apart, so shifted clusters collided), and they
sit below Linux's ephemeral port range.  A node is ready when the launcher has printed
its READY line *and* it accepts a thin-client handshake; a node that fails says why,
with the tail of its log.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._artifacts import LAUNCHER_CLASS
from ._errors import HarnessError
from ._probe import probe_thin_client

if TYPE_CHECKING:
    from ._cluster import IgniteCluster

__all__ = [
    "COMMUNICATION_BASE",
    "DISCOVERY_BASE",
    "MAX_NODES",
    "PORT_SPAN",
    "PROFILES",
    "IgniteNode",
    "NodeInfo",
]

#: The most nodes one cluster can have (the size of its discovery port range).
MAX_NODES = 10

_READY = re.compile(r"^IGNITE_WIRE_READY servers=(\d+) node=(\S+)", re.MULTILINE)
_STARTED = re.compile(r"^IGNITE_WIRE_STARTED node=(\S+)", re.MULTILINE)
_FAILED = "IGNITE_WIRE_FAILED"
_TOPOLOGY = re.compile(r"Topology snapshot \[ver=(\d+),.*?servers=(\d+)")
#: Width of each port range: base ports 10800 .. 10800 + PORT_SPAN - MAX_NODES are usable.
PORT_SPAN = 4000
DISCOVERY_BASE = 20000
COMMUNICATION_BASE = DISCOVERY_BASE + PORT_SPAN

_JVM_OPTIONS = (
    "--add-opens=java.base/jdk.internal.access=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "--add-opens=java.management/com.sun.jmx.mbeanserver=ALL-UNNAMED",
    "--add-opens=jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED",
    "--add-opens=java.base/sun.reflect.generics.reflectiveObjects=ALL-UNNAMED",
    "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.math=ALL-UNNAMED",
    "--add-opens=java.sql/java.sql=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.time=ALL-UNNAMED",
    "--add-opens=java.base/java.text=ALL-UNNAMED",
    "--add-opens=java.management/sun.management=ALL-UNNAMED",
    "--add-opens=java.desktop/java.awt.font=ALL-UNNAMED",
    "-Djava.net.preferIPv4Stack=true",
    "-DIGNITE_UPDATE_NOTIFIER=false",
    "-DIGNITE_QUIET=true",
    "-DIGNITE_NO_ASCII=true",
    "-DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true",
    "-Xss1m",
)

#: JVM options per profile.  ``test`` (the default) starts fast and stays small: C1-only
#: JIT, serial GC.  ``production`` is what a benchmark needs: the full tiered JIT, the
#: JVM's default GC, and Ignite's default thread pools (the launcher's ``--default-pools``),
#: because a C1-only server inflates the server's cost per operation for every client.
PROFILES: dict[str, tuple[str, ...]] = {
    "test": ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
    "production": (),
}


@dataclass(frozen=True)
class NodeInfo:
    """What a client needs to reach a node, and where to look when it misbehaves."""

    index: int
    name: str
    host: str
    port: int
    pid: int | None
    log_path: str

    def as_dict(self) -> dict[str, object]:
        """The node as plain JSON data (the CLI prints this)."""
        return {
            "index": self.index,
            "name": self.name,
            "host": self.host,
            "port": self.port,
            "pid": self.pid,
            "log": self.log_path,
        }


class IgniteNode:
    """One server node: its ports, its folder, and the JVM process while it runs."""

    def __init__(self, cluster: IgniteCluster, index: int) -> None:
        self.cluster = cluster
        self.index = index
        self.name = f"{cluster.name}-{index}"
        offset = cluster.base_port - 10800
        self.host = "127.0.0.1"
        self.port = cluster.base_port + index
        self.discovery_port = DISCOVERY_BASE + offset + index
        self.communication_port = COMMUNICATION_BASE + offset + index
        self.work_dir = cluster.work_dir / f"node-{index}"
        self.log_path = cluster.work_dir / f"node-{index}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.node_id: str | None = None
        self._log_offset = 0

    def __repr__(self) -> str:
        state = f"pid={self.pid}" if self.is_running() else "stopped"
        return f"<IgniteNode {self.name} {self.host}:{self.port} {state}>"

    @property
    def pid(self) -> int | None:
        """The JVM's process id while it runs."""
        return self.process.pid if self.process is not None else None

    @property
    def endpoint(self) -> tuple[str, int]:
        """``(host, port)`` of the thin-client connector."""
        return self.host, self.port

    def info(self) -> NodeInfo:
        """A snapshot of how to reach this node."""
        return NodeInfo(self.index, self.name, self.host, self.port, self.pid, str(self.log_path))

    def is_running(self) -> bool:
        """Whether the JVM process is alive."""
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """The whole log of this node (all its runs), as text."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        """The last lines of the log, for error messages."""
        return "\n".join(self.log().splitlines()[-lines:])

    def current_log(self) -> str:
        """The log written since the node was last started."""
        try:
            with self.log_path.open("rb") as f:
                f.seek(self._log_offset)
                return f.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def topology_servers(self) -> int | None:
        """Server count in the newest "Topology snapshot" this run of the node has logged."""
        snapshots = _TOPOLOGY.findall(self.current_log())
        if not snapshots:
            return None
        return int(max(snapshots, key=lambda s: int(s[0]))[1])

    def _command(self, expect_servers: int) -> list[str]:
        c = self.cluster
        artifacts = c.artifacts
        first = DISCOVERY_BASE + (c.base_port - 10800)
        discovery = ",".join(f"127.0.0.1:{p}" for p in range(first, first + MAX_NODES))
        command = [
            str(artifacts.java),
            f"-Xms{c.heap_mb}m",
            f"-Xmx{c.heap_mb}m",
            *_JVM_OPTIONS,
            *PROFILES[c.profile],
            f"-DIGNITE_HOME={self.work_dir}",
            "-Duser.timezone=UTC",  # SQL shows DATE/TIME values the same on any machine
            "-cp",
            artifacts.classpath,
            LAUNCHER_CLASS,
            "--name",
            self.name,
            "--client-port",
            str(self.port),
            "--discovery-port",
            str(self.discovery_port),
            "--communication-port",
            str(self.communication_port),
            "--discovery-addresses",
            discovery,
            "--work-dir",
            str(self.work_dir),
            "--region-mb",
            str(c.region_mb),
            "--expect-servers",
            str(expect_servers),
            "--failure-detection-ms",
            str(c.failure_detection_ms),
        ]
        if not c.detached:
            command.append("--watch-stdin")
        if c.profile == "production":
            command.append("--default-pools")
        if c.auth:
            command += ["--auth", "--activate"]
        elif c.persistence:
            command += ["--persistence", "--activate"]
        if c.partitions is not None:
            command += ["--partitions", str(c.partitions)]
        if c.tls is not None:
            command += [
                "--ssl-cert",
                str(c.tls.server_cert),
                "--ssl-key",
                str(c.tls.server_key),
                "--ssl-ca",
                str(c.tls.ca_cert),
            ]
            if c.ssl_client_auth:
                command.append("--ssl-client-auth")
        if c.users_file is not None:
            command += ["--users-file", str(c.users_file)]
        if c.regions_file is not None:
            command += ["--regions-file", str(c.regions_file)]
        return command

    def _launch(self, expect_servers: int) -> None:
        if self.is_running():
            raise HarnessError(f"{self.name} is already running (pid {self.pid})")
        _check_ports_free(self)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.node_id = None
        with self.log_path.open("ab") as log:
            log.write(f"\n===== ignite_wire harness: starting {self.name} =====\n".encode())
            log.flush()
            self._log_offset = log.tell()
            self.process = subprocess.Popen(
                self._command(expect_servers),
                stdin=subprocess.DEVNULL if self.cluster.detached else subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.work_dir,
                start_new_session=True,
            )

    def _await_ready(self, deadline: float) -> None:
        """Wait for the launcher's READY line, then for a thin-client handshake."""
        while True:
            text = self.current_log()
            ready = _READY.search(text)
            if ready:
                self.node_id = ready.group(2)
                break
            if _FAILED in text:
                self._fail("reported a failed start")
            if self.process is not None and self.process.poll() is not None:
                self._fail(f"exited with code {self.process.returncode} before it was ready")
            if time.monotonic() > deadline:
                self._fail("did not become ready in time")
            time.sleep(0.05)
        c = self.cluster
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                probe_thin_client(
                    self.host,
                    self.port,
                    tls=c.tls,
                    username="ignite" if c.auth else None,
                    password="ignite" if c.auth else None,
                )
                return
            except OSError as e:
                last_error = e
                time.sleep(0.1)
        self._fail(f"accepts no thin-client handshake ({last_error})")

    def _fail(self, what: str) -> None:
        tail = self.log_tail()
        self._signal(signal.SIGKILL)
        raise HarnessError(
            f"Ignite node {self.name} ({self.host}:{self.port}) {what}.\n"
            f"Last lines of {self.log_path}:\n{tail}"
        )

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, sig)

    def _reap(self, timeout: float) -> None:
        """Wait for the process to end; SIGKILL it if it takes longer than ``timeout``."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.process.wait(10)
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()


def _check_ports_free(node: IgniteNode) -> None:
    """Fail early, and say why, when another process holds one of the node's ports."""
    for port, what in (
        (node.port, "thin-client"),
        (node.discovery_port, "discovery"),
        (node.communication_port, "communication"),
    ):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((node.host, port))
            except OSError as e:
                raise HarnessError(
                    f"cannot start {node.name}: {what} port {port} on {node.host} is in use "
                    f"({e.strerror}); is another cluster running?  "
                    "`python -m ignite_wire.testing status` lists the ones it started"
                ) from None
