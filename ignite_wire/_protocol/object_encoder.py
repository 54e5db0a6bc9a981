"""Encoding binary objects (type code 103): the per-class encoder, compiled once per class.

The general encoder (:func:`_general_encoder`) writes any schema and any values (nested
objects, nulls, raw data).  For classes whose fields all have an inline form in the
shared table :data:`.field_table.FIELDS`, a straight-line encoder is generated in front
of it (:func:`.generated_encoder.generate`): precompiled ``struct`` formats, constant
header fields and field ids, offsets as running sums, one ``bytes.join`` (one ``struct`` call, and a
cached footer, per length for a class with one String or byte[]); values it does not
take as they are go to the general encoder.  The bytes are the general encoder's, bit
for bit, and a reference written from the format's description (property-tested).
When an encoded object's (type, schema) is not known to be registered, the encoder adds
the type to ``ctx.pending`` so the flow can send op 3003 first; a class whose field
types differ from the cluster's is refused (:func:`.binary_types.check_field_types`).

The header hash code (:func:`~.hashing.bytes_hash_u32`) is, in pure Python, most of the
cost of string-heavy objects (about 10 ns a byte: 75% of a 1 KB object's encoding, 30% of
a 5-field one's): ``int(digits, 31)`` costs about 3 ns a digit at its best chunk size,
and a byte needs two base-31 digits.  When the compiled fold of ``_rows_accel.c`` is
built (:data:`~.hashing.HASH_ACCELERATED`), both encoders call it directly (well under
1 ns a byte); otherwise the generated one inlines the short ``int(digits, 31)`` form.

When ``_rows_accel.c`` is built, a class whose fields are all scalars it writes (ints,
floats, bool, UUID, String, byte[]) gets :func:`.encoder_accel.writer` instead of the generated
encoder: a C callable (``object_writer``) writes the whole object, ~4x faster; it takes
what the generated encoder takes as is (and ``None``) and hands anything else to the
general encoder, so bytes and errors stay the pure path's (property-tested).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, Final

from ..exceptions import EncodeError
from .binary_object import (
    HEADER,
    HEADER_SIZE,
    RAW_ATTR,
    ObjectInfo,
)
from .binary_types import check_field_types
from .context import CodecContext
from .generated_encoder import generate as generate_encoder
from .hashing import bytes_hash
from .type_codes import (
    COMPACT_FOOTER,
    HAS_RAW_DATA,
    HAS_SCHEMA,
    OFFSET_ONE_BYTE,
    OFFSET_TWO_BYTES,
    USER_TYPE,
    TypeCode,
)
from .write_scalars import _LOW_LEVEL, _NULL, Writer, _enter, _pack_i32, _rewrap

__all__ = ["object_writer"]


_ZERO_HEADER: Final = bytes(HEADER_SIZE)


def object_writer(cls: type) -> Writer:
    info: ObjectInfo = cls.__ignite_info__  # type: ignore[attr-defined]
    enc = info.encoder
    if enc is None:
        enc = info.encoder = _compile(cls, info)
    return enc  # type: ignore[no-any-return]


def _compile(cls: type, info: ObjectInfo, *, generate: bool = True) -> Writer:
    """Build the encoder of one binary-object class (runs once per class).

    The general encoder handles every schema and value; for classes whose fields all
    have an inline form (:data:`.field_table.FIELDS`) a straight-line encoder
    is generated in front of it (``generate=False`` skips that, for tests).
    """
    checked: list[object] = [None]  # the registry known to have this type, schema, class
    tid = info.type_id
    sid = info.schema_id
    bt = info.binary_type
    n = len(info.names)

    def check_registry(ctx: CodecContext) -> None:
        registry = ctx.registry
        known = True
        if n:
            if not registry.is_schema_known(tid, sid):
                ctx.need_registration(bt, sid)
                known = False
            else:
                check_field_types(cls, bt, registry.get_type(tid))
        elif registry.get_type(tid) is None:
            ctx.need_registration(bt, 0)
            known = False
        current = registry.get_class(tid)
        if current is None or (
            current is not cls and getattr(current, "__ignite_generated__", False)
        ):
            # objects of the type are read as the class written (not one generated from
            # metadata when such an object was read first)
            registry.register_class(cls, tid)
        if known:
            checked[0] = registry

    general = _general_encoder(info, checked, check_registry)
    if generate:
        fast = generate_encoder(info, general, checked, check_registry)
        if fast is not None:
            return fast
    return general


def _general_encoder(
    info: ObjectInfo, checked: list[object], check_registry: Callable[[CodecContext], None]
) -> Writer:
    """The encoder for any schema and any values (nested objects, nulls, raw data...)."""
    from .writers import hint_writer  # writers imports this module: bound once per class

    pairs = tuple(zip(info.names, (hint_writer(h) for h in info.hints), strict=True))
    tid = info.type_id
    sid = info.schema_id
    n = len(pairs)
    ids = info.field_ids
    compact_structs = {2: struct.Struct(f"<{n}H"), 4: struct.Struct(f"<{n}i")}
    full_structs = {
        w: struct.Struct("<" + ("i" + f) * n) for w, f in ((1, "B"), (2, "H"), (4, "i"))
    }
    null = _NULL

    def encode(out: bytearray, obj: Any, ctx: CodecContext) -> None:
        if ctx.registry is not checked[0]:
            check_registry(ctx)
        d = obj.__dict__
        _enter(ctx)
        start = len(out)
        out += _ZERO_HEADER
        offsets: list[int] = []
        add = offsets.append
        name = ""
        try:
            for name, w in pairs:
                add(len(out) - start)
                v = d.get(name)
                if v is None:
                    out.append(null)
                else:
                    w(out, v, ctx)
        except (EncodeError, *_LOW_LEVEL) as exc:
            raise _rewrap(exc, f".{name}") from None
        raw = d.get(RAW_ATTR)
        data_end = len(out) - start
        if raw:
            out += raw
        footer_start = len(out) - start
        h = bytes_hash(out, start + HEADER_SIZE, start + footer_start)
        flags = USER_TYPE
        if n:
            flags |= HAS_SCHEMA
            last = offsets[-1]
            width = 1 if last < 0x100 else 2 if last < 0x10000 else 4
            if width == 1:
                flags |= OFFSET_ONE_BYTE
            elif width == 2:
                flags |= OFFSET_TWO_BYTES
            if ctx.compact_footer:
                flags |= COMPACT_FOOTER
                if width == 1:
                    out += bytes(offsets)
                else:
                    out += compact_structs[width].pack(*offsets)
            else:
                flat = [x for pair in zip(ids, offsets, strict=True) for x in pair]
                out += full_structs[width].pack(*flat)
            schema_or_raw = footer_start
            if raw:
                flags |= HAS_RAW_DATA
                out += _pack_i32(data_end)
        elif raw:
            flags |= HAS_RAW_DATA
            schema_or_raw = data_end
        else:
            schema_or_raw = 0
        total = len(out) - start
        HEADER.pack_into(
            out,
            start,
            TypeCode.COMPLEX_OBJ,
            1,
            flags,
            tid,
            h,
            total,
            sid if n else 0,
            schema_or_raw,
        )
        ctx.depth -= 1

    return encode
