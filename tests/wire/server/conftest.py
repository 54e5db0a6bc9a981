"""Fixtures for tests against a real node, run once with ``Client`` and once with ``AioClient``.

``any_client`` is a connected ``Client`` or an ``AioClient`` seen through
:class:`Blocking`, which runs each coroutine to completion on a private event loop.  A test
written once against the sync API therefore exercises both clients; the asyncio client
gets its own tests only for what only it can do (many requests in flight).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ignite_wire import AioClient, Client
from ignite_wire.testing import IgniteCluster

_names = itertools.count()


class Blocking:
    """Wrap an asyncio object so that it reads like its sync twin.

    Coroutine results are awaited on ``loop``; returned objects from ``ignite_wire`` are
    wrapped too, async iterators become iterators and async context managers plain ones.
    """

    def __init__(
        self,
        target: Any,
        loop: asyncio.AbstractEventLoop,
        context: contextvars.Context | None = None,
    ) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)
        # Every call runs in one context, as the awaits of one task would: the active
        # transaction is a context variable.
        object.__setattr__(self, "_context", context or contextvars.copy_context())

    def _await(self, awaitable: Any) -> Any:
        task = self._loop.create_task(_as_coroutine(awaitable), context=self._context)
        return self._loop.run_until_complete(task)

    def _wrap(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            # A SQL cursor is awaitable: awaiting runs the statement, as the sync one does.
            value = self._await(value.__aenter__() if hasattr(value, "__aiter__") else value)
        if type(value).__module__.startswith("ignite_wire.aio"):
            return Blocking(value, self._loop, self._context)
        return value

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if name == "settings" and callable(attr):  # a property on the sync client
            return self._wrap(attr())
        if callable(attr):
            return lambda *a, **k: self._wrap(
                attr(*map(_unwrap, a), **{n: _unwrap(v) for n, v in k.items()})
            )
        return self._wrap(attr)

    def __repr__(self) -> str:
        return repr(self._target)

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            return self._await(self._target.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    def __enter__(self) -> Any:
        return self._wrap(self._target.__aenter__())

    def __exit__(self, *exc: Any) -> None:
        self._await(self._target.__aexit__(*exc))


async def _as_coroutine(awaitable: Any) -> Any:
    return await awaitable


def _unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_target") if isinstance(value, Blocking) else value


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
    loop = asyncio.new_event_loop()
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
