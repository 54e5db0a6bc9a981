"""The first page of an index query, decided per connection (shared by both clients).

Whether the query may be sent, and whether its request has the limit field, depends on
the negotiated feature bits, known once the cursor starts and connects: :func:`first_page`
returns the cursor's first-page builder, which reads them from an open connection
(``connections()``; the nodes of one cluster run one Ignite version, so any will do).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._protocol.context import CodecContext
from ._protocol.features import Feature
from ._protocol.flow import Flow
from ._protocol.ops.common import naming_cache
from ._protocol.ops.index_query import Criterion, index_query
from ._protocol.ops.query import ScanPage
from ._protocol.requirements import require
from .exceptions import ParameterError

__all__ = ["first_page"]


def first_page(
    connections: Callable[[], Sequence[Any]],
    cache_name: str,
    value_type: str,
    criteria: Sequence[Criterion],
    **options: Any,
) -> Callable[[CodecContext, bytearray], Flow[ScanPage]]:
    if not isinstance(value_type, str) or not value_type:
        raise ParameterError(f"index_query(): value_type must be a type name, not {value_type!r}")
    criteria = list(criteria)

    def build(ctx: CodecContext, header: bytearray) -> Flow[ScanPage]:
        open_now = connections()
        if not open_now:  # the cursor's own start connects first; this is a safeguard
            raise ParameterError("index_query(): the client is not connected")
        conn = open_now[0]
        protocol = conn.protocol
        require("index query", protocol.version, protocol.features, node=str(conn.address))
        flow = index_query(
            header,
            ctx,
            value_type=value_type,
            criteria=criteria,
            send_limit=protocol.supports(Feature.INDEX_QUERY_LIMIT),
            **options,
        )
        return naming_cache(flow, cache_name)

    return build
