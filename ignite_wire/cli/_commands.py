"""The commands of ``python -m ignite_wire``: each connects, asks, and returns a result.

A command returns ``(columns, rows)``; :mod:`.render` turns that into text and
``__init__`` decides the exit code.  Only the sync client's public API is used, plus the
SQL system views (``SYS.NODES``, ``SYS.TABLES``, ``SYS.TABLE_COLUMNS``) for what the
thin-client protocol does not say (the nodes' Ignite versions, tables and columns).
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import Client, monitoring
from .._protocol.hashing import type_id
from .._protocol.type_codes import TypeCode
from ..datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER,
    PROP_CACHE_ATOMICITY_MODE,
    PROP_CACHE_MODE,
)
from ..exceptions import IgniteError

__all__ = ["Result", "caches", "describe", "parse_node", "ping", "sql"]

Result = tuple[list[str], list[list[Any]]]


def parse_node(text: str) -> tuple[str, int]:
    """``host:port``, ``host`` (port 10800) or ``[v6]:port`` -> ``(host, port)``."""
    host, sep, port = text.rpartition(":")
    if not sep or "]" in port or (host.count(":") and not host.startswith("[")):
        host, port = text, "10800"
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not a node address (host:port): {text!r}")
    return host, int(port)


@dataclass
class _Handshakes(monitoring.ConnectionEventListener):
    """Records what each accepted handshake said (protocol version, node id)."""

    seen: dict[tuple[str, int], monitoring.HandshakeSuccessEvent] = field(default_factory=dict)

    def on_handshake_success(self, event: monitoring.HandshakeSuccessEvent) -> None:
        self.seen[(event.host, event.port)] = event


def _versions(client: Client) -> dict[uuid.UUID, str]:
    try:
        rows = client.sql("SELECT NODE_ID, VERSION FROM SYS.NODES")
        return {row[0]: str(row[1]) for row in rows}
    except IgniteError:
        return {}


def ping(nodes: Sequence[tuple[str, int]], options: dict[str, Any], count: int = 3) -> Result:
    """Each node on its own connection: reachable?  Node id, Ignite and protocol version,
    connect time and the median round trip of ``count`` cluster-state requests."""
    columns = ["NODE", "STATUS", "NODE_ID", "IGNITE", "PROTOCOL", "CONNECT_MS", "RTT_MS"]
    rows: list[list[Any]] = []
    for host, port in nodes:
        seen = _Handshakes()
        client = Client(
            partition_aware=False,
            cluster_discovery=False,
            heartbeat_interval=None,
            event_listeners=[seen],
            **options,
        )
        started = time.perf_counter()
        try:
            client.connect(host, port)
            connect_ms = (time.perf_counter() - started) * 1000
            trips = []
            cluster = client.get_cluster()
            for _ in range(count):
                t0 = time.perf_counter()
                cluster.get_state()
                trips.append((time.perf_counter() - t0) * 1000)
            event = seen.seen.get((host, port)) or next(iter(seen.seen.values()), None)
            node_id = event.node_uuid if event is not None else None
            proto = event.protocol_version if event is not None else None
            version = _versions(client).get(node_id) if node_id is not None else None
            rows.append(
                [
                    f"{host}:{port}",
                    "ok",
                    str(node_id) if node_id else None,
                    version,
                    ".".join(map(str, proto)) if proto else None,
                    round(connect_ms, 2),
                    round(statistics.median(trips), 2),
                ]
            )
        except IgniteError as exc:
            rows.append([f"{host}:{port}", f"error: {exc}", None, None, None, None, None])
        finally:
            client.close()
    return columns, rows


def caches(client: Client) -> Result:
    """Every cache: name, mode, atomicity, backups and size (all partitions, primary)."""
    columns = ["NAME", "MODE", "ATOMICITY", "BACKUPS", "SIZE"]
    rows: list[list[Any]] = []
    for name in sorted(client.get_cache_names()):
        cache = client.get_cache(name)
        settings = cache.settings
        rows.append(
            [
                name,
                settings.get(PROP_CACHE_MODE),
                settings.get(PROP_CACHE_ATOMICITY_MODE),
                settings.get(PROP_BACKUPS_NUMBER),
                cache.get_size(),
            ]
        )
    return columns, rows


def sql(client: Client, statement: str, args: Sequence[Any], schema: str, max_rows: int) -> Result:
    """The statement's column names and rows (DML: one row, ``UPDATED``)."""
    with client.sql(
        statement,
        query_args=list(args),
        schema=schema,
        include_field_names=True,
        max_rows=max_rows,
    ) as cursor:
        columns = [str(c) for c in next(cursor)]
        rows = [list(r) for r in cursor]
    return columns, rows


