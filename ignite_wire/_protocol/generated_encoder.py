"""The straight-line encoder generated per binary-object class (see :mod:`.object_encoder`).

For a class whose fields all have an inline form in :data:`.field_table.FIELDS`,
:func:`generate` writes an encoder with precompiled ``struct`` formats, constant header
fields and field ids, offsets as running sums and one ``bytes.join``; a class of
scalars the compiled writer takes gets that instead (:mod:`.encoder_accel`).  Whatever
it does not take as is goes to the general encoder, so the bytes and errors are the
general encoder's (property-tested against a reference written from the format).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from operator import itemgetter
from typing import Any, Final
from uuid import UUID

from . import encoder_accel as _accel
from . import hashing as _hashing
from .binary_object import (
    HEADER_SIZE,
    RAW_ATTR,
    ObjectInfo,
    compile_generated,
    hint_type_code_or_none,
)
from .context import CodecContext
from .field_table import FIELDS, MAX_INLINE_FIELDS, FieldForm
from .type_codes import (
    COMPACT_FOOTER,
    HAS_SCHEMA,
    OFFSET_ONE_BYTE,
    OFFSET_TWO_BYTES,
    USER_TYPE,
)
from .write_scalars import Writer

__all__ = ["generate"]

_HEADER_U: Final = struct.Struct("<BBhiIiii")  # HEADER with the hash code unsigned


#: The generated encoders' caches (per class: a packer per length of its one variable
#: field, a footer per such length) stop growing at this many entries; lengths beyond
#: them take the uncached path, which writes the same bytes.
_CACHE_LIMIT: Final = 1024
#: The type code and i32 length of a String or byte[] shorter than this come from a
#: table (:func:`_prefixes`) instead of a ``struct`` call.
_PREFIX_LIMIT: Final = 1024
_PREFIXES: dict[int, tuple[bytes, ...]] = {}


def _prefixes(code: int) -> tuple[bytes, ...]:
    """``(code, n)`` packed as ``<bi``, for every ``n < _PREFIX_LIMIT`` (made once per code)."""
    table = _PREFIXES.get(code)
    if table is None:
        pack = struct.Struct("<bi").pack
        table = _PREFIXES[code] = tuple(pack(code, n) for n in range(_PREFIX_LIMIT))
    return table


def _packer_cache(fmt_before: str, fmt_after: str) -> tuple[dict[int, Any], Callable[[int], Any]]:
    """A cache of ``struct`` packers for the field bytes of a class with one variable
    field: ``fmt_before``, the field's ``n`` bytes, ``fmt_after``; and its filler, which
    returns ``None`` once the cache is full."""
    cache: dict[int, Any] = {}

    def make(n: int) -> Any:
        if len(cache) >= _CACHE_LIMIT:
            return None
        pack = cache[n] = struct.Struct(f"<{fmt_before}{n}s{fmt_after}").pack
        return pack

    return cache, make


def generate(
    info: ObjectInfo,
    general: Writer,
    checked: list[object],
    check_registry: Callable[[CodecContext], None],
) -> Writer | None:
    """Generate a straight-line encoder for a class whose fields all have inline forms.

    It writes header, fields, footer and hash code with a few ``struct`` calls; any
    value it does not take as is (``None``, another type, out of range, a lone
    surrogate) and raw data send the object to ``general``, which writes it or raises
    the error with its path.  The bytes are the general encoder's, bit for bit (tested).

    What is known per class is computed here, once: the field ids, the offsets of the
    fields before the first variable-length one, the whole footer of a class without
    variable-length fields.  A class with exactly one variable-length field (a name, a
    blob) packs its field bytes with one ``struct`` call per length and takes its footer
    from a cache per length; a String or byte[] that follows another variable field
    takes its 5-byte prefix from a table.
    """
    n = len(info.hints)
    if not 0 < n <= MAX_INLINE_FIELDS:
        return None
    codes: list[int] = []
    forms: list[FieldForm] = []
    for hint in info.hints:
        code = hint_type_code_or_none(hint)
        form = FIELDS.get(code) if code is not None else None
        if code is None or form is None or form.guard is None or form.pack is None:
            return None
        codes.append(code)
        forms.append(form)
    fast = _accel.writer(info, codes, general, checked, check_registry)
    if fast is not None:
        return fast
    env: dict[str, Any] = {
        "_checked": checked,
        "_check": check_registry,
        "_general": general,
        "_RAW": RAW_ATTR,
        "_UUID": UUID,
        "_int": int,
        "_hash": _hashing.bytes_hash_u32,
        "_K": _hashing._FOLD_BASE,
        "_TR": _hashing._SIGNED_R,
        "_TQ": _hashing._SIGNED_Q,
        "_header": _HEADER_U.pack,
        "_prefix": struct.Struct("<bi").pack,
        "_struct_error": struct.error,
    }
    lines = [
        "def encode(out, obj, ctx):",
        "    if ctx.registry is not _checked[0]:",
        "        _check(ctx)",
        "    d = obj.__dict__",
        "    try:",
    ]
    if n <= 6:  # (measured: below about 7 fields, one subscript per field is faster)
        lines += [f"        v{i} = d[{name!r}]" for i, name in enumerate(info.names)]
    else:  # one C call for all the fields (KeyError, as d[name], for a missing one)
        env["_fields_of"] = itemgetter(*info.names)
        lines.append(f"        {', '.join(f'v{i}' for i in range(n))} = _fields_of(d)")
    checks = [form.guard.format(v=f"v{i}") for i, form in enumerate(forms) if form.guard]
    lines.append(f"        if {' and '.join(checks)} and _RAW not in d:")
    body = []  # generated statements of the fast path, indented by 12
    parts: list[str] = []  # expressions joined into the object's field bytes
    fmt = ""  # struct format of the fixed bytes not yet emitted
    args: list[str] = []
    const = HEADER_SIZE  # offset of the next field: const + (the running length sum)
    running = ""  # name of the variable holding the variable lengths so far
    offsets = []
    variable = [i for i, form in enumerate(forms) if form.fmt is None]
    # one variable field: the struct format and arguments around its bytes
    single: list[tuple[str, list[str]]] = [("", []), ("", [])]

    def flush() -> None:
        nonlocal fmt, args
        if fmt:
            side = single[0 if not running else 1]
            single[0 if not running else 1] = (side[0] + fmt, side[1] + args)
            name = f"_p{len(parts)}"
            env[name] = struct.Struct("<" + fmt).pack
            parts.append(f"{name}({', '.join(args)})")
            fmt, args = "", []

    for i, code in enumerate(codes):
        offsets.append(f"{const} + {running}" if running else str(const))
        form = forms[i]
        pack = (form.pack or "").format(v=f"v{i}")
        if form.fmt is not None:
            fmt += "b" + form.fmt
            args += [str(code), pack]
            const += 1 + form.size
            continue
        body.append(f"e{i} = {pack}")
        body.append(f"n{i} = len(e{i})")
        if not fmt and running:  # the prefix alone, after another variable field
            env[f"_T{code}"] = _prefixes(code)
            parts.append(f"(_T{code}[n{i}] if n{i} < {_PREFIX_LIMIT} else _prefix({code}, n{i}))")
        else:
            fmt += "bi"
            args += [str(code), f"n{i}"]
            flush()
        parts.append(f"e{i}")
        body.append(f"s{i} = {running} + n{i}" if running else f"s{i} = n{i}")
        running = f"s{i}"
        const += 5
    flush()
    joined = parts[0] if len(parts) == 1 else f"b''.join(({', '.join(parts)},))"
    if len(variable) == 1:
        (before, before_args), (after, after_args) = single
        v = variable[0]
        env["_PK"], env["_make_packer"] = _packer_cache(before, after)
        body += [
            f"pk = _PK.get(n{v})",
            "if pk is None:",
            f"    pk = _make_packer(n{v})",
            "if pk is None:",
            f"    data = {joined}",
            "else:",
            f"    data = pk({', '.join([*before_args, f'e{v}', *after_args])})",
        ]
    else:
        body.append(f"data = {joined}")
    fixed_size = const - HEADER_SIZE  # the field bytes when every variable part is empty
    nb = f"{fixed_size} + {running}" if running else str(fixed_size)
    body.append(f"nb = {nb}")
    hash_small = (
        "h = (_K[nb] + _int(data.translate(_TR), 31) + 31 * _int(data.translate(_TQ), 31))"
        " & 0xFFFFFFFF"
    )
    if _hashing.HASH_ACCELERATED:  # the compiled fold: one C call, whatever the length
        body.append("h = _hash(data)")
    elif running:
        body += [
            f"if nb <= {_hashing._CHUNK}:",
            f"    {hash_small}",
            "else:",
            "    h = _hash(data)",
        ]
    elif fixed_size <= _hashing._CHUNK:
        body.append(hash_small)
    else:
        body.append("h = _hash(data)")
    body.append("end = nb + 24")
    last = offsets[-1]
    offs = ", ".join(offsets)
    full_args = ", ".join(f"{fid}, {o}" for fid, o in zip(info.field_ids, offsets, strict=True))

    def write(width: int, fmt_char: str, width_flag: int) -> list[str]:
        """Statements appending header, fields and footer with ``width``-byte offsets."""
        compact = struct.Struct(f"<{n}{fmt_char}").pack
        full = struct.Struct("<" + ("i" + fmt_char) * n).pack
        env[f"_c{width}"] = compact
        env[f"_f{width}"] = full
        flags = USER_TYPE | HAS_SCHEMA | width_flag
        tid, sid = info.type_id, info.schema_id
        if not running:  # every offset is known: so is the footer
            env[f"_C{width}"] = compact(*map(int, offsets))
            env[f"_F{width}"] = full(*(int(x) for x in full_args.split(", ")))
            compact_footer = [f"    out += _C{width}"]
            full_footer = f"    out += _F{width}"
        elif len(variable) == 1:  # the footer depends on one length
            env[f"_FC{width}"] = {}
            compact_footer = [
                f"    f = _FC{width}.get({running})",
                "    if f is None:",
                f"        f = _c{width}({offs})",
                f"        if len(_FC{width}) < {_CACHE_LIMIT}:",
                f"            _FC{width}[{running}] = f",
                "    out += f",
            ]
            full_footer = f"    out += _f{width}({full_args})"
        else:
            compact_footer = [f"    out += _c{width}({offs})"]
            full_footer = f"    out += _f{width}({full_args})"
        return [
            "if ctx.compact_footer:",
            f"    out += _header(103, 1, {flags | COMPACT_FOOTER}, {tid}, h,"
            f" end + {n * width}, {sid}, end)",
            "    out += data",
            *compact_footer,
            "else:",
            f"    out += _header(103, 1, {flags}, {tid}, h, end + {n * (4 + width)}, {sid}, end)",
            "    out += data",
            full_footer,
            "return",
        ]

    if not running:  # every field has a fixed size: so has the footer
        fixed_last = int(last)
        if fixed_last < 0x100:
            body += write(1, "B", OFFSET_ONE_BYTE)
        elif fixed_last < 0x10000:
            body += write(2, "H", OFFSET_TWO_BYTES)
        else:
            body += write(4, "i", 0)
    else:
        body += [f"if {last} < 256:", *("    " + x for x in write(1, "B", OFFSET_ONE_BYTE))]
        body += [f"if {last} < 65536:", *("    " + x for x in write(2, "H", OFFSET_TWO_BYTES))]
        body += write(4, "i", 0)
    lines += ["            " + b for b in body]
    lines += [
        "    except (KeyError, UnicodeEncodeError, OverflowError, _struct_error):",
        "        pass",
        "    _general(out, obj, ctx)",
    ]
    encode: Writer = compile_generated("\n".join(lines), f"encode {info.type_name}", env)
    return encode
