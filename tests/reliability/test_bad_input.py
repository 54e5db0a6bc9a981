"""Bad input (issue 9): a sweep of every public method with bad values, sync and asyncio.

``SPECS`` names, for every public method of ``Client``, ``Cache``, ``Cluster``,
``Transaction``, the cursors, the atomic-long and continuous-query handles (and their
asyncio twins, seen through ``Blocking``), the *kind* of each parameter; ``BAD`` says
which values are wrong for each kind (wrong type, lone surrogate, ints beyond 64 bits and
beyond 4,300 digits, negative or out-of-range numbers, ``None`` where not allowed).  Each
method is called with one bad value at a time, the other arguments good.  Only
``IgniteError`` may escape, its message names the argument, no call outlives the
client's timeout, and a good call on the same client works afterwards.  Then every
method on a closed client, a closed cursor and the handles of a closed client.

A public method without an entry in ``SPECS`` fails :func:`test_every_public_method_has_a_spec`.
"""

from __future__ import annotations

import inspect
import itertools
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from blocking import Blocking, Loop, is_blocking

import ignite_wire
from ignite_wire import AioClient, Client
from ignite_wire._aio_atomic import AioAtomicLong
from ignite_wire._sync_atomic import AtomicLong
from ignite_wire.continuous import AioContinuousQuery, ContinuousQuery
from ignite_wire.exceptions import IgniteError
from ignite_wire.testing import IgniteCluster

HUGE = 10**5000  # int-to-str refuses more than 4,300 digits
BEYOND_64 = 2**64
SURROGATE = "x\ud800y"
TIMEOUT = 3.0  # the clients' timeout; no call may take longer (plus a small bound)
BOUND = TIMEOUT + 2.0


class _Opaque:
    """A value of no type the client knows (``object()`` with a readable repr)."""

    def __repr__(self) -> str:
        return "<opaque>"


WRONG = _Opaque()
#: Findings of the sweep not fixed yet (see the end of ``test_bad_arguments_sweep``).
KNOWN = Path(__file__).with_name("bad_input_known.txt")

#: Bad values per parameter kind.  ``strict`` kinds must be refused; the others may be
#: accepted (``bool(WRONG)`` is a legal truth value, as in pyignite) but never escape
#: untyped.
BAD: dict[str, list[Any]] = {
    "value": [WRONG, SURROGATE, BEYOND_64, HUGE, {WRONG: 1}, [SURROGATE]],
    "hint": [WRONG, "no such hint", HUGE],
    "name": [None, WRONG, SURROGATE, HUGE, ""],
    "opt_name": [WRONG, SURROGATE, HUGE],
    "count": [None, WRONG, "1", BEYOND_64, HUGE, -5],
    "int": [None, WRONG, "1", BEYOND_64, HUGE],
    "seconds": [None, WRONG, float("nan"), float("inf"), -1.0, HUGE],
    "flag": [WRONG, HUGE],
    "keys": [None, WRONG, 5, [WRONG], [SURROGATE], [HUGE]],
    "opt_keys": [WRONG, 5, [WRONG], [SURROGATE], [HUGE]],
    "pairs": [None, WRONG, 5, [(1, 2), 3], {1: WRONG}, {SURROGATE: 1}, {HUGE: 1}],
    "peek": [WRONG, HUGE, -1, 99, [WRONG], [HUGE]],
    "enum": [None, WRONG, 99, -1, HUGE],
    "settings": [None, WRONG, SURROGATE, HUGE, {WRONG: 1}, {HUGE: 1}, {1: WRONG}],
    "query": [None, WRONG, SURROGATE, HUGE],
    "args": [WRONG, 5, [WRONG], [SURROGATE], [HUGE]],
    "partitions": [WRONG, 5, [WRONG], [-5], [HUGE], [BEYOND_64]],
    "criteria": [None, WRONG, 5, [WRONG]],
    "class": [None, WRONG, 5, int],
    "type_id": [None, WRONG, SURROGATE, HUGE, BEYOND_64],
    "binary_type": [None, WRONG, SURROGATE, HUGE],
    "schema": [WRONG, SURROGATE, HUGE, {WRONG: 1}, {SURROGATE: 1}],
    "attributes": [WRONG, 5, {WRONG: 1}, {SURROGATE: 1}, {"a": WRONG}],
    "opt_flag": [WRONG],
    "expiry": [WRONG, -5, HUGE, "x"],
    "cache_ref": [WRONG, SURROGATE, HUGE, BEYOND_64],
    "endpoint": [WRONG, SURROGATE, HUGE, -1, 70000],
    "long": [None, WRONG, "1", 1.5, BEYOND_64, HUGE, -(2**63) - 1],
    "timeout": [WRONG, "1", float("nan"), float("inf"), -1.0, HUGE],
    "node_ids": [WRONG, 5, "abc", [WRONG], [SURROGATE], [HUGE]],
    "callback": [WRONG, 5, "x"],
}
LENIENT = {"flag", "opt_flag", "hint"}

