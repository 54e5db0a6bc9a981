"""Argument checks of the public API: one bad value, one typed error that names it.

Every check takes the value and the argument's name as the caller wrote it (``"sql():
partitions"``) and raises :class:`~.exceptions.ParameterError` (a ``ValueError``) or,
for a value of the wrong type, :class:`~.exceptions.ParameterTypeError` (also a
``TypeError``), before anything is sent.  Without them, bad input escaped
``except IgniteError`` as whatever the first library call tripped on: ``TypeError`` from
``iter()``, ``ValueError`` from printing an int of 5,000 digits, ``UnicodeEncodeError``
from a lone surrogate, ``struct.error`` from packing a huge id.

Two rules hold for every message here:

* Values are shown through :func:`shown`, which never raises and never runs long (an
  int beyond 4,300 digits makes ``repr`` raise; a megabyte string makes a megabyte
  message).  A secret is never shown, only its type.
* The argument's name comes first, so a reader sees *which* argument before *why*.

Keys and values are checked where the codec meets them, not in front of it: encoding
twice would cost every put.  When an operation fails, :func:`raise_named_value` and
:func:`raise_named_items` (called from the ``except`` around it) work out which argument,
or which hint, the codec tripped on, and raise the codec's error again with that
argument's name; a call that succeeds pays nothing (not even a wrapper's call).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._protocol.codec import encode_value
from ._protocol.context import CodecContext
from ._protocol.opcodes import OpCode
from ._protocol.ops.index_query import InCriterion, RangeCriterion
from ._protocol.writers import hint_writer
from .exceptions import EncodeError, IgniteError, ParameterError, ParameterTypeError

__all__ = [
    "binary_class",
    "binary_type_ref",
    "cache_ref",
    "criteria",
    "encodable",
    "encodable_items",
    "endpoint_args",
    "hint",
    "integer",
    "iterable",
    "method_of",
    "node_attributes",
    "optional_seconds",
    "optional_text",
    "partitions",
    "peek_modes",
    "raise_named_items",
    "raise_named_value",
    "schema_ref",
    "seconds",
    "shown",
    "text",
]

I32 = (-(2**31), 2**31 - 1)
I64 = (-(2**63), 2**63 - 1)
#: Partitions per cache the server may have (RendezvousAffinityFunction's maximum).
MAX_PARTITION = 65535


def shown(value: object, limit: int = 80) -> str:
    """``repr(value)`` for an error message: never raises, never runs long.

    ``repr`` of an int over 4,300 digits raises ``ValueError``; a huge value would make a
    huge message.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an int of {value.bit_length()} bits"
    try:
        text = repr(value)
    except Exception:  # a user's __repr__ may fail: the type still says enough
        return f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _wrong_type(name: str, wanted: str, value: object, *, secret: bool = False) -> ParameterError:
    what = f"a {type(value).__name__}" if secret else shown(value)
    return ParameterTypeError(f"{name} must be {wanted}, got {what}")


# -- scalars -------------------------------------------------------------------------------


def text(value: object, name: str, *, secret: bool = False, empty: bool = False) -> str:
    """A str with a UTF-8 form (no lone surrogate), non-empty unless ``empty``.

    The surrogate is found without encoding: a ``UnicodeEncodeError`` would carry the
    whole value (perhaps a password) in its args, reachable as ``__context__``.
    """
    if not isinstance(value, str):
        raise _wrong_type(name, "a str", value, secret=secret)
    if not value and not empty:
        raise ParameterError(f"{name} must not be empty")
    if not value.isascii():
        bad = next((i for i, c in enumerate(value) if "\ud800" <= c <= "\udfff"), None)
        if bad is not None:
            raise ParameterError(f"{name} has a lone surrogate at index {bad}: no UTF-8 form")
    return value


def optional_seconds(value: object, name: str) -> float | None:
    """``None`` (no limit), or :func:`seconds`."""
    return None if value is None else seconds(value, name)


def optional_text(value: object, name: str) -> str | None:
    """``None``, or a :func:`text`."""
    return None if value is None else text(value, name)


