"""Fixtures of the ignite_orm tests: every behavioural test runs on ``Database`` and on
``AioDatabase``.

``connect`` (and ``db``, connected to the session node) gives a ``Database`` or an
``AioDatabase`` seen through ``Blocking`` (tests/blocking.py), an adapter that makes the
asyncio objects read like their sync twins.  A test written once against the sync API
therefore exercises both.

Test modules cannot import this file (no packages under ``tests``), so what they share
is given as fixtures: ``schema`` creates models' caches fresh and drops them afterwards,
``suffix`` makes type and cache names unique per flavour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from blocking import Blocking, Loop, is_blocking

from ignite_orm import AioDatabase, Database, IgniteModel
from ignite_wire import monitoring
from ignite_wire.testing import IgniteCluster


def is_async(db: Any) -> bool:
    return is_blocking(db)


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
    loop = Loop() if flavor == "async" else None

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
