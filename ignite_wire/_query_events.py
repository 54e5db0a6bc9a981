"""The query events (pyignite's ``QueryEventListener``) a request produces: no I/O.

The node pool times a request and hands the outcome here; what event that is, and with
which words, is decided once for both clients: a start event when sent, then a failure
(an exception, or a response with a non-zero status) or a success, paired by
``query_id``.  Durations are in milliseconds, as pyignite reports them.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from ._protocol.messages import Response
from ._protocol.opcodes import op_name
from ._transport.options import Address
from .exceptions import IgniteError
from .monitoring import QueryFailEvent, QueryStartEvent, QuerySuccessEvent

__all__ = ["Published", "query_finished", "query_started"]


class Published(NamedTuple):
    """A listener method name and the event to pass it."""

    method: str
    event: QueryStartEvent | QuerySuccessEvent | QueryFailEvent


def query_started(address: Address, node_id: uuid.UUID | None, query_id: int, op: int) -> Published:
    """The event of a request just sent."""
    event = QueryStartEvent(address.host, address.port, node_id, query_id, op, op_name(op))
    return Published("on_query_start", event)


def query_finished(
    address: Address,
    node_id: uuid.UUID | None,
    query_id: int,
    op: int,
    elapsed_ms: float,
    outcome: Response | IgniteError,
) -> Published:
    """The event of a request that ended with ``outcome`` (its response or its error)."""
    where = (address.host, address.port, node_id, query_id, op, op_name(op))
    if isinstance(outcome, IgniteError):
        return Published("on_query_fail", QueryFailEvent(*where, elapsed_ms, outcome.message))
    if outcome.status:
        return Published("on_query_fail", QueryFailEvent(*where, elapsed_ms, outcome.message or ""))
    return Published("on_query_success", QuerySuccessEvent(*where, elapsed_ms))
