"""A 1.7.0 server without the data streamer (Ignite 2.9, 2.10) answers op 8000 with
status 2; the load ends with ``NotSupportedByClusterError``, not a per-batch failure.
A real 2.17 node has the op, so the fake node of tests/fake_node.py plays the old one."""

from __future__ import annotations

import socket
import struct
from typing import Any

import pytest
from blocking import Blocking, Loop
from fake_node import accept_then, request_id_of

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import NotSupportedByClusterError

pytestmark = [pytest.mark.timeout(60)]


def invalid_op(conn: socket.socket, frame: bytes) -> bool:
    message = b"Invalid request op code: 8000"
    body = struct.pack("<qhi", request_id_of(frame), 1, 2)
    body += b"\x09" + struct.pack("<i", len(message)) + message
    conn.sendall(struct.pack("<i", len(body)) + body)
    return True


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_status_2_ends_the_load_as_not_supported(fake_server: Any, kind: str) -> None:
    server = fake_server(accept_then(invalid_op))
    loop = Loop() if kind == "async" else None
    client: Any = Client() if loop is None else Blocking(AioClient(), loop)
    client.connect("127.0.0.1", server.port)
    try:
        streamer = client.get_cache("c").streamer(batch_size=2)
        streamer.add_all([(1, "a"), (2, "b"), (3, "c")])
        with pytest.raises(NotSupportedByClusterError) as err:
            streamer.flush()
        assert err.value.status == 2
        assert "8000" in err.value.message
        assert err.value.node == f"127.0.0.1:{server.port}"
        with pytest.raises(NotSupportedByClusterError):
            streamer.add(4, "d")
    finally:
        client.close()
        if loop is not None:
            loop.close()
