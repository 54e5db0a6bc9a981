"""Fixtures of the ignite_orm tests: every behavioural test runs on ``Database`` and on
``AioDatabase``.

``connect`` (and ``db``, connected to the session node) gives a ``Database`` or an
``AioDatabase`` seen through :class:`Blocking`, an adapter that makes the asyncio objects
read like their sync twins: coroutines are run to completion on a private event loop,
async iterators (``scan()``, ``sql()``, cursors) become iterators and async context
managers (sessions, transactions, cursors) plain ones.  Every call of one adapter runs in
*one* ``contextvars`` context, as the awaits of one task would (the active transaction is
a context variable).  A test written once against the sync API therefore exercises both.

Test modules cannot import this file (no packages under ``tests``), so what they share
is given as fixtures: ``schema`` creates models' caches fresh and drops them afterwards,
``suffix`` makes type and cache names unique per flavour.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ignite_orm import AioDatabase, AioRepository, AioSession, Database, IgniteModel
from ignite_wire import monitoring
from ignite_wire.testing import IgniteCluster

#: ignite_orm's asyncio classes, wrapped like ``ignite_wire``'s (``ignite_wire.aio_client``).
_ORM_ASYNC = (AioDatabase, AioRepository, AioSession)


class _Loop:
    """A private event loop and the one context every call of its adapters runs in."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.context = contextvars.copy_context()

    def run(self, awaitable: Any) -> Any:
        task = self.loop.create_task(_as_coroutine(awaitable), context=self.context)
        return self.loop.run_until_complete(task)

    def close(self) -> None:
        try:
            # async generators left unfinished (a scan broken off) are closed here
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        finally:
            self.loop.close()


async def _as_coroutine(awaitable: Any) -> Any:
    return await awaitable


class Blocking:
    """An asyncio object of ignite_orm or ignite_wire that reads like its sync twin."""

    def __init__(self, target: Any, loop: _Loop) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)

    def _wrap(self, value: Any) -> Any:
        loop: _Loop = object.__getattribute__(self, "_loop")
        if inspect.isawaitable(value):
            # A SQL cursor is awaitable: awaiting runs the statement, as the sync one does.
            value = loop.run(value.__aenter__() if hasattr(value, "__aiter__") else value)
        if (
            isinstance(value, _ORM_ASYNC)
            or type(value).__module__.startswith("ignite_wire.aio")
            or inspect.isasyncgen(value)
        ):
            return Blocking(value, loop)
        return value

    def __getattr__(self, name: str) -> Any:
        attr = getattr(object.__getattribute__(self, "_target"), name)
        if inspect.ismethod(attr):
            return lambda *a, **k: self._wrap(
                attr(*map(_unwrap, a), **{n: _unwrap(v) for n, v in k.items()})
            )
        return self._wrap(attr)

    def __repr__(self) -> str:
        return f"Blocking({object.__getattribute__(self, '_target')!r})"

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        target = object.__getattribute__(self, "_target")
        try:
            item = object.__getattribute__(self, "_loop").run(target.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None
        return self._wrap(item)

    def close(self) -> None:
        """Close the wrapped object (``aclose()`` of an async generator)."""
        target = object.__getattribute__(self, "_target")
        loop: _Loop = object.__getattribute__(self, "_loop")
        if inspect.isasyncgen(target):
            loop.run(target.aclose())
        else:
            self._wrap(target.close())

    def __enter__(self) -> Any:
        return self._wrap(object.__getattribute__(self, "_target").__aenter__())

    def __exit__(self, *exc: Any) -> Any:
        target = object.__getattribute__(self, "_target")
        return object.__getattribute__(self, "_loop").run(target.__aexit__(*exc))


def _unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_target") if isinstance(value, Blocking) else value


def is_async(db: Any) -> bool:
    return isinstance(db, Blocking)


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    """``"sync"`` (``Database``) or ``"async"`` (``AioDatabase`` through :class:`Blocking`)."""
    return str(request.param)


@pytest.fixture
def suffix(flavor: str) -> str:
    """A name suffix per flavour: binary types, caches and tables of the two runs differ."""
    return flavor


@pytest.fixture
def connect(flavor: str) -> Iterator[Callable[..., Any]]:
    """``connect(endpoints, **client_options)`` -> a connected database of this flavour.

    Every database made is closed after the test (and the private loop with it).
    """
    made: list[Any] = []
    loop = _Loop() if flavor == "async" else None

    def open_database(endpoints: list[tuple[str, int]], **options: Any) -> Any:
        if loop is None:
            db: Any = Database.connect(endpoints, **options)
        else:
            db = Blocking(loop.run(AioDatabase.connect(endpoints, **options)), loop)
        made.append(db)
        return db

    try:
        yield open_database
    finally:
        try:
            for db in made:
                db.close()
        finally:
            if loop is not None:
                loop.close()


@pytest.fixture
def node_endpoints(ignite_node: IgniteCluster) -> list[tuple[str, int]]:
    return [ignite_node.node(0).endpoint]


@pytest.fixture
def db(connect: Callable[..., Any], node_endpoints: list[tuple[str, int]]) -> Any:
    """A database of this test's flavour on the session node."""
    return connect(node_endpoints)


@pytest.fixture
def schema(db: Any) -> Iterator[Callable[..., Any]]:
    """``schema(*models)``: drop the models' caches, ``create_all`` them, drop them after."""
    used: list[type[IgniteModel]] = []

    def make(*models: type[IgniteModel]) -> Any:
        used.extend(models)
        db.drop_all(*models)
        return db.create_all(*models)

    yield make
    if used:
        db.drop_all(*used)


class RequestLog(monitoring.QueryEventListener):
    """Every request a client started, by operation name."""

    def __init__(self) -> None:
        self.ops: list[str] = []

    def on_query_start(self, event: monitoring.QueryStartEvent) -> None:
        self.ops.append(event.op_name)


@pytest.fixture
def request_log() -> RequestLog:
    """A listener to pass as ``event_listeners=[request_log]``; ``.ops`` lists requests."""
    return RequestLog()


@pytest.fixture
def sql_rows(db: Any) -> Callable[..., list[list[Any]]]:
    """``sql_rows(query, *args)`` -> the rows of plain SQL through ``db.client``."""

    def run(query: str, *args: Any, **options: Any) -> list[list[Any]]:
        with db.client.sql(query, query_args=list(args), **options) as cursor:
            return [list(row) for row in cursor]

    return run
