"""The sync transport's socket calls, with as few system calls per request as possible.

A Python socket with a timeout polls before *every* ``send`` and ``recv``, and a reader
that waits for a deadline without changing the socket's timeout polls once more itself:
five system calls per request (counted with ``strace``).  A non-blocking socket driven by
our own ``poll`` made it three (``sendto``, ``poll``, ``recvfrom``).  A plain TCP socket
is now *blocking* (no Python-level timeout, so Python calls the system directly): a
request is one ``sendto`` and one ``recvfrom``.

A read waits in ``recv_into`` itself, bounded by the kernel's receive timeout
``SO_RCVTIMEO``, set once per connection to the request timeout and changed only when a
read may wait noticeably less than the socket would
(:func:`.deadline.must_set_receive_timeout`, kept as one number per socket: a reader
that waited behind another thread, a notification pump with a short timeout) or after a
read ended on a timeout shorter than its caller's (the next read sets its own).  The
kernel is given 8/9 of a wait (:func:`.deadline.timeval`: its timer wheel fires up to
1/8 late), so a wait may end early and is then repeated: a read ends at most
:data:`.deadline.RECEIVE_SLACK` plus a kernel tick after its deadline.  A read that must
not wait (timeout 0: the liveness probe) passes ``MSG_DONTWAIT``.

A send passes ``MSG_DONTWAIT``: one ``sendto`` while the kernel's buffer has room (every
request but a large one to a slow reader), else it waits for room in ``poll``, bounded by
the request timeout.  Not ``SO_SNDTIMEO``: a blocking send counts only its sleeps against
that timeout, and the kernel's own work on a peer that stopped reading (its receive
queue collapsed again and again) made a 1 s send to such a peer take over 4 s.

A TLS socket keeps its timeout (it bounds sends) and the library's own calls, and its
reads wait in ``poll`` after checking the bytes OpenSSL has already decrypted: a blocking
``SSLSocket`` under kernel timeouts would need OpenSSL's want-read/want-write retries for
little gain.  Platforms without ``MSG_DONTWAIT`` (Windows) take that path too.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import time
from typing import TypeAlias

from .deadline import deadline_after, poll_milliseconds, receive_reset_below, timeval
from .deadline import remaining as remaining_of

__all__ = ["KernelTimedIO", "PolledIO", "SocketIO", "socket_io"]

_DONTWAIT = getattr(socket, "MSG_DONTWAIT", 0)
_SOL, _RCVTIMEO = socket.SOL_SOCKET, socket.SO_RCVTIMEO


class KernelTimedIO:
    """A plain TCP socket, blocking, its reads bounded by the kernel (module docstring)."""

    __slots__ = (
        "_buffer",
        "_poll_out",
        "_rcv_timeout",
        "_reset_below",
        "_stale",
        "_timeout",
        "_view",
        "sock",
    )

    def __init__(self, sock: socket.socket, timeout: float | None, recv_size: int) -> None:
        sock.settimeout(None)  # blocking: Python no longer polls before each call
        sock.setsockopt(_SOL, _RCVTIMEO, timeval(timeout))
        self.sock = sock
        self._timeout = timeout
        #: The socket's receive timeout now; ``_stale``: shorter than the last read wanted.
        self._rcv_timeout = timeout
        #: A read that may wait less than this lowers the receive timeout first
        #: (:func:`.deadline.must_set_receive_timeout`, inline: every read asks).
        self._reset_below = receive_reset_below(timeout)
        self._stale = False
        self._poll_out: select.poll | None = None  # made by the first send that waits
        self._buffer = bytearray(recv_size)
        self._view = memoryview(self._buffer)

    def send_all(self, data: bytes) -> None:
        """Write all of ``data`` within the timeout, or raise ``TimeoutError``/``OSError``.

        After a ``TimeoutError`` part of ``data`` may have been written: the caller must
        close the connection (nothing else may follow half a frame).
        """
        try:
            sent = self.sock.send(data, _DONTWAIT)
        except BlockingIOError:
            sent = 0
        if sent != len(data):
            self._send_rest(data, sent)

    def _send_rest(self, data: bytes, sent: int) -> None:
        """The kernel's buffer is full: wait for room in ``poll`` until the deadline."""
        if self._poll_out is None:
            self._poll_out = select.poll()
            self._poll_out.register(self.sock.fileno(), select.POLLOUT)
        deadline = deadline_after(self._timeout, time.monotonic())
        with memoryview(data) as view:
            while sent < len(data):
                left = remaining_of(deadline, time.monotonic())
                if left is not None and left <= 0:
                    raise TimeoutError("send timed out")
                if self._poll_out.poll(poll_milliseconds(left)):
                    with contextlib.suppress(BlockingIOError):
                        sent += self.sock.send(view[sent:], _DONTWAIT)

    def receive(self, timeout: float | None) -> memoryview | None:
        """What the socket has within ``timeout`` s (empty at end of stream); ``None``:
        nothing came.  The view is only valid until the next call."""
        if timeout is not None and timeout <= 0:
            try:
                # flags by keyword: code written for pyignite patches recv_into with a
                # function that takes (buffer, nbytes, **kwargs)
                count = self.sock.recv_into(self._buffer, len(self._buffer), flags=_DONTWAIT)
            except BlockingIOError:
                return None
            return self._view[:count]
        if self._stale or (timeout is not None and timeout < self._reset_below):
            self.sock.setsockopt(_SOL, _RCVTIMEO, timeval(timeout))
            self._rcv_timeout, self._stale = timeout, False
            self._reset_below = receive_reset_below(timeout)
        try:
            # nbytes given: pyignite's own test of large values patches recv_into with a
            # function that requires it
            count = self.sock.recv_into(self._buffer, len(self._buffer))
        except BlockingIOError:  # the receive timeout ran out
            self._stale = self._rcv_timeout != timeout
            return None
        return self._view[:count]


