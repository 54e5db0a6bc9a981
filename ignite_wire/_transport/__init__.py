"""Transports: the sockets under the sans-IO core, one module per concurrency model.

:mod:`.options` holds what both need (addresses, timeouts, TLS, credentials); :mod:`.sync`
and :mod:`.aio` each drive a :class:`~ignite_wire._protocol.connection.ProtocolConnection`
over a socket.  Nothing above this package touches a socket.
"""
