"""Generated hostile answers of a fake node: handshakes, responses, pages, binary objects,
metadata and discovery records, each valid, mutated, truncated or lying about a count.

Pure functions of a ``random.Random``: a failing frame is reproduced from its seed.
Imported as ``hostile_frames`` (pytest puts the test folder on ``sys.path``).
"""

from __future__ import annotations

import random
import struct
import uuid
from collections import OrderedDict
from datetime import datetime, timezone
from decimal import Decimal

from ignite_wire import datatypes as dt
from ignite_wire._protocol.binary_types import BinaryField, BinaryType, encode_binary_type
from ignite_wire._protocol.codec import CodecContext, encode_value
from ignite_wire.binary import GenericObjectMeta

__all__ = ["handshake", "response_for"]

_I32 = struct.Struct("<i")
_EXTREMES = [0, 1, -1, 2**31 - 1, -(2**31), 2**30, 65535, 70000, 1 << 24]


class _Person(
    metaclass=GenericObjectMeta,
    type_name="HostilePerson",
    schema=OrderedDict([("id", dt.IntObject), ("name", dt.String), ("tags", dt.MapObject)]),
):
    pass


def _corpus() -> list[bytes]:
    ctx = CodecContext()
    values: list[object] = [
        1,
        -(2**63),
        3.5,
        "text",
        "ünïcode" * 20,
        b"\x00\x01" * 50,
        [1, "a", None, [2.0, {"k": "v"}]],
        {i: str(i) for i in range(20)},
        uuid.UUID(int=12345),
        datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        Decimal("-12345.678901234567890"),
        True,
        _Person(id=7, name="x", tags={"a": [1, 2]}),
        [_Person(id=i, name=str(i), tags={}) for i in range(3)],
    ]
    return [encode_value(v, ctx=ctx) for v in values]


CORPUS = _corpus()
_METADATA = encode_binary_type(
    BinaryType(
        _Person.binary_type.type_id,
        "HostilePerson",
        (BinaryField("id", 3, 1), BinaryField("name", 9, 2)),
        {1: (1, 2)},
    )
)


def mutate(rnd: random.Random, data: bytes) -> bytes:
    """A mutation: bit flips, an i32 replaced by an extreme, a cut, a splice, or random."""
    buf = bytearray(data)
    kind = rnd.randrange(6)
    if kind == 0 and buf:
        for _ in range(rnd.randint(1, 4)):
            buf[rnd.randrange(len(buf))] ^= 1 << rnd.randrange(8)
    elif kind == 1 and len(buf) >= 4:
        at = rnd.randrange(len(buf) - 3)
        buf[at : at + 4] = _I32.pack(rnd.choice(_EXTREMES))
    elif kind == 2:
        buf = buf[: rnd.randrange(len(buf) + 1)]
    elif kind == 3:
        buf = buf[: rnd.randrange(len(buf) + 1)] + rnd.randbytes(rnd.randrange(16))
    elif kind == 4:
        buf = bytearray(rnd.randbytes(rnd.randrange(48)))
    return bytes(buf)


def _value(rnd: random.Random) -> bytes:
    return rnd.choice(CORPUS)


def _str(text: str) -> bytes:
    data = text.encode()
    return b"\x09" + _I32.pack(len(data)) + data


