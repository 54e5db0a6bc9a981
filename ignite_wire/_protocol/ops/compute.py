"""Compute tasks by name: op 6000 starts one, notification 6001 brings its result.

Layouts, read from the bytecode of Ignite 2.17's ``ClientExecuteTaskRequest``,
``ClientExecuteTaskResponse`` and ``ClientComputeTask``::

    request (6000)   i32 n | (i64 msb, i64 lsb) * n (node ids, untyped) | i8 flags
                         | i64 timeoutMs | Str taskName | object arg
    response         i64 taskId (a resource id of the connection)
    finished (6001)  notification of resource taskId: the result as one typed value, or
                         the error flag with the failure's message

``n = 0`` runs the task on every server node.  Flags: 0x01 no failover, 0x02 no result
cache.  ``timeoutMs = 0`` means none.  The server registers its listener only after the
response is on the wire, so the notification always follows the response; the
connection's :class:`~.notifications.NotificationRouter` still buffers one that meets
no subscriber yet.  Closing the resource (RESOURCE_CLOSE with the task id) cancels the
task; a task the server cannot find fails at once (status 1, "Unknown task name ...").

The task needs feature bit 1 (EXECUTE_TASK_BY_NAME), and the node must allow thin
clients to run tasks (``ThinClientConfiguration.maxActiveComputeTasksPerConnection``
> 0; otherwise status 100, FUNCTIONALITY_DISABLED).
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence
from typing import Any

from ...exceptions import ComputeError, ParseError
from ..buffer import Buffer, write_str
from ..codec import decode_value, write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from .cluster import uuid_halves
from .common import register_pending

__all__ = [
    "FLAG_NO_FAILOVER",
    "FLAG_NO_RESULT_CACHE",
    "close_task",
    "decode_result",
    "execute_task",
]

FLAG_NO_FAILOVER = 0x01
FLAG_NO_RESULT_CACHE = 0x02

_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_FLAGS_TIMEOUT = struct.Struct("<bq")
_UUID = struct.Struct("<qq")


def execute_task(
    task_name: str,
    arg: Any,
    node_ids: Sequence[uuid.UUID],
    flags: int,
    timeout_ms: int,
    ctx: CodecContext,
) -> Flow[int]:
    """COMPUTE_TASK_EXECUTE: start the task; returns its task (resource) id."""
    out = bytearray(_I32.pack(len(node_ids)))
    for node_id in node_ids:
        out += _UUID.pack(*uuid_halves(node_id))
    out += _FLAGS_TIMEOUT.pack(flags, timeout_ms)
    write_str(out, task_name)
    write_value(out, arg, None, ctx=ctx)
    yield from register_pending(ctx)
    try:
        response = yield Request(OpCode.COMPUTE_TASK_EXECUTE, out, ComputeError)
    except ComputeError as exc:  # "Unknown task name ...": say which task
        raise ComputeError(
            f"compute task {task_name!r} could not start: {exc.message}",
            op=exc.op,
            status=exc.status,
        ) from None
    if len(response.payload) < 8:
        raise ParseError("COMPUTE_TASK_EXECUTE answer ends before its task id", offset=0)
    return int(_I64.unpack_from(response.payload, 0)[0])


def decode_result(payload: Buffer, ctx: CodecContext) -> Any:
    """The result a 6001 notification carries (raises ``NeedBinaryType`` for unknown types)."""
    if not payload:
        raise ParseError("COMPUTE_TASK_FINISHED carries no result", offset=0)
    value, pos = decode_value(payload, 0, ctx)
    if pos != len(payload):
        raise ParseError(f"{len(payload) - pos} bytes after the task's result", offset=pos)
    return value


def close_task(task_id: int) -> Flow[None]:
    """RESOURCE_CLOSE: cancel the task (the server ignores a task that has finished)."""
    yield Request(OpCode.RESOURCE_CLOSE, _I64.pack(task_id), ComputeError)
