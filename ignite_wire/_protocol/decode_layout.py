"""The expected-layout path of the generated object decoders.

Nearly every object on the wire is laid out the usual way: its fields in schema order,
one right after the other from offset 24, each of its schema's type and not null.  For
such objects the decoder :func:`.object_decoder.compile_decoder` generates reads runs of
fixed-size fields with one ``struct`` call each (a run ends with the head of a String,
byte array or Decimal), checks every type code and every footer offset against what it
read, and builds the object; anything else falls through to the per-field path, which
decides as before.  So this path changes speed only (property-tested against the general
reader in tests/wire/protocol/test_read_pages.py).
"""

from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

from .read_scalars import DECIMAL_FAST_BYTES, EPOCH, EXACT
from .type_codes import TypeCode

__all__ = ["expected_layout"]

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


def expected_layout(codes: list[int | None], env: dict[str, Any]) -> list[str]:
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
