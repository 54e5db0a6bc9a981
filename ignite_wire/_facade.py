"""What the sync and asyncio facades share and that needs no I/O.

Argument checking and conversion (cache names and settings, expiry policies, peek modes,
SQL arguments) and the transaction context (the constructor's options are in
``_options.py``).  Keeping it here means
the two facades (one generated from the other, see ``tools/unasync.py``) contain only the
calls that differ by ``await``.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from itertools import chain
from typing import Any, Final, Generic, TypeVar, cast

from ._checks import shown as shown  # re-exported: _options and others take it from here
from ._checks import text
from ._protocol.binary_types import BinaryTypeRegistry
from ._protocol.context import CodecContext
from ._protocol.expiry_policy import pack_expiry_policy
from ._protocol.hashing import string_hash
from ._protocol.ops.common import cache_header
from .exceptions import ParameterError, TransactionError

__all__ = [
    "PROP_NAME",
    "TxState",
    "active_tx",
    "cache_id_of",
    "cache_name_of",
    "expiry_bytes",
    "peek_mode_list",
]

#: The ``PROP_NAME`` property code (kept here so this module does not import datatypes).
PROP_NAME = 0


def is_seconds(value: object) -> bool:
    """A positive, finite number of seconds (``inf`` overflows socket and event waits)."""
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and value > 0
        and math.isfinite(value)
    )


def text_param(value: object, name: str, *, secret: bool = False) -> str:
    """A str argument that has a UTF-8 form (see :func:`._checks.text`; may be empty)."""
    return text(value, name, secret=secret, empty=True)


def pairs_param(pairs: object, name: str) -> list[Any]:
    """``(key, value)`` pairs from a mapping or an iterable of 2-item tuples/lists, as one
    flat list ``[key, value, key, value, ...]`` (a snapshot: retries send the same).

    Flat because a tuple per entry was most of put_all's own cost after encoding: the
    10,000 tuples of ``list(d.items())`` and the young collections they set off (issue
    12, W4).  A dict is flattened by one compiled call when the accelerator is built
    (``_rows_accel.flat_items``), else by ``chain`` (whose items tuple is reused).
    """
    if type(pairs) is dict:
        return _flat_items(pairs)
    if isinstance(pairs, Mapping):
        pairs = pairs.items()
    elif pairs is None or isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
        raise ParameterError(f"{name} must be a mapping or (key, value) pairs, got {shown(pairs)}")
    result: list[Any] = []
    add = result.append
    for i, item in enumerate(pairs):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise ParameterError(f"{name}: item {i} is not a (key, value) pair: {shown(item)}")
        add(item[0])
        add(item[1])
    return result


def _flat_items_pure(pairs: dict[Any, Any]) -> list[Any]:
    """``flat_items`` without the accelerator: the same list."""
    return list(chain.from_iterable(pairs.items()))


_flat_items: Callable[[dict[Any, Any]], list[Any]]
try:
    from ._protocol._rows_accel import flat_items as _flat_items
except ImportError:  # not built, or IGNITE_WIRE_PURE=1
    _flat_items = _flat_items_pure


def list_param(items: object, name: str) -> list[Any]:
    """The items of an iterable argument (not a str), or a ParameterError naming it."""
    if items is None or isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise ParameterError(f"{name} must be an iterable, got {shown(items)}")
    return list(items)


def sql_placeholders(sql: str) -> int:
    """The number of ``?`` parameters in ``sql`` (outside quotes and comments)."""
    count = 0
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = sql.find(c, i + 1)
            while end != -1 and sql.startswith(c, end + 1):  # '' and "" escape themselves
                end = sql.find(c, end + 2)
            i = n if end == -1 else end + 1
            continue
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end == -1 else end + 1
            continue
        if sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end == -1 else end + 2
            continue
        if c == "?":
            count += 1
        i += 1
    return count


def sql_args(query_str: str, query_args: object) -> list[Any]:
    """The statement's arguments; more than its ``?`` parameters is an error.

    The server ignores extra arguments, which hides a wrong statement; too few it reports.
    """
    if query_args is None:
        return []
    if isinstance(query_args, (str, bytes)) or not isinstance(query_args, Iterable):
        raise ParameterError(f"sql(): query_args must be a sequence, got {shown(query_args)}")
    args = list(query_args)
    wanted = sql_placeholders(query_str)
    if len(args) > wanted:
        raise ParameterError(
            f"sql(): {len(args)} query_args for {wanted} '?' parameter(s) in the statement"
        )
    return args


def cache_id_of(name: str) -> int:
    """The cache id: Java's ``String.hashCode`` of the exact name (no lower-casing)."""
    return int(string_hash(name))


