"""``python -m ignite_wire`` (also installed as ``ignite-wire``): look into a cluster.

::

    ignite-wire ping                                   # each node: id, version, latency
    ignite-wire -n 10.0.0.5:10800 -n 10.0.0.6 caches   # names, modes, sizes
    ignite-wire sql "SELECT * FROM City WHERE id < ?" --arg 10 --format csv
    ignite-wire describe                               # every table
    ignite-wire describe PUBLIC.CITY                   # a table's columns
    ignite-wire describe --type com.example.Person     # a binary type's fields

Connection options come before the command: ``--node`` (repeatable, ``host:port``;
default ``$IGNITE_WIRE_NODES`` or 127.0.0.1:10800), ``--ssl`` with ``--ssl-keyfile``,
``--ssl-certfile``, ``--ssl-ca-certfile``, and ``--username`` (the password comes from
``$IGNITE_WIRE_PASSWORD`` or a prompt, never from the command line, where other users
could read it in the process list).

Exit codes: 0 success; 1 the cluster answered with an error, or a node did not answer
``ping``; 2 bad usage (argparse's own); 3 the named table or type does not exist.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from .. import Client
from ..exceptions import IgniteError
from . import _commands as commands
from ._render import FORMATS, render

__all__ = ["add_connection_arguments", "connection_from_args", "main", "render"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3


def _node(text: str) -> tuple[str, int]:
    try:
        return commands.parse_node(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _arg(text: str) -> Any:
    """A query argument: JSON when it parses (numbers, true, null, "quoted"), else text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the connection options (``--node``, TLS, ``--username``, ``--timeout``) to a
    command-line parser; :func:`connection_from_args` reads them back.  ``ignite-orm``
    uses the same options."""
    conn = parser.add_argument_group("connection")
    conn.add_argument(
        "-n",
        "--node",
        action="append",
        type=_node,
        metavar="HOST:PORT",
        help="a node to connect to (repeat for several; default $IGNITE_WIRE_NODES or "
        "127.0.0.1:10800)",
    )
    conn.add_argument("--ssl", action="store_true", help="connect with TLS")
    conn.add_argument("--ssl-keyfile", metavar="PEM", help="client private key (TLS)")
    conn.add_argument("--ssl-certfile", metavar="PEM", help="client certificate (TLS)")
    conn.add_argument("--ssl-ca-certfile", metavar="PEM", help="CA to verify nodes (TLS)")
    conn.add_argument(
        "--username",
        help="user name; the password is read from $IGNITE_WIRE_PASSWORD or prompted",
    )
    conn.add_argument("--timeout", type=float, default=30.0, help="seconds per request")


def connection_from_args(args: argparse.Namespace) -> tuple[list[tuple[str, int]], dict[str, Any]]:
    """The nodes and the :class:`~ignite_wire.Client` options that the connection
    arguments ask for (the password from ``$IGNITE_WIRE_PASSWORD`` or a prompt)."""
    return _nodes(args), _options(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ignite-wire",
        description="Look into an Apache Ignite cluster through the thin-client protocol.",
    )
    add_connection_arguments(parser)
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default table)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ping = sub.add_parser("ping", help="each node: node id, Ignite version, latency")
    ping.add_argument("--count", type=int, default=3, help="round trips per node")
    sub.add_parser("caches", help="caches: names, modes, backups, sizes")
    sql = sub.add_parser("sql", help="run a SQL statement and print its result")
    sql.add_argument("statement", help="the statement (use ? for --arg values)")
    sql.add_argument(
        "--arg", action="append", type=_arg, default=[], help="a ? parameter (JSON or text)"
    )
    sql.add_argument("--schema", default="PUBLIC", help="schema of unqualified names")
    sql.add_argument("--max-rows", type=int, default=-1, help="stop after this many rows")
    describe = sub.add_parser("describe", help="tables, a table's columns, a binary type")
    describe.add_argument("table", nargs="?", help="[SCHEMA.]TABLE (none: list tables)")
    describe.add_argument("--type", metavar="TYPE_NAME", help="a binary type's fields")
    for name in ("ping", "caches", "sql", "describe"):
        sub.choices[name].add_argument(
            "--format", choices=FORMATS, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def _options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {"timeout": args.timeout, "handshake_timeout": args.timeout}
    tls = {
        "ssl_keyfile": args.ssl_keyfile,
        "ssl_certfile": args.ssl_certfile,
        "ssl_ca_certfile": args.ssl_ca_certfile,
    }
    options.update({k: v for k, v in tls.items() if v is not None})
    if args.username is not None:
        password = os.environ.get("IGNITE_WIRE_PASSWORD")
        if password is None:
            password = getpass.getpass(f"password of {args.username}: ")
        options.update(username=args.username, password=password)
    options["use_ssl"] = bool(args.ssl or any(v is not None for v in tls.values()))
    return options


def _nodes(args: argparse.Namespace) -> list[tuple[str, int]]:
    if args.node:
        return list(args.node)
    env = os.environ.get("IGNITE_WIRE_NODES", "")
    return [commands.parse_node(n.strip()) for n in env.split(",") if n.strip()] or [
        ("127.0.0.1", 10800)
    ]


def _run(args: argparse.Namespace) -> tuple[commands.Result, int]:
    nodes, options = connection_from_args(args)
    if args.command == "ping":
        columns, rows = commands.ping(nodes, options, count=max(args.count, 1))
        failed = any(row[1] != "ok" for row in rows)
        return (columns, rows), EXIT_ERROR if failed else EXIT_OK
    with Client(partition_aware=False, **options) as client:
        client.connect(nodes)
        if args.command == "caches":
            return commands.caches(client), EXIT_OK
        if args.command == "sql":
            result = commands.sql(client, args.statement, args.arg, args.schema, args.max_rows)
            return result, EXIT_OK
        if args.type is not None:
            return commands.describe_type(client, args.type), EXIT_OK
        return commands.describe(client, args.table), EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    try:
        (columns, rows), code = _run(args)
    except LookupError as exc:
        print(f"ignite-wire: {exc.args[0]}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except IgniteError as exc:
        print(f"ignite-wire: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:  # a name or an address that cannot be parsed
        print(f"ignite-wire: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(render(columns, rows, args.format))
    return code
