"""Fixtures for tests against a real node, run once with ``Client`` and once with ``AioClient``.

``any_client`` is a connected ``Client`` or an ``AioClient`` seen through ``Blocking``
(tests/blocking.py), which runs each coroutine to completion on a private event loop.  A test
written once against the sync API therefore exercises both clients; the asyncio client
gets its own tests only for what only it can do (many requests in flight).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from blocking import Blocking, Loop

from ignite_wire import AioClient, Client
from ignite_wire.testing import IgniteCluster

_names = itertools.count()


@pytest.fixture(params=["sync", "async"])
def any_client(request: pytest.FixtureRequest, ignite_node: IgniteCluster) -> Iterator[Any]:
    """A client connected to the session node: ``Client``, then ``AioClient``."""
    host, port = ignite_node.node(0).endpoint
    if request.param == "sync":
        client = Client()
        client.connect(host, port)
        yield client
        client.close()
        return
    loop = Loop()
    try:
        blocking = Blocking(AioClient(), loop)
        blocking.connect(host, port)
        yield blocking
        blocking.close()
    finally:
        loop.close()


@pytest.fixture
def client(ignite_node: IgniteCluster) -> Iterator[Client]:
    """A sync client connected to the session node."""
    host, port = ignite_node.node(0).endpoint
    c = Client()
    c.connect(host, port)
    yield c
    c.close()


def unique_name(prefix: str = "t") -> str:
    """A cache name no other test uses (tests share the session node)."""
    return f"{prefix}_{next(_names)}"


@pytest.fixture
def cache(any_client: Any) -> Iterator[Any]:
    """A fresh cache on the session node, destroyed after the test."""
    c = any_client.create_cache(unique_name("cache"))
    yield c
    c.destroy()


@pytest.fixture
def unique() -> Any:
    """``unique(prefix)`` -> a fresh cache or table name (test modules cannot import conftest)."""
    return unique_name


@pytest.fixture
def connect_any(any_client: Any, ignite_node: IgniteCluster) -> Iterator[Callable[..., Any]]:
    """``connect_any(**options)`` -> one more connected client of ``any_client``'s kind.

    For constructor options (``compact_footer=False``...) or a second, independent client
    (its own binary type registry).  The clients are closed after the test.
    """
    host, port = ignite_node.node(0).endpoint
    made: list[Any] = []

    def connect(**options: Any) -> Any:
        if isinstance(any_client, Blocking):
            loop = object.__getattribute__(any_client, "_loop")
            new: Any = Blocking(AioClient(**options), loop)
        else:
            new = Client(**options)
        new.connect(host, port)
        made.append(new)
        return new

    yield connect
    for c in made:
        c.close()