def cache_name_of(settings: str | Mapping[int, Any]) -> str:
    """The cache name in ``settings`` (a name, or a ``{PROP_*: value}`` dict)."""
    if isinstance(settings, str):
        name: object = settings
    elif isinstance(settings, Mapping):
        name = settings.get(PROP_NAME)
        if name is None:
            raise ParameterError(
                "cache settings: PROP_NAME is required (You should supply at least cache name)"
            )
    else:
        # pyignite's words are kept in the message: code written for it matches on them.
        raise ParameterError(
            f"cache settings: expected a name or a {{PROP_*: value}} dict, got {shown(settings)} "
            "(You should supply at least cache name)"
        )
    if not isinstance(name, str) or not name:
        raise ParameterError(f"cache settings: the name must be a non-empty str, got {shown(name)}")
    return text_param(name, "cache name")


def expiry_bytes(policy: object) -> bytes:
    """The 24-byte expiry policy of a cache header (anything with create/update/access)."""
    return pack_expiry_policy(policy, "expiry_policy")


def peek_mode_list(peek_modes: int | Iterable[int] | None) -> list[int]:
    """pyignite accepts one mode, a list, or ``None`` (server default: all)."""
    if peek_modes is None:
        return []
    modes = [peek_modes] if isinstance(peek_modes, int) else list(peek_modes)
    for mode in modes:
        if isinstance(mode, bool) or not isinstance(mode, int) or not 0 <= mode <= 5:
            raise ParameterError(f"get_size: unknown peek mode {shown(mode)}")
    return [int(m) for m in modes]


def int_param(value: object, name: str, low: int, high: int) -> int:
    """An int argument in ``low..high`` (IntEnums accepted), else ``ParameterError``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParameterError(f"{name} must be an int in {low}..{high}, got {shown(value)}")
    return int(value)


def enum_param(value: object, cls: type[IntEnum], name: str) -> int:
    """A member (or value) of ``cls``, else ``ParameterError`` naming the choices."""
    try:
        return int(cls(value))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        choices = ", ".join(m.name for m in cls)
        raise ParameterError(f"{name} must be one of {choices}, got {shown(value)}") from None


# -- transactions ------------------------------------------------------------------------


#: The connection type of one client kind (sync or asyncio).
C = TypeVar("C")


@dataclass(slots=True)
class TxState(Generic[C]):
    """An open transaction: its id, its client and the connection it lives on.

    ``client`` is only compared by identity (a transaction belongs to one client), so any
    object will do; ``connection`` is the client kind's connection.
    """

    client: object
    tx_id: int
    connection: C
    closed: bool = False


#: One variable for both client kinds: a state is found only by its own client (whose
#: kind fixes the connection type, see :func:`active_tx`).
_ACTIVE_TX: contextvars.ContextVar[TxState[object] | None] = contextvars.ContextVar(
    "ignite_wire_active_tx", default=None
)
#: The same variable, for the single-key short path's first check (a C call, no Python
#: frame): ``None`` there means no transaction, and :func:`active_tx` need not be called.
ACTIVE_TX: Final = _ACTIVE_TX


def active_tx(client: object, kind: type[C]) -> TxState[C] | None:
    """The transaction open in this thread/task on ``client``, if any.

    ``kind`` is the client's connection class: a state found for ``client`` was made by
    it, on one of its connections.
    """
    state = _ACTIVE_TX.get()
    if state is None or state.closed or state.client is not client:
        return None
    return cast("TxState[C]", state)


def enter_tx(state: TxState[C]) -> contextvars.Token[TxState[object] | None]:
    """Make ``state`` the active transaction of this thread/task."""
    current = _ACTIVE_TX.get()
    if current is not None and not current.closed and current.client is state.client:
        raise TransactionError("a transaction is already open in this thread/task")
    return _ACTIVE_TX.set(cast("TxState[object]", state))


def leave_tx(token: contextvars.Token[TxState[object] | None]) -> None:
    """Forget the active transaction (the token comes from :func:`enter_tx`)."""
    try:
        _ACTIVE_TX.reset(token)
    except ValueError:  # reset from another context (a task that outlived its creator)
        _ACTIVE_TX.set(None)


def make_header(
    client: object, cache_id: int, expiry: bytes, kind: type[C], *, keep_binary: bool = False
) -> tuple[bytearray, TxState[C] | None]:
    """The cache header for a call made here and now, and the transaction it joins."""
    tx = active_tx(client, kind)
    header = cache_header(
        cache_id, expiry=expiry, tx_id=tx.tx_id if tx else None, keep_binary=keep_binary
    )
    return header, tx


def new_context(
    registry: BinaryTypeRegistry,
    compact_footer: bool,
    readers: list[Any] | None = None,
    writers: dict[type, Any] | None = None,
) -> CodecContext:
    """A codec context on a client's registry (one per operation; see context.py), with
    the client's value tables (``None``: the default ones; ignite_wire/compat.py)."""
    return CodecContext(registry, compact_footer=compact_footer, readers=readers, writers=writers)