def _payload(rnd: random.Random, op: int) -> bytes:
    """A valid-looking payload for ``op``, before mutation."""
    if op == 1000:  # CACHE_GET
        return _value(rnd)
    if op == 1003:  # CACHE_GET_ALL
        n = rnd.randrange(4)
        return _I32.pack(n) + b"".join(_value(rnd) + _value(rnd) for _ in range(n))
    if op == 1050:  # CACHE_GET_NAMES
        n = rnd.randrange(4)
        return _I32.pack(n) + b"".join(_str(f"c{i}") for i in range(n))
    if op in (2004, 2005):  # SQL page (the first with cursor id and columns)
        cols = rnd.randrange(4)
        rows = rnd.randrange(4)
        body = _I32.pack(rows) + b"".join(_value(rnd) for _ in range(rows * cols))
        body += bytes([rnd.randrange(2)])
        if op == 2004:
            return struct.pack("<qi", rnd.randrange(100), cols) + body
        return body
    if op in (2000, 2001):  # scan page
        n = rnd.randrange(4)
        body = _I32.pack(n) + b"".join(_value(rnd) + _value(rnd) for _ in range(n))
        body += bytes([rnd.randrange(2)])
        return (struct.pack("<q", rnd.randrange(100)) + body) if op == 2000 else body
    if op == 3002:  # BINARY_TYPE_GET
        return b"\x01" + _METADATA if rnd.random() < 0.8 else b"\x00"
    if op == 5102:  # discovery
        n = rnd.randrange(4)
        out = struct.pack("<qi", 1, n)
        for _ in range(n):
            port = rnd.choice([10800, 70000, -1, 0, 65536, 1])
            host = rnd.choice(["127.0.0.1", "::1", "", "bad\x00host", "10.0.0.1", "x" * 300])
            out += uuid.UUID(int=rnd.getrandbits(128)).bytes + struct.pack("<ii", port, 1)
            out += _str(host)
        return out
    if op == 1101:  # cache partitions
        return struct.pack("<qi?i", 1, 0, True, 0)
    if op == 5000:  # cluster state
        return bytes([rnd.randrange(4)])
    return b""


def response_for(rnd: random.Random, request_id: int, op: int) -> bytes:
    """One whole frame answering ``request_id``: valid, mutated, or a lying header."""
    payload = _payload(rnd, op)
    if rnd.random() < 0.7:
        payload = mutate(rnd, payload)
    kind = rnd.randrange(12)
    if kind == 0:  # an error with a status and a message (maybe lying about its length)
        message = mutate(rnd, _str("hostile error " * rnd.randrange(4)))
        body = struct.pack("<qh", request_id, 1) + _I32.pack(rnd.randrange(1, 5000)) + message
    elif kind == 1:  # a topology change announced (maybe truncated)
        version = struct.pack("<qi", rnd.randrange(2**40), rnd.randrange(9))
        body = struct.pack("<qh", request_id, 2) + mutate(rnd, version) + payload
    elif kind == 2:  # unknown flags, or a notification for nobody, then the answer
        odd = struct.pack("<qh", request_id, rnd.choice([4, 8, 0x7FFF, -1])) + payload
        body = struct.pack("<qh", request_id, 0) + payload
        return _I32.pack(len(odd)) + odd + _I32.pack(len(body)) + body
    else:
        body = struct.pack("<qh", request_id, 0) + payload
    length = len(body)
    if rnd.random() < 0.03:  # the length prefix lies
        length = rnd.choice([-1, 0, 3, 2**31 - 1, 1 << 25, length + 1000])
        if length > len(body) and length < (1 << 20):
            return _I32.pack(length) + body  # then the peer hangs up (caller closes)
    return _I32.pack(length) + body


def handshake(rnd: random.Random) -> bytes:
    """A handshake answer: mostly acceptances (odd feature masks), some garbage."""
    kind = rnd.randrange(10)
    node_id = b"\x0a" + rnd.randbytes(16)
    if kind < 7:
        mask = (0b1100 | (1 << 11)).to_bytes(2, "little")
        if kind == 6:
            mask = rnd.randbytes(rnd.choice([0, 1, 64, 4096, 32 * 1024]))
        body = b"\x01\x0c" + _I32.pack(len(mask)) + mask + node_id
    elif kind == 7:  # a rejection with a hostile message and version
        body = b"\x00" + struct.pack("<hhh", *(rnd.randrange(-5, 5) for _ in range(3)))
        body += mutate(rnd, _str("Unsupported version.")) + _I32.pack(rnd.randrange(3000))
    else:
        body = mutate(rnd, b"\x01\x0c" + _I32.pack(2) + b"\x0c\x08" + node_id)
    return _I32.pack(len(body)) + body
