"""A TCP proxy on loopback that injects network faults between a client and a real node.

Modes, switchable at any time (asyncpg's fuzzing proxy is the model):

* ``pass``: bytes flow both ways.
* ``slow``: each chunk is delayed by ``delay`` seconds, both ways.
* ``silent``: a black hole: bytes are read and dropped both ways; new connections are
  accepted and never answered (the TCP handshake succeeds, the Ignite one never does).
* ``stall``: the node stops reading: nothing is read from the client any more (its send
  buffer fills); answers already on their way still flow back.
* ``reset``: every connection is cut with an RST and new ones are reset at once.

Imported as ``fault_proxy`` (pytest puts the test folder on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time

__all__ = ["FaultProxy"]

_CHUNK = 64 * 1024


def _rst(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class FaultProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to ``target``."""

    def __init__(self, target: tuple[str, int], delay: float = 0.05) -> None:
        self.target = target
        self.delay = delay
        self.mode = "pass"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.address = ("127.0.0.1", self.port)
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket | None]] = []
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fault-proxy")
        self._thread.start()

    # -- control ---------------------------------------------------------------------------

    def set(self, mode: str) -> None:
        assert mode in ("pass", "slow", "silent", "stall", "reset"), mode
        self.mode = mode
        if mode == "reset":
            with self._lock:
                pairs, self._pairs = self._pairs, []
            for client, upstream in pairs:
                _rst(client)
                if upstream is not None:
                    _rst(upstream)

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.set("reset")

    # -- plumbing --------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            mode = self.mode
            if mode == "reset":
                _rst(client)
                continue
            upstream: socket.socket | None = None
            if mode != "silent":
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    _rst(client)
                    continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            if upstream is not None:
                threading.Thread(
                    target=self._pump, args=(upstream, client, False), daemon=True
                ).start()

    def _pump(self, src: socket.socket, dst: socket.socket | None, from_client: bool) -> None:
        try:
            while not self._closed:
                mode = self.mode
                if mode == "reset":
                    return
                if mode == "stall" and from_client:
                    time.sleep(0.02)  # the node stopped reading
                    continue
                readable, _, _ = select.select([src], [], [], 0.05)
                if not readable:
                    continue
                data = src.recv(_CHUNK)
                if not data:
                    if dst is not None:
                        with contextlib.suppress(OSError):
                            dst.shutdown(socket.SHUT_WR)
                    return
                mode = self.mode
                if mode == "silent" or dst is None:
                    continue  # dropped
                if mode == "slow":
                    time.sleep(self.delay)
                dst.sendall(data)
        except (OSError, ValueError):
            return