def _type_name(code: int) -> str:
    try:
        return TypeCode(code).name
    except ValueError:
        return str(code)


def _identifiers(name: str) -> list[str]:
    """``a.b`` -> ``["A", "B"]``, as SQL reads names: unquoted parts upper-cased, parts in
    double quotes kept as written (``""`` is a quote, a dot inside quotes is no separator)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = in_quotes = False
    i = 0
    while i < len(name):
        ch = name[i]
        if in_quotes:
            if ch == '"' and name[i + 1 : i + 2] == '"':
                current.append('"')
                i += 1
            elif ch == '"':
                in_quotes = False
            else:
                current.append(ch)
        elif ch == '"':
            in_quotes = quoted = True
        elif ch == ".":
            parts.append("".join(current) if quoted else "".join(current).upper())
            current, quoted = [], False
        else:
            current.append(ch)
        i += 1
    if in_quotes:
        raise ValueError(f"unbalanced quotes in {name!r}")
    parts.append("".join(current) if quoted else "".join(current).upper())
    return parts


def _split(name: str) -> tuple[str | None, str]:
    """``[SCHEMA.]TABLE`` -> ``(schema or None, table)`` as the server stores them."""
    parts = _identifiers(name)
    if len(parts) == 1:
        return None, parts[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    raise ValueError(f"not a [SCHEMA.]TABLE name: {name!r}")


def describe_type(client: Client, name: str) -> Result:
    """A binary type's fields and type codes (and affinity key, enum values)."""
    bt = client.get_binary_type(type_id(name))
    if bt is None:
        raise LookupError(f"the cluster has no binary type named {name!r}")
    rows: list[list[Any]] = [
        [f.name, _type_name(f.type_code), f.name == bt.affinity_key_field] for f in bt.fields
    ]
    rows.extend([value, "ENUM", False] for value, _ in bt.enum_values)
    return ["FIELD", "TYPE", "AFFINITY_KEY"], rows


def describe(client: Client, name: str | None) -> Result:
    """No name: every table.  ``TABLE`` or ``SCHEMA.TABLE``: its columns."""
    if name is None:
        return sql(
            client,
            "SELECT SCHEMA_NAME, TABLE_NAME, CACHE_NAME, KEY_TYPE_NAME, VALUE_TYPE_NAME "
            "FROM SYS.TABLES ORDER BY SCHEMA_NAME, TABLE_NAME",
            [],
            "SYS",
            -1,
        )
    schema, table = _split(name)
    where = "TABLE_NAME = ?" + (" AND SCHEMA_NAME = ?" if schema is not None else "")
    args = [table] if schema is None else [table, schema]
    columns, rows = sql(
        client,
        "SELECT SCHEMA_NAME, COLUMN_NAME, TYPE, NULLABLE, PK, AFFINITY_COLUMN, PRECISION, "
        f"SCALE FROM SYS.TABLE_COLUMNS WHERE {where} AND COLUMN_NAME NOT IN ('_KEY', '_VAL') "
        "ORDER BY SCHEMA_NAME, PK DESC, COLUMN_NAME",
        args,
        "SYS",
        -1,
    )
    if not rows:
        raise LookupError(f"the cluster has no table named {name!r}")
    return columns, rows
