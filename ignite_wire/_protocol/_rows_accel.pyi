"""Type stub of the optional compiled SQL page decoder and header hash (``_rows_accel.c``)."""

from collections.abc import Callable
from typing import Any

from .buffer import Buffer

def decode_rows(
    buf: Buffer,
    pos: int,
    rows: int,
    columns: int,
    general: Callable[[Buffer, int, int], tuple[list[Any], int]],
    specs: dict[int, tuple[int, tuple[Any, ...]]] | None = None,
    /,
) -> tuple[list[list[Any]], int]:
    """``rows`` rows of ``columns`` values at ``pos`` and the end; what this code does
    not decode goes to ``general(buf, pos, count)`` (``decode_values``).  ``specs``
    (type id -> (schema id, spec)): the classes whose objects are read by the compiled
    object decoder (``_objects_accel.c``)."""

def bytes_hash(
    data: bytes | bytearray | memoryview, start: int = 0, end: int | None = None, /
) -> int:
    """Java ``h = 31*h + b`` over the signed bytes ``data[start:end]`` from ``h = 1``, as
    a signed int32 (``hashing.bytes_hash_pure``'s result, slice semantics included)."""

def bytes_hash_u32(data: bytes | bytearray, /) -> int:
    """``bytes_hash`` of all of ``data`` as an unsigned 32-bit value (the C code takes any
    buffer; typed as the pure fallback is)."""

def object_writer(
    names: tuple[str, ...],
    codes: bytes,
    ids: tuple[int, ...],
    type_id: int,
    schema_id: int,
    checked: list[object],
    check: Callable[[Any], None],
    general: Callable[[bytearray, Any, Any], None],
    raw: str,
    /,
) -> Callable[[bytearray, Any, Any], None]:
    """The writer ``(out, obj, ctx)`` of a class of scalar fields: ``check(ctx)`` unless
    ``ctx.registry is checked[0]``, then the object of ``obj.__dict__``, and
    ``general(out, obj, ctx)`` when it declines."""

def write_pairs(
    out: bytearray,
    pairs: list[Any],
    ctx: Any,
    writers: dict[type, Any],
    longs: bool,
    encoded: dict[int, Any] | None,
    flat: bool = False,
    /,
) -> int:
    """Append the ``(key, value)`` pairs of ``pairs`` as ``codec.write_pairs`` does, up to
    the first one the pure loop must write (``out`` cut back to before it); how many.
    ``encoded``: the batch's keys already encoded to route them (``ctx.encoded``);
    ``flat``: ``pairs`` is ``[key, value, key, value, ...]``."""

def split_keys(
    items: list[Any],
    pairs: int,
    slots: tuple[int, ...],
    mask: int,
    buckets: list[list[Any]],
    slow: Callable[[Any], int],
    /,
) -> None:
    """Append each item to ``buckets[index]``: ``slots[partition]`` for an int key (its
    Long.hashCode's partition, ``mask`` = partition count - 1 > 0), ``slow(key)`` for
    any other (``_routing.KeyRoute.split``'s loop).  ``pairs``: 0 keys, 1 ``(key,
    value)`` tuples, 2 a flat ``[key, value, ...]`` list (a key's value follows it)."""

def flat_items(d: dict[Any, Any], /) -> list[Any]:
    """The items of ``d`` as one list ``[key, value, key, value, ...]`` in its order."""

def decode_answer(buf: Buffer, /) -> Any:
    """The typed value at ``buf[0]`` when it is a scalar, a string, a date/time, a decimal
    or a byte array (what the default readers make of it); ``NotImplemented`` otherwise
    (``_cache_calls.answer_value``'s short cut)."""

def set_bytes_writer(writer: Callable[[bytearray, Any, Any], None], /) -> None:
    """Register the default writer of bytes: ``write_pairs`` writes a bytes value whose
    writer in the table is this one itself (the same bytes, no call)."""