#: role -> method -> parameter -> kind.  Methods without parameters map to ``{}``.
SPECS: dict[str, dict[str, dict[str, str]]] = {
    "client": {
        "atomic_long": {"name": "name", "group": "opt_name"},
        "close": {},
        "compute": {"node_ids": "node_ids"},
        "services": {"node_ids": "node_ids"},
        "get_or_create_set": {
            "name": "name",
            "atomicity": "enum",
            "cache_mode": "enum",
            "backups": "count",
            "group": "opt_name",
            "collocated": "flag",
        },
        "get_set": {"name": "name"},
        "connect": {"*args": "endpoint"},
        "create_cache": {"settings": "settings"},
        "get_binary_type": {"binary_type": "binary_type"},
        "get_cache": {"settings": "settings"},
        "get_cache_names": {},
        "get_cluster": {},
        "get_or_create_cache": {"settings": "settings"},
        "query_binary_type": {"binary_type": "binary_type", "schema": "schema"},
        "put_binary_type": {
            "type_name": "name",
            "affinity_key_field": "opt_name",
            "is_enum": "flag",
            "schema": "schema",
        },
        "register_binary_type": {"cls": "class"},
        "sql": {
            "query_str": "query",
            "page_size": "count",
            "query_args": "args",
            "schema": "opt_name",
            "statement_type": "enum",
            "distributed_joins": "flag",
            "local": "flag",
            "replicated_only": "flag",
            "enforce_join_order": "flag",
            "collocated": "flag",
            "lazy": "flag",
            "include_field_names": "flag",
            "max_rows": "int",
            "timeout": "count",
            "cache": "cache_ref",
            "partitions": "partitions",
            "update_batch_size": "count",
        },
        "tx_start": {
            "concurrency": "enum",
            "isolation": "enum",
            "timeout": "count",
            "label": "opt_name",
        },
    },
    "cache": {
        "clear": {"keys": "opt_keys"},
        "clear_key": {"key": "value", "key_hint": "hint"},
        "clear_keys": {"keys": "keys"},
        "contains_key": {"key": "value", "key_hint": "hint"},
        "contains_keys": {"keys": "keys"},
        "continuous_query": {
            "buffer_size": "count",
            "time_interval": "seconds",
            "include_expired": "flag",
            "initial_scan": "flag",
            "page_size": "count",
            "restart_timeout": "seconds",
        },
        "destroy": {},
        "get": {"key": "value", "key_hint": "hint"},
        "get_all": {"keys": "keys"},
        "get_and_put": {"key": "value", "value": "value", "key_hint": "hint", "value_hint": "hint"},
        "get_and_put_if_absent": {
            "key": "value",
            "value": "value",
            "key_hint": "hint",
            "value_hint": "hint",
        },
        "get_and_remove": {"key": "value", "key_hint": "hint"},
        "get_and_replace": {
            "key": "value",
            "value": "value",
            "key_hint": "hint",
            "value_hint": "hint",
        },
        "get_size": {"peek_modes": "peek"},
        "streamer": {
            "allow_overwrite": "flag",
            "skip_store": "flag",
            "batch_size": "count",
            "parallel": "count",
            "progress": "callback",
        },
        "index_query": {
            "value_type": "name",
            "criteria": "criteria",
            "index_name": "opt_name",
            "page_size": "count",
            "partition": "int",
            "local": "flag",
            "limit": "count",
        },
        "partition_of": {"key": "value", "key_hint": "hint"},
        "put": {"key": "value", "value": "value", "key_hint": "hint", "value_hint": "hint"},
        "put_all": {"pairs": "pairs"},
        "put_if_absent": {
            "key": "value",
            "value": "value",
            "key_hint": "hint",
            "value_hint": "hint",
        },
        "remove_all": {},
        "remove_if_equals": {
            "key": "value",
            "sample": "value",
            "key_hint": "hint",
            "sample_hint": "hint",
        },
        "remove_key": {"key": "value", "key_hint": "hint"},
        "remove_keys": {"keys": "keys"},
        "replace": {"key": "value", "value": "value", "key_hint": "hint", "value_hint": "hint"},
        "replace_if_equals": {
            "key": "value",
            "sample": "value",
            "value": "value",
            "key_hint": "hint",
            "sample_hint": "hint",
            "value_hint": "hint",
        },
        "scan": {"page_size": "count", "partitions": "int", "local": "flag"},
        "select_row": {
            "query_str": "query",
            "page_size": "count",
            "query_args": "args",
            "distributed_joins": "flag",
            "replicated_only": "flag",
            "local": "flag",
            "timeout": "count",
        },
        "settings": {},
        "with_expire_policy": {
            "expiry_policy": "expiry",
            "create": "expiry",
            "update": "expiry",
            "access": "expiry",
        },
    },
    "cluster": {
        "disable_wal": {"cache": "name"},
        "enable_wal": {"cache": "name"},
        "get_state": {},
        "is_wal_enabled": {"cache": "name"},
        "node_ids": {"attributes": "attributes", "servers": "opt_flag"},
        "nodes": {"attributes": "attributes", "servers": "opt_flag"},
        "set_state": {"state": "enum"},
    },
    "cursor": {"close": {}, "next_page": {}},
    "transaction": {"close": {}, "commit": {}, "rollback": {}},
    "atomic_long": {
        "add_and_get": {"delta": "long"},
        "compare_and_set": {"expected": "long", "value": "long"},
        "compare_and_set_and_get": {"expected": "long", "value": "long"},
        "create": {"initial": "long"},
        "decrement_and_get": {},
        "exists": {},
        "get": {},
        "get_and_set": {"value": "long"},
        "increment_and_get": {},
        "remove": {},
    },
    "continuous": {
        "close": {},
        "confirm_live": {"marker_key": "value", "timeout": "seconds"},
        "get": {"timeout": "timeout"},
    },
}

