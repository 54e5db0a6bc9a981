"""The sync transport's socket calls, with as few system calls per request as possible.

A Python socket with a timeout polls before *every* ``send`` and ``recv`` (``poll`` then
``sendto``; ``poll`` then ``recvfrom``), and the reader polls once more itself to wait
for a deadline without changing the socket's timeout: five system calls per request.
Without a timeout it was ``sendto``, ``poll``, ``recvfrom`` plus ``mmap``, ``mremap`` and
``munmap``: ``recv`` allocated a fresh 256 KB buffer per read (counted with ``strace``).
A plain TCP socket is therefore switched to non-blocking once, after the handshake, and
driven here: a send is one ``sendto`` unless the kernel's buffer is full (then ``poll``
for room, bounded by the timeout), a read is the reader's ``poll`` and one ``recv_into``
a buffer reused for the life of the connection.  Three system calls per request either
way, and no ``settimeout`` ever after the handshake.

A TLS socket keeps its timeout (it bounds sends) and the library's own calls: a
non-blocking ``SSLSocket`` would need the want-read/want-write dance for little gain.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import time

from .deadline import deadline_after, poll_milliseconds
from .deadline import remaining as remaining_of

__all__ = ["SocketIO"]


class SocketIO:
    """Send and receive on one handshaken socket (plain: non-blocking; TLS: as given)."""

    __slots__ = ("_buffer", "_plain", "_poll_out", "_timeout", "_view", "sock")

    def __init__(self, sock: socket.socket, timeout: float | None, recv_size: int) -> None:
        self.sock = sock
        self._timeout = timeout
        self._plain = not isinstance(sock, ssl.SSLSocket)
        self._poll_out: select.poll | None = None
        if self._plain:
            sock.setblocking(False)  # once; sends wait in poll, bounded by ``timeout``
            if hasattr(select, "poll"):
                self._poll_out = select.poll()
                self._poll_out.register(sock.fileno(), select.POLLOUT)
        self._buffer = bytearray(recv_size)
        self._view = memoryview(self._buffer)

    def send_all(self, data: bytes) -> None:
        """Write all of ``data`` within the timeout, or raise ``TimeoutError``/``OSError``.

        After a ``TimeoutError`` part of ``data`` may have been written: the caller must
        close the connection (nothing else may follow half a frame).
        """
        sock = self.sock
        if not self._plain:
            sock.sendall(data)
            return
        try:
            sent = sock.send(data)
        except BlockingIOError:
            sent = 0
        if sent == len(data):
            return
        deadline = deadline_after(self._timeout, time.monotonic())
        with memoryview(data) as view:
            while sent < len(data):
                if not self._writable(remaining_of(deadline, time.monotonic())):
                    raise TimeoutError("send timed out")
                with contextlib.suppress(BlockingIOError):
                    sent += sock.send(view[sent:])

    def _writable(self, timeout: float | None) -> bool:
        if timeout is not None and timeout <= 0:
            return False
        if self._poll_out is not None:
            return bool(self._poll_out.poll(poll_milliseconds(timeout)))
        _, writable, _ = select.select([], [self.sock], [], timeout)
        return bool(writable)

    def receive(self) -> memoryview | None:
        """What the socket has now (empty at end of stream); ``None``: nothing after all.

        Call once the socket is readable.  The view is only valid until the next call.
        """
        try:
            # nbytes given: code written for pyignite patches recv_into with a function
            # that requires it (pyignite's own test of large values does)
            count = self.sock.recv_into(self._buffer, len(self._buffer))
        except BlockingIOError:  # a readiness report that did not hold
            return None
        return self._view[:count]
