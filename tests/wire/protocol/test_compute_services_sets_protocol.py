"""Compute (6000/6001), services (7000-7003) and sets (9010-9023) from hand-built bytes:
the request layouts as 2.17's bytecode reads them, the answers decoded, and every
truncation or inconsistent count a ParseError."""

from __future__ import annotations

import struct
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.codec import write_value
from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.flow import Flow
from ignite_wire._protocol.messages import Response
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire._protocol.ops import compute, services, sets
from ignite_wire.exceptions import ComputeError, ParseError, ServiceError

NODE = uuid.UUID("01234567-89ab-cdef-fedc-ba9876543210")


def typed(value: Any) -> bytes:
    out = bytearray()
    write_value(out, value, None, ctx=CodecContext())
    return bytes(out)


def run(flow: Flow[Any], answer: bytes) -> tuple[bytes, Any]:
    """The request's payload, and the flow's result for ``answer``."""
    request = next(flow)
    with pytest.raises(StopIteration) as done:
        flow.send(Response(1, 0, None, answer))
    return bytes(request.payload), done.value.value


# -- compute ---------------------------------------------------------------------------


def test_execute_task_layout() -> None:
    flow = compute.execute_task("T", 5, [NODE], compute.FLAG_NO_FAILOVER, 1500, CodecContext())
    payload, task_id = run(flow, struct.pack("<q", 77))
    msb, lsb = struct.unpack("<qq", payload[4:20])
    assert struct.unpack("<i", payload[:4]) == (1,)
    assert uuid.UUID(int=((msb % 2**64) << 64) | (lsb % 2**64)) == NODE
    assert payload[20:29] == struct.pack("<bq", 1, 1500)
    assert payload[29:] == typed("T") + typed(5)
    assert task_id == 77


def test_unknown_task_error_names_the_task() -> None:
    flow = compute.execute_task("x.Y", None, [], 0, 0, CodecContext())
    next(flow)
    with pytest.raises(ComputeError, match=r"'x\.Y' could not start: Unknown task"):
        flow.throw(ComputeError("Unknown task name", op="COMPUTE_TASK_EXECUTE", status=1))


@pytest.mark.parametrize("value", [None, 1, "s", [1, "a"], {"k": 2.5}])
def test_task_result_decodes_one_value(value: Any) -> None:
    assert compute.decode_result(typed(value), CodecContext()) == value


@pytest.mark.parametrize("payload", [b"", typed(1) + b"\x00", typed("abc")[:-1]])
def test_bad_task_results_are_parse_errors(payload: bytes) -> None:
    with pytest.raises(ParseError):
        compute.decode_result(payload, CodecContext())


# -- services --------------------------------------------------------------------------


def descriptor(name: str = "svc") -> bytes:
    return (
        typed(name)
        + typed("com.Cls")
        + struct.pack("<ii", 0, 1)
        + typed(None)
        + typed(NODE)
        + b"\x00"
    )


def test_invoke_layout_with_and_without_the_call_context() -> None:
    for with_cc in (False, True):
        flow = services.invoke(
            "svc", "m", [1, "a"], [], 250, {"u": "v"}, with_call_context=with_cc, ctx=CodecContext()
        )
        payload, result = run(flow, typed(42))
        head = typed("svc") + struct.pack("<bqi", 0, 250, 0) + typed("m") + struct.pack("<i", 2)
        tail = typed(1) + typed("a") + (typed({"u": "v"}) if with_cc else b"")
        assert payload == head + tail
        assert result == 42


def test_invoke_failure_names_service_and_method() -> None:
    flow = services.invoke("svc", "m", [], [], 0, None, with_call_context=False, ctx=CodecContext())
    next(flow)
    with pytest.raises(ServiceError, match="service 'svc', method 'm': boom"):
        flow.throw(ServiceError("boom", op="SERVICE_INVOKE", status=1))


def test_descriptors_decode() -> None:
    _, found = run(
        services.get_descriptors(CodecContext()), struct.pack("<i", 2) + descriptor() * 2
    )
    assert found == [services.ServiceDescriptor("svc", "com.Cls", 0, 1, None, NODE, "java")] * 2


def test_every_truncated_descriptor_is_a_parse_error() -> None:
    whole = descriptor()
    for cut in range(len(whole)):
        with pytest.raises(ParseError):
            run(services.get_descriptor("svc", CodecContext()), whole[:cut])


def test_topology_decodes_and_checks_its_count() -> None:
    msb, lsb = NODE.int >> 64, NODE.int & (2**64 - 1)
    ids = struct.pack("<iQQ", 1, msb, lsb)
    assert run(services.get_topology("svc"), ids)[1] == [NODE]
    assert run(services.get_topology("svc"), struct.pack("<i", -1))[1] == []
    with pytest.raises(ParseError):
        run(services.get_topology("svc"), struct.pack("<i", 2) + ids[4:])


# -- sets ------------------------------------------------------------------------------

HANDLE = sets.SetHandle("s", 12, True)


def test_get_or_create_layouts() -> None:
    config = sets.SetConfig(1, 2, 3, "g", False)
    payload, handle = run(sets.get_or_create("s", config), b"\x01\x01" + struct.pack("<i", 12))
    assert payload == typed("s") + b"\x01" + struct.pack("<bbi", 1, 2, 3) + typed("g") + b"\x00"
    assert handle == HANDLE
    payload, handle = run(sets.get_or_create("s", None), b"\x00")
    assert (payload, handle) == (typed("s") + b"\x00", None)


def test_value_and_keys_requests_carry_the_handle_and_keep_binary() -> None:
    prefix = typed("s") + struct.pack("<i?", 12, True) + b"\x01"
    payload, added = run(sets.value_op(OpCode.SET_VALUE_ADD, HANDLE, 5, CodecContext()), b"\x01")
    assert (payload, added) == (prefix + typed(5), True)
    flow = sets.keys_op(OpCode.SET_VALUE_ADD_ALL, HANDLE, [1, 2], CodecContext())
    payload, added = run(flow, b"\x00")
    assert (payload, added) == (prefix + struct.pack("<i", 2) + typed(1) + typed(2), False)


def page(values: list[Any], has_next: bool, resource_id: int | None) -> bytes:
    body = struct.pack("<i", len(values)) + b"".join(typed(v) for v in values)
    body += b"\x01" if has_next else b"\x00"
    return body + (struct.pack("<q", resource_id) if resource_id is not None else b"")


@given(st.lists(st.one_of(st.integers(-(2**63), 2**63 - 1), st.text(max_size=5)), max_size=20))
def test_iterator_pages_decode(values: list[Any]) -> None:
    first = run(sets.iterator_start(HANDLE, 10, CodecContext()), page(values, True, 99))[1]
    assert first == sets.SetPage(values, 99)
    last = run(sets.iterator_start(HANDLE, 10, CodecContext()), page(values, False, None))[1]
    assert last == sets.SetPage(values, None)
    nxt = run(sets.iterator_next(99, 10, CodecContext()), page(values, True, None))[1]
    assert nxt == sets.SetPage(values, 99)
    end = run(sets.iterator_next(99, 10, CodecContext()), page(values, False, None))[1]
    assert end == sets.SetPage(values, None)


def test_every_truncated_page_is_a_parse_error() -> None:
    whole = page([1, "two"], True, 5)
    for cut in range(len(whole)):
        with pytest.raises(ParseError):
            run(sets.iterator_start(HANDLE, 10, CodecContext()), whole[:cut])
    with pytest.raises(ParseError):
        run(sets.iterator_start(HANDLE, 10, CodecContext()), struct.pack("<i", 2**30) + b"\x00")