CLASSES = {
    "client": (ignite_wire.Client, ignite_wire.AioClient),
    "cache": (ignite_wire.Cache, ignite_wire.AioCache),
    "cluster": (ignite_wire.Cluster, ignite_wire.AioCluster),
    "cursor": (
        ignite_wire.ScanCursor,
        ignite_wire.SqlCursor,
        ignite_wire.SqlRowCursor,
        ignite_wire.AioScanCursor,
        ignite_wire.AioSqlCursor,
        ignite_wire.AioSqlRowCursor,
    ),
    "transaction": (ignite_wire.Transaction, ignite_wire.AioTransaction),
    "atomic_long": (AtomicLong, AioAtomicLong),
    "continuous": (ContinuousQuery, AioContinuousQuery),
}
#: The handles the arguments sweep calls besides the client, its caches and cluster.
HANDLES = ("atomic_long", "continuous")

#: Words a refusal may use for a parameter besides its own name.
ALIASES: dict[str, tuple[str, ...]] = {
    "settings": ("cache name", "cache settings"),
    "peek_modes": ("peek mode",),
    "*args": ("port", "host", "address", "endpoint"),
    "cache": ("cache name",),
}

#: Good values for the parameters a method requires (filled per test, see ``_good_args``).
_names = itertools.count()


def _shown(value: Any) -> str:
    """A short repr, also of ints too long for ``repr``."""
    try:
        return f"{value!r:.40}"
    except ValueError:
        return "<holds an int of 16,610 bits>"


def _public_methods(cls: type) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and (callable(member) or name == "settings")
        if not isinstance(inspect.getattr_static(cls, name), property) or name == "settings"
    }


def test_every_public_method_has_a_spec() -> None:
    for role, classes in CLASSES.items():
        for cls in classes:
            methods = _public_methods(cls)
            if cls is ignite_wire.Cache:
                methods.add("settings")  # a property on the sync cache, a coroutine on asyncio
            assert methods == set(SPECS[role]), (cls.__name__, methods ^ set(SPECS[role]))
            for name in methods - {"connect", "settings"}:
                params = [
                    p for p in inspect.signature(getattr(cls, name)).parameters if p != "self"
                ]
                assert params == list(SPECS[role][name]), (cls.__name__, name, params)


