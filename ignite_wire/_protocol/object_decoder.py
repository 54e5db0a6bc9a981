"""Decoding complex objects (type code 103): the general reader and the per-class
generated decoder.

An object written with its class's own schema in the usual layout (compact footer, 1- or
2-byte offsets, no raw data) is read by a decoder generated once per class
(:func:`compile_decoder`), which reads the fields :data:`.field_table.FIELDS` inlines
and dispatches the others through ``READERS``.  Anything else, and anything the
generated decoder finds wrong, goes through the general reader (:func:`read_object`),
which gives the same objects and raises the same errors (property-tested).

An unknown (type, schema) raises :class:`~.binary_types.NeedBinaryType`: the codec does
no I/O, the flow fetches the type and decodes again.
"""

from __future__ import annotations

import keyword
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any, Final

from . import buffer as _b
from .binary_object import (
    ABSENT_ATTR,
    HEADER,
    HEADER_SIZE,
    RAW_ATTR,
    ObjectInfo,
    compile_generated,
    hint_type_code_or_none,
    make_class,
)
from .binary_types import BinaryType, NeedBinaryType
from .buffer import Buffer
from .context import MAX_DEPTH, CodecContext
from .decode_layout import expected_layout
from .field_table import FIELDS, MAX_INLINE_FIELDS, generated_env, inline_string
from .read_scalars import DEC_HEAD, decimal_of
from .reader_table import LOW_LEVEL, enter, fail, read_any
from .type_codes import (
    COMPACT_FOOTER,
    HAS_RAW_DATA,
    HAS_SCHEMA,
    OFFSET_ONE_BYTE,
    OFFSET_TWO_BYTES,
    USER_TYPE,
    TypeCode,
)

__all__ = [
    "ACCELERATED",
    "ACCEL_SPEC",
    "accel_entries",
    "compile_decoder",
    "hand_out",
    "learn_class",
    "no_decoder",
    "read_object",
]

Decoder = Callable[..., "tuple[Any, int] | None"]

accel_object: Callable[..., tuple[Any, int] | None] | None
accel_entries: Callable[[Buffer, int, int, dict[int, Any], list[Any], bool], int] | None
#: An iterator over a page's pairs that gives pairs ``decode_entries`` held out of the
#: garbage collector back to it as they are returned (``_accel_held.h``); ``iter``
#: without the accelerator (nothing is held then).
hand_out: Callable[[list[Any]], Iterator[Any]]
try:
    from ._objects_accel import decode_entries as accel_entries
    from ._objects_accel import decode_object as accel_object
    from ._objects_accel import hand_out as _hand_out

    hand_out = _hand_out
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    accel_object = accel_entries = None
    hand_out = iter

#: The attribute of a generated decoder that holds its compiled form's spec (only on the
#: decoders that call the C accelerator): :mod:`.read_pages` hands it to
#: ``decode_entries``, which reads whole runs of a page's entries in one call.
ACCEL_SPEC: Final = "__ignite_accel_spec__"

#: Whether the expected-layout path runs compiled (``_objects_accel.c``) first.
ACCELERATED: Final = accel_object is not None

_i32 = _b.unpack_i32
_ONE_BYTE_FLAGS: Final = USER_TYPE | HAS_SCHEMA | COMPACT_FOOTER | OFFSET_ONE_BYTE
_TWO_BYTE_FLAGS: Final = USER_TYPE | HAS_SCHEMA | COMPACT_FOOTER | OFFSET_TWO_BYTES
_footer_structs: dict[tuple[int, int, bool], struct.Struct] = {}


def _footer_struct(count: int, width: int, compact: bool) -> struct.Struct:
    key = (count, width, compact)
    s = _footer_structs.get(key)
    if s is None:
        off = "B" if width == 1 else "H" if width == 2 else "i"
        s = struct.Struct("<" + (off * count if compact else ("i" + off) * count))
        if len(_footer_structs) < 4096:
            _footer_structs[key] = s
    return s


def no_decoder(buf: Buffer, start: int, flags: int, total: int, footer: int, ctx: Any) -> None:
    """The decoder of classes without a generated one: always the general reader."""
    return None


