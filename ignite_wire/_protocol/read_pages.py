"""Decoding a page of key/value pairs in one loop: scan and SQL-entry cursor pages and
``get_all`` answers.

Each key and each value of such a page is a value of its own, decoded as
:func:`.codec.decode_value` would (fresh depth, handle base and handle table): this
module gives exactly the same values and errors, only with less work per entry.

* A page usually holds objects of one or a few classes.  The (type id -> schema id,
  generated decoder) pairs are looked up in the registry once per page, at the first
  object of each type (decoded the usual way, which also creates the class from the
  metadata when needed), and the following objects go straight to the class's decoder
  (:func:`.object_decoder.compile_decoder`) with the header read by one ``struct`` call,
  without the ``decode_value`` -> ``read_any`` -> ``read_object`` layers.  The table lives
  for one decode of one page: a registry that changes between pages (a class
  registered, a type fetched after :class:`~.binary_types.NeedBinaryType`) is seen by
  the next page.
* Values come from a cache as wrapped objects (27: byte count, the object's bytes, the
  offset of the object in them): one that starts its bytes goes to the class's decoder
  as well, one level deeper and with handles relative to the wrapped bytes, as the
  wrapper's reader does.  The usual entry (a long key, a wrapped object) has the heads
  of all three read by one ``struct`` call.
* Integer keys (long, int) are read inline.
* Anything else -- another type code, an object of another schema, a layout the
  generated decoder does not take -- is decoded by ``decode_value`` at the same offset.
* The pyignite value mode (``ctx.readers`` is not the default table) takes
  ``decode_value`` for every value.
* With the optional C accelerator built (``_objects_accel.c``), runs of usual entries
  (a long or int key and an object of a class the page has seen, plain or wrapped, whose
  decoder has a compiled form) are read by its ``decode_entries`` in one call, under
  the same conditions as the loop below; it stops at the first entry it does not take,
  which the loop reads, and so on.
* ``held`` (the cursors' pages): the pairs ``decode_entries`` makes are kept out of the
  garbage collector until :func:`.object_decoder.hand_out` returns them, so that the
  collections that run while a page waits do not traverse its objects again and again
  (a quarter of a scan's client CPU); why that is safe: ``_accel_held.h``.  Such a list
  must be read through ``hand_out`` only.
* A truncated or garbled page makes the inline reads raise a low-level error: the page
  is then decoded again by the plain loop, which raises the ``ParseError`` with its
  offset (the same error as always; bad pages are not a path worth speeding up).
"""

from __future__ import annotations

import struct
from typing import Any, Final

from . import buffer as _b
from .buffer import Buffer
from .codec import decode_value
from .context import CodecContext
from .object_decoder import PageDecoders, PageSpecs, accel_entries, learn_class
from .reader_table import LOW_LEVEL, READERS

__all__ = ["decode_pairs", "decode_pairs_plain"]

Pairs = list[tuple[Any, Any]]
_Decoders = PageDecoders
_Specs = PageSpecs

#: An object's header after its type code and version byte: flags, type id, hash code,
#: total length, schema id, footer (or raw data) offset.
_HEAD: Final = struct.Struct("<hiiiii").unpack_from
#: A long key (code, value), a wrapped object's head (code, byte count) and the head of
#: the object it wraps (code, version, then :data:`_HEAD` without the hash code).
_LONG_WRAPPED: Final = struct.Struct("<bqbibbhi4xiii").unpack_from
_i32 = _b.unpack_i32
_i64 = _b.unpack_i64


def decode_pairs_plain(buf: Buffer, pos: int, count: int, ctx: CodecContext) -> tuple[Pairs, int]:
    """``count`` (key, value) pairs, each read by ``decode_value``: the reference."""
    items: Pairs = []
    append = items.append
    for _ in range(count):
        key, pos = decode_value(buf, pos, ctx)
        value, pos = decode_value(buf, pos, ctx)
        append((key, value))
    return items, pos


