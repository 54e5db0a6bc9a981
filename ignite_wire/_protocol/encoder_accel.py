"""The compiled encoder of binary objects whose fields are all scalars (issue 12, W1).

When the optional ``_rows_accel.c`` is built (and ``IGNITE_WIRE_PURE`` is not set), a
class whose fields all have one of :data:`_ACCEL_CODES` gets, in place of the encoder
:mod:`.object_encoder` generates, one C callable that writes header, fields, hash and
footer: ~4x faster than the generated Python (0.8 -> 0.2 us for 5 fields).  It takes
only what the generated encoder takes as is (plus ``None``, written as the general
encoder writes it) and hands anything else to the general encoder, so the bytes and
errors are the pure path's (tests/wire/protocol/test_encode_accel.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from .binary_object import RAW_ATTR, ObjectInfo
from .context import CodecContext
from .type_codes import TypeCode
from .write_scalars import Writer

__all__ = ["ENCODE_ACCELERATED", "writer"]

#: ``object_writer(names, codes, ids, type_id, schema_id, checked, check, general, raw)``
#: of ``_rows_accel.c``: a class's whole writer as one C callable (see :func:`writer`).
AccelWriter = Callable[
    [
        tuple[str, ...],
        bytes,
        tuple[int, ...],
        int,
        int,
        list[object],
        Callable[[CodecContext], None],
        Writer,
        str,
    ],
    Writer,
]
accel_writer: AccelWriter | None
try:
    from ._rows_accel import object_writer as accel_writer
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    accel_writer = None

#: Whether objects of scalar fields are written by the compiled encoder.
ENCODE_ACCELERATED: Final = accel_writer is not None
#: The type codes the compiled encoder writes (the generated encoder's, from FIELDS).
_ACCEL_CODES: Final = frozenset(
    {
        TypeCode.BYTE,
        TypeCode.SHORT,
        TypeCode.INT,
        TypeCode.LONG,
        TypeCode.FLOAT,
        TypeCode.DOUBLE,
        TypeCode.BOOL,
        TypeCode.UUID,
        TypeCode.STRING,
        TypeCode.BYTE_ARR,
    }
)


def writer(
    info: ObjectInfo,
    codes: list[int],
    general: Writer,
    checked: list[object],
    check_registry: Callable[[CodecContext], None],
) -> Writer | None:
    """The encoder of a class of scalar fields when ``_rows_accel.c`` is built (else,
    or for another class, ``None``: the generated pure-Python encoder is used).

    A C callable (no Python frame per object): it checks the registry as the other
    encoders do (``check_registry`` unless ``ctx.registry is checked[0]``) and writes
    header, fields, hash and footer.  It takes only what the generated encoder takes as
    is (and ``None``, written as the general encoder writes it); for anything else it
    writes nothing and calls the general encoder, which writes the object or raises its
    error, so bytes and errors are the pure path's (tests/wire/protocol/
    test_encode_accel.py).
    """
    make = accel_writer
    if make is None or not _ACCEL_CODES.issuperset(codes):
        return None
    names, ids = tuple(info.names), tuple(info.field_ids)
    return make(
        names,
        bytes(codes),
        ids,
        info.type_id,
        info.schema_id,
        checked,
        check_registry,
        general,
        RAW_ATTR,
    )
