"""The client's constructor options: their types, their checks, and what they become.

``Client(...)`` and ``AioClient(...)`` take pyignite's keyword options as typed keyword
parameters (so a type checker sees a misspelt or mistyped option) and hand them here as
one :class:`ClientOptions`, with any unknown keyword beside it.  :func:`settle` checks the values
and turns them into the transport's :class:`ConnectOptions` and the node pool's settings,
with no I/O, so both clients share it and it is tested with plain values.  The seven
``ssl_*`` options travel as one :class:`SslOptions`.
"""

from __future__ import annotations

import dataclasses
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from ._facade import is_seconds, shown, text_param
from ._protocol.features import LATEST_VERSION, Feature, ProtocolVersion
from ._protocol.handshake import Credentials
from ._transport.options import ConnectOptions, build_ssl_context
from .exceptions import ParameterError
from .monitoring import ConnectionEventListener, EventDispatcher, QueryEventListener
from .retry import RetryPolicy

__all__ = [
    "CLIENT_FEATURES",
    "ClientOptions",
    "ClientSettings",
    "EventListener",
    "SslOptions",
    "client_options",
    "settle",
]

#: What ``event_listeners`` takes (:mod:`ignite_wire.monitoring`).
EventListener = ConnectionEventListener | QueryEventListener

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


class ClientOptions(TypedDict, total=False):
    """The keyword options of ``Client``/``AioClient`` (all optional; see their docs)."""

    timeout: float | None
    handshake_timeout: float | None
    use_ssl: bool | None
    ssl_context: ssl.SSLContext | None
    ssl_version: int | None
    ssl_ciphers: str | None
    ssl_cert_reqs: int | None
    ssl_keyfile: str | None
    ssl_keyfile_password: str | None
    ssl_certfile: str | None
    ssl_ca_certfile: str | None
    username: str | None
    password: str | None
    protocol_version: tuple[int, int, int] | None
    max_frame_size: int | None
    retry_policy: RetryPolicy | None
    heartbeat_interval: float | None
    cluster_discovery: bool


@dataclass(frozen=True, slots=True)
class SslOptions:
    """pyignite's seven ``ssl_*`` options as one value (the key password is never shown)."""

    version: int | None = None
    ciphers: str | None = None
    cert_reqs: int | None = None
    keyfile: str | None = None
    keyfile_password: str | None = dataclasses.field(default=None, repr=False)
    certfile: str | None = None
    ca_certfile: str | None = None

    @property
    def names_files(self) -> bool:
        """A key, certificate or CA file is given (which turns TLS on by itself)."""
        return any(f is not None for f in (self.keyfile, self.certfile, self.ca_certfile))

    def context(self) -> ssl.SSLContext:
        """The SSL context these options describe (see ``build_ssl_context``)."""
        return build_ssl_context(
            ssl_version=self.version,
            ssl_ciphers=self.ciphers,
            ssl_cert_reqs=self.cert_reqs,
            ssl_keyfile=self.keyfile,
            ssl_keyfile_password=self.keyfile_password,
            ssl_certfile=self.certfile,
            ssl_ca_certfile=self.ca_certfile,
        )


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """What a client is built from: the transport's options and the pool's settings."""

    connect: ConnectOptions
    retry_policy: RetryPolicy
    heartbeat_interval: float | None
    discovery: bool


def settle(
    event_listeners: Iterable[EventListener] | None,
    options: ClientOptions,
    unknown: Mapping[str, object] | None = None,
) -> ClientSettings:
    """Check the constructor's options; ``ParameterError`` names the first bad one (an
    ``unknown`` keyword too, in the words Python uses for one)."""
    kwargs: dict[str, Any] = {**options, **(unknown or {})}  # any type may come at run time
    events = EventDispatcher(event_listeners)
    retry_policy = kwargs.pop("retry_policy", None) or RetryPolicy()
    heartbeat_interval = kwargs.pop("heartbeat_interval", 30.0)
    discovery = bool(kwargs.pop("cluster_discovery", True))
    if heartbeat_interval is not None and not is_seconds(heartbeat_interval):
        raise ParameterError("Client(): heartbeat_interval must be > 0 seconds or None")
    if not isinstance(retry_policy, RetryPolicy):
        raise ParameterError(f"Client(): retry_policy must be a RetryPolicy, got {retry_policy!r}")
    try:
        connect = client_options(**kwargs)
    except TypeError as exc:  # an unknown option: the message names it
        raise ParameterError(f"Client(): {exc}") from None
    has_listeners = bool(events.connection or events.query)
    return ClientSettings(
        dataclasses.replace(connect, events=events if has_listeners else None),
        retry_policy,
        heartbeat_interval,
        discovery,
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
    tls = SslOptions(
        ssl_version,
        ssl_ciphers,
        ssl_cert_reqs,
        ssl_keyfile,
        ssl_keyfile_password,
        ssl_certfile,
        ssl_ca_certfile,
    )
    for name, value in (("timeout", timeout), ("handshake_timeout", handshake_timeout)):
        if value is not None and not is_seconds(value):
            raise ParameterError(
                f"{name} must be a positive, finite number of seconds or None, got {shown(value)}"
            )
    credentials = _credentials(username, password)
    if use_ssl is None:
        use_ssl = ssl_context is not None or credentials is not None or tls.names_files
    context = (ssl_context or tls.context()) if use_ssl else None
    version = LATEST_VERSION if protocol_version is None else ProtocolVersion(*protocol_version)
    connect = ConnectOptions(
        features=CLIENT_FEATURES,
        timeout=timeout,
        connect_timeout=handshake_timeout,
        credentials=credentials,
        ssl_context=context,
        protocol_version=version,
    )
    if max_frame_size is not None:
        connect = dataclasses.replace(connect, max_frame_size=max_frame_size)
    return connect


def _credentials(username: str | None, password: str | None) -> Credentials | None:
    if username is None and password is not None:
        raise ParameterError("a password was given without a username: give both, or neither")
    if username is None:
        return None
    text_param(username, "username")
    if password is not None:
        text_param(password, "password", secret=True)
    return Credentials(username, password)
