"""The harness itself, checked against real nodes and from the server's side.

Topology facts come from the nodes' own logs ("Topology snapshot ... servers=N"), not
from a client, so these tests hold even before the client exists.  Process facts are
checked by pid with the operating system.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ignite_wire.testing import (
    HarnessError,
    IgniteCluster,
    TlsFiles,
    probe_thin_client,
)
from ignite_wire.testing.pytest_plugin import (
    AUTH_USERS,
    CLUSTER_BASE_PORT,
    NODE_BASE_PORT,
    PORT_OFFSET,
)

pytestmark = pytest.mark.server

#: Ports of the clusters these tests start themselves, shifted like the fixtures' ports
#: (``IGNITE_WIRE_PORT_OFFSET``) so that two runs on one machine do not collide.
BLOCKED_PORT = 10890 + PORT_OFFSET
CLI_PORT = 10850 + PORT_OFFSET
OWNER_PORT = 10860 + PORT_OFFSET
FACTORY_PORT = 10870 + PORT_OFFSET
SCOPED_PORT = 10880 + PORT_OFFSET


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (a zombie of ours counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        state = next(
            (line for line in status.read_text().splitlines() if line.startswith("State:")),
            "",
        )
        return "zombie" not in state
    return True


def wait_gone(pids: list[int], timeout: float = 30.0) -> list[int]:
    """Wait until none of ``pids`` runs; return those still alive at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if pid_alive(pid)]
        if not alive:
            return []
        time.sleep(0.1)
    return [pid for pid in pids if pid_alive(pid)]


def plaintext_handshake(host: str, port: int) -> bytes:
    """Send a plain TCP handshake and return whatever comes back before the close."""
    body = struct.pack("<bhhhb", 1, 1, 7, 0, 2) + b"\x0c" + struct.pack("<i", 0)
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(struct.pack("<i", len(body)) + body)
        received = b""
        try:
            while chunk := s.recv(4096):
                received += chunk
        except OSError:
            pass
        return received


def harness_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")]
    )
    return env


# -- one node and three nodes ---------------------------------------------------------------


def test_single_node_forms_a_topology_and_accepts_clients(ignite_node: IgniteCluster) -> None:
    (node,) = ignite_node.running_nodes()
    assert node.endpoint == ("127.0.0.1", NODE_BASE_PORT)
    assert node.topology_servers() == 1
    assert "Topology snapshot [ver=1" in node.log()
    probe_thin_client(*node.endpoint)
    assert ignite_node.version in {"2.18.0", "2.17.0"} or os.environ.get(
        "IGNITE_WIRE_SERVER_VERSION"
    )


def test_three_nodes_form_one_topology(ignite_cluster: IgniteCluster) -> None:
    nodes = ignite_cluster.running_nodes()
    assert [n.port for n in nodes] == [CLUSTER_BASE_PORT + i for i in range(3)]
    for node in nodes:
        assert node.topology_servers() == 3, node.log_tail()
        probe_thin_client(*node.endpoint)
    assert len({n.node_id for n in nodes}) == 3


def test_kill_then_restart_brings_a_node_back(ignite_cluster: IgniteCluster) -> None:
    victim = ignite_cluster.node(2)
    pid = victim.pid
    assert pid is not None
    assert pid_alive(pid)

    ignite_cluster.kill(2)
    assert not pid_alive(pid)
    ignite_cluster.await_topology(2, timeout=60)
    for node in ignite_cluster.running_nodes():
        assert node.topology_servers() == 2
    with pytest.raises(ConnectionRefusedError):
        probe_thin_client(*victim.endpoint, timeout=2)

    ignite_cluster.restart(2)
    assert victim.pid != pid
    assert victim.pid is not None
    assert pid_alive(victim.pid)
    for node in ignite_cluster.running_nodes():
        assert node.topology_servers() == 3, node.log_tail()
    probe_thin_client(*victim.endpoint)


def test_add_node_joins_the_topology(ignite_cluster: IgniteCluster) -> None:
    fourth = ignite_cluster.add_node()
    assert fourth.port == CLUSTER_BASE_PORT + 3
    for node in ignite_cluster.running_nodes():
        assert node.topology_servers() == 4
    probe_thin_client(*fourth.endpoint)


# -- SSL -------------------------------------------------------------------------------------


