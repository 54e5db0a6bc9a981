"""The base of the type-hint classes.

A hint class names an Ignite type (``type_code``).  Pass it as ``value_hint=``/
``key_hint=``, in a ``(value, Hint)`` pair anywhere inside a value, or as a field type in
a ``GenericObjectMeta`` schema.  Hints are never instantiated: they carry no data.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["IgniteDataType"]


class IgniteDataType:
    """Base of every hint class."""

    #: The Ignite type code the hint stands for (``None``: infer from the value).
    type_code: ClassVar[int | None] = None
    #: Marks the class as a hint for the codec.
    __ignite_hint__: ClassVar[bool] = True

    def __init__(self) -> None:
        raise TypeError(f"{type(self).__name__} is a type hint; pass the class itself")
