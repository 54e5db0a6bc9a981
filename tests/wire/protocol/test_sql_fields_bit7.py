"""The SQL-fields request with feature bit 7: partitions and update batch size bytes."""

from __future__ import annotations

import struct
from typing import Any

from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.ops.query import sql_fields


def sql_request(**options: Any) -> bytes:
    flow = sql_fields(
        bytearray(),
        CodecContext(),
        query="S",
        args=[],
        schema=None,
        page_size=1,
        max_rows=-1,
        statement_type=0,
        distributed_joins=False,
        local=False,
        replicated_only=False,
        enforce_join_order=False,
        collocated=False,
        lazy=False,
        timeout_ms=0,
        include_field_names=False,
        **options,
    )
    return bytes(next(flow).payload)


def test_sql_partitions_and_batch_size_follow_the_flags_when_bit_7_is_on() -> None:
    plain = sql_request()
    assert sql_request(partitions_field=True) == plain + struct.pack("<ii", -1, 1)
    assert sql_request(partitions=[3, 9], update_batch_size=5, partitions_field=True) == (
        plain + struct.pack("<iiii", 2, 3, 9, 5)
    )