def _attribute_stores(cls: type, names: tuple[str, ...]) -> bool:
    """Whether ``obj.name = v`` stores into the instance dict exactly as ``d[name] = v``
    would, for every field: an identifier, no ``__setattr__`` of the class's own, no data
    descriptor of that name (``__dict__``, ``__class__``, a property) on the class.
    Attribute stores are what CPython's instance-attribute fast path specializes."""
    if getattr(cls, "__setattr__", None) is not object.__setattr__:
        return False
    for name in names:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__"):
            return False
        for klass in cls.__mro__:
            if name in klass.__dict__:
                attr = type(klass.__dict__[name])
                if hasattr(attr, "__set__") or hasattr(attr, "__delete__"):
                    return False
                break
    return True


def _stores(cls: type, info: ObjectInfo, extras: bool) -> list[str]:
    """Generated lines that set the fields ``v0``... on ``obj`` and return it."""
    if _attribute_stores(cls, info.names):
        lines = [f"    obj.{name} = v{i}" for i, name in enumerate(info.names)]
        if extras:
            lines.append("    obj.__dict__.update(_extras)")
    else:
        lines = ["    d = obj.__dict__"]
        lines += [f"    d[{name!r}] = v{i}" for i, name in enumerate(info.names)]
        if extras:
            lines.append("    d.update(_extras)")
    return [*lines, "    return obj, start + total"]


def _accelerated(
    cls: type, info: ObjectInfo, codes: list[int | None], env: dict[str, Any]
) -> list[str]:
    """Generated lines that try the compiled expected-layout path (``_objects_accel.c``)
    first: the same checks (and a few stricter ones) and the same values, or ``None`` and
    the pure paths that follow decide.  Its Timestamps and Decimals are the default value
    mode's, so it runs in that mode only when the class has any."""
    assert accel_object is not None
    extras = {k: None for k in info.defaults if k not in info.names}
    env["_accel"] = accel_object
    env["_spec"] = (
        bytes(c or 0 for c in codes),
        # interned: the compiled stores then skip PyObject_SetAttr's intern lookup
        tuple(sys.intern(n) if type(n) is str else n for n in info.names),
        env["_new"],
        cls,
        _attribute_stores(cls, info.names),
        extras or None,
    )
    mode = any(c in (TypeCode.TIMESTAMP, TypeCode.DECIMAL) for c in codes)
    return [
        "    if ctx.depth < _MAX_DEPTH" + (" and ctx.readers is _READERS:" if mode else ":"),
        "        r = _accel(buf, start, flags, total, footer, _spec)",
        "        if r is not None:",
        "            return r",
    ]


