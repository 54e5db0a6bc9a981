"""Transports: the sockets under the sans-IO core, one module per concurrency model.

:mod:`.options` holds what both need (addresses, timeouts, TLS, credentials) and
:mod:`.deadline` the timeout arithmetic; :mod:`.sync` (opening in :mod:`.sync_connect`,
background threads in :mod:`.threads`) and :mod:`.aio` (the protocol in :mod:`.aio_wire`,
background tasks in :mod:`.tasks`) each drive a
:class:`~ignite_wire._protocol.connection.ProtocolConnection` over a socket.  Nothing
above this package touches a socket.
"""