class Sweep:
    """One kind of client on the session node, and the tallies of the sweep."""

    def __init__(self, kind: str, endpoint: tuple[str, int]) -> None:
        self.kind = kind
        self.endpoint = endpoint
        self.loop = Loop() if kind == "async" else None
        self.client = self.new_client()
        self.client.connect(*endpoint)
        n = next(_names)
        self.cache = self.client.create_cache(f"bad_input_{kind}_{n}")
        # select_row and index_query need a cache with a table (and an index) to succeed
        # with good arguments; otherwise every bad one is refused for the wrong reason.
        self.row_type = f"BadInputRow{kind.title()}{n}"
        self.table_name = f"bad_input_t_{kind}_{n}"
        for ddl in (
            f'CREATE TABLE {self.table_name} (id INT PRIMARY KEY, v INT) WITH "CACHE_NAME='
            f'{self.table_name},VALUE_TYPE={self.row_type}"',
            f"CREATE INDEX {self.table_name}_v ON {self.table_name} (v)",
        ):
            _consume(self.client.sql(ddl))
        self.table = self.client.get_cache(self.table_name)
        self.atomic_long = self.client.atomic_long(f"bad_input_long_{kind}_{n}")
        self.atomic_long.create(0)
        self.continuous = self.cache.continuous_query()
        self.calls = 0
        self.refused = 0
        self.accepted: list[str] = []
        self.problems: list[str] = []

    def new_client(self) -> Any:
        if self.loop is None:
            return Client(timeout=TIMEOUT)
        return Blocking(AioClient(timeout=TIMEOUT), self.loop)

    def close(self) -> None:
        try:
            self.continuous.close()
            self.atomic_long.remove()
            _consume(self.client.sql(f"DROP TABLE {self.table_name}"))
            self.cache.destroy()
            self.client.close()
        finally:
            if self.loop is not None:
                self.loop.close()

    def good_call(self) -> None:
        self.cache.put(1, "one")
        assert self.cache.get(1) == "one"

    def target(self, role: str, method: str = "") -> Any:
        if role == "client":
            return self.client
        if role == "cache":
            return self.table if method in {"select_row", "index_query"} else self.cache
        if role in HANDLES:
            return getattr(self, role)
        return self.client.get_cluster()


def _good_args(role: str, method: str, sweep: Sweep) -> dict[str, Any]:
    required: dict[str, Any] = {
        "key": 1,
        "value": 2,
        "sample": 2,
        "keys": [1],
        "pairs": {1: 2},
        "name": "bad_input_long",
        "settings": sweep.cache.name,
        "type_id": 1,
        "binary_type": "NoSuchType",
        "type_name": "BadInputPutType",
        "cls": type("NoFields", (), {}),
        "query_str": "select 1" if role == "client" else "id >= 0",
        "value_type": sweep.row_type,
        "cache": sweep.cache.name,
        "state": 1,
        "initial": 0,
        "delta": 1,
        "expected": 0,
        "marker_key": "bad_input_marker",
    }
    target = getattr(CLASSES[role][0], method)
    return {
        p.name: required[p.name]
        for p in inspect.signature(target).parameters.values()
        if p.name != "self"
        and p.default is inspect.Parameter.empty
        and p.kind is not inspect.Parameter.VAR_POSITIONAL
    }


def _consume(result: Any) -> None:
    """Run what a call only prepared: a cursor's pages, a transaction, a handle's request."""
    inner = object.__getattribute__(result, "_target") if is_blocking(result) else result
    if not hasattr(inner, "close") and not hasattr(inner, "exists"):
        return  # a cache or cluster facade: nothing to run
    if hasattr(result, "commit"):
        with result:
            pass
    elif hasattr(result, "exists"):
        result.exists()
    elif hasattr(inner, "add_all"):  # a data streamer: load one entry (sent on close)
        with result:
            result.add(1, 1)
    elif hasattr(result, "close") and "Continuous" in repr(result):
        result.close()  # its iterator waits for events
    elif hasattr(result, "close") and hasattr(result, "__iter__"):
        try:
            list(itertools.islice(iter(result), 3))
        finally:
            result.close()
    elif hasattr(result, "close"):
        result.close()


def _call(sweep: Sweep, role: str, method: str, param: str, bad: Any) -> None:
    if method == "connect":
        client = sweep.new_client()
        try:
            host, port = sweep.endpoint
            args = (bad, port) if isinstance(bad, (str, _Opaque)) else (host, bad)
            client.connect(*args)
        finally:
            client.close()
        return
    if role == "cache" and method in {"destroy", "remove_all"}:
        return  # no parameters; the closed-client sweep calls them
    args = _good_args(role, method, sweep)
    args[param] = bad
    if method == "create_cache" or method == "get_or_create_cache":
        pass  # every bad settings value is refused before anything is created
    _consume(getattr(sweep.target(role, method), method)(**args))