def compile_decoder(cls: type, info: ObjectInfo, accelerated: bool = ACCELERATED) -> Decoder:
    """Generate a straight-line decoder for objects written with the class's own schema.

    It takes the common layout only: compact footer with 1- or 2-byte offsets, no raw
    data, one footer entry per field, every offset inside the data.  It reads the
    fields of the schema's types inline (:data:`.field_table.FIELDS`, and Decimals),
    dispatches any other type code through READERS, and returns ``None`` -- the general
    reader then decodes the object, or raises the error with its offset -- for anything
    else: another layout, a bad offset, a truncated or malformed value.

    Only a field dispatched through READERS can hold a nested value, so only that branch
    records the object for handles inside it (``ctx.refs``) and goes one level deeper;
    :func:`read_object` records it for the handles that follow it.  An object of inline
    fields read at the top of a page touches nothing in ``ctx`` but the depth check
    (:mod:`.read_pages`).

    Before the per-field path, objects laid out the usual way take the expected-layout
    path (:func:`.decode_layout.expected_layout`): a few ``struct`` calls for the whole object,
    or, when the optional C accelerator is built (and ``accelerated``, the default then),
    one call into it (:func:`_accelerated`).
    """
    n = len(info.names)
    if not 0 < n <= MAX_INLINE_FIELDS:
        return no_decoder
    env: dict[str, Any] = {
        "_new": cls.__new__,
        "_cls": cls,
        "_extras": {k: None for k in info.defaults if k not in info.names},
        **generated_env(),
        "_LOW_LEVEL": LOW_LEVEL,
        "_MAX_DEPTH": MAX_DEPTH,
        "_u16s": struct.Struct(f"<{n}H").unpack_from,
        "_decimal": decimal_of,
        "_DEC_HEAD": DEC_HEAD.unpack_from,
    }
    offs = ", ".join(f"o{i}" for i in range(n))
    in_range = " and ".join(f"24 <= o{i} < footer" for i in range(n))
    codes = [hint_type_code_or_none(hint) for hint in info.hints]
    expected = expected_layout(codes, env)
    lines = ["def decode(buf, start, flags, total, footer, ctx):"]
    if expected and accelerated and accel_object is not None:
        lines += _accelerated(cls, info, codes, env)
    lines += [
        "    fs = start + footer",
        f"    if flags == {_ONE_BYTE_FLAGS} and footer + {n} == total:",
        f"        {offs}, = buf[fs:fs + {n}]",
        f"    elif flags == {_TWO_BYTE_FLAGS} and footer + {2 * n} == total:",
        f"        {offs}, = _u16s(buf, fs)",
        "    else:",
        "        return None",
        "    depth = ctx.depth",
        "    if depth >= _MAX_DEPTH:",
        "        return None",
    ]
    stores = _stores(cls, info, bool(env["_extras"]))
    if expected:
        lines += [*expected, "    if ok:", "        obj = _new(_cls)"]
        lines += ["    " + line for line in stores]
    lines += [f"    if not ({in_range}):", "        return None"]
    lines += ["    obj = _new(_cls)", "    try:"]
    for i, hint in enumerate(info.hints):
        code = hint_type_code_or_none(hint)
        form = FIELDS.get(code) if code is not None else None
        lines += [f"        p = start + o{i}", "        c = buf[p]"]
        if code == TypeCode.STRING:
            lines += inline_string(f"v{i}", "        ")
            lines.append("        elif c == 101:")
        elif code == TypeCode.DECIMAL:
            lines += [
                "        if c == 30 and ctx.readers is _READERS:",
                f"            v{i} = _decimal(buf, p + 1, *_DEC_HEAD(buf, p + 1))",
                "        elif c == 101:",
            ]
        elif form is not None and form.read is not None:
            # A Timestamp's Python form depends on the value mode (ctx.readers: the
            # pyignite mode reads (datetime, nanos)); the inlined form is the default's.
            mode = " and ctx.readers is _READERS" if code == TypeCode.TIMESTAMP else ""
            lines += [
                f"        if c == {code}{mode}:",
                f"            v{i} = {form.read}",
                "        elif c == 101:",
            ]
        else:
            lines.append("        if c == 101:")
        lines += [
            f"            v{i} = None",
            "        else:",
            "            ctx.refs[start] = obj",
            "            ctx.depth = depth + 1",
            f"            v{i} = ctx.readers[c](buf, p + 1, ctx)[0]",
            "            ctx.depth = depth",
        ]
    lines += [
        "    except _LOW_LEVEL:",
        "        ctx.depth = depth",
        "        return None",
    ]
    lines += stores
    decode: Decoder = compile_generated("\n".join(lines), f"decode {info.type_name}", env)
    if "_spec" in env:
        setattr(decode, ACCEL_SPEC, env["_spec"])
    return decode


#: type id -> (schema id, the class's generated decoder), for one page.
PageDecoders = dict[int, tuple[int, Decoder]]
#: type id -> (schema id, the compiled decoder's spec), for ``decode_entries`` and the
#: compiled SQL page decoder (``_rows_accel.decode_rows``).
PageSpecs = dict[int, tuple[int, tuple[Any, ...]]]


def learn_class(
    buf: Buffer, at: int, ctx: CodecContext, decoders: PageDecoders, specs: PageSpecs
) -> None:
    """After the object at ``at`` was read the usual way (which makes its class from the
    metadata if need be): its class's entries, for the rest of the page (read_pages.py,
    rows.py)."""
    tid = _i32(buf, at + 4)[0]
    if tid not in decoders:
        cls: Any = ctx.registry.get_class(tid)
        if cls is not None:
            info = cls.__ignite_info__
            decode = info.decoder
            if decode is None:
                decode = info.decoder = compile_decoder(cls, info)
            decoders[tid] = (info.schema_id, decode)
            spec = getattr(decode, ACCEL_SPEC, None)
            if spec is not None:
                specs[tid] = (info.schema_id, spec)


