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
twice would cost every put.  :func:`encodes` wraps a method so that when encoding fails,
it works out which argument (and which hint) the codec tripped on, which only happens on
the error path, and raises the codec's error again with that argument's name.
"""

from __future__ import annotations

import enum
import functools
import inspect
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

from ._protocol.codec import encode_value
from ._protocol.context import CodecContext
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
    "encodes",
    "endpoint_args",
    "hint",
    "integer",
    "iterable",
    "node_attributes",
    "optional_seconds",
    "optional_text",
    "partitions",
    "peek_modes",
    "schema_ref",
    "seconds",
    "shown",
    "text",
]

F = TypeVar("F", bound=Callable[..., Any])

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


def _culprit(
    method: str,
    bound: Mapping[str, Any],
    values: Iterable[str],
    items: Iterable[str],
) -> IgniteError | None:
    """The first argument the codec cannot write, as a named error; ``None`` if all can.

    ``values`` are single values, each with its hint in ``<name>_hint`` when the method
    has one; ``items`` are iterables of values, or mappings (keys and values both).
    """
    for name in values:
        try:
            encodable(bound.get(name), f"{method}(): {name}", bound.get(f"{name}_hint"))
        except IgniteError as exc:
            return exc
    for name in items:
        given = bound.get(name)
        try:
            if isinstance(given, Mapping):
                for i, (key, value) in enumerate(given.items()):
                    encodable(key, f"{method}(): {name}, key {i}")
                    encodable(value, f"{method}(): {name}, value {i}")
            elif given is not None and isinstance(given, Iterable):
                encodable_items(given, f"{method}(): {name}")
        except IgniteError as exc:
            return exc
    return None


def encodes(*values: str, items: Iterable[str] = ()) -> Callable[[F], F]:
    """Name the argument in the codec's errors raised by the decorated method.

    ``values`` name single-value arguments (their hints are ``<name>_hint``), ``items``
    iterable or mapping arguments.  The method runs untouched; only when it raises an
    ``EncodeError``, or an error that is not an ``IgniteError`` (the codec's low-level
    failures, such as printing an unprintable hint), are the arguments encoded again one
    by one to find the culprit, whose named error is raised instead.  When none is found
    the original error propagates unchanged.
    """
    item_names = tuple(items)

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn)
        method = fn.__name__

        def diagnose(exc: Exception, args: Any, kwargs: Any) -> None:
            if isinstance(exc, IgniteError) and not isinstance(exc, EncodeError):
                return
            try:
                bound = signature.bind(*args, **kwargs).arguments
            except TypeError:
                return
            named = _culprit(method, bound, values, item_names)
            if named is not None:
                raise named from None

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(*args, **kwargs)
                except Exception as exc:
                    diagnose(exc, args, kwargs)
                    raise

            return cast(F, run_async)

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                diagnose(exc, args, kwargs)
                raise

        return cast(F, run)

    return decorate
