"""Type stub of the optional compiled object decoder (``_objects_accel.c``)."""

from collections.abc import Callable, Iterator
from typing import Any

from .buffer import Buffer

def fields_view(obj: Any, /) -> Any:
    """``obj.__dict__`` (``ignite_wire.binary.fields_view`` compiled)."""

def decode_object(
    buf: Buffer, start: int, flags: int, total: int, footer: int, spec: tuple[Any, ...], /
) -> tuple[Any, int] | None:
    """The object at ``start`` laid out the usual way, and its end; ``None`` when the
    pure-Python decoder must decide.  ``spec``: (type codes as bytes, field names, new,
    cls, attribute stores, extras or None)."""

def decode_entries(
    buf: Buffer,
    pos: int,
    count: int,
    specs: dict[int, Any],
    items: list[Any],
    held: bool = False,
    /,
) -> int:
    """Append ``(key, object)`` pairs to ``items`` (up to ``count``) while the entries at
    ``pos`` are a long or int key and an object of a class in ``specs`` (type id ->
    (schema id, spec)), plain or wrapped; the position of the first entry left over.
    ``held``: the pairs stay out of the garbage collector until :class:`hand_out`
    returns them (``_accel_held.h``)."""

class hand_out(Iterator[Any]):  # noqa: N801 (a function to its callers)
    """Iterate over a page's pairs, giving held ones back to the garbage collector as
    they are returned."""

    def __init__(self, items: list[Any], /) -> None: ...
    def __next__(self) -> Any: ...
    def __length_hint__(self) -> int: ...

def keyword_init(fields: tuple[str, ...], slow: Callable[..., None], /) -> Callable[..., None]:
    """A binary-object class's ``__init__``: a call with keywords that all name fields
    stores every field in ``fields`` order (``None`` for those not given) in the instance
    dict; any other call is ``slow(obj, *args, **kwargs)`` (object_init.py)."""

def class_vectorcall(cls: type, /) -> bool:
    """Give the binary-object class ``cls`` (its ``__init__`` a ``keyword_init``) the
    compiled call path; whether it took (object_init.fast_call)."""
