"""The one table the code generators share: how a field of each type code is inlined.

Three generators write straight-line Python per shape of data: the object encoder
(:mod:`.object_encoder`, per binary-object class), the object decoder
(:mod:`.object_decoder`, per class) and the SQL row decoder (:mod:`.rows`, per column
signature).  What they inline for a type code is stated once, here, in :data:`FIELDS`:

* ``fmt`` / ``size``: the ``struct`` format and byte size of the payload after the type
  code (``fmt`` is ``None`` for variable-length payloads: i32 length + bytes);
* ``guard``: the condition, on ``{v}``, under which the encoder writes a value as is
  (anything else, ``None`` included, goes to the general encoder, which writes it or
  raises the error with its path);
* ``pack``: the ``struct`` arguments (fixed size) or the payload bytes (variable) of
  ``{v}``;
* ``read``: the expression of the value whose type code is at ``p``, or ``None`` when
  the decoders dispatch that code through ``READERS``.  Strings are read by
  :func:`inline_string`, which checks the length first.

A code without an entry (or with ``guard``/``read`` ``None``) is simply not inlined;
the generated code then takes the general path, so the table only changes speed, never
bytes or values (the generated code is compared with the general code by property
tests).  The names the ``read`` expressions use are :func:`generated_env`'s.

Ranges are not checked by the guards: ``struct`` raises for a value that does not fit,
and the generated encoder then hands the object to the general one.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from . import buffer as _b
from .read_scalars import TS, datetime_of
from .reader_table import READERS
from .type_codes import TypeCode

__all__ = ["FIELDS", "MAX_INLINE_FIELDS", "FieldForm", "generated_env", "inline_string"]


class FieldForm(NamedTuple):
    """How the generators inline one type code (see the module docstring)."""

    fmt: str | None
    size: int
    guard: str | None
    pack: str | None
    read: str | None


FIELDS: Final[dict[int, FieldForm]] = {
    TypeCode.BYTE: FieldForm("b", 1, "type({v}) is int", "{v}", "_i8(buf, p + 1)[0]"),
    TypeCode.SHORT: FieldForm("h", 2, "type({v}) is int", "{v}", "_i16(buf, p + 1)[0]"),
    TypeCode.INT: FieldForm("i", 4, "type({v}) is int", "{v}", "_i32(buf, p + 1)[0]"),
    TypeCode.LONG: FieldForm("q", 8, "type({v}) is int", "{v}", "_i64(buf, p + 1)[0]"),
    TypeCode.FLOAT: FieldForm("f", 4, "type({v}) is float", "{v}", "_f32(buf, p + 1)[0]"),
    TypeCode.DOUBLE: FieldForm("d", 8, "type({v}) is float", "{v}", "_f64(buf, p + 1)[0]"),
    TypeCode.BOOL: FieldForm("?", 1, "type({v}) is bool", "{v}", "buf[p + 1] != 0"),
    # msb, lsb as unsigned halves: the same bytes as the signed Java longs
    TypeCode.UUID: FieldForm(
        "QQ",
        16,
        "type({v}) is _UUID",
        "{v}.int >> 64, {v}.int & 0xFFFFFFFFFFFFFFFF",
        "_unpack_uuid(buf, p + 1)",
    ),
    TypeCode.TIMESTAMP: FieldForm("qi", 12, None, None, "_datetime(*_TS(buf, p + 1), p + 1)"),
    TypeCode.STRING: FieldForm(None, 0, "type({v}) is str", "{v}.encode()", None),
    TypeCode.BYTE_ARR: FieldForm(None, 0, "type({v}) is bytes", "{v}", None),
}

#: Classes (and SQL rows) with more fields than this take the general path: the
#: generated source grows with the field count and the gain does not.
MAX_INLINE_FIELDS: Final = 200


def generated_env() -> dict[str, Any]:
    """The names the ``read`` expressions and generated decoders use."""
    return {
        "_READERS": READERS,
        "_i8": _b.unpack_i8,
        "_i16": _b.unpack_i16,
        "_i32": _b.unpack_i32,
        "_i64": _b.unpack_i64,
        "_f32": _b.unpack_f32,
        "_f64": _b.unpack_f64,
        "_unpack_uuid": _b.unpack_uuid,
        "_datetime": datetime_of,
        "_TS": TS.unpack_from,
    }


def inline_string(target: str, indent: str) -> list[str]:
    """Generated lines that read the String (9) at ``p`` into ``target`` and set ``q`` to
    its end.  A bad length or bad UTF-8 raises: the general reader reports or repairs it."""
    return [
        f"{indent}if c == 9:",
        f"{indent}    q = p + 5 + _i32(buf, p + 1)[0]",
        f"{indent}    if q < p + 5 or q > len(buf):",
        f"{indent}        raise IndexError",
        f"{indent}    {target} = str(buf[p + 5 : q], 'utf-8')",
    ]
