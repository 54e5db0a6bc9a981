"""Issue 9, defect 3: work in proportion to the bytes received, never to a claimed count.

Each test failed before its fix: a SQL page of 0 columns and 10 million rows built 10
million empty rows (17 s, 800 MB); the feature mask decoder was quadratic; discovery
records with impossible ports reached ``connect()``.
"""

from __future__ import annotations

import struct
import time
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.codec import CodecContext, decode_rows
from ignite_wire._protocol.features import Feature, bitmask_to_features, features_to_bitmask
from ignite_wire._protocol.flow import drive_sync
from ignite_wire._protocol.messages import Response
from ignite_wire._protocol.ops.liveness import decode_endpoints
from ignite_wire._protocol.ops.query import sql_fields
from ignite_wire._transport.options import endpoint_problem
from ignite_wire.exceptions import ParseError

# The bounds below are on the CPU time of the calling thread (``time.thread_time``), the
# work the decoders do: wall time also counts the scheduler's, and beside busy loops on a
# shared 2-core machine a 10 ms bound failed once in 60 runs (29 ms of wall time) and a
# 50 ms one once in 60 (166 ms).  These decoders are pure and run in the calling thread.


@pytest.mark.parametrize("rows", [10_000_000, 2**31 - 1, 6])
def test_rows_of_no_columns_are_bounded_by_the_bytes(rows: int) -> None:
    started = time.thread_time()
    with pytest.raises(ParseError, match="exceed the remaining bytes"):
        decode_rows(b"\x00" * 5, 0, rows, 0, CodecContext())
    assert time.thread_time() - started < 0.05


def test_a_real_empty_page_still_decodes() -> None:
    assert decode_rows(b"\x00", 0, 0, 0, CodecContext()) == ([], 0)
    assert decode_rows(b"\x00\x00", 0, 2, 0, CodecContext()) == ([[], []], 0)


def _sql_answer(columns: int, rows: int) -> bytes:
    return struct.pack("<qii", 7, columns, rows) + b"\x00"


def test_a_sql_page_claiming_millions_of_empty_rows_is_refused_fast() -> None:
    def send(request: object) -> Response:
        return Response(1, 0, None, _sql_answer(0, 10_000_000))

    flow = sql_fields(
        bytearray(5),
        CodecContext(),
        query="select 1",
        args=[],
        schema="PUBLIC",
        page_size=1024,
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
    )
    started = time.thread_time()
    with pytest.raises(ParseError):
        drive_sync(flow, send)
    assert time.thread_time() - started < 0.05


@pytest.mark.parametrize("size", [16 * 1024, 32 * 1024, 1 << 20])
def test_a_huge_feature_mask_decodes_in_constant_time(size: int) -> None:
    mask = b"\xff" * size
    started = time.thread_time()
    assert bitmask_to_features(mask) == frozenset(Feature)
    assert time.thread_time() - started < 0.01


@given(st.sets(st.sampled_from(list(Feature))), st.binary(max_size=64))
def test_feature_mask_roundtrip_with_unknown_high_bits(features: set[Feature], tail: bytes) -> None:
    mask = features_to_bitmask(features).ljust(3, b"\x00") + tail
    assert bitmask_to_features(mask) == frozenset(features)


def _endpoints(*records: tuple[int, list[str]]) -> bytes:
    out = struct.pack("<qi", 1, len(records))
    for port, hosts in records:
        out += uuid.uuid4().bytes + struct.pack("<ii", port, len(hosts))
        for host in hosts:
            data = host.encode()
            out += b"\x09" + struct.pack("<i", len(data)) + data
    return out


def test_discovery_records_decode_whatever_port_they_claim() -> None:
    nodes = decode_endpoints(_endpoints((70000, ["127.0.0.1"]), (-1, ["127.0.0.1"])))
    assert [n.port for n in nodes] == [70000, -1]  # the pool, not the decoder, refuses them


@pytest.mark.parametrize(
    ("host", "port", "loopback_only", "problem"),
    [
        ("127.0.0.1", 10800, True, None),
        ("::1", 10800, True, None),
        ("localhost", 1, True, None),
        ("node-1.example.com", 65535, False, None),
        ("127.0.0.1", 70000, True, "port out of range"),
        ("127.0.0.1", -1, True, "port out of range"),
        ("127.0.0.1", 0, True, "port out of range"),
        ("10.0.0.5", 10800, True, "not loopback"),
        ("10.0.0.5", 10800, False, None),
        ("", 10800, False, "empty or overlong host"),
        ("a" * 300, 10800, False, "empty or overlong host"),
        ("bad host\x00", 10800, False, "not an IP address or host name"),
        ("-leading.dash", 10800, False, "not an IP address or host name"),
    ],
)
def test_endpoint_problem(host: str, port: int, loopback_only: bool, problem: str | None) -> None:
    assert endpoint_problem(host, port, loopback_only=loopback_only) == problem
