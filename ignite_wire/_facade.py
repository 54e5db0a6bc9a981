"""What the sync and asyncio facades share and that needs no I/O.

Argument checking and conversion (cache names and settings, expiry policies, peek modes,
SQL arguments), client option parsing, and the transaction context.  Keeping it here means
the two facades (one generated from the other, see ``tools/unasync.py``) contain only the
calls that differ by ``await``.
"""

from __future__ import annotations

import contextvars
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from ._protocol.context import CodecContext
from ._protocol.expiry_policy import pack_expiry_policy
from ._protocol.features import LATEST_VERSION, Feature, ProtocolVersion
from ._protocol.handshake import Credentials
from ._protocol.hashing import string_hash
from ._protocol.ops.common import cache_header
from ._transport.options import ConnectOptions, build_ssl_context
from .exceptions import ParameterError, TransactionError

__all__ = [
    "PROP_NAME",
    "TxState",
    "active_tx",
    "cache_id_of",
    "cache_name_of",
    "client_options",
    "expiry_bytes",
    "peek_mode_list",
]

#: The ``PROP_NAME`` property code (kept here so this module does not import datatypes).
PROP_NAME = 0


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
            raise ParameterError("cache settings: PROP_NAME is required")
    else:
        raise ParameterError(
            f"cache settings: expected a name or a {{PROP_*: value}} dict, got {settings!r}"
        )
    if not isinstance(name, str) or not name:
        raise ParameterError(f"cache settings: the name must be a non-empty str, got {name!r}")
    return name


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
            raise ParameterError(f"get_size: unknown peek mode {mode!r}")
    return [int(m) for m in modes]


def int_param(value: object, name: str, low: int, high: int) -> int:
    """An int argument in ``low..high`` (IntEnums accepted), else ``ParameterError``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParameterError(f"{name} must be an int in {low}..{high}, got {value!r}")
    return int(value)


def enum_param(value: object, cls: type[IntEnum], name: str) -> int:
    """A member (or value) of ``cls``, else ``ParameterError`` naming the choices."""
    try:
        return int(cls(value))  # type: ignore[arg-type]
    except ValueError:
        choices = ", ".join(m.name for m in cls)
        raise ParameterError(f"{name} must be one of {choices}, got {value!r}") from None


# -- transactions ------------------------------------------------------------------------


@dataclass(slots=True)
class TxState:
    """An open transaction: its id, its client and the connection it lives on."""

    client: object
    tx_id: int
    connection: object
    closed: bool = False


_ACTIVE_TX: contextvars.ContextVar[TxState | None] = contextvars.ContextVar(
    "ignite_wire_active_tx", default=None
)


def active_tx(client: object) -> TxState | None:
    """The transaction open in this thread/task on ``client``, if any."""
    state = _ACTIVE_TX.get()
    if state is None or state.closed or state.client is not client:
        return None
    return state


def enter_tx(state: TxState) -> contextvars.Token[TxState | None]:
    """Make ``state`` the active transaction of this thread/task."""
    current = _ACTIVE_TX.get()
    if current is not None and not current.closed and current.client is state.client:
        raise TransactionError("a transaction is already open in this thread/task")
    return _ACTIVE_TX.set(state)


def leave_tx(token: contextvars.Token[TxState | None]) -> None:
    """Forget the active transaction (the token comes from :func:`enter_tx`)."""
    try:
        _ACTIVE_TX.reset(token)
    except ValueError:  # reset from another context (a task that outlived its creator)
        _ACTIVE_TX.set(None)


def make_header(
    client: object, cache_id: int, expiry: bytes, *, keep_binary: bool = False
) -> tuple[bytearray, TxState | None]:
    """The cache header for a call made here and now, and the transaction it joins."""
    tx = active_tx(client)
    header = cache_header(
        cache_id, expiry=expiry, tx_id=tx.tx_id if tx else None, keep_binary=keep_binary
    )
    return header, tx


# -- client options ----------------------------------------------------------------------

#: The feature bits the client offers: only those whose requests it implements.
CLIENT_FEATURES = frozenset(
    {
        Feature.CLUSTER_STATES,
        Feature.CLUSTER_GROUP_GET_NODES_ENDPOINTS,
        Feature.HEARTBEAT,
        Feature.INDEX_QUERY,  # op 2008 (_protocol/ops/index_query.py)
        Feature.INDEX_QUERY_LIMIT,  # its limit field
        Feature.QRY_PARTITIONS_BATCH_SIZE,  # partitions, update batch size in SQL
        Feature.CLUSTER_GROUPS,  # ops 5100/5101 (only 5100 is used)
    }
)


def client_options(
    *,
    timeout: float | None = None,
    handshake_timeout: float | None = 10.0,
    use_ssl: bool | None = None,
    ssl_context: ssl.SSLContext | None = None,
    ssl_version: int | None = None,
    ssl_ciphers: str | None = None,
    ssl_cert_reqs: int | None = None,
    ssl_keyfile: str | None = None,
    ssl_keyfile_password: str | None = None,
    ssl_certfile: str | None = None,
    ssl_ca_certfile: str | None = None,
    username: str | None = None,
    password: str | None = None,
    protocol_version: tuple[int, int, int] | None = None,
    max_frame_size: int | None = None,
) -> ConnectOptions:
    """The transport options from pyignite's keyword arguments.

    As the seed says, credentials turn SSL on unless ``use_ssl=False`` is given.
    """
    for name, value in (("timeout", timeout), ("handshake_timeout", handshake_timeout)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
        ):
            raise ParameterError(f"{name} must be a positive number of seconds or None")
    credentials = None
    if username is not None:
        if not isinstance(username, str) or not isinstance(password, (str, type(None))):
            raise ParameterError("username and password must be str")
        credentials = Credentials(username, password)
    if use_ssl is None:
        use_ssl = (
            ssl_context is not None
            or credentials is not None
            or any(v is not None for v in (ssl_keyfile, ssl_certfile, ssl_ca_certfile))
        )
    context = None
    if use_ssl:
        context = ssl_context or build_ssl_context(
            ssl_version=ssl_version,
            ssl_ciphers=ssl_ciphers,
            ssl_cert_reqs=ssl_cert_reqs,
            ssl_keyfile=ssl_keyfile,
            ssl_keyfile_password=ssl_keyfile_password,
            ssl_certfile=ssl_certfile,
            ssl_ca_certfile=ssl_ca_certfile,
        )
    version = LATEST_VERSION if protocol_version is None else ProtocolVersion(*protocol_version)
    extra: dict[str, Any] = {}
    if max_frame_size is not None:
        extra["max_frame_size"] = max_frame_size
    return ConnectOptions(
        features=CLIENT_FEATURES,
        timeout=timeout,
        connect_timeout=handshake_timeout,
        credentials=credentials,
        ssl_context=context,
        protocol_version=version,
        **extra,
    )


def new_context(client: Any) -> CodecContext:
    """A codec context on the client's registry (one per operation; see context.py)."""
    return CodecContext(client._registry, compact_footer=client._compact_footer)
