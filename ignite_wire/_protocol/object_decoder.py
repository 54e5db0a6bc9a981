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
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

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
from .field_table import FIELDS, MAX_INLINE_FIELDS, generated_env, inline_string
from .read_scalars import DEC_HEAD, DECIMAL_FAST_BYTES, EPOCH, EXACT, decimal_of
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

__all__ = ["compile_decoder", "no_decoder", "read_object"]

Decoder = Callable[..., "tuple[Any, int] | None"]

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


#: The fixed-size fields the expected-layout path reads in runs: type code ->
#: (struct format of the payload, its size).  Variable-length ones (String, byte array,
#: Decimal) end a run with their head (i32 length; Decimal: i32 scale, i32 length).
_RUN_FIXED: Final = {
    int(TypeCode.BYTE): ("b", 1),
    int(TypeCode.SHORT): ("h", 2),
    int(TypeCode.INT): ("i", 4),
    int(TypeCode.LONG): ("q", 8),
    int(TypeCode.FLOAT): ("f", 4),
    int(TypeCode.DOUBLE): ("d", 8),
    int(TypeCode.BOOL): ("?", 1),
    int(TypeCode.UUID): ("QQ", 16),
    int(TypeCode.TIMESTAMP): ("qi", 12),
}
_RUN_HEAD: Final = {
    int(TypeCode.STRING): "i",
    int(TypeCode.BYTE_ARR): "i",
    int(TypeCode.DECIMAL): "ii",
}
#: Past this many runs the expected-layout path is not generated (the per-field path
#: reads everything): it bounds the source, and the gain is in the common small classes.
_MAX_RUNS: Final = 24
#: Epoch milliseconds of 10000-01-01: ``datetime.fromtimestamp`` reads whole seconds
#: below it (and from 0) without an error.
_MS_9999: Final = 253_402_300_800_000


