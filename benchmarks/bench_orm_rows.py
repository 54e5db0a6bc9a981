"""W7's "rows as models" without a server: what the ORM adds per row to raw decoding.

Encodes the rows of W7's query (``SELECT _KEY, _VAL`` of ``BenchItem``: a ``long`` key
and a 4-field value object with a null field) into SQL page frames once, then times, in
alternation, the raw side (``decode_rows`` of every page, every row kept in one list, as
``list(cursor)`` does) and the ORM side (the same decoding, then the model's page loader
on each page, every model kept, as ``select(Model).all()`` does).  Both sides keep what
they read until the round ends and free it afterwards, inside the timed call (as the
benchmark's lists are dropped after each call).

    python benchmarks/bench_orm_rows.py              # CPU time per row, both sides
    python benchmarks/bench_orm_rows.py --once orm   # one pass (for callgrind)

Under callgrind (``valgrind --tool=callgrind``), ``--once raw`` and ``--once orm`` less
``--once setup`` give repeatable instruction counts per pass on a loaded machine: divide
by ``--rows``.
"""

from __future__ import annotations

import argparse
import gc
import struct
import time
from typing import Any

from bench_orm_query import BenchItem  # W7's model (this directory is on sys.path)

from ignite_wire._protocol.codec import CodecContext, decode_rows, encode_value

_FRAME_HEAD = struct.Struct("<iqh")  # length, request id, flags (protocol >= 1.4)
_PAGE_HEAD = struct.Struct("<qii")  # cursor id, column count, row count
PAGE = 1024


def frames(rows: int) -> tuple[list[bytes], CodecContext]:
    """The SQL page frames of ``rows`` W7 rows, and a context knowing their type."""
    ctx = CodecContext()
    info = BenchItem.__ignite__
    items = [BenchItem(id=i, name=f"n{i}", qty=i % 100, price=i / 3) for i in range(rows)]
    out = []
    for start in range(0, rows, PAGE):
        chunk = items[start : start + PAGE]
        body = bytearray(_PAGE_HEAD.pack(1, 2, len(chunk)))
        for obj in chunk:
            (key, hint), value = info.to_entry(obj)
            body += encode_value(key, hint, ctx=ctx)
            body += encode_value(value, ctx=ctx)
        body.append(1)
        out.append(_FRAME_HEAD.pack(8 + 2 + len(body), 1, 0) + bytes(body))
    for bt in ctx.take_pending():
        ctx.registry.add_type(bt)
    return out, ctx


def page(frame: bytes, ctx: CodecContext) -> list[list[Any]]:
    _cursor, columns, count = _PAGE_HEAD.unpack_from(frame, _FRAME_HEAD.size)
    rows, _pos = decode_rows(frame, _FRAME_HEAD.size + _PAGE_HEAD.size, count, columns, ctx)
    return rows


def raw(pages: list[bytes], ctx: CodecContext) -> int:
    out: list[Any] = []
    for frame in pages:
        out += page(frame, CodecContext(ctx.registry))
    return len(out)


def orm(pages: list[bytes], ctx: CodecContext) -> int:
    read_rows = BenchItem.__ignite__.rows_reader(False)
    out: list[Any] = []
    for frame in pages:
        out += read_rows(page(frame, CodecContext(ctx.registry)))
    return len(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--once", choices=["setup", "raw", "orm"])
    parser.add_argument("--no-gc", action="store_true", help="the collector off (analysis)")
    args = parser.parse_args()
    if args.no_gc:
        gc.disable()
    pages, ctx = frames(args.rows)
    if args.once:
        # the loader compiled and the first page read by both sides: then one pass
        BenchItem.__ignite__.rows_reader(False)(page(pages[0], CodecContext(ctx.registry)))
        if args.once != "setup":
            print((raw if args.once == "raw" else orm)(pages, ctx))
        return
    models = BenchItem.__ignite__.rows_reader(False)(page(pages[0], CodecContext(ctx.registry)))
    expect = BenchItem(id=5, name="n5", qty=5, price=5 / 3)
    assert models[5] == expect
    assert models[5].model_fields_set == set(BenchItem.model_fields)
    assert raw(pages, ctx) == orm(pages, ctx) == args.rows
    best = {"raw": float("inf"), "orm": float("inf")}
    faults: dict[str, list[int]] = {"raw": [], "orm": []}
    for _ in range(args.rounds):
        for name, fn in (("raw", raw), ("orm", orm)):
            gc.collect()
            before = _minor_faults()
            start = time.process_time()
            fn(pages, ctx)
            best[name] = min(best[name], time.process_time() - start)
            faults[name].append(_minor_faults() - before)
    us = {k: v / args.rows * 1e6 for k, v in best.items()}
    print(
        f"per row, best of {args.rounds}: raw {us['raw']:.3f} us, orm {us['orm']:.3f} us, "
        f"orm/raw {us['orm'] / us['raw']:.2f}x (+{us['orm'] - us['raw']:.3f} us)"
    )
    # What instruction counts cannot show: a side whose objects outgrow the memory the
    # allocator kept from the last pass maps fresh pages, and faults on each of them, on
    # every pass (docs/benchmarks.md, W7: the models' memory).
    print(
        "minor page faults per pass (median): "
        + ", ".join(f"{k} {sorted(v)[len(v) // 2]}" for k, v in faults.items())
    )


def _minor_faults() -> int:
    """This process's minor page faults so far (0 where ``resource`` is missing)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


if __name__ == "__main__":
    main()
