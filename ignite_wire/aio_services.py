"""``client.services()``: call methods of services deployed on the cluster (asyncio).

Layouts in :mod:`._protocol.ops.services`.

A call is one request and its response, so the client's request timeout bounds it like
any request (``Client(timeout=...)``).  ``with_timeout`` is the server's bound on finding
a service instance (Ignite's proxy timeout): it does not interrupt a running method.  A
call is not repeated on another node after a connection failure (a method may have side
effects), as Java's default retry policy would.
"""

# unasync-skip-start
# The source of services.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

import math
import types
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import _facade
from ._checks import text
from ._protocol.connection import ProtocolConnection
from ._protocol.flow import Flow
from ._protocol.ops import services as ops
from ._protocol.ops.services import ServiceDescriptor
from ._protocol.requirements import require, supports
from .aio_compute import _node_ids
from .exceptions import ParameterError

if TYPE_CHECKING:
    # unasync-skip-start
    from .aio_client import AioClient

    # unasync-skip-end
    # unasync: from .client import Client

__all__ = ["AioServiceProxy", "AioServices", "ServiceDescriptor"]


def _text(value: Any, what: str) -> str:
    return text(value, f"services: {what}")


class AioServices:
    """Services of all server nodes, or of ``node_ids``; made by ``client.services()``."""

    def __init__(
        self,
        client: AioClient,
        node_ids: Iterable[uuid.UUID] | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        self._client = client
        self.node_ids = _node_ids(node_ids)
        if timeout is not None and not _facade.is_seconds(timeout):
            raise ParameterError(f"services(): timeout must be > 0 seconds, got {timeout!r}")
        self.timeout = timeout

    def __repr__(self) -> str:
        nodes = f"{len(self.node_ids)} nodes" if self.node_ids else "all servers"
        return f"<{type(self).__name__} {nodes} timeout={self.timeout}>"

    def with_timeout(self, timeout: float | None) -> AioServices:
        """The same, with the server waiting at most ``timeout`` s for a service instance."""
        return type(self)(self._client, self.node_ids, timeout=timeout)

    async def _run(self, need: str, make: Callable[[ProtocolConnection], Flow[Any]]) -> Any:
        """Run on one connection, after checking that it negotiated what ``need`` names."""
        client = self._client
        conn = await client._current()
        protocol = conn.protocol
        require(need, protocol.version, protocol.features, node=str(conn.address))
        return await client._run_on(conn, make(protocol))

    async def invoke(
        self,
        name: str,
        method: str,
        *args: Any,
        context: Mapping[str, str] | None = None,
    ) -> Any:
        """Call ``method`` of service ``name`` with ``args``; its result.

        ``context`` is the service call context (string attributes the service reads
        with ``ServiceContext.currentCallContext()``; feature bit 10).  Raises
        ``ServiceError`` for an unknown service or method, or when the method raised.
        """
        _text(name, "service name")
        _text(method, "method name")
        if context is not None and not all(
            isinstance(k, str) and isinstance(v, str) for k, v in context.items()
        ):
            raise ParameterError("services: context must map str to str")
        timeout_ms = 0 if self.timeout is None else max(1, math.ceil(self.timeout * 1000))
        ctx = self._client._context()

        def make(protocol: ProtocolConnection) -> Flow[Any]:
            with_cc = supports("service call context", protocol.version, protocol.features)
            if context and not with_cc:
                require("service call context", protocol.version, protocol.features)
            return ops.invoke(
                name,
                method,
                args,
                self.node_ids,
                timeout_ms,
                context,
                with_call_context=with_cc,
                ctx=ctx,
            )

        return await self._run("services", make)

    def proxy(self, name: str) -> AioServiceProxy:
        """A stand-in whose methods call service ``name``: ``proxy.add(1, 2)``."""
        return AioServiceProxy(self, _text(name, "service name"))

    async def descriptors(self) -> list[ServiceDescriptor]:
        """Every service deployed on the cluster (feature bit 9)."""
        ctx = self._client._context()
        found: list[ServiceDescriptor] = await self._run(
            "service descriptors", lambda _: ops.get_descriptors(ctx)
        )
        return found

    async def descriptor(self, name: str) -> ServiceDescriptor:
        """The descriptor of service ``name``; ``ServiceError`` if there is none."""
        _text(name, "service name")
        ctx = self._client._context()
        found: ServiceDescriptor = await self._run(
            "service descriptors", lambda _: ops.get_descriptor(name, ctx)
        )
        return found

    async def topology(self, name: str) -> list[uuid.UUID]:
        """Ids of the nodes that run an instance of service ``name`` (feature bit 16)."""
        _text(name, "service name")
        found: list[uuid.UUID] = await self._run(
            "service topology", lambda _: ops.get_topology(name)
        )
        return found


class AioServiceProxy:
    """Calls service methods by attribute: ``await proxy.method(*args)``."""

    def __init__(self, services: AioServices, name: str) -> None:
        self._services = services
        self.name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if method.startswith("__"):
            raise AttributeError(method)

        async def call(
            proxy: AioServiceProxy, *args: Any, context: Mapping[str, str] | None = None
        ) -> Any:
            return await proxy._services.invoke(proxy.name, method, *args, context=context)

        call.__name__ = method
        return types.MethodType(call, self)  # a bound method, as a real attribute would be
