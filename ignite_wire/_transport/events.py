"""Connection events and log records, shared by both transports.

Each function logs (``ignite_wire`` logger) and publishes to the client's listeners, if
any.  Messages carry addresses, node ids and error texts; credentials never reach here.
"""

from __future__ import annotations

import uuid

from .._protocol.connection import ProtocolConnection
from ..exceptions import AuthenticationError, IgniteError
from ..monitoring import (
    AuthenticationFailedEvent,
    ConnectionClosedEvent,
    ConnectionLostEvent,
    HandshakeFailedEvent,
    HandshakeStartEvent,
    HandshakeSuccessEvent,
    logger,
)
from .options import Address, ConnectOptions

__all__ = ["closed", "connect_failed", "connected", "connecting", "lost"]


def connecting(options: ConnectOptions, address: Address) -> None:
    logger.debug("connecting to %s", address)
    if options.events is not None and options.events.connection:
        version = options.protocol_version
        options.events.publish(
            "on_handshake_start", HandshakeStartEvent(address.host, address.port, version)
        )


def connected(options: ConnectOptions, address: Address, protocol: ProtocolConnection) -> None:
    version = protocol.version
    logger.info("connected to %s (node %s, protocol %s)", address, protocol.node_id, version)
    if options.events is not None and options.events.connection:
        options.events.publish(
            "on_handshake_success",
            HandshakeSuccessEvent(address.host, address.port, version, protocol.node_id),
        )


def connect_failed(options: ConnectOptions, address: Address, error: IgniteError) -> None:
    logger.info("cannot connect to %s: %s", address, error.message)
    if options.events is not None and options.events.connection:
        version = options.protocol_version
        if isinstance(error, AuthenticationError):
            options.events.publish(
                "on_authentication_fail",
                AuthenticationFailedEvent(address.host, address.port, version, error.message),
            )
        else:
            options.events.publish(
                "on_handshake_fail",
                HandshakeFailedEvent(address.host, address.port, version, error.message),
            )


def lost(
    options: ConnectOptions, address: Address, node_id: uuid.UUID | None, error: IgniteError
) -> None:
    logger.warning("connection to %s (node %s) lost: %s", address, node_id, error.message)
    if options.events is not None and options.events.connection:
        options.events.publish(
            "on_connection_lost",
            ConnectionLostEvent(address.host, address.port, node_id, error.message),
        )


def closed(options: ConnectOptions, address: Address, node_id: uuid.UUID | None) -> None:
    logger.debug("closed the connection to %s", address)
    if options.events is not None and options.events.connection:
        options.events.publish(
            "on_connection_closed", ConnectionClosedEvent(address.host, address.port, node_id)
        )
