"""Expiry policies: the value type and its 24-byte wire form.

One form serves both places a policy travels: the cache configuration (property 407 and
the tail of a GET_CONFIGURATION answer, after a ``bool`` present flag) and the cache
header of a single operation (flag 0x04).  Both are ``i64 create | i64 update |
i64 access`` in milliseconds, where Ignite's ``PlatformExpiryPolicy`` reads -2 as "leave
the TTL as it is" (a ``null`` JCache duration), -1 as eternal and 0 as "expire at once".

:class:`ExpiryPolicy` is defined here rather than in ``datatypes`` because decoding a
configuration must build one and the core may not import the layer above it;
``ignite_wire.datatypes.expiry_policy`` re-exports it.  The encoder duck-types on the
``create``/``update``/``access`` attributes, so pyignite's ``ExpiryPolicy`` (which uses -2
for "unchanged" and accepts ``timedelta``) encodes the same way.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar, Final

from ..exceptions import EncodeError, ParameterError

__all__ = ["ExpiryPolicy", "duration_ms", "pack_expiry_policy"]

_DURATIONS: Final = struct.Struct("<qqq")
_I64_MAX: Final = (1 << 63) - 1
_UNCHANGED: Final = -2
_ETERNAL: Final = -1


def duration_ms(value: object, path: str = "") -> int:
    """The wire value of one duration: ms, -1 eternal, -2 (or ``None``) unchanged.

    ``timedelta`` is floored to whole milliseconds, as pyignite does.  Raises
    :class:`EncodeError` naming ``path`` for anything else, negative values other than
    the two sentinels, and durations beyond the Java ``long`` range.
    """
    if value is None:
        return _UNCHANGED
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise EncodeError(f"negative duration {value}", path=path)
        ms = (value.days * 86_400 + value.seconds) * 1000 + value.microseconds // 1000
    elif isinstance(value, int) and not isinstance(value, bool):
        ms = int(value)
        if ms < _UNCHANGED:
            raise EncodeError(
                f"duration {_ms_shown(ms)} is negative (only -1 eternal and -2 unchanged are)",
                path=path,
            )
    else:
        raise EncodeError(
            f"a duration must be milliseconds (int), timedelta or None, not {type(value).__name__}",
            path=path,
        )
    if ms > _I64_MAX:
        raise EncodeError(f"duration {_ms_shown(ms)} does not fit a Java long", path=path)
    return ms


def _ms_shown(ms: int) -> str:
    """``ms`` for a message (str() of an int beyond 4,300 digits raises ValueError)."""
    return f"{ms} ms" if ms.bit_length() <= 128 else f"of {ms.bit_length()} bits (ms)"


@dataclass(frozen=True, init=False)
class ExpiryPolicy:
    """How long entries live after they are created, updated and read.

    Each duration is milliseconds (``int``) or a ``timedelta``; :attr:`ETERNAL` (-1)
    means never expire, ``0`` expire at once, and ``None`` (or :attr:`UNCHANGED`, -2)
    leaves the entry's TTL as it was.  Values are normalised on construction (to whole
    ms, with ``None`` for "unchanged"), so a policy read back from the cluster compares
    equal to the one that was set.  Invalid durations raise ``ParameterError``.
    """

    #: Leave the TTL as it is (pyignite's name; stored as ``None``).
    UNCHANGED: ClassVar[int] = _UNCHANGED
    #: Never expire.
    ETERNAL: ClassVar[int] = _ETERNAL

    create: int | None
    update: int | None
    access: int | None

    def __init__(
        self,
        *,
        create: int | timedelta | None = None,
        update: int | timedelta | None = None,
        access: int | timedelta | None = None,
    ) -> None:
        for name, value in (("create", create), ("update", update), ("access", access)):
            try:
                ms = duration_ms(value)
            except EncodeError as exc:
                raise ParameterError(f"ExpiryPolicy {name}: {exc.message}") from None
            # a frozen dataclass sets its fields this way in its own generated __init__
            object.__setattr__(self, name, None if ms == _UNCHANGED else ms)


def pack_expiry_policy(policy: object, path: str = "") -> bytes:
    """The 24 bytes of ``policy`` (anything with ``create``/``update``/``access``)."""
    values = []
    for name in ("create", "update", "access"):
        if not hasattr(policy, name):
            raise EncodeError(
                f"an expiry policy needs a {name!r} attribute ({type(policy).__name__} has none)",
                path=path,
            )
        values.append(duration_ms(getattr(policy, name), f"{path}.{name}"))
    return _DURATIONS.pack(*values)
