"""The pyignite value mode: read and write pyignite's value representations.

``ignite_wire`` reads plain Python values: a Collection is a ``list``, a Map a ``dict``,
a Timestamp an aware ``datetime``, Time a ``datetime.time``.  pyignite reads
``(kind, items)`` and ``(kind, dict)`` tuples, naive datetimes, ``(datetime, nanos)``
and ``timedelta``.  Code that compares what it reads with pyignite's forms switches the
pyignite value mode on, either for one client::

    client = Client(compat="pyignite")

or for every client the process makes afterwards, once at startup::

    import ignite_wire.compat
    ignite_wire.compat.use_pyignite_values()

Why a function and not an environment variable: the switch is a decision of the code that
relies on pyignite's forms, so it belongs in that code, where a reader (and a type
checker) sees it; an environment variable would also reach every other program started
with that environment (the CLI, test runners, ignite_orm services), which read plain
values.  ``compat="ignite_wire"`` pins a client to plain values whatever the default
(ignite_orm's clients do: its models rely on them).

In the mode (docs/migrating-from-pyignite.md has the table; the clients' side of it is
in ``ignite_wire/_pyignite_mode.py``): reads return pyignite's forms
(:mod:`ignite_wire._protocol.pyignite_values`); writes without a hint infer as
pyignite does (a ``datetime`` is a Date, a list of one item type a typed array);
``get_binary_type`` returns pyignite's dict and accepts a type name; ``create_cache`` and
``get_or_create_cache`` write the defaults of query fields and index fields into the
settings dict passed in, as pyignite does (code comparing ``cache.settings`` with the
dict it created the cache with relies on it).  ``put_binary_type`` is offered in both
modes.
"""

from __future__ import annotations

from typing import Literal

from . import _pyignite_mode
from ._pyignite_mode import IGNITE_WIRE, PYIGNITE

__all__ = ["IGNITE_WIRE", "PYIGNITE", "Compat", "pyignite_values_enabled", "use_pyignite_values"]

Compat = Literal["pyignite", "ignite_wire"]


def use_pyignite_values(enabled: bool = True) -> None:
    """Make clients created from now on (without ``compat=``) use pyignite's values.

    ``use_pyignite_values(False)`` restores plain values.  Clients that exist keep
    their mode.
    """
    _pyignite_mode.DEFAULT[0] = PYIGNITE if enabled else IGNITE_WIRE


def pyignite_values_enabled() -> bool:
    """Whether a client created now without ``compat=`` uses pyignite's values."""
    return _pyignite_mode.DEFAULT[0] == PYIGNITE