def decode_pairs(
    buf: Buffer, pos: int, count: int, ctx: CodecContext, held: bool = False
) -> tuple[Pairs, int]:
    """``count`` (key, value) pairs from ``pos``; the same values and errors as
    :func:`decode_pairs_plain` (the caller has checked ``count`` against the bytes).
    ``held``: the list is read through :func:`.object_decoder.hand_out` only."""
    if ctx.readers is not READERS:
        return decode_pairs_plain(buf, pos, count, ctx)
    try:
        return _decode_pairs(buf, pos, count, ctx, held)
    except LOW_LEVEL:
        return decode_pairs_plain(buf, pos, count, ctx)


def _fast(buf: Buffer, start: int, depth: int, ctx: CodecContext, decoders: _Decoders) -> Any:
    """The object at ``start`` by its class's decoder, at ``depth`` (1 inside a wrapper),
    or ``None`` when the page has no entry for it or the decoder does not take it."""
    flags, tid, _hash, total, sid, footer = _HEAD(buf, start + 2)
    entry = decoders.get(tid)
    if entry is None or entry[0] != sid or total < 24 or start + total > len(buf):
        return None
    ctx.depth = depth
    ctx.base = start
    if ctx.refs:
        ctx.refs = {}
    result = entry[1](buf, start, flags, total, footer, ctx)
    ctx.depth = 0
    return result


def _one(buf: Buffer, pos: int, ctx: CodecContext, decoders: _Decoders, specs: _Specs) -> Any:
    """Any value at ``pos``: objects (plain or wrapped) through the page's decoders, the
    rest as usual."""
    c = buf[pos]
    if c == 4:
        return _i64(buf, pos + 1)[0], pos + 9
    if c == 3:
        return _i32(buf, pos + 1)[0], pos + 5
    if c == 103:
        result = _fast(buf, pos, 0, ctx, decoders)
        if result is not None:
            return result
        result = decode_value(buf, pos, ctx)
        learn_class(buf, pos, ctx, decoders, specs)
        return result
    if c == 27:
        # A wrapped object (27, i32 n, n bytes, i32 offset): the object, when it starts
        # the bytes, as the wrapper's reader would read it (one level deeper, handles
        # relative to the wrapped bytes).
        n = _i32(buf, pos + 1)[0]
        start = pos + 5
        end = start + n
        if n > 0 and end + 4 <= len(buf) and buf[start] == 103 and _i32(buf, end)[0] == 0:
            result = _fast(buf, start, 1, ctx, decoders)
            if result is not None:
                return result[0], end + 4
            result = decode_value(buf, pos, ctx)
            learn_class(buf, start, ctx, decoders, specs)
            return result
    return decode_value(buf, pos, ctx)


def _decode_pairs(
    buf: Buffer, pos: int, count: int, ctx: CodecContext, held: bool
) -> tuple[Pairs, int]:
    items: Pairs = []
    append = items.append
    decoders: _Decoders = {}
    specs: _Specs = {}
    size = len(buf)
    last = size - 38  # the size of _LONG_WRAPPED
    while len(items) < count:
        if specs and accel_entries is not None:
            pos = accel_entries(buf, pos, count, specs, items, held)
            if len(items) == count:
                break
        if pos <= last:
            # The usual entry of a cache, a long key and a wrapped object: the heads of
            # all three in one struct call, and _one/_fast inlined.
            kc, key, vc, n, oc, _v, flags, tid, total, sid, footer = _LONG_WRAPPED(buf, pos)
            if kc == 4 and vc == 27 and oc == 103:
                start = pos + 14
                end = start + n
                entry = decoders.get(tid)
                if (
                    n > 0
                    and entry is not None
                    and entry[0] == sid
                    and total >= 24
                    and start + total <= size
                    and end + 4 <= size
                    and _i32(buf, end)[0] == 0
                ):
                    ctx.depth = 1
                    ctx.base = start
                    if ctx.refs:
                        ctx.refs = {}
                    result = entry[1](buf, start, flags, total, footer, ctx)
                    ctx.depth = 0
                    if result is not None:
                        append((key, result[0]))
                        pos = end + 4
                        continue
        key, pos = _one(buf, pos, ctx, decoders, specs)
        value, pos = _one(buf, pos, ctx, decoders, specs)
        append((key, value))
    return items, pos