class PolledIO:
    """A TLS socket (or any, where the kernel's timeouts are not used): the socket's own
    timeout bounds sends, reads wait in ``poll`` (module docstring)."""

    __slots__ = ("_buffer", "_poll", "_view", "sock")

    def __init__(self, sock: socket.socket, timeout: float | None, recv_size: int) -> None:
        sock.settimeout(timeout)
        self.sock = sock
        self._poll: select.poll | None = None
        if hasattr(select, "poll"):
            self._poll = select.poll()
            self._poll.register(sock.fileno(), select.POLLIN)
        self._buffer = bytearray(recv_size)
        self._view = memoryview(self._buffer)

    def send_all(self, data: bytes) -> None:
        """As :meth:`KernelTimedIO.send_all` (the socket's timeout raises ``TimeoutError``)."""
        self.sock.sendall(data)

    def receive(self, timeout: float | None) -> memoryview | None:
        """As :meth:`KernelTimedIO.receive`; a record that stalls half-read raises
        ``TimeoutError`` after the socket's timeout."""
        if not self._readable(timeout):
            return None
        try:
            count = self.sock.recv_into(self._buffer, len(self._buffer))
        except (BlockingIOError, ssl.SSLWantReadError):  # a readiness report that did not hold
            return None
        return self._view[:count]

    def _readable(self, timeout: float | None) -> bool:
        pending = getattr(self.sock, "pending", None)
        if pending is not None and pending():
            return True  # TLS bytes already decrypted: poll would not see them
        if self._poll is not None:
            return bool(self._poll.poll(poll_milliseconds(timeout)))
        readable, _, _ = select.select([self.sock], [], [], timeout)
        return bool(readable)


#: Either kind of socket driver: one per open connection.
SocketIO: TypeAlias = KernelTimedIO | PolledIO


def socket_io(sock: socket.socket, timeout: float | None, recv_size: int) -> SocketIO:
    """The driver of a handshaken ``sock``: kernel timeouts for plain TCP where the
    platform has them, ``poll`` otherwise (module docstring)."""
    if _DONTWAIT and not isinstance(sock, ssl.SSLSocket):
        return KernelTimedIO(sock, timeout, recv_size)
    return PolledIO(sock, timeout, recv_size)
