"""Type stub of the optional compiled object decoder (``_objects_accel.c``)."""

from typing import Any

from .buffer import Buffer

def decode_object(
    buf: Buffer, start: int, flags: int, total: int, footer: int, spec: tuple[Any, ...], /
) -> tuple[Any, int] | None:
    """The object at ``start`` laid out the usual way, and its end; ``None`` when the
    pure-Python decoder must decide.  ``spec``: (type codes as bytes, field names, new,
    cls, attribute stores, extras or None)."""
