"""What a data streamer decides without I/O: its options, its tally, its error.

The streamer (``cache.streamer(...)``, source in ``_aio_streamer.py``) sends each batch as
a one-off server streamer (see :mod:`._protocol.ops.streamer`) so that every answer is
the verdict on exactly one batch.  This module keeps the bookkeeping around those
verdicts: how many entries are stored, which batches failed and with which keys, when the
progress callback has something new to say.  Workers (tasks, or threads in the sync
twin) only produce a batch's outcome; the caller's thread or task records it here, so the
tally has one writer and needs no lock, and the callback always runs in the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import _checks
from .exceptions import IgniteError, NotSupportedByClusterError, ParameterError

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_PARALLEL",
    "DataStreamerError",
    "FailedBatch",
    "StreamOptions",
    "Tally",
]

#: Entries per batch: Ignite's own per-node buffer is 512; 1000 halves the requests for
#: small objects with no measurable cost in latency (docs/bulk-loading.md).
DEFAULT_BATCH_SIZE = 1000
#: Batches in flight per node before ``add`` waits (back-pressure): enough to keep a node's
#: client-connector threads busy while the next batch is encoded.
DEFAULT_PARALLEL = 4

Progress = Callable[[int, int], object]


@dataclass(frozen=True, slots=True)
class FailedBatch:
    """One batch the cluster did not store: its keys, the error, the node that said so."""

    keys: tuple[Any, ...]
    error: IgniteError

    @property
    def node(self) -> str | None:
        return self.error.node


class DataStreamerError(IgniteError):
    """Some batches were not stored; ``failures`` lists each with its keys.

    Every other batch was stored: a failed batch does not stop the load.  ``loaded`` and
    ``failed`` count entries up to the flush or close that raised this.
    """

    def __init__(self, failures: tuple[FailedBatch, ...], loaded: int, failed: int) -> None:
        first = failures[0].error
        super().__init__(
            f"data streamer: {failed} entries in {len(failures)} batch(es) were not stored "
            f"({loaded} were); first error: {first}",
            op="DATA_STREAMER_START",
            node=first.node,
            status=first.status,
        )
        self.failures = failures
        self.loaded = loaded
        self.failed = failed


def _positive_int(value: Any, what: str, high: int) -> int:
    return _checks.integer(value, f"streamer(): {what}", 1, high)


#: Bounds of the settings: a batch is one request (an i32 count on the wire); in-flight
#: batches per node are threads or tasks.
_MAX_BATCH = 2**31 - 1
_MAX_PARALLEL = 1024


@dataclass(frozen=True, slots=True)
class StreamOptions:
    """A streamer's settings, checked when the streamer is made (nothing is sent yet)."""

    allow_overwrite: bool = False
    skip_store: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE
    parallel: int = DEFAULT_PARALLEL
    progress: Progress | None = None

    def __post_init__(self) -> None:
        _positive_int(self.batch_size, "batch_size", _MAX_BATCH)
        _positive_int(self.parallel, "parallel", _MAX_PARALLEL)
        for name in ("allow_overwrite", "skip_store"):
            if not isinstance(getattr(self, name), bool):
                raise ParameterError(f"streamer(): {name} must be a bool")
        if self.progress is not None and not callable(self.progress):
            raise ParameterError("streamer(): progress must be callable(loaded, failed)")


class Tally:
    """Counts and failures, written only by the streamer's caller (see the docstring)."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self.loaded = 0
        self.failed = 0
        self.failures: list[FailedBatch] = []
        self._raised = 0  # failures already raised by a flush
        self._reported = (0, 0)
        #: An error that ends the whole load (the server has no streamer), raised as is.
        self.fatal: IgniteError | None = None

    def record(self, keys: tuple[Any, ...], error: IgniteError | None) -> None:
        """A batch's outcome: stored (``error`` is None) or refused."""
        if error is None:
            self.loaded += len(keys)
            return
        if isinstance(error, NotSupportedByClusterError):
            self.fatal = self.fatal or error
        self.failed += len(keys)
        self.failures.append(FailedBatch(keys, error))

    def report(self) -> None:
        """Call the progress callback if the counts moved since it was last called."""
        now = (self.loaded, self.failed)
        if self._progress is not None and now != self._reported:
            self._reported = now
            self._progress(*now)

    def check_fatal(self) -> None:
        if self.fatal is not None:
            raise self.fatal

    def raise_new_failures(self) -> None:
        """After a flush: raise the failures no earlier flush raised."""
        self.check_fatal()
        new = tuple(self.failures[self._raised :])
        self._raised = len(self.failures)
        if new:
            raise DataStreamerError(new, self.loaded, self.failed)
