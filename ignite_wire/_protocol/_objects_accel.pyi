"""Type stub of the optional compiled object decoder (``_objects_accel.c``)."""

from typing import Any

from .buffer import Buffer

def decode_object(
    buf: Buffer, start: int, flags: int, total: int, footer: int, spec: tuple[Any, ...], /
) -> tuple[Any, int] | None:
    """The object at ``start`` laid out the usual way, and its end; ``None`` when the
    pure-Python decoder must decide.  ``spec``: (type codes as bytes, field names, new,
    cls, attribute stores, extras or None)."""

def decode_entries(
    buf: Buffer, pos: int, count: int, specs: dict[int, Any], items: list[Any], /
) -> int:
    """Append ``(key, object)`` pairs to ``items`` (up to ``count``) while the entries at
    ``pos`` are a long or int key and an object of a class in ``specs`` (type id ->
    (schema id, spec)), plain or wrapped; the position of the first entry left over."""
