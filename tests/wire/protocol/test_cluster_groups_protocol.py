"""Cluster-group answers (op 5100) parsed from hand-built bytes: ids, and every truncation
or inconsistent count a ParseError."""

from __future__ import annotations

import struct
import uuid

import pytest

from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.messages import Response
from ignite_wire._protocol.ops.cluster import group_node_ids
from ignite_wire.exceptions import ParseError

IDS = [uuid.UUID("01234567-89ab-cdef-fedc-ba9876543210"), uuid.UUID(int=5)]


def answer(ids: list[uuid.UUID]) -> bytes:
    body = b"\x01" + struct.pack("<qi", 7, len(ids))
    for i in ids:
        msb, lsb = i.int >> 64, i.int & (2**64 - 1)
        body += struct.pack("<QQ", msb, lsb)
    return body


def run(payload: bytes) -> list[uuid.UUID]:
    flow = group_node_ids([("attr", "v")], True, CodecContext())
    request = next(flow)
    assert bytes(request.payload).startswith(struct.pack("<qi", -1, 2))
    with pytest.raises(StopIteration) as done:
        flow.send(Response(1, 0, None, payload))
    return done.value.value  # type: ignore[no-any-return]


def test_ids_are_read_msb_first() -> None:
    assert run(answer(IDS)) == IDS


def test_every_truncation_is_a_parse_error() -> None:
    whole = answer(IDS)
    for cut in range(len(whole)):
        with pytest.raises(ParseError):
            run(whole[:cut])
    with pytest.raises(ParseError):
        run(whole + b"\x00")
