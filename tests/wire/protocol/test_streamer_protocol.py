"""The data streamer's sans-IO parts: the START layout, flags, the tally, the options,
and what a connection needs before a batch is sent (plain data, no server)."""

from __future__ import annotations

import struct
from collections import OrderedDict
from typing import Any

import pytest

from ignite_wire import GenericObjectMeta
from ignite_wire._facade_streamer import DataStreamerError, StreamOptions, Tally
from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.features import V1_6_0, V1_7_0
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire._protocol.ops import streamer as ops
from ignite_wire._protocol.requirements import require
from ignite_wire.datatypes import IntObject
from ignite_wire.exceptions import (
    CacheError,
    NotSupportedByClusterError,
    ParameterError,
    ServerError,
)


def test_start_request_golden_bytes() -> None:
    flags = ops.flags_for(allow_overwrite=False, skip_store=False)
    assert flags == ops.KEEP_BINARY | ops.FLUSH | ops.CLOSE == 0x1C
    payload = ops.encode_batch(0x01020304, flags, [(1, "a"), (2, None)], CodecContext())
    expected = struct.pack("<ibii", 0x01020304, 0x1C, -1, -1)
    expected += b"\x65"  # no receiver
    expected += struct.pack("<i", 2)
    expected += b"\x04" + struct.pack("<q", 1) + b"\x09" + struct.pack("<i", 1) + b"a"
    expected += b"\x04" + struct.pack("<q", 2) + b"\x65"  # a null value: remove the key
    assert bytes(payload) == expected


@pytest.mark.parametrize(
    ("overwrite", "skip", "flags"),
    [(False, False, 0x1C), (True, False, 0x1D), (False, True, 0x1E), (True, True, 0x1F)],
)
def test_flags(overwrite: bool, skip: bool, flags: int) -> None:
    assert ops.flags_for(allow_overwrite=overwrite, skip_store=skip) == flags


def test_a_batch_registers_its_new_binary_types_before_it_is_sent() -> None:
    class StreamedThing(
        metaclass=GenericObjectMeta,
        type_name="StreamedThing",
        schema=OrderedDict([("n", IntObject)]),
    ):
        pass

    ctx = CodecContext()
    payload = ops.encode_batch(7, 0x1C, [(1, StreamedThing(n=1))], ctx)
    flow = ops.send_batch(payload, ctx)
    first = next(flow)
    assert first.op == OpCode.BINARY_TYPE_PUT
    second = flow.send(None)  # type: ignore[arg-type]
    assert second.op == OpCode.DATA_STREAMER_START
    assert second.payload == payload
    assert second.error_class is CacheError
    with pytest.raises(StopIteration):
        flow.send(None)  # type: ignore[arg-type]


def test_the_streamer_needs_protocol_1_7() -> None:
    with pytest.raises(NotSupportedByClusterError, match="data streamer is not supported"):
        require("data streamer", V1_6_0, frozenset(), node="n:1")
    require("data streamer", V1_7_0, frozenset())


def test_tally_reports_only_changes_and_raises_each_failure_once() -> None:
    calls: list[tuple[int, int]] = []
    tally = Tally(lambda *p: calls.append(p))
    tally.report()
    assert calls == []
    tally.record(tuple(range(10)), None)
    tally.report()
    tally.report()
    error = ServerError("refused", node="127.0.0.1:10800", status=1)
    tally.record((1, 2, 3), error)
    tally.report()
    assert calls == [(10, 0), (10, 3)]
    with pytest.raises(DataStreamerError) as err:
        tally.raise_new_failures()
    assert err.value.failures[0].keys == (1, 2, 3)
    assert err.value.failures[0].node == "127.0.0.1:10800"
    assert (err.value.loaded, err.value.failed) == (10, 3)
    assert "3 entries in 1 batch(es) were not stored (10 were)" in err.value.message
    tally.raise_new_failures()  # raised once: nothing new now


def test_a_server_without_the_streamer_ends_the_load_with_that_error() -> None:
    tally = Tally(None)
    missing = NotSupportedByClusterError("unknown op", status=2)
    tally.record((1,), missing)
    with pytest.raises(NotSupportedByClusterError) as err:
        tally.raise_new_failures()
    assert err.value is missing
    with pytest.raises(NotSupportedByClusterError):
        tally.check_fatal()


@pytest.mark.parametrize(
    "options",
    [
        {"batch_size": 0},
        {"batch_size": 1.5},
        {"parallel": -1},
        {"parallel": False},
        {"allow_overwrite": "yes"},
        {"skip_store": None},
        {"progress": 3},
    ],
)
def test_bad_options(options: dict[str, Any]) -> None:
    with pytest.raises(ParameterError, match=r"streamer\(\)"):
        StreamOptions(**options)