def integer(value: object, name: str, low: int, high: int) -> int:
    """An int (IntEnums too, ``bool`` not) in ``low..high``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(name, f"an int in {low}..{high}", value)
    if not low <= value <= high:
        raise ParameterError(f"{name} must be an int in {low}..{high}, got {shown(value)}")
    return int(value)


def seconds(value: object, name: str) -> float:
    """A finite number of seconds, 0 or more (``inf`` and ``nan`` overflow every wait)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _wrong_type(name, "a number of seconds", value)
    if isinstance(value, int) and value.bit_length() > 64:
        raise ParameterError(f"{name} must be a finite number of seconds, got {shown(value)}")
    if not math.isfinite(value) or value < 0:
        raise ParameterError(f"{name} must be a finite number of seconds >= 0, got {value!r}")
    return float(value)


# -- collections ---------------------------------------------------------------------------


def iterable(value: object, name: str, wanted: str = "an iterable (a list or tuple)") -> list[Any]:
    """The items of an iterable that is not a str or bytes."""
    if value is None or isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _wrong_type(name, wanted, value)
    return list(value)


def partitions(value: object, name: str) -> None:
    """``None``, or a non-empty iterable of partition numbers 0..65535."""
    if value is None:
        return
    items = iterable(value, name, "an iterable of partition numbers (ints)")
    if not items:
        raise ParameterError(f"{name} must name at least one partition")
    for i, p in enumerate(items):
        integer(p, f"{name}[{i}]", 0, MAX_PARTITION)


def peek_modes(value: object, name: str) -> None:
    """``None``, one peek mode, or an iterable of them (0..5)."""
    if value is None:
        return
    single = isinstance(value, int)
    for i, mode in enumerate([value] if single else iterable(value, name)):
        if isinstance(mode, bool) or not isinstance(mode, int) or not 0 <= mode <= 5:
            error = ParameterError if isinstance(mode, int) else ParameterTypeError
            where = name if single else f"{name}[{i}]"
            raise error(f"{where}: {shown(mode)} is not a peek mode (an int in 0..5)")


# -- keys, values and hints ----------------------------------------------------------------


def hint(value: object, name: str) -> None:
    """``None``, or a type hint: a ``datatypes`` class, a binary-object class, a type code."""
    if value is None:
        return
    try:
        hint_writer(value)
    except Exception:  # an unknown hint, or one whose message could not even be made
        raise ParameterTypeError(f"{name}: {shown(value)} is not a type hint") from None


def encodable(value: object, name: str, type_hint: object = None) -> None:
    """A value the codec can write (as ``type_hint``, named ``<name>_hint``, says); the
    codec's error, named."""
    hint(type_hint, f"{name}_hint")
    try:
        encode_value(value, type_hint, ctx=CodecContext())
    except EncodeError as exc:
        raise _named(exc, name) from None


def encodable_items(values: object, name: str) -> None:
    """``None``, or an iterable whose every item the codec can write (``name[i]`` named)."""
    if values is None:
        return
    for i, value in enumerate(iterable(values, name)):
        encodable(value, f"{name}[{i}]")


def _named(exc: EncodeError, name: str) -> EncodeError:
    named = EncodeError(f"{name}: {exc.message}")
    named.path = exc.path
    return named


