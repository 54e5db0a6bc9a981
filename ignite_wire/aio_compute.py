"""``client.compute()``: run a compute task deployed on the cluster, by name (asyncio).

Layouts in :mod:`._protocol.ops.compute`.

A task is two messages on one connection: the request returns a task id, and the
server later pushes a notification (op 6001) with the result.  The connection's reader
files that notification in the task's inbox (:mod:`._protocol.notifications`), and
:meth:`AioComputeTask.result` decodes it on the caller's side, where a missing binary
type can still be fetched.

Time bounds: ``timeout`` is sent to the server (it fails the task when it runs longer)
*and* bounds the wait here, plus a grace of the client's request timeout (or
:data:`GRACE` seconds) for the notification to arrive.  Without a task timeout the wait
is the client's request timeout (``None``: unbounded, as every request).  A wait that
runs out cancels the task on the server and raises ``RequestTimeoutError``.  A task is
not retried on another node when its connection fails: it may have run.
"""

# unasync-skip-start
# The source of compute.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

import contextlib
import math
import time
import uuid
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import _facade
from ._checks import shown, text
from ._protocol.messages import Notification
from ._protocol.ops.common import decode_with_types
from ._protocol.ops.compute import (
    FLAG_NO_FAILOVER,
    FLAG_NO_RESULT_CACHE,
    close_task,
    decode_result,
    execute_task,
)
from ._protocol.requirements import require
from ._transport.aio import AioConnection
from ._transport.inbox import AioInbox
from .exceptions import ComputeError, IgniteError, ParameterError, RequestTimeoutError

if TYPE_CHECKING:
    # unasync-skip-start
    from .aio_client import AioClient

    # unasync-skip-end
    # unasync: from .client import Client

__all__ = ["GRACE", "AioCompute", "AioComputeTask"]

#: Seconds the result may take to arrive after a task's own timeout, when the client
#: has no request timeout of its own.
GRACE = 10.0
_OP = "COMPUTE_TASK_EXECUTE"


def _node_ids(node_ids: Iterable[uuid.UUID] | None) -> tuple[uuid.UUID, ...]:
    if node_ids is None:
        return ()
    if isinstance(node_ids, (str, bytes)) or not isinstance(node_ids, Iterable):
        raise ParameterError(f"node_ids must be an iterable of uuid.UUID, got {shown(node_ids)}")
    ids = tuple(node_ids)
    for node_id in ids:
        if not isinstance(node_id, uuid.UUID):
            raise ParameterError(f"node_ids must hold uuid.UUID values, got {shown(node_id)}")
    return ids


class AioCompute:
    """Runs tasks on the cluster's server nodes, or on the nodes of ``node_ids``.

    Made by ``client.compute(node_ids)``; ``with_timeout`` / ``with_no_failover`` /
    ``with_no_result_cache`` return a changed copy, as Java's ``ClientCompute`` does.
    """

    def __init__(
        self,
        client: AioClient,
        node_ids: Iterable[uuid.UUID] | None = None,
        *,
        timeout: float | None = None,
        flags: int = 0,
    ) -> None:
        self._client = client
        self.node_ids = _node_ids(node_ids)
        if timeout is not None and not _facade.is_seconds(timeout):
            raise ParameterError(f"compute(): timeout must be > 0 seconds or None, got {timeout!r}")
        self.timeout = timeout
        self._flags = flags

    def __repr__(self) -> str:
        nodes = f"{len(self.node_ids)} nodes" if self.node_ids else "all servers"
        return f"<{type(self).__name__} {nodes} timeout={self.timeout}>"

    def _copy(self, *, timeout: float | None, flags: int) -> AioCompute:
        return type(self)(self._client, self.node_ids, timeout=timeout, flags=flags)

    def with_timeout(self, timeout: float | None) -> AioCompute:
        """The same, with tasks failed by the server after ``timeout`` seconds."""
        return self._copy(timeout=timeout, flags=self._flags)

    def with_no_failover(self) -> AioCompute:
        """The same, with jobs not failed over to other nodes when their node leaves."""
        return self._copy(timeout=self.timeout, flags=self._flags | FLAG_NO_FAILOVER)

    def with_no_result_cache(self) -> AioCompute:
        """The same, with the server keeping no job results (for tasks that ignore them)."""
        return self._copy(timeout=self.timeout, flags=self._flags | FLAG_NO_RESULT_CACHE)

    async def execute(self, task_name: str, arg: Any = None) -> Any:
        """Run task ``task_name`` (a class name on the servers) with ``arg``; its result.

        Raises ``ComputeError`` when the task is unknown, fails, times out on the server
        or is cancelled; ``RequestTimeoutError`` when the result did not arrive in time.
        """
        task = await self.start(task_name, arg)
        async with task:
            return await task.result()

    async def start(self, task_name: str, arg: Any = None) -> AioComputeTask:
        """Start the task and return at once; :meth:`AioComputeTask.result` waits for it."""
        text(task_name, "compute: task name")
        client = self._client
        conn = await client._current()
        protocol = conn.protocol
        require("compute", protocol.version, protocol.features, node=str(conn.address))
        timeout_ms = 0 if self.timeout is None else max(1, math.ceil(self.timeout * 1000))
        flow = execute_task(
            task_name, arg, self.node_ids, self._flags, timeout_ms, client._context()
        )
        task_id = await client._run_on(conn, flow)
        inbox = AioInbox(conn)
        conn.notifications.subscribe(task_id, inbox.put)
        return AioComputeTask(client, task_name, task_id, inbox, self._wait_bound())

    def _wait_bound(self) -> float | None:
        request_timeout = self._client._options.timeout
        if self.timeout is None:
            return request_timeout
        return self.timeout + (GRACE if request_timeout is None else request_timeout)