def _check(
    sweep: Sweep, what: str, call: Callable[[], None], param: str | None, strict: bool
) -> None:
    """Make one call; note what is wrong with its outcome in ``sweep.problems``."""
    started = time.monotonic()
    try:
        call()
    except IgniteError as error:
        sweep.refused += 1
        words = (param, *ALIASES.get(param, ())) if param is not None else ()
        if words and not any(w in str(error) for w in words):
            sweep.problems.append(f"{what}: does not name {param}: {str(error)[:200]}")
    except Exception as error:  # the sweep's point: nothing else may escape
        sweep.problems.append(f"{what}: untyped {type(error).__name__}: {str(error)[:200]}")
    else:
        if strict:
            sweep.problems.append(f"{what}: accepted")
        sweep.accepted.append(what)
    sweep.calls += 1
    elapsed = time.monotonic() - started
    if elapsed > BOUND:
        sweep.problems.append(f"{what}: took {elapsed:.1f} s")
    sweep.good_call()


@pytest.fixture(params=["sync", "async"])
def sweep(request: pytest.FixtureRequest, ignite_node: IgniteCluster) -> Iterator[Sweep]:
    s = Sweep(request.param, ignite_node.node(0).endpoint)
    yield s
    s.close()


def test_bad_arguments_sweep(sweep: Sweep, figures: Any) -> None:
    methods = 0
    for role in ("client", "cache", "cluster", *HANDLES):
        for method, params in SPECS[role].items():
            methods += 1
            for param, kind in params.items():
                for bad in BAD[kind]:
                    what = f"{sweep.kind} {role}.{method}({param}={_shown(bad)})"
                    _check(
                        sweep,
                        what,
                        lambda m=method, p=param, b=bad, r=role: _call(sweep, r, m, p, b),  # type: ignore[misc]
                        param,
                        kind not in LENIENT,
                    )
    figures(
        f"bad_input.arguments.{sweep.kind}",
        methods=methods,
        calls=sweep.calls,
        refused=sweep.refused,
        accepted=len(sweep.accepted),
    )
    problems = {re.sub(r" \[node=[^]]*\]", "", p).strip() for p in sweep.problems}
    if os.environ.get("IGNITE_WIRE_BAD_INPUT_RECORD"):
        with KNOWN.open("a") as f:
            f.writelines(p.replace("\n", " ") + "\n" for p in sorted(problems))
    known = set(KNOWN.read_text().splitlines())
    figures(f"bad_input.arguments.{sweep.kind}", problems=len(problems))
    # A ratchet: the findings not yet fixed are listed in bad_input_known.txt; a new one
    # fails here, and a fixed one must be taken off the list.
    assert problems <= known, "\n".join(sorted(problems - known))
    mine = {k for k in known if k.startswith(sweep.kind + " ")}
    assert mine <= problems, "fixed, take off the list:\n" + "\n".join(sorted(mine - problems))


def test_closed_client_and_cursors(sweep: Sweep, figures: Any) -> None:
    """Every method on a closed client, and on closed cursors and transactions."""
    client = sweep.new_client()
    client.connect(*sweep.endpoint)
    cache = client.get_or_create_cache(sweep.cache.name)
    cluster = client.get_cluster()
    handles = {
        "atomic_long": client.atomic_long(f"bad_input_closed_{sweep.kind}"),
        "continuous": cache.continuous_query(),
    }
    cursors = [cache.scan(), client.sql("select 1")]
    for cursor in cursors:
        cursor.close()
        _check(sweep, f"{sweep.kind} closed cursor: next", lambda c=cursor: list(c), None, False)  # type: ignore[misc]
        _check(sweep, f"{sweep.kind} closed cursor: next_page", cursor.next_page, None, False)
        _check(sweep, f"{sweep.kind} closed cursor: close", cursor.close, None, False)
    tx = client.tx_start()
    with tx:
        tx.commit()
    for method in ("commit", "rollback", "close"):
        _check(sweep, f"{sweep.kind} closed tx.{method}", getattr(tx, method), None, False)
    client.close()
    targets = {"client": client, "cache": cache, "cluster": cluster, **handles}
    methods = 0
    for role, target in targets.items():
        for method in SPECS[role]:
            if method == "connect":
                continue
            methods += 1
            args = {} if method == "settings" else _good_args(role, method, sweep)

            def call(t: Any = target, m: str = method, a: dict[str, Any] = args) -> None:
                attr = getattr(t, m)  # the cache's settings: a property (sync) or read
                _consume(attr if m == "settings" else attr(**a))

            _check(sweep, f"{sweep.kind} closed {role}.{method}", call, None, False)
    figures(f"bad_input.closed.{sweep.kind}", methods=methods, calls=sweep.calls)
    assert not sweep.problems, "\n".join(sweep.problems)