@pytest.mark.ssl
def test_ssl_node_refuses_plaintext_handshake(ignite_ssl_node: IgniteCluster) -> None:
    host, port = ignite_ssl_node.endpoints[0]
    answer = plaintext_handshake(host, port)
    # A TLS server answers a non-TLS hello with nothing, or with a TLS alert record
    # (content type 21); never with a thin-client handshake response.
    assert answer == b"" or answer[0] == 21, answer[:16]


@pytest.mark.ssl
def test_ssl_node_accepts_tls_with_client_certificate(
    ignite_ssl_node: IgniteCluster, ignite_tls: TlsFiles
) -> None:
    probe_thin_client(*ignite_ssl_node.endpoints[0], tls=ignite_tls)


def tls_handshake_without_certificate(host: str, port: int, ca_cert: Path) -> bytes:
    """A TLS connection that trusts the right CA but offers no client certificate."""
    context = ssl.create_default_context(cafile=str(ca_cert))
    with (
        socket.create_connection((host, port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls_sock,
    ):
        body = struct.pack("<bhhhb", 1, 1, 7, 0, 2) + b"\x0c" + struct.pack("<i", 0)
        tls_sock.sendall(struct.pack("<i", len(body)) + body)
        answer = tls_sock.recv(4)
        if not answer:
            raise ConnectionResetError("the node closed the connection")
        return answer


@pytest.mark.ssl
def test_ssl_node_rejects_a_client_without_certificate(
    ignite_ssl_node: IgniteCluster, ignite_tls: TlsFiles
) -> None:
    host, port = ignite_ssl_node.endpoints[0]
    with pytest.raises((ssl.SSLError, ConnectionError)):
        tls_handshake_without_certificate(host, port, ignite_tls.ca_cert)


# -- authentication --------------------------------------------------------------------------


@pytest.mark.auth
def test_auth_node_checks_credentials(ignite_auth_node: IgniteCluster) -> None:
    host, port = ignite_auth_node.endpoints[0]
    probe_thin_client(host, port, username="ignite", password="ignite")
    for user, password in AUTH_USERS.items():
        probe_thin_client(host, port, username=user, password=password)
    with pytest.raises(ConnectionRefusedError):
        probe_thin_client(host, port, username="ignite", password="wrong")
    with pytest.raises(ConnectionRefusedError):
        probe_thin_client(host, port)


# -- errors are loud -------------------------------------------------------------------------


def test_port_in_use_fails_loudly(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", BLOCKED_PORT))
        blocker.listen()
        cluster = IgniteCluster(1, base_port=BLOCKED_PORT, work_dir=tmp_path)
        with pytest.raises(HarnessError, match=rf"port {BLOCKED_PORT} .* in use"):
            cluster.start()
        assert cluster.pids() == []


def test_node_that_cannot_start_raises_with_its_log(tmp_path: Path) -> None:
    cluster = IgniteCluster(
        1, base_port=BLOCKED_PORT, work_dir=tmp_path, heap_mb=1, startup_timeout=60
    )
    with pytest.raises(HarnessError) as failure:
        cluster.start()
    message = str(failure.value)
    assert f"ignite-wire-{BLOCKED_PORT}-0" in message
    assert "Last lines of" in message
    assert cluster.pids() == []


# -- no JVM outlives its owner ---------------------------------------------------------------


def test_cli_up_status_down_leaves_no_process(tmp_path: Path) -> None:
    env = harness_env()
    env["IGNITE_WIRE_RUN_DIR"] = str(tmp_path)
    run = [sys.executable, "-m", "ignite_wire.testing"]
    up = subprocess.run(
        [*run, "up", "--nodes", "2", "--base-port", str(CLI_PORT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert up.returncode == 0, up.stderr
    summary = json.loads(up.stdout.strip().splitlines()[-1])
    pids = [node["pid"] for node in summary["nodes"]]
    try:
        assert [node["port"] for node in summary["nodes"]] == [CLI_PORT, CLI_PORT + 1]
        assert all(node["host"] == "127.0.0.1" for node in summary["nodes"])
        assert all(pid_alive(pid) for pid in pids)
        for node in summary["nodes"]:
            probe_thin_client(node["host"], node["port"])
            log = Path(node["log"]).read_text()
            assert "servers=2" in log

        status = subprocess.run(
            [*run, "status"], capture_output=True, text=True, env=env, timeout=60, check=True
        )
        listed = json.loads(status.stdout.strip().splitlines()[-1])["clusters"]
        mine = [c for c in listed if c["base_port"] == CLI_PORT]
        assert [n["running"] for n in mine[0]["nodes"]] == [True, True]

        again = subprocess.run(
            [*run, "up", "--base-port", str(CLI_PORT)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert again.returncode == 1
        assert "already recorded" in again.stderr
    finally:
        down = subprocess.run(
            [*run, "down", "--base-port", str(CLI_PORT)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert down.returncode == 0, down.stderr
    assert json.loads(down.stdout.strip().splitlines()[-1]) == {"stopped": 2}
    assert wait_gone(pids) == []


def _run_owner(script: str, tmp_path: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """Start a Python process that starts a cluster and prints the node pids."""
    owner = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=harness_env(),
        cwd=tmp_path,
    )
    assert owner.stdout is not None
    line = owner.stdout.readline()
    if not line.startswith("PIDS"):
        owner.kill()
        _, err = owner.communicate(timeout=30)
        pytest.fail(f"owner did not start its cluster: {line!r} {err[-3000:]}")
    pids = [int(p) for p in line.split()[1:]]
    assert pids
    assert all(pid_alive(pid) for pid in pids)
    return owner, pids


OWNER = """
    import sys, time
    from ignite_wire.testing import IgniteCluster
    cluster = IgniteCluster({nodes}, base_port={port}, work_dir="work")
    cluster.start()
    print("PIDS", *cluster.pids(), flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize(
    ("how", "sig"),
    [("ctrl-c", signal.SIGINT), ("sigterm", signal.SIGTERM), ("sigkill", signal.SIGKILL)],
    ids=["ctrl-c", "sigterm", "sigkill"],
)
def test_nodes_die_with_their_owner(how: str, sig: signal.Signals, tmp_path: Path) -> None:
    owner, pids = _run_owner(OWNER.format(nodes=2, port=OWNER_PORT), tmp_path)
    owner.send_signal(sig)
    owner.communicate(timeout=60)
    assert wait_gone(pids) == [], f"JVMs outlived their owner after {how}"


def test_no_process_outlives_a_failing_test_session(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids.txt"
    test_file = tmp_path / "test_inner.py"
    test_file.write_text(
        textwrap.dedent(
            f"""
            def test_fails(ignite_cluster_factory):
                cluster = ignite_cluster_factory(2, base_port={FACTORY_PORT})
                open({str(pid_file)!r}, "w").write(" ".join(map(str, cluster.pids())))
                assert False, "this test fails on purpose"
            """
        )
    )
    inner = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        capture_output=True,
        text=True,
        env=harness_env(),
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert inner.returncode == 1, inner.stdout[-3000:]
    assert "this test fails on purpose" in inner.stdout
    pids = [int(p) for p in pid_file.read_text().split()]
    assert len(pids) == 2
    assert wait_gone(pids) == []


def test_context_manager_stops_nodes_on_error(tmp_path: Path) -> None:
    pids: list[int] = []

    def use_cluster_and_fail() -> None:
        with IgniteCluster(1, base_port=SCOPED_PORT, work_dir=tmp_path) as cluster:
            pids.extend(cluster.pids())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        use_cluster_and_fail()
    assert pids
    assert wait_gone(pids) == []


def test_down_without_a_port_leaves_other_offsets_clusters_alone(tmp_path: Path) -> None:
    """A bare ``down`` stops only the cluster on this offset's base port: once, on a shared
    machine, it stopped every cluster recorded in the state file, other people's included.
    The record holds one foreign cluster (a pid that is not our node, so nothing is
    signalled even if it were chosen); ``down`` must keep it and say what is recorded."""
    env = harness_env()
    env["IGNITE_WIRE_RUN_DIR"] = str(tmp_path)
    env["IGNITE_WIRE_PORT_OFFSET"] = "700"
    record = {"11234": {"nodes": [{"pid": 999_999_999, "name": "ignite-wire-11234-0"}]}}
    (tmp_path / "clusters.json").write_text(json.dumps(record))
    run = [sys.executable, "-m", "ignite_wire.testing"]
    down = subprocess.run(
        [*run, "down"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert down.returncode == 0, down.stderr
    assert json.loads(down.stdout.strip().splitlines()[-1]) == {"stopped": 0}
    assert "nothing recorded on base port 11500" in down.stderr
    assert "11234" in down.stderr
    assert json.loads((tmp_path / "clusters.json").read_text()) == record

    everything = subprocess.run(
        [*run, "down", "--all"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert everything.returncode == 0, everything.stderr
    assert json.loads((tmp_path / "clusters.json").read_text()) == {}
