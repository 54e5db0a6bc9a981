"""Type stub of the optional compiled page loader of plain models (``_models_accel.c``)."""

from typing import Any

def build_page(spec: tuple[Any, ...], rows: list[Any], /) -> list[Any] | None:
    """The models of a page of ``[key, value]`` rows, or ``None`` when the pure page
    form must decide (a row that does not fit).  ``spec``: see the C source."""
