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

from . import _checks
from ._protocol.features import Feature
from ._protocol.requirements import require

__all__ = ["check", "request_fields"]

#: Partitions per cache the server may have (RendezvousAffinityFunction's maximum).
_MAX_PARTITION = 65535


def check(
    partitions: Iterable[int] | None, update_batch_size: int
) -> tuple[tuple[int, ...] | None, int]:
    """Validated ``(partitions, update_batch_size)``; ``ParameterError`` names the bad one
    (the public API's argument checks, :mod:`ignite_wire._checks`)."""
    batch = _checks.integer(update_batch_size, "sql(): update_batch_size", 1, 2**31 - 1)
    if partitions is None:
        return None, batch
    # Taken once (an iterator is read here, not twice), then checked as a sequence.
    wanted = "an iterable of partition numbers (ints)"
    parts = tuple(_checks.iterable(partitions, "sql(): partitions", wanted))
    _checks.partitions(parts, "sql(): partitions")
    return parts, batch


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
