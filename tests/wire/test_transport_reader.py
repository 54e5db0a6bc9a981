"""The sync connection's one-frame request (issue 12) and the threads that come meanwhile.

A request on an idle connection registers itself and becomes the reader before it sends
(``SyncConnection.request``).  A thread whose request is sent while that reader waits
must follow it and get its own answer, whatever order the node answers in and however
the answers are cut into reads.  A real node answers too fast to hold the first reader
in its read on cue: this fake one keeps the first answer until the second request has
arrived, then writes both answers, the second first, in one send.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from fake_node import accept_then, request_id_of, response

from ignite_wire._transport.options import Address, ConnectOptions
from ignite_wire._transport.sync import SyncConnection


def test_a_request_sent_while_the_first_one_reads_gets_its_own_answer(
    fake_server: Any,
) -> None:
    first_arrived = threading.Event()
    held: list[bytes] = []

    def handler(conn: socket.socket, frame: bytes) -> bool:
        request_id = request_id_of(frame)
        answer = response(request_id, b"\x65" + bytes([request_id % 256]))
        if not held and not first_arrived.is_set():
            held.append(answer)  # the first request: no answer until the second comes
            first_arrived.set()
            return True
        if held:
            conn.sendall(answer + held.pop())  # the second's answer first, one segment
            return True
        conn.sendall(answer)
        return True

    server = fake_server(accept_then(handler))
    conn = SyncConnection(Address("127.0.0.1", server.port), ConnectOptions(timeout=10.0))
    conn.connect()
    try:
        outcome: dict[str, Any] = {}

        def first() -> None:
            try:
                outcome["first"] = conn.request(1000, b"")
            except BaseException as exc:  # collected and asserted below
                outcome["first"] = exc

        reader = threading.Thread(target=first)
        reader.start()
        assert first_arrived.wait(10), "the first request never arrived"
        assert conn._reading  # the first request is the reader, waiting for its answer
        started = time.monotonic()
        second = conn.request(1000, b"")  # follows the reader
        # woken when the reader stepped down, not at the end of its own 10 s wait
        assert time.monotonic() - started < 5
        reader.join(10)
        assert not reader.is_alive()
        first_response = outcome["first"]
        assert not isinstance(first_response, BaseException), first_response
        assert first_response.request_id != second.request_id
        assert first_response.payload == b"\x65" + bytes([first_response.request_id % 256])
        assert second.payload == b"\x65" + bytes([second.request_id % 256])
        assert not conn._reading
        assert conn._responses == {}  # nothing left filed or registered
        third = conn.request(1000, b"")  # the connection is idle again: the one-frame way
        assert third.payload == b"\x65" + bytes([third.request_id % 256])
    finally:
        conn.close()