class AioComputeTask:
    """A started task: await :meth:`result`, or :meth:`cancel` it."""

    def __init__(
        self,
        client: AioClient,
        name: str,
        task_id: int,
        inbox: AioInbox,
        wait: float | None,
    ) -> None:
        self._client = client
        self.name = name
        self.task_id = task_id
        self._inbox: AioInbox | None = inbox
        self._wait = wait
        self._done = False
        self._outcome: tuple[bool, Any] | None = None

    def __repr__(self) -> str:
        state = "done" if self._done else "running"
        return f"<{type(self).__name__} {self.name!r} id={self.task_id} {state}>"

    @property
    def node(self) -> str | None:
        """``host:port`` of the node the task was started from."""
        return str(self._inbox.conn.address) if self._inbox is not None else None

    async def result(self, timeout: float | None = None) -> Any:
        """The task's result; waits at most ``timeout`` s (default: the task's bound)."""
        if self._outcome is None:
            inbox = self._inbox
            if inbox is None:
                raise ComputeError(f"compute task {self.name!r} was cancelled", op=_OP)
            node = str(inbox.conn.address)
            wait = self._wait if timeout is None else timeout
            started = time.monotonic()
            item = await inbox.get(wait)
            if item is None:
                await self.cancel()
                raise RequestTimeoutError(
                    f"compute task {self.name!r} sent no result within "
                    f"{time.monotonic() - started:.1f} s; it was cancelled",
                    op=_OP,
                    node=node,
                )
            self._finish(inbox)
            self._outcome = await self._settle(item, node)
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    async def _settle(self, item: object, node: str) -> tuple[bool, Any]:
        if isinstance(item, Notification):
            if not item.ok:
                error = ComputeError(
                    f"compute task {self.name!r} failed: {item.message}",
                    op=_OP,
                    node=node,
                    status=item.status,
                )
                return False, error
            ctx = self._client._context()
            payload = item.payload
            value = await self._client._run(
                decode_with_types(ctx, lambda: decode_result(payload, ctx))
            )
            return True, value
        if isinstance(item, IgniteError):
            return False, item  # the connection failed: the result is lost
        return False, ComputeError(f"compute task {self.name!r}: result was dropped", op=_OP)

    def _finish(self, inbox: AioInbox, *, cancelled: bool = False) -> None:
        self._done = True
        # a cancelled task still sends its end ("Task was cancelled"): drop it on arrival
        inbox.conn.notifications.unsubscribe(self.task_id, ignore_next=cancelled)

    async def cancel(self) -> None:
        """Cancel the task on the server (nothing if it has finished).  Idempotent."""
        inbox, self._inbox = self._inbox, None
        if inbox is None or self._done:
            return
        self._finish(inbox, cancelled=True)
        conn: AioConnection = inbox.conn
        if conn.is_open:
            # The server cancels the task with the connection anyway: best effort.
            with contextlib.suppress(IgniteError):
                await self._client._run_on(conn, close_task(self.task_id))

    async def __aenter__(self) -> AioComputeTask:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._done:
            await self.cancel()
