"""Type stub of the optional compiled SQL page decoder (``_rows_accel.c``)."""

from collections.abc import Callable
from typing import Any

from .buffer import Buffer

def decode_rows(
    buf: Buffer,
    pos: int,
    rows: int,
    columns: int,
    general: Callable[[Buffer, int, int], tuple[list[Any], int]],
    /,
) -> tuple[list[list[Any]], int]:
    """``rows`` rows of ``columns`` values at ``pos`` and the end; what this code does
    not decode goes to ``general(buf, pos, count)`` (``decode_values``)."""