def _object_class(ctx: CodecContext, tid: int, sid: int, compact: bool, pos: int) -> Any:
    """The class to build, and the names of the schema's fields when known."""
    registry = ctx.registry
    cls: Any = registry.get_class(tid)
    if cls is not None:
        info: ObjectInfo = cls.__ignite_info__
        if info.schema_id == sid:
            return cls, info.names
    bt = registry.get_type(tid)
    if bt is None:
        if not compact and cls is not None:
            return cls, None  # a full footer names its fields by id
        if registry.is_unavailable(tid):
            return None, None
        raise NeedBinaryType(tid, sid)
    if cls is None:
        cls = make_class(bt, sid)
        registry.register_class(cls, tid)
    ids = bt.schemas.get(sid)
    if ids is None:
        if compact:
            if registry.is_unavailable(tid):
                return cls, None
            raise NeedBinaryType(tid, sid)
        return cls, None
    names = bt.field_names()
    # Field ids are hashes of the lower-cased name, so the metadata can hold two names for
    # one field ("note" from the class, "NOTE" from SQL's ALTER TABLE ADD COLUMN): the
    # class's own name wins, as it does for a full footer.
    own = cls.__ignite_info__.ids_to_names
    try:
        return cls, tuple(own.get(i) or names[i] for i in ids)
    except KeyError:
        raise fail("binary type metadata misses a field of its own schema", pos) from None


def read_object(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    """The reader of type code 103 (``pos`` just past the code)."""
    start = pos - 1
    _, _version, flags, tid, _hash, total, sid, schema_off = HEADER.unpack_from(buf, start)
    end = start + total
    if total < HEADER_SIZE or end > len(buf):
        raise fail(f"object length {total} exceeds the remaining bytes", start)
    cls: Any = ctx.registry.get_class(tid)
    if cls is not None:
        known: ObjectInfo = cls.__ignite_info__
        if known.schema_id == sid:
            decode = known.decoder
            if decode is None:
                decode = known.decoder = compile_decoder(cls, known)
            result: tuple[Any, int] | None = decode(buf, start, flags, total, schema_off, ctx)
            if result is not None:
                # What follows may point back at it (the decoder records it only for
                # what it holds: a page of top-level objects needs no table).
                ctx.refs[start] = result[0]
                return result
    has_schema = flags & HAS_SCHEMA
    has_raw = flags & HAS_RAW_DATA
    footer_end = end - 4 if (has_schema and has_raw) else end
    if has_schema:
        footer_start = start + schema_off
        if not HEADER_SIZE <= schema_off <= footer_end - start:
            raise fail(f"footer offset {schema_off} outside the object", start)
    else:
        footer_start = footer_end
    raw: bytes | None = None
    if has_raw:
        raw_off = _i32(buf, footer_end)[0] if has_schema else schema_off
        if not HEADER_SIZE <= raw_off <= footer_start - start:
            raise fail(f"raw data offset {raw_off} outside the object", start)
        raw = bytes(buf[start + raw_off : footer_start])
    compact = bool(flags & COMPACT_FOOTER)
    cls, names = _object_class(ctx, tid, sid, compact, start)

    # Footer: field offsets (and ids unless compact).
    width = 1 if flags & OFFSET_ONE_BYTE else 2 if flags & OFFSET_TWO_BYTES else 4
    entry = width if compact else width + 4
    span = footer_end - footer_start
    if span % entry:
        raise fail("footer size is not a whole number of entries", footer_start)
    count = span // entry
    if compact:
        if width == 1:
            offsets: Any = buf[footer_start:footer_end]
        else:
            offsets = _footer_struct(count, width, True).unpack_from(buf, footer_start)
        ids: Any = None
    else:
        flat = _footer_struct(count, width, False).unpack_from(buf, footer_start)
        ids = flat[0::2]
        offsets = flat[1::2]
    if names is None or len(names) != count:
        if ids is not None:
            by_id = cls.__ignite_info__.ids_to_names if cls is not None else {}
            names = tuple(by_id.get(i) or f"field_{i & 0xFFFFFFFF:08x}" for i in ids)
        else:
            names = tuple(f"field_{i}" for i in range(count))

    enter(ctx, start)
    if cls is None:
        cls = make_class(BinaryType(tid, f"BinaryType_{tid & 0xFFFFFFFF:08x}"))
    info: ObjectInfo = cls.__ignite_info__
    obj = cls.__new__(cls)
    d = obj.__dict__
    d.update(info.defaults)
    ctx.refs[start] = obj
    limit = footer_start - start
    for name, off in zip(names, offsets, strict=True):
        if not HEADER_SIZE <= off < limit:
            raise fail(f"field offset {off} outside the object's data", footer_start)
        d[name] = read_any(buf, start + off, ctx)[0]
    if raw is not None:
        d[RAW_ATTR] = raw
    if len(names) < len(info.names):
        d[ABSENT_ATTR] = frozenset(info.names).difference(names)
    ctx.depth -= 1
    return obj, end
