"""Transactions (ops 4000/4001, protocol 1.5.0 and newer).

A transaction lives on the connection that started it: every cache operation inside it
carries the tx id in its cache header and must go to that connection (the client
drives these flows on it).
"""

from __future__ import annotations

import struct

from ...exceptions import ParseError, TransactionError
from ..buffer import write_str
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = ["tx_end", "tx_start"]

_START = struct.Struct("<bbq")
_END = struct.Struct("<i?")
_I32 = struct.Struct("<i")


def tx_start(
    concurrency: int,
    isolation: int,
    timeout_ms: int,
    label: str | None,
) -> Flow[int]:
    """TX_START: returns the transaction id."""
    out = bytearray(_START.pack(concurrency, isolation, timeout_ms))
    write_str(out, label)
    response = yield Request(OpCode.TX_START, out, TransactionError)
    if len(response.payload) < 4:
        raise ParseError("TX_START answered without a transaction id", offset=0)
    return int(_I32.unpack_from(response.payload, 0)[0])


def tx_end(tx_id: int, commit: bool) -> Flow[None]:
    """TX_END: commit (``True``) or roll back."""
    yield Request(OpCode.TX_END, _END.pack(tx_id, commit), TransactionError)
