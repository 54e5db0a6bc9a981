"""The scripts in ``examples/`` run against real nodes, twice (they must be rerunnable).

Each example reads its node's address from the environment (``IGNITE_WIRE_HOST`` and
friends, as ``examples/run_with_node.py`` sets them); ``run_with_node.py`` itself is
tested for starting a node, passing its address on, and stopping it, on Ctrl-C too
(those tests start nodes without a fixture, so they carry the ``server`` marker by hand).
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ignite_wire.testing import IgniteCluster, TlsFiles
from ignite_wire.testing.pytest_plugin import PORT_OFFSET

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TIMEOUT = 120.0

#: Base port of the nodes that ``run_with_node.py`` starts in these tests (clear of the
#: fixtures' 10800-10899 plan: 10800, 10810, 10820, 10830 and 10840 upwards).
RUNNER_BASE_PORT = 10890 + PORT_OFFSET

CITY_LINES = {
    "3793 New York USA New York 8008278",
    "3794 Los Angeles USA California 3694820",
    "3795 Chicago USA Illinois 2896016",
    "3796 Houston USA Texas 1953631",
    "3797 Philadelphia USA Pennsylvania 1517550",
    "3798 Phoenix USA Arizona 1321045",
    "3799 San Diego USA California 1223400",
    "3800 Dallas USA Texas 1188580",
}


def node_env(cluster: IgniteCluster, **extra: object) -> dict[str, str]:
    host, port = cluster.node(0).endpoint
    env = {"IGNITE_WIRE_HOST": host, "IGNITE_WIRE_PORT": str(port)}
    env["IGNITE_WIRE_NODES"] = ",".join(f"{h}:{p}" for h, p in cluster.endpoints)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def tls_env(tls: TlsFiles) -> dict[str, str]:
    return {
        "IGNITE_WIRE_SSL_KEYFILE": str(tls.client_key),
        "IGNITE_WIRE_SSL_CERTFILE": str(tls.client_cert),
        "IGNITE_WIRE_SSL_CA_CERTFILE": str(tls.ca_cert),
    }


def run_example(name: str, env: dict[str, str], tmp_path: Path, times: int = 2) -> list[str]:
    """Run ``examples/<name>`` ``times`` times; the stdout lines of the last run."""
    lines: list[str] = []
    for _ in range(times):
        proc = subprocess.run(
            [sys.executable, "-u", str(EXAMPLES / name)],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=tmp_path,
            check=False,
        )
        assert proc.returncode == 0, f"{name} failed:\n{proc.stdout}\n{proc.stderr}"
        assert not proc.stderr.strip(), proc.stderr
        lines = proc.stdout.splitlines()
    return lines


def test_quickstart(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    out = "\n".join(run_example("quickstart.py", node_env(ignite_node), tmp_path))
    assert "get('my key') -> 42" in out
    assert "get('non-existent key') -> None" in out
    assert "-> {'one': 1, 'three': 3, 'two': 2}" in out


def test_key_value(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    lines = run_example("key_value.py", node_env(ignite_node), tmp_path)
    assert lines == ["42", "None", "{'my key': 42}"]


def test_type_hints(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    lines = run_example("type_hints.py", node_env(ignite_node), tmp_path)
    assert lines == ["1", "2", "None None"]


def test_scan(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    lines = run_example("scan.py", node_env(ignite_node), tmp_path)
    expected = {f"key_{v}": v for v in range(20)}
    assert {k: int(v) for k, v in (line.split(" ") for line in lines[:20])} == expected
    assert ast.literal_eval(lines[20]) == expected
    assert lines[21:] == ["20 entries scanned, 5 per page"]


def test_sql_city(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    lines = run_example("sql_city.py", node_env(ignite_node), tmp_path)
    assert set(lines[:-1]) == CITY_LINES
    assert len(lines) == len(CITY_LINES) + 1
    assert ast.literal_eval(lines[-1]) == ["ID", "NAME", "COUNTRYCODE", "DISTRICT", "POPULATION"]


def test_binary_object(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    lines = run_example("binary_object.py", node_env(ignite_node), tmp_path)
    assert lines[0] == "test"
    assert ast.literal_eval(lines[1]) == [
        {"type_name": "PersonKey", "affinity_key_field_name": "companyId"}
    ]


def test_orm_service(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    lines = run_example("orm_service.py", node_env(ignite_node), tmp_path)
    assert lines[:5] == [
        "create_all:",
        "    Company: create_cache: cache 'shop_companies' with table Company",
        "    Person: create_cache: cache 'shop_people' with table Person",
        "    Product: create_cache: cache 'shop_products' with table Product",
        "    Order: create_cache: cache 'shop_orders' with table Orders",
    ]
    assert lines[5:] == [
        "create_all again: nothing to do",
        "loaded 2 companies, 3 people, 2 products",
        "get: Ada, born 1990-03-01, salary 5200.00, tags ['admin']",
        "get of a missing key: None",
        "scan: ['Ada', 'Bo', 'Cy']",
        "select age > 35: ['Bo']",
        "collocated join, staff of Acme: ['Ada', 'Bo']",
        "payroll: Acme: headcount 2, salaries 9300.50",
        "payroll: Globex: headcount 1, salaries 3900.00",
        "order 100: 2 x kb-1 = 99.80; kb-1 stock 8 (version 1)",
        "refused: ms-1: 3 left, 5 wanted; nothing written: 1 order(s), ms-1 stock 3 (version 0)",
        "orders of the last hour: [100]",
        "order 100 shipped (version 1)",
        "conflict: Product ('kb-1',) changed since it was loaded",
        "kb-1 now: price 49.90, stock 50",
        "plan for PersonV2:",
        "    PersonV2: add_column: email VARCHAR",
        "    PersonV2: create_index: person_email_idx",
        "plan after create_all: nothing to do",
        "an old row read as PersonV2: Bo, email None",
        "select email IS NOT NULL: [('Bo', 'bo@acme.example')]",
        "dropped the caches; bye",
    ]


@pytest.mark.cluster
def test_failover(ignite_cluster: IgniteCluster, tmp_path: Path) -> None:
    env = node_env(ignite_cluster, IGNITE_WIRE_FAILOVER_SECONDS=1)
    lines = run_example("failover.py", env, tmp_path)
    assert lines[0].startswith("Connected to ")
    assert lines[-1].startswith("Done: test_key = ")
    assert lines[-1].endswith(" after 1 s, 0 error(s)")
    assert int(lines[-1].split()[3]) > 0


@pytest.mark.ssl
def test_ssl(ignite_ssl_node: IgniteCluster, ignite_tls: TlsFiles, tmp_path: Path) -> None:
    lines = run_example("ssl_tls.py", node_env(ignite_ssl_node, **tls_env(ignite_tls)), tmp_path)
    assert lines[0].startswith("Connected over TLS: ")
    assert lines[1] == "sent encrypted"


@pytest.mark.auth
def test_auth_without_ssl(ignite_auth_node: IgniteCluster, tmp_path: Path) -> None:
    lines = run_example("auth.py", node_env(ignite_auth_node), tmp_path)
    assert lines[0].startswith("Authenticated as 'ignite' without SSL: ")
    assert lines[1] == "ignite"


@pytest.mark.ssl
@pytest.mark.auth
def test_auth_with_ssl(
    ignite_cluster_factory: Callable[..., IgniteCluster], ignite_tls: TlsFiles, tmp_path: Path
) -> None:
    node = ignite_cluster_factory(1, tls=ignite_tls, auth=True)
    lines = run_example("auth.py", node_env(node, **tls_env(ignite_tls)), tmp_path)
    assert lines[0].startswith("Authenticated as 'ignite' with SSL: ")


def test_examples_without_their_environment_say_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IGNITE_WIRE_")}
    for name in ("failover.py", "ssl_tls.py", "auth.py"):
        proc = subprocess.run(
            [sys.executable, str(EXAMPLES / name)],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=tmp_path,
            check=False,
        )
        assert proc.returncode == 1, name
        assert proc.stderr.startswith("set IGNITE_WIRE_"), proc.stderr


# -- run_with_node.py ------------------------------------------------------------------------


def port_is_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def runner(*args: str) -> list[str]:
    return [
        sys.executable,
        "-u",
        str(EXAMPLES / "run_with_node.py"),
        "--base-port",
        str(RUNNER_BASE_PORT),
        *args,
    ]


@pytest.mark.slow
@pytest.mark.server  # run_with_node.py starts a node (no fixture does)
def test_run_with_node_runs_the_quickstart_and_stops_the_node(tmp_path: Path) -> None:
    proc = subprocess.run(
        runner(str(EXAMPLES / "quickstart.py")),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert f"127.0.0.1:{RUNNER_BASE_PORT} (pid " in proc.stdout
    assert f"Connecting to 127.0.0.1:{RUNNER_BASE_PORT} ..." in proc.stdout
    assert "get('my key') -> 42" in proc.stdout
    assert proc.stdout.rstrip().endswith("Ignite node(s) stopped")
    assert port_is_free(RUNNER_BASE_PORT)


@pytest.mark.slow
@pytest.mark.server  # run_with_node.py starts a node (no fixture does)
def test_run_with_node_returns_the_scripts_failure(tmp_path: Path) -> None:
    script = tmp_path / "fails.py"
    script.write_text("import sys\nsys.exit(3)\n")
    proc = subprocess.run(
        runner(str(script)), capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 3, f"{proc.stdout}\n{proc.stderr}"
    assert port_is_free(RUNNER_BASE_PORT)


@pytest.mark.slow
@pytest.mark.server  # run_with_node.py starts a node (no fixture does)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_run_with_node_stops_the_node_when_interrupted(tmp_path: Path, sig: signal.Signals) -> None:
    """Ctrl-C (SIGINT to the whole foreground group) or SIGTERM while a script runs."""
    script = tmp_path / "waits.py"
    script.write_text(
        "import os, time\n"
        "print('script sees', os.environ['IGNITE_WIRE_HOST'], os.environ['IGNITE_WIRE_PORT'],"
        " flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        runner(str(script)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    pid = None
    try:
        deadline = time.monotonic() + 300
        for line in proc.stdout:
            lines.append(line)
            if " (pid " in line:
                pid = int(line.rsplit("(pid ", 1)[1].rstrip(")\n"))
            if line.startswith("script sees"):
                break
            assert time.monotonic() < deadline, "".join(lines)
        assert pid is not None, "".join(lines)
        assert pid_alive(pid), "".join(lines)
        assert lines[-1] == f"script sees 127.0.0.1 {RUNNER_BASE_PORT}\n"
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # what the terminal does on Ctrl-C
        else:
            proc.send_signal(sig)
        code = proc.wait(60)
        lines.extend(proc.stdout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        proc.stdout.close()
    assert code == 130, "".join(lines)
    assert "Ignite node(s) stopped\n" in lines
    assert not pid_alive(pid)
    assert port_is_free(RUNNER_BASE_PORT)
