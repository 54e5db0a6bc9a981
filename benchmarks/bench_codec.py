"""Side-by-side codec micro-benchmark: ignite_wire vs pyignite 0.6.1, offline.

Run ``python benchmarks/bench_codec.py`` (``--json`` for machine-readable output,
``--repeat N`` for more samples, ``--check`` to exit 1 when a target is missed).  No
server is involved: both libraries encode and decode in memory, in one process.

What each row measures, per operation, on both sides:

``encode 5-field object`` / ``encode <N> B object``
    A binary object (type code 103) of a class declared with ``GenericObjectMeta``: 5
    fields (int, String, int, double, long), and 12 fields (ten ~95-byte Strings, an int
    and a long: about 1 KB).  The work a ``put`` does for its value: check that the
    class's type and schema are known to the client's binary-type registry (filled
    beforehand, so there is no server round trip; ignite_wire remembers that check per
    class and registry, pyignite looks the class up in its registry dict), write the
    24-byte header, every field, the compact footer, the header hash code over the field
    bytes (Java's ``31*h + b``; pyignite computes it with its C extension ``_cutils``),
    and return ``bytes``.  ignite_wire: ``encode_value(obj, ctx=CodecContext(registry))``
    (a fresh context per call, as the client makes one per request).  pyignite:
    ``AnyDataObject.from_python`` into a new ``BinaryStream``, then
    ``bytes(stream.getvalue())``.  pyignite caches an object's bytes in ``_buffer`` when
    asked for its hash code; that cache is cleared before every encode (it stays empty in
    this benchmark anyway, which is asserted) so both sides serialize every time.  The
    bytes of both sides are asserted identical.

``decode 5-field object`` / ``decode <N> B object``
    Bytes to an instance of the declared class, metadata already in the registry.
    ignite_wire: ``decode_value(data, 0, CodecContext(registry))``.  pyignite:
    ``AnyDataObject.parse`` + ``read_ctype`` + ``to_python`` on a ``BinaryStream``.

``decode 1024x5 SQL page``
    A whole SQL-fields response frame (protocol >= 1.4 header: length, request id,
    flags; then cursor id, column count, row count, 1024 rows of (long, String, double,
    Timestamp, UUID), has-more flag) to a list of 1024 row lists.  ignite_wire: the frame
    header and page header with ``struct``, the rows with ``decode_rows`` (what the query
    op does).  pyignite: ``SQLResponse(has_cursor=True).parse`` + ``to_python``.

The input bytes are built once, by ignite_wire, and fed to both decoders.

Timing: ``timeit`` (garbage collection off during the timed loops, for both sides) with
the process's CPU time as clock (``time.process_time``: time the process spends
descheduled on a busy machine does not count; ``--wall`` uses ``perf_counter``), the loop
count calibrated to about ``--seconds`` per sample, ``--repeat`` samples per side, taken
alternately (ours, theirs, ours, ...) so that drift of the machine affects both.  The
table shows the *minimum* per-operation time (the least-disturbed sample), the speed-up
computed from the minima (what the targets are checked against) and, as "paired", the
median over the rounds of pyignite's sample divided by the ignite_wire sample taken just
before it (robust to the machine's load changing during the run); ``--json`` also
reports the medians.
The targets are the project's: 25x on the four object rows (issue 12, W1: at least 25x on
encode and on decode), 10x on the SQL page.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import struct
import sys
import time
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


# -- timing ---------------------------------------------------------------------------------


def calibrate(fn: Callable[[], object], seconds: float, clock: Callable[[], float]) -> int:
    """Loop count that makes one sample of ``fn`` last about ``seconds``."""
    timer = timeit.Timer(fn, timer=clock)
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= seconds / 4 or number >= 1 << 24:
            return max(1, round(number * seconds / max(elapsed, 1e-9)))
        number *= 4 if elapsed < seconds / 40 else 2


def sample(
    fns: list[Callable[[], object]], repeat: int, seconds: float, clock: Callable[[], float]
) -> list[list[float]]:
    """``repeat`` samples (µs per call) of each function, taken in alternation."""
    timers = [(timeit.Timer(fn, timer=clock), calibrate(fn, seconds, clock)) for fn in fns]
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for (timer, number), out in zip(timers, samples, strict=True):
            out.append(timer.timeit(number) / number * 1e6)
    return samples


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

ROWS = 1024
COLUMNS = 5
_FRAME_HEAD = struct.Struct("<iqh")  # length, request id, flags (protocol >= 1.4)
_PAGE_HEAD = struct.Struct("<qii")  # cursor id, column count, row count


def our_class(name: str, schema: list[tuple[str, str]]) -> Any:
    return GenericObjectMeta(
        name, (), {}, type_name=name, schema=OrderedDict((f, OURS[t]) for f, t in schema)
    )


def page_frame(ctx: CodecContext) -> bytes:
    """A SQL fields response frame with 1024 rows x 5 columns and its headers."""
    body = bytearray(_PAGE_HEAD.pack(1, COLUMNS, ROWS))
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for i in range(ROWS):
        row = [i, f"name-{i}", i * 1.5, base, UUID(int=i * 7919)]
        for v in row:
            body += encode_value(v, ctx=ctx)
    body.append(1)  # more pages
    return _FRAME_HEAD.pack(8 + 2 + len(body), 1, 0) + bytes(body)


def our_page(frame: bytes, ctx: CodecContext) -> list[list[Any]]:
    _length, _request, flags = _FRAME_HEAD.unpack_from(frame, 0)
    if flags:
        raise AssertionError("error response")
    _cursor, columns, count = _PAGE_HEAD.unpack_from(frame, _FRAME_HEAD.size)
    rows, pos = decode_rows(frame, _FRAME_HEAD.size + _PAGE_HEAD.size, count, columns, ctx)
    _more = frame[pos] != 0
    return rows


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
    obj.__dict__.pop("_buffer", None)  # no cached bytes: serialize (and hash) every time
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


def cases() -> list[tuple[str, float, Callable[[], object], Callable[[], object] | None]]:
    """(name, target speed-up, ours, theirs) for every row, with correctness checked."""
    setup = CodecContext()
    small_cls = our_class("BenchSmall", SMALL_SCHEMA)
    big_cls = our_class("BenchBig", BIG_SCHEMA)
    small = small_cls(**small_values())
    big = big_cls(**big_values())
    small_bytes = encode_value(small, ctx=setup)
    big_bytes = encode_value(big, ctx=setup)
    for bt in setup.take_pending():
        setup.registry.add_type(bt)
    registry = setup.registry
    frame = page_frame(setup)

    assert encode_value(small, ctx=CodecContext(registry)) == small_bytes
    assert decode_value(small_bytes, 0, CodecContext(registry))[0] == small
    assert decode_value(big_bytes, 0, CodecContext(registry))[0] == big
    page = our_page(frame, CodecContext(registry))
    assert len(page) == ROWS
    assert page[5][1] == "name-5"

    names = [
        ("encode 5-field object", 25.0),
        ("decode 5-field object", 25.0),
        (f"encode {len(big_bytes)} B object", 25.0),
        (f"decode {len(big_bytes)} B object", 25.0),
        (f"decode {ROWS}x{COLUMNS} SQL page", 10.0),
    ]
    # A fresh context per operation, as the client makes one per request.
    ours: list[Callable[[], object]] = [
        lambda: encode_value(small, ctx=CodecContext(registry)),
        lambda: decode_value(small_bytes, 0, CodecContext(registry)),
        lambda: encode_value(big, ctx=CodecContext(registry)),
        lambda: decode_value(big_bytes, 0, CodecContext(registry)),
        lambda: our_page(frame, CodecContext(registry)),
    ]
    theirs: list[Callable[[], object] | None] = [None] * len(ours)
    if pyignite is not None:
        p_small_cls = pyignite_class("BenchSmall", SMALL_SCHEMA)
        p_big_cls = pyignite_class("BenchBig", BIG_SCHEMA)
        client = pyignite_client(p_small_cls, p_big_cls)
        p_small = p_small_cls(**small_values())
        p_big = p_big_cls(**big_values())
        # Same bytes on both sides (so each decodes what the other encodes).
        assert pyignite_encode(client, p_small) == small_bytes
        assert pyignite_encode(client, p_big) == big_bytes
        assert p_small._buffer is None
        assert p_big._buffer is None
        p_decoded = pyignite_decode(client, small_bytes)
        assert (p_decoded.name, p_decoded.account) == (small.name, small.account)
        assert pyignite_decode(client, big_bytes).text9 == big.text9
        p_page = pyignite_page(client, frame)
        # pyignite gives a Timestamp as (naive UTC datetime, nanoseconds)
        assert [[*r[:3], r[3][0].replace(tzinfo=timezone.utc), r[4]] for r in p_page] == page
        theirs = [
            lambda: pyignite_encode(client, p_small),
            lambda: pyignite_decode(client, small_bytes),
            lambda: pyignite_encode(client, p_big),
            lambda: pyignite_decode(client, big_bytes),
            lambda: pyignite_page(client, frame),
        ]
    return [
        (name, target, mine, other)
        for (name, target), mine, other in zip(names, ours, theirs, strict=True)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--repeat", type=int, default=7, help="samples per side (default 7)")
    parser.add_argument(
        "--seconds", type=float, default=0.1, help="length of one sample (default 0.1 s)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--wall", action="store_true", help="time with the wall clock, not the process CPU time"
    )
    args = parser.parse_args(argv)
    clock = time.perf_counter if args.wall else time.process_time

    results = []
    for name, target, mine, other in cases():
        fns = [mine] if other is None else [mine, other]
        samples = sample(fns, args.repeat, args.seconds, clock)
        row: dict[str, Any] = {
            "operation": name,
            "target": target,
            "ignite_wire_us": {"min": min(samples[0]), "median": statistics.median(samples[0])},
        }
        if other is not None:
            row["pyignite_us"] = {"min": min(samples[1]), "median": statistics.median(samples[1])}
            row["speedup"] = {
                "min": min(samples[1]) / min(samples[0]),
                "median": statistics.median(samples[1]) / statistics.median(samples[0]),
                # each pyignite sample over the ignite_wire sample taken just before it
                "paired_median": statistics.median(
                    b / a for a, b in zip(samples[0], samples[1], strict=True)
                ),
            }
            row["meets_target"] = row["speedup"]["min"] >= target
        results.append(row)
        if not args.json:
            if len(results) == 1:
                print(
                    f"Python {platform.python_version()}; "
                    f"pyignite {getattr(pyignite, '__version__', 'not installed')}; "
                    f"min of {args.repeat} samples; {'wall' if args.wall else 'CPU'} time"
                )
                print(
                    f"{'operation':<26}{'ignite_wire µs':>16}{'pyignite µs':>14}"
                    f"{'speed-up':>10}{'paired':>8}{'target':>8}"
                )
            mine_us = row["ignite_wire_us"]["min"]
            if other is None:
                print(f"{name:<26}{mine_us:>16.2f}{'-':>14}{'-':>10}{'-':>8}{target:>7.0f}x")
            else:
                print(
                    f"{name:<26}{mine_us:>16.2f}{row['pyignite_us']['min']:>14.1f}"
                    f"{row['speedup']['min']:>9.1f}x{row['speedup']['paired_median']:>7.1f}x"
                    f"{target:>7.0f}x{'' if row['meets_target'] else '  MISSED'}"
                )
    if args.json:
        print(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "pyignite": getattr(pyignite, "__version__", None),
                    "repeat": args.repeat,
                    "seconds_per_sample": args.seconds,
                    "clock": "perf_counter" if args.wall else "process_time",
                    "results": results,
                },
                indent=2,
            )
        )
    if args.check and not all(r.get("meets_target", False) for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
