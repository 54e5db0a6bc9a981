"""Side-by-side codec micro-benchmark: ignite_wire vs pyignite 0.6.1, offline.

Run ``python benchmarks/bench_codec.py``.  Measures, in one process:

1. encode of a 5-field binary object,
2. decode of the same object,
3. encode of a ~1 KB binary object (12 fields),
4. decode of it,
5. decode of a 1024-row x 5-column SQL fields page (cursor response body).

The bytes are built once with ignite_wire and fed to both decoders; pyignite decodes
through its own classes (``AnyDataObject``, ``SQLResponse``) with a client object whose
binary-type registry is filled locally, so no server is needed.  pyignite's encoder has a
cache of an object's serialized bytes (``_buffer``); it is cleared before each encode so
both sides do the same work.  Prints microseconds per operation and the ratio.
"""

from __future__ import annotations

import struct
import sys
import timeit
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from ignite_wire._protocol.codec import (
    CodecContext,
    decode_rows,
    decode_value,
    encode_value,
)
from ignite_wire.binary import GenericObjectMeta
from ignite_wire.datatypes import DoubleObject, IntObject, LongObject, String

try:
    import pyignite
    import pyignite.datatypes as pdt
    from pyignite.connection.protocol_context import ProtocolContext
    from pyignite.queries.response import SQLResponse
    from pyignite.stream import BinaryStream
except ImportError:  # pragma: no cover - pyignite is in the bench extra
    pyignite = None


