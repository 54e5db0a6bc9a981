"""Connection options shared by the sync and asyncio transports.

The TLS parameters are pyignite's (the seed document's table), turned into one
:class:`ssl.SSLContext` here so both transports wrap sockets the same way.  A user who
needs more control passes ``ssl_context`` and the individual options are ignored.
"""

from __future__ import annotations

import ipaddress
import re
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._protocol.connection import DEFAULT_MAX_FRAME_SIZE
from .._protocol.features import DEFAULT_FEATURES, LATEST_VERSION, Feature, ProtocolVersion
from .._protocol.handshake import Credentials
from ..exceptions import ParameterError
from ..monitoring import EventDispatcher

__all__ = ["DEFAULT_PORT", "Address", "ConnectOptions", "parse_addresses"]

DEFAULT_PORT = 10800


@dataclass(frozen=True, slots=True)
class Address:
    """A node's thin-client endpoint."""

    host: str
    port: int = DEFAULT_PORT

    def __str__(self) -> str:
        if ":" in self.host:
            return f"[{self.host}]:{self.port}"
        return f"{self.host}:{self.port}"


def _check_port(port: object, where: str) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ParameterError(f"{where}: port must be an int in 1..65535, got {port!r}")
    return port


def parse_addresses(host: Any = None, port: Any = None) -> list[Address]:
    """Accept pyignite's forms: ``()``, ``(host)``, ``(host, port)``, ``([(host, port), ...])``."""
    if host is None:
        return [Address("127.0.0.1", _check_port(port or DEFAULT_PORT, "connect()"))]
    if isinstance(host, str):
        if not host:
            raise ParameterError("connect(): empty host name")
        return [Address(host, _check_port(DEFAULT_PORT if port is None else port, "connect()"))]
    if port is not None:
        raise ParameterError("connect(): give either a list of (host, port) or host and port")
    if not isinstance(host, Iterable):
        raise ParameterError(f"connect(): expected a host name or a list of nodes, got {host!r}")
    result = []
    for i, node in enumerate(host):
        where = f"connect(): node {i}"
        if isinstance(node, Address):
            result.append(node)
        elif isinstance(node, str):
            result.append(Address(node))
        elif isinstance(node, Sequence) and len(node) == 2 and isinstance(node[0], str):
            result.append(Address(node[0], _check_port(node[1], where)))
        else:
            raise ParameterError(f"{where}: expected (host, port), got {node!r}")
    if not result:
        raise ParameterError("connect(): the node list is empty")
    return result


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (used only by tests and examples' guards)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_problem(host: object, port: object, *, loopback_only: bool) -> str | None:
    """Why a discovered endpoint cannot be used, or ``None`` if it can.

    A server's discovery answer is data from the network: a port outside 1..65535, an
    address that is neither an IP address nor a host name, or (when every configured node
    is on loopback) one off this machine must not reach ``connect()``.
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        return "port out of range"
    if not isinstance(host, str) or not host or len(host) > 253:
        return "empty or overlong host"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.fullmatch(host):
            return "not an IP address or host name"
    if loopback_only and not is_loopback(host):
        return "not loopback"
    return None


_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9_-]{1,63}(?<!-))*\.?")


@dataclass(frozen=True, slots=True)
class ConnectOptions:
    """Everything a transport needs to open and run one connection.

    ``timeout`` bounds each request (``None``: wait forever, as pyignite does);
    ``connect_timeout`` bounds TCP connect plus TLS plus handshake.
    """

    timeout: float | None = None
    connect_timeout: float | None = 10.0
    credentials: Credentials | None = field(default=None, repr=False)
    ssl_context: ssl.SSLContext | None = None
    server_hostname: str | None = None
    features: frozenset[Feature] = DEFAULT_FEATURES
    protocol_version: ProtocolVersion = LATEST_VERSION
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
    tcp_nodelay: bool = True
    events: EventDispatcher | None = None

    def __repr__(self) -> str:
        user = self.credentials.username if self.credentials else None
        return (
            f"ConnectOptions(timeout={self.timeout}, connect_timeout={self.connect_timeout}, "
            f"user={user!r}, tls={self.ssl_context is not None})"
        )


def handshake_hint(options: ConnectOptions) -> str:
    """Why a node may close the connection before answering the handshake."""
    if options.ssl_context is None:
        return "(is it an Ignite thin-client port, with the same TLS setting?)"
    return (
        "(a TLS node closes it when it requires a client certificate and got none, or one "
        "it does not trust; or is it a plaintext port?)"
    )


def build_ssl_context(
    *,
    ssl_version: int | None = None,
    ssl_ciphers: str | None = None,
    ssl_cert_reqs: int | None = None,
    ssl_keyfile: str | None = None,
    ssl_keyfile_password: str | None = None,
    ssl_certfile: str | None = None,
    ssl_ca_certfile: str | None = None,
) -> ssl.SSLContext:
    """An SSL context from pyignite's parameters.

    ``ssl_cert_reqs`` defaults to ``CERT_NONE`` as in pyignite (the seed's examples pass
    ``CERT_REQUIRED``), except when ``ssl_ca_certfile`` is given: a CA is given to be
    checked against, so the node's certificate must then verify (``CERT_REQUIRED``;
    pass ``ssl_cert_reqs=ssl.CERT_NONE`` explicitly to skip it).  The host name is not
    checked (nodes are usually addressed by IP and their certificates seldom name it);
    pass an ``ssl_context`` with ``check_hostname = True`` for that.  Errors name the
    file that could not be loaded, never the key password.
    """
    protocol = ssl.PROTOCOL_TLS_CLIENT if ssl_version is None else ssl_version
    try:
        context = ssl.SSLContext(protocol)
    except ValueError as exc:
        raise ParameterError(f"ssl_version: {exc}") from None
    if ssl_cert_reqs is None:
        reqs = ssl.CERT_REQUIRED if ssl_ca_certfile else ssl.CERT_NONE
    else:
        reqs = ssl.VerifyMode(ssl_cert_reqs)
    context.check_hostname = False
    context.verify_mode = reqs
    if ssl_ciphers:
        try:
            context.set_ciphers(ssl_ciphers)
        except ssl.SSLError as exc:
            raise ParameterError(f"ssl_ciphers: no usable cipher in {ssl_ciphers!r}") from exc
    if ssl_ca_certfile:
        try:
            context.load_verify_locations(ssl_ca_certfile)
        except (OSError, ssl.SSLError) as exc:
            raise ParameterError(f"ssl_ca_certfile {ssl_ca_certfile!r}: {exc}") from None
    elif reqs != ssl.CERT_NONE:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    if ssl_certfile:
        try:
            context.load_cert_chain(ssl_certfile, ssl_keyfile, ssl_keyfile_password)
        except (OSError, ssl.SSLError) as exc:
            # The message of a wrong password says only that decryption failed.
            raise ParameterError(
                f"ssl_certfile {ssl_certfile!r} / ssl_keyfile {ssl_keyfile!r}: {exc}"
            ) from None
    return context
