"""SQL ``partitions`` and ``update_batch_size``: checked once, sent where the server can.

Both travel only in the fields feature bit 7 (QRY_PARTITIONS_BATCH_SIZE) adds to the SQL
request.  The client offers the bit; whether a connection has it is known once the
cursor starts, so :func:`request_fields` reads it then, from an open connection (one
cluster runs one Ignite version).  Asking for either against a server without the bit
raises ``NotSupportedByClusterError`` instead of silently querying every partition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ._protocol.features import Feature
from ._protocol.requirements import require
from .exceptions import ParameterError

__all__ = ["check", "request_fields"]

#: Partitions per cache the server may have (RendezvousAffinityFunction's maximum).
_MAX_PARTITION = 65535


def check(
    partitions: Iterable[int] | None, update_batch_size: int
) -> tuple[tuple[int, ...] | None, int]:
    """Validated ``(partitions, update_batch_size)``; ``ParameterError`` names the bad one."""
    if (
        isinstance(update_batch_size, bool)
        or not isinstance(update_batch_size, int)
        or not (1 <= update_batch_size <= 2**31 - 1)
    ):
        raise ParameterError(
            f"sql(): update_batch_size must be an int >= 1, got {update_batch_size!r}"
        )
    if partitions is None:
        return None, update_batch_size
    if isinstance(partitions, (str, bytes)):
        raise ParameterError(f"sql(): partitions must be ints, got {partitions!r}")
    parts = tuple(partitions)
    for p in parts:
        if isinstance(p, bool) or not isinstance(p, int) or not 0 <= p <= _MAX_PARTITION:
            raise ParameterError(f"sql(): a partition must be an int in 0..65535, got {p!r}")
    if not parts:
        raise ParameterError("sql(): partitions must name at least one partition")
    return parts, update_batch_size


def request_fields(
    connections: Callable[[], Sequence[Any]],
    partitions: tuple[int, ...] | None,
    update_batch_size: int,
) -> dict[str, Any]:
    """The ``sql_fields`` keyword arguments for the connection about to run the query."""
    conns = connections()
    protocol = conns[0].protocol if conns else None
    has_bit = protocol is not None and protocol.supports(Feature.QRY_PARTITIONS_BATCH_SIZE)
    if not has_bit and (partitions is not None or update_batch_size != 1):
        what = "SQL partitions" if partitions is not None else "SQL update batch size"
        require(
            what,
            protocol.version if protocol is not None else None,
            protocol.features if protocol is not None else frozenset(),
            node=str(conns[0].address) if conns else None,
        )
    return {
        "partitions": partitions,
        "update_batch_size": update_batch_size,
        "partitions_field": has_bit,
    }