def node_attributes(value: object, name: str) -> None:
    """``None``, or a mapping of attribute names (non-empty str) to encodable values."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise _wrong_type(name, "a mapping of attribute names to values", value)
    for key, item in value.items():
        text(key, f"{name}: attribute names")
        encodable(item, f"{name}[{key!r}]")


def cache_ref(value: object, name: str) -> None:
    """A cache name (:func:`text`) or a cache id (a Java ``int``); other forms (``None``, a
    cache handle) are for the caller to judge."""
    if isinstance(value, str):
        text(value, name)
    elif isinstance(value, int) and not isinstance(value, bool):
        integer(value, name, *I32)


# -- binary types --------------------------------------------------------------------------


def binary_type_ref(value: object, name: str) -> None:
    """A binary type name (:func:`text`) or a type id (a Java ``int``)."""
    if isinstance(value, str):
        text(value, name)
    elif isinstance(value, int) and not isinstance(value, bool):
        integer(value, name, *I32)
    else:
        raise _wrong_type(name, "a type name (str) or a type id (int)", value)


def schema_ref(value: object, name: str) -> None:
    """``None``, a schema id (a Java ``int``), or a mapping of field names to hints."""
    if value is None:
        return
    if isinstance(value, Mapping):
        for field, field_hint in value.items():
            text(field, f"{name}: a field name")
            hint(field_hint, f"{name}[{field!r}]")
    elif isinstance(value, int) and not isinstance(value, bool):
        integer(value, name, *I32)
    else:
        raise _wrong_type(name, "a schema id (int) or a mapping of field names to hints", value)


def binary_class(value: object, name: str) -> None:
    """A ``GenericObjectMeta`` class or an ``enum.Enum`` class."""
    if isinstance(value, type) and (
        issubclass(value, enum.Enum) or getattr(value, "__ignite_info__", None) is not None
    ):
        return
    raise _wrong_type(name, "a GenericObjectMeta class or an Enum class", value)


def criteria(value: object, name: str) -> None:
    """An iterable of index-query criteria (:mod:`ignite_wire.index_query` makes them)."""
    for i, crit in enumerate(iterable(value, name)):
        if not isinstance(crit, (RangeCriterion, InCriterion)):
            raise _wrong_type(f"{name}[{i}]", "a criterion from ignite_wire.index_query", crit)
        text(crit.field, f"{name}[{i}]: the field name")


# -- connect() -----------------------------------------------------------------------------


def endpoint_args(args: tuple[Any, ...]) -> None:
    """The hosts and ports of ``connect(*args)``: text without surrogates, ports 1..65535.

    Only what the address parser cannot say clearly is checked here (a surrogate makes
    the IDNA codec raise ``UnicodeError``; a huge port makes its message raise); the
    forms themselves are :func:`~._transport.options.parse_addresses`'s business.
    """
    host = args[0] if args else None
    port = args[1] if len(args) > 1 else None
    if isinstance(host, str):
        text(host, "connect(): host", empty=True)
    elif host is not None and not isinstance(host, Iterable):
        raise _wrong_type("connect(): host", "a host name or a list of (host, port)", host)
    if port is not None:
        integer(port, "connect(): port", 1, 65535)
    if isinstance(host, (list, tuple)):
        for i, node in enumerate(host):
            if isinstance(node, str):
                text(node, f"connect(): node {i} host")
            elif isinstance(node, (list, tuple)) and len(node) == 2:
                text(node[0], f"connect(): node {i} host")
                integer(node[1], f"connect(): node {i} port", 1, 65535)


# -- naming codec errors -------------------------------------------------------------------

#: The arguments of the key-value operations whose second argument is not ``value``.
_ARGUMENT_NAMES: dict[int, tuple[str, ...]] = {
    OpCode.CACHE_REMOVE_IF_EQUALS: ("key", "sample"),
    OpCode.CACHE_REPLACE_IF_EQUALS: ("key", "sample", "value"),
}


def method_of(op: int) -> str:
    """The cache method an op code serves: ``CACHE_GET_AND_PUT`` -> ``get_and_put``."""
    return OpCode(op).name.removeprefix("CACHE_").lower()


def _codec_failure(exc: Exception) -> bool:
    """Whether ``exc`` may come from encoding: an ``EncodeError``, or no ``IgniteError`` at
    all (a low-level failure, such as printing an unprintable hint)."""
    return isinstance(exc, EncodeError) or not isinstance(exc, IgniteError)


def raise_named_value(exc: Exception, op: int, args: Sequence[tuple[object, object]]) -> None:
    """Raise the named error of the first ``(value, hint)`` argument of ``op`` the codec
    cannot write, when ``exc`` is a codec failure; return if it is not, or none is found.

    Called from an ``except`` around the operation: the arguments are encoded again one
    by one only after encoding failed, so a good call pays nothing for the name.
    """
    if not _codec_failure(exc):
        return
    method = method_of(op)
    names = _ARGUMENT_NAMES.get(op, ("key", "value"))
    for name, (value, type_hint) in zip(names, args, strict=False):  # a get has no value
        try:
            encodable(value, f"{method}(): {name}", type_hint)
        except IgniteError as named:
            raise named from None


def raise_named_items(
    exc: Exception, op: int, name: str, items: Sequence[Any], *, pairs: bool = False
) -> None:
    """:func:`raise_named_value` for a batch: ``name[i]`` of keys, or ``name, key i`` /
    ``name, value i`` of pairs (``pairs``: ``items`` is flat, ``[key, value, ...]``, as
    ``_facade.pairs_param`` makes it)."""
    if not _codec_failure(exc):
        return
    where = f"{method_of(op)}(): {name}"
    try:
        if pairs:
            for i in range(len(items) // 2):
                encodable(items[2 * i], f"{where}, key {i}")
                encodable(items[2 * i + 1], f"{where}, value {i}")
            return
        for i, item in enumerate(items):
            encodable(item, f"{where}[{i}]")
    except IgniteError as named:
        raise named from None
