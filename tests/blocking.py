"""Run asyncio objects as if they were their sync twins, so one test body covers both.

``Blocking(obj, loop)`` wraps an object of ``ignite_wire``'s or ``ignite_orm``'s asyncio
API: coroutines run to completion on the private :class:`Loop`, async iterators become
iterators, async context managers plain ones, and results that are asyncio objects are
wrapped in turn.  Every call of one loop's adapters runs in *one* ``contextvars``
context, as the awaits of one task would (the active transaction is a context variable).

Imported by the conftests as ``blocking`` (pytest puts ``tests/`` on ``sys.path``, since
the test folders are not packages).
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Iterator
from typing import Any

__all__ = ["Blocking", "Loop", "is_blocking"]

#: Modules whose objects are wrapped (besides async generators).
_ASYNC_MODULES = (
    "ignite_wire.aio",
    "ignite_wire._aio",  # _aio_continuous, _aio_atomic
    "ignite_orm.aio",
    "ignite_orm.query.aio",
)


class Loop:
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
    """An asyncio object that reads like its sync twin; see the module docstring."""

    def __init__(self, target: Any, loop: Loop) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_loop", loop)

    def _wrap(self, value: Any) -> Any:
        loop: Loop = object.__getattribute__(self, "_loop")
        if inspect.isawaitable(value):
            # A SQL cursor is awaitable: awaiting runs the statement, as the sync one does.
            value = loop.run(value.__aenter__() if hasattr(value, "__aiter__") else value)
        async_api = type(value).__module__.startswith(_ASYNC_MODULES)
        if (async_api and not isinstance(value, tuple)) or inspect.isasyncgen(value):
            return Blocking(value, loop)
        return value

    def __getattr__(self, name: str) -> Any:
        attr = getattr(object.__getattribute__(self, "_target"), name)
        if name == "settings" and inspect.ismethod(attr):
            return self._wrap(attr())  # a property on the sync cache
        if inspect.ismethod(attr):
            return lambda *a, **k: self._wrap(
                attr(*map(_unwrap, a), **{n: _unwrap(v) for n, v in k.items()})
            )
        return self._wrap(attr)

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_target"))

    def __iter__(self) -> Iterator[Any]:
        target = object.__getattribute__(self, "_target")
        if not hasattr(target, "__anext__") and hasattr(target, "__aiter__"):
            # an async iterable (a query result): iterate a fresh async iterator of it
            return Blocking(target.__aiter__(), object.__getattribute__(self, "_loop"))
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
        loop: Loop = object.__getattribute__(self, "_loop")
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


def is_blocking(value: Any) -> bool:
    return isinstance(value, Blocking)