def _expected_layout(codes: list[int | None], env: dict[str, Any]) -> list[str]:
    """Generated lines that read an object laid out the usual way -- every field of its
    schema's type, not null, each right after the previous one from offset 24 -- with one
    ``struct`` call per run of fixed-size fields (plus the head of the variable-length
    field that ends the run), and return it.  Any difference (a null, another type, a
    gap, a bad length) leaves ``ok`` false and the per-field path that follows decides;
    a low-level error on the way does the same.  So the path changes speed only: each
    field is read at its footer offset, with its type code checked, as the per-field
    path reads it.  Empty when a field's type has no run form."""
    if not codes or any(c not in _RUN_FIXED and c not in _RUN_HEAD for c in codes):
        return []
    runs: list[list[int]] = [[]]
    for i, code in enumerate(codes):
        runs[-1].append(i)
        if code in _RUN_HEAD and i < len(codes) - 1:
            runs.append([])
    if len(runs) > _MAX_RUNS:
        return []
    mode = any(c in (TypeCode.TIMESTAMP, TypeCode.DECIMAL) for c in codes)
    # Offsets only grow along the chain of checks: the last one below the footer puts all
    # of them where the general reader accepts them.
    lines = [
        f"    ok = o0 == 24 and o{len(codes) - 1} < footer"
        + (" and ctx.readers is _READERS" if mode else "")
    ]
    lines.append("    try:")
    ind = "        "
    for r, run in enumerate(runs):
        fmt = "<"
        names: list[str] = []
        for i in run:
            code = codes[i]
            assert code is not None
            if code in _RUN_FIXED:
                fmt += "b" + _RUN_FIXED[code][0]
                width = len(_RUN_FIXED[code][0])
                own = [f"v{i}"] if width == 1 else [f"v{i}_{k}" for k in range(width)]
                names += [f"c{i}", *own]
            else:
                fmt += "b" + _RUN_HEAD[code]
                names += [f"c{i}", *(f"h{i}_{k}" for k in range(len(_RUN_HEAD[code])))]
        env[f"_run{r}"] = struct.Struct(fmt).unpack_from
        base = "start + 24" if r == 0 else f"q{runs[r - 1][-1]}"
        lines += [f"{ind}if ok:", f"{ind}    {', '.join(names)}, = _run{r}(buf, {base})"]
        checks: list[str] = []
        for j, i in enumerate(run):
            code = codes[i]
            checks.append(f"c{i} == {code}")
            if j:  # the previous field of the run is fixed-size: this one follows it
                prev = run[j - 1]
                size = _RUN_FIXED[codes[prev] or 0][1]
                checks.append(f"o{i} == o{prev} + {size + 1}")
        last = run[-1]
        lines.append(f"{ind}    ok = {' and '.join(checks)}")
        code = codes[last]
        if code in _RUN_HEAD:
            head = 5 if code != TypeCode.DECIMAL else 9
            n = f"h{last}_0" if code != TypeCode.DECIMAL else f"h{last}_1"
            q = f"q{last}"
            lines.append(f"{ind}    {q} = start + o{last} + {head} + {n}")
            if last < len(codes) - 1:
                lines.append(f"{ind}    ok = ok and {n} >= 0 and {q} - start == o{last + 1}")
            else:
                lines.append(f"{ind}    ok = ok and {n} >= 0 and {q} <= fs")
    # values: every read succeeded and every check held
    values: list[str] = []
    for i, code in enumerate(codes):
        at = f"start + o{i}"
        if code == TypeCode.STRING:
            values.append(f"v{i} = str(buf[q{i} - h{i}_0:q{i}], 'utf-8')")
        elif code == TypeCode.BYTE_ARR:
            values.append(f"v{i} = bytes(buf[q{i} - h{i}_0:q{i}])")
        elif code == TypeCode.DECIMAL:
            # decimal_of inlined: the head's length and the bytes are checked above
            n = f"h{i}_1"
            values += [
                f"if {n} > {DECIMAL_FAST_BYTES}:",
                "    raise IndexError",  # the general reader's string form
                f"u = _from_bytes(buf[q{i} - {n}:q{i}], 'big')",
                f"if {n} and buf[q{i} - {n}] & 128:",
                f"    u = -(u ^ (1 << (8 * {n} - 1)))",
                f"v{i} = _Decimal(u).scaleb(-h{i}_0, _EXACT)",
            ]
        elif code == TypeCode.UUID:
            values.append(f"v{i} = _UUID(int=(v{i}_0 << 64) | v{i}_1)")
        elif code == TypeCode.TIMESTAMP:
            # Whole seconds (dates, SQL timestamps) by fromtimestamp, exact for an int
            # and the fastest; only inside years 1970..9999, where it cannot fail.
            ms, ns = f"v{i}_0", f"v{i}_1"
            values.append(
                f"v{i} = _fromts({ms} // 1000, _UTC)"
                f" if {ns} == 0 and 0 <= {ms} < {_MS_9999} and {ms} % 1000 == 0"
                f" else _EPOCH + _td(0, 0, 0, {ms}) if {ns} == 0"
                f" else _datetime({ms}, {ns}, {at} + 1)"
            )
    if values:  # every read succeeded and every check held: the values of the others
        lines += [f"{ind}if ok:", *(f"{ind}    {v}" for v in values)]
    lines += [
        "    except _LOW_LEVEL:",
        "        ok = False",
    ]
    env.update(
        _UUID=UUID,
        _EPOCH=EPOCH,
        _td=timedelta,
        _fromts=datetime.fromtimestamp,
        _UTC=timezone.utc,
        _from_bytes=int.from_bytes,
        _Decimal=Decimal,
        _EXACT=EXACT,
    )
    return lines


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


def compile_decoder(cls: type, info: ObjectInfo) -> Decoder:
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
    path (:func:`_expected_layout`): a few ``struct`` calls for the whole object.
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
    lines = [
        "def decode(buf, start, flags, total, footer, ctx):",
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
    codes = [hint_type_code_or_none(hint) for hint in info.hints]
    expected = _expected_layout(codes, env)
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
    return decode


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
