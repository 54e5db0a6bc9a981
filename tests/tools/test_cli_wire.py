"""``python -m ignite_wire`` against real nodes: ping, caches, sql (table, CSV, JSON),
describe, TLS and credentials options, and the exit codes scripts rely on."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ignite_wire import Client, GenericObjectMeta
from ignite_wire.datatypes import IntObject, String
from ignite_wire.testing import IgniteCluster, TlsFiles
from ignite_wire.testing.pytest_plugin import AUTH_USERS

TIMEOUT = 120


def cli(
    *args: str, env: dict[str, str] | None = None, script: bool = False
) -> subprocess.CompletedProcess[str]:
    command = (
        [str(Path(sys.executable).parent / "ignite-wire")]
        if script
        else [sys.executable, "-m", "ignite_wire"]
    )
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
        check=False,
    )


def node_args(cluster: IgniteCluster) -> list[str]:
    return [a for h, p in cluster.endpoints for a in ("-n", f"{h}:{p}")]


@pytest.fixture(scope="module")
def city(ignite_node: IgniteCluster) -> str:
    client = Client()
    client.connect(*ignite_node.node(0).endpoint)
    with client:
        client.sql("DROP TABLE IF EXISTS CLI_CITY")
        client.sql(
            "CREATE TABLE CLI_CITY (id INT PRIMARY KEY, name VARCHAR, note VARCHAR, "
            'population BIGINT) WITH "CACHE_NAME=cli_city,BACKUPS=1"'
        )
        rows = [(1, "Zürich", "has, comma", 421_878), (2, 'Say "hi"', None, 5), (3, "", "", 0)]
        for row in rows:
            client.sql("INSERT INTO CLI_CITY VALUES (?, ?, ?, ?)", query_args=list(row))
    return "CLI_CITY"


def test_ping_each_node(ignite_cluster: IgniteCluster) -> None:
    out = cli(*node_args(ignite_cluster), "--format", "json", "ping")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["NODE"] for r in rows] == [f"{h}:{p}" for h, p in ignite_cluster.endpoints]
    assert {r["STATUS"] for r in rows} == {"ok"}
    assert len({r["NODE_ID"] for r in rows}) == 3  # three distinct nodes answered
    version = ignite_cluster.version
    assert all(r["IGNITE"].startswith(version) for r in rows)
    assert all(r["PROTOCOL"] == "1.7.0" for r in rows)
    assert all(0 < r["RTT_MS"] < 5000 and 0 < r["CONNECT_MS"] < 30000 for r in rows)


def test_ping_reports_a_dead_node_and_fails(ignite_node: IgniteCluster) -> None:
    out = cli(*node_args(ignite_node), "-n", "127.0.0.1:1", "--timeout", "3", "ping")
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[2].split()[1] == "ok"
    assert lines[3].startswith("127.0.0.1:1")
    assert "error:" in lines[3]


def test_caches(ignite_node: IgniteCluster, city: str) -> None:
    out = cli(*node_args(ignite_node), "--format", "json", "caches")
    assert out.returncode == 0, out.stderr
    rows = {r["NAME"]: r for r in json.loads(out.stdout)}
    assert rows["cli_city"] == {
        "NAME": "cli_city",
        "MODE": "PARTITIONED",
        "ATOMICITY": "ATOMIC",
        "BACKUPS": 1,
        "SIZE": 3,
    }
    table = cli(*node_args(ignite_node), "caches").stdout
    assert table.splitlines()[0].split() == ["NAME", "MODE", "ATOMICITY", "BACKUPS", "SIZE"]


def test_sql_as_table_csv_and_json(ignite_node: IgniteCluster, city: str) -> None:
    base = [*node_args(ignite_node), "sql", f"SELECT * FROM {city} WHERE id <= ? ORDER BY id"]
    table = cli(*base, "--arg", "3")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "NOTE", "POPULATION"]
    assert lines[-1] == "(3 rows)"
    assert "NULL" in lines[3]  # a null differs from the empty string in the table
    as_csv = cli(*base, "--arg", "3", "--format", "csv")
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["ID", "NAME", "NOTE", "POPULATION"],
        ["1", "Zürich", "has, comma", "421878"],
        ["2", 'Say "hi"', "", "5"],
        ["3", "", "", "0"],
    ]
    as_json = cli(*base, "--arg", "2", "--format", "json")
    assert json.loads(as_json.stdout) == [
        {"ID": 1, "NAME": "Zürich", "NOTE": "has, comma", "POPULATION": 421878},
        {"ID": 2, "NAME": 'Say "hi"', "NOTE": None, "POPULATION": 5},
    ]
    # DML prints its update count; the change is real.
    update = cli(*node_args(ignite_node), "sql", f"UPDATE {city} SET population = 6 WHERE id = 2")
    assert update.returncode == 0, update.stderr
    assert update.stdout.splitlines()[2].strip() == "1"
    check = cli(
        *node_args(ignite_node),
        "--format",
        "csv",
        "sql",
        f"SELECT population FROM {city} WHERE id = 2",
    )
    assert check.stdout.splitlines() == ["POPULATION", "6"]


def test_sql_errors_exit_1_with_the_servers_reason(ignite_node: IgniteCluster) -> None:
    out = cli(*node_args(ignite_node), "sql", "SELEC 1")
    assert out.returncode == 1
    assert out.stdout == ""
    assert "SQLError" in out.stderr
    assert "op=QUERY_SQL_FIELDS" in out.stderr
    assert f"node=127.0.0.1:{ignite_node.node(0).endpoint[1]}" in out.stderr


def test_unreachable_cluster_and_bad_usage(ignite_node: IgniteCluster) -> None:
    out = cli("-n", "127.0.0.1:1", "--timeout", "3", "caches")
    assert out.returncode == 1
    assert "ReconnectError" in out.stderr
    assert cli("-n", "nohost:notaport", "caches").returncode == 2
    assert cli("frobnicate").returncode == 2


class CliPerson(
    metaclass=GenericObjectMeta, type_name="cli.Person", schema={"id": IntObject, "name": String}
):  # type: ignore[call-arg]
    pass


def test_describe_tables_columns_and_types(ignite_node: IgniteCluster, city: str) -> None:
    client = Client()
    client.connect(*ignite_node.node(0).endpoint)
    with client:
        client.register_binary_type(CliPerson)
    tables = cli(*node_args(ignite_node), "--format", "json", "describe")
    assert tables.returncode == 0, tables.stderr
    found = [t for t in json.loads(tables.stdout) if t["TABLE_NAME"] == city]
    assert found[0]["CACHE_NAME"] == "cli_city"
    assert found[0]["SCHEMA_NAME"] == "PUBLIC"
    columns = cli(*node_args(ignite_node), "--format", "json", "describe", "public.cli_city")
    assert columns.returncode == 0, columns.stderr
    described = [(c["COLUMN_NAME"], c["TYPE"], c["PK"]) for c in json.loads(columns.stdout)]
    assert described == [
        ("ID", "java.lang.Integer", True),
        ("NAME", "java.lang.String", False),
        ("NOTE", "java.lang.String", False),
        ("POPULATION", "java.lang.Long", False),
    ]
    fields = cli(*node_args(ignite_node), "--format", "csv", "describe", "--type", "cli.Person")
    assert fields.stdout.splitlines() == [
        "FIELD,TYPE,AFFINITY_KEY",
        "id,INT,false",
        "name,STRING,false",
    ]
    missing = cli(*node_args(ignite_node), "describe", "NO_SUCH_TABLE")
    assert missing.returncode == 3
    assert "NO_SUCH_TABLE" in missing.stderr
    assert cli(*node_args(ignite_node), "describe", "--type", "no.such.Type").returncode == 3


def test_tls_options(ignite_ssl_node: IgniteCluster, ignite_tls: TlsFiles) -> None:
    tls = [
        "--ssl-keyfile",
        str(ignite_tls.client_key),
        "--ssl-certfile",
        str(ignite_tls.client_cert),
        "--ssl-ca-certfile",
        str(ignite_tls.ca_cert),
    ]
    out = cli(*node_args(ignite_ssl_node), *tls, "--format", "csv", "sql", "SELECT 40 + 2")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1] == "42"
    plain = cli(*node_args(ignite_ssl_node), "--timeout", "5", "sql", "SELECT 1")
    assert plain.returncode == 1  # without TLS the node does not answer


def test_credentials_from_the_environment_never_echoed(ignite_auth_node: IgniteCluster) -> None:
    (user, password), *_ = AUTH_USERS.items()
    env: dict[str, Any] = {"IGNITE_WIRE_PASSWORD": password}
    ok = cli(*node_args(ignite_auth_node), "--username", user, "ping", env=env, script=True)
    assert ok.returncode == 0, ok.stderr
    bad = cli(
        *node_args(ignite_auth_node),
        "--username",
        user,
        "caches",
        env={"IGNITE_WIRE_PASSWORD": password + "-wrong"},
    )
    assert bad.returncode == 1
    assert "AuthenticationError" in bad.stderr
    assert password not in bad.stderr + bad.stdout