def bench(fn: Callable[[], object], min_time: float = 0.4) -> float:
    """Best-of-5 microseconds per call."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * min_time / 0.2))
    return min(timer.repeat(repeat=5, number=number)) / number * 1e6


# -- the data ------------------------------------------------------------------------------

SMALL_SCHEMA = [
    ("id", "int"),
    ("name", "str"),
    ("age", "int"),
    ("salary", "double"),
    ("account", "long"),
]
BIG_SCHEMA = [(f"text{i}", "str") for i in range(10)] + [("id", "int"), ("total", "long")]


def small_values() -> dict[str, Any]:
    return {"id": 42, "name": "John Smith", "age": 37, "salary": 12345.5, "account": 9876543210}


def big_values() -> dict[str, Any]:
    values: dict[str, Any] = {f"text{i}": f"{i:02d}" + "lorem ipsum dolor " * 5 for i in range(10)}
    values.update(id=7, total=1 << 40)
    return values


OURS = {"int": IntObject, "str": String, "double": DoubleObject, "long": LongObject}


def our_class(name: str, schema: list[tuple[str, str]]) -> Any:
    return GenericObjectMeta(
        name, (), {}, type_name=name, schema=OrderedDict((f, OURS[t]) for f, t in schema)
    )


def page_bytes(ctx: CodecContext) -> tuple[bytes, int]:
    """A SQL fields response (ver >= 1.4 header) with 1024 rows x 5 columns."""
    body = bytearray(struct.pack("<qii", 1, 5, 1024))
    body_start = len(body)
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for i in range(1024):
        row = [i, f"name-{i}", i * 1.5, base, UUID(int=i * 7919)]
        for v in row:
            body += encode_value(v, ctx=ctx)
    body.append(1)  # more
    frame = struct.pack("<iqh", 8 + 2 + len(body), 1, 0) + body
    return bytes(frame), 14 + body_start


# -- pyignite side ---------------------------------------------------------------------------


def pyignite_class(name: str, schema: list[tuple[str, str]]) -> Any:
    theirs = {
        "int": pdt.IntObject,
        "str": pdt.String,
        "double": pdt.DoubleObject,
        "long": pdt.LongObject,
    }
    return pyignite.GenericObjectMeta(
        name, (), {}, type_name=name, schema=OrderedDict((f, theirs[t]) for f, t in schema)
    )


def pyignite_client(*classes: Any) -> Any:
    client = pyignite.Client(compact_footer=True)
    for cls in classes:
        client._registry[cls.type_id][cls.schema_id] = cls
    return client


def pyignite_encode(client: Any, obj: Any) -> bytes:
    obj._buffer = None
    with BinaryStream(client) as stream:
        pdt.AnyDataObject.from_python(stream, obj)
        return bytes(stream.getvalue())


def pyignite_decode(client: Any, data: bytes) -> Any:
    with BinaryStream(client, data) as stream:
        ctype = pdt.AnyDataObject.parse(stream)
        return pdt.AnyDataObject.to_python(stream.read_ctype(ctype, position=0), client=client)


def pyignite_page(client: Any, frame: bytes) -> Any:
    ctx = ProtocolContext((1, 7, 0))
    response = SQLResponse(protocol_context=ctx, has_cursor=True)
    with BinaryStream(client, frame) as stream:
        ctype = response.parse(stream)
        parsed = stream.read_ctype(ctype, position=0)
    return response.to_python(parsed, client=client)["data"]


# -- main -----------------------------------------------------------------------------------


def main() -> int:
    registry_ctx = CodecContext()
    small_cls = our_class("BenchSmall", SMALL_SCHEMA)
    big_cls = our_class("BenchBig", BIG_SCHEMA)
    small = small_cls(**small_values())
    big = big_cls(**big_values())
    small_bytes = encode_value(small, ctx=registry_ctx)
    big_bytes = encode_value(big, ctx=registry_ctx)
    for bt in registry_ctx.take_pending():
        registry_ctx.registry.add_type(bt)
    registry = registry_ctx.registry
    frame, rows_pos = page_bytes(registry_ctx)

    def ctx() -> CodecContext:
        return CodecContext(registry)

    ours: dict[str, Callable[[], object]] = {
        "encode 5-field object": lambda: encode_value(small, ctx=ctx()),
        "decode 5-field object": lambda: decode_value(small_bytes, 0, ctx()),
        f"encode {len(big_bytes)} B object": lambda: encode_value(big, ctx=ctx()),
        f"decode {len(big_bytes)} B object": lambda: decode_value(big_bytes, 0, ctx()),
        "decode 1024x5 SQL page": lambda: decode_rows(frame, rows_pos, 1024, 5, ctx()),
    }
    assert decode_value(small_bytes, 0, ctx())[0] == small
    assert decode_value(big_bytes, 0, ctx())[0] == big

    theirs: dict[str, Callable[[], object]] = {}
    if pyignite is not None:
        p_small_cls = pyignite_class("BenchSmall", SMALL_SCHEMA)
        p_big_cls = pyignite_class("BenchBig", BIG_SCHEMA)
        client = pyignite_client(p_small_cls, p_big_cls)
        p_small = p_small_cls(**small_values())
        p_big = p_big_cls(**big_values())
        # Same bytes on both sides (so each decodes what the other encodes).
        assert pyignite_encode(client, p_small) == small_bytes
        assert pyignite_encode(client, p_big) == big_bytes
        assert pyignite_decode(client, small_bytes).name == small.name
        page = pyignite_page(client, frame)
        assert len(page) == 1024
        assert page[5][1] == "name-5"
        theirs = dict(
            zip(
                ours,
                [
                    lambda: pyignite_encode(client, p_small),
                    lambda: pyignite_decode(client, small_bytes),
                    lambda: pyignite_encode(client, p_big),
                    lambda: pyignite_decode(client, big_bytes),
                    lambda: pyignite_page(client, frame),
                ],
                strict=True,
            )
        )

    print(f"Python {sys.version.split()[0]}; pyignite {getattr(pyignite, '__version__', '-')}")
    print(f"{'operation':<28}{'ignite_wire µs':>16}{'pyignite µs':>14}{'speed-up':>10}")
    for name, fn in ours.items():
        mine = bench(fn)
        if name in theirs:
            other = bench(theirs[name], min_time=0.2)
            print(f"{name:<28}{mine:>16.1f}{other:>14.1f}{other / mine:>9.1f}x")
        else:
            print(f"{name:<28}{mine:>16.1f}{'-':>14}{'-':>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
