"""The DB-API's own arguments, checked before anything is sent.

PEP 249 promises that a driver's failures are its ``Error`` classes: a tool that catches
``dbapi.Error`` (pandas, report writers) must not see a ``TypeError`` from inside the
client because a parameter list was an ``int`` or ``arraysize`` a string.  These checks
are pure and reuse ignite_wire's own (``_checks``) where they fit; each refusal names
the argument and the method, and says what it got: a number's value, only the type of
anything else (a parameter may be a password).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from .. import _checks
from ..exceptions import ParameterError
from ._errors import Error, InterfaceError, ProgrammingError

__all__ = ["count", "page_size", "parameter_list", "parameter_sets", "schema", "statement"]

T = TypeVar("T")

#: The server takes a page size as a Java ``int``.
_MAX_PAGE = 2**31 - 1


def _as(cls: type[Error], check: Callable[..., T], *args: Any) -> T:
    """``ignite_wire``'s own argument check, its refusal raised as the DB-API's ``cls``."""
    try:
        return check(*args)
    except ParameterError as exc:
        raise cls(str(exc)) from None


def _shown(value: Any) -> str:
    """``value`` for a message: a small number as itself, anything else by its type."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _checks.shown(value)
    return f"a value of type {type(value).__name__}"


def statement(operation: Any, where: str) -> str:
    if not isinstance(operation, str):
        raise ProgrammingError(f"{where}: the statement must be a str, got {_shown(operation)}")
    return operation


def parameter_list(parameters: Any, where: str) -> list[Any]:
    """The statement's ``?`` values as a list (``None``: none)."""
    if parameters is None:
        return []
    if isinstance(parameters, (str, bytes, bytearray, Mapping)) or not isinstance(
        parameters, Iterable
    ):
        raise ProgrammingError(
            f"{where}: parameters must be a sequence of values for paramstyle 'qmark' (?), "
            f"got {_shown(parameters)}"
        )
    return list(parameters)


def parameter_sets(seq: Any, where: str) -> list[list[Any]]:
    """``executemany``'s parameter sets, every one checked before the first runs, so a
    bad set late in the sequence does not leave the earlier ones half applied."""
    if isinstance(seq, (str, bytes, bytearray, Mapping)) or not isinstance(seq, Iterable):
        raise ProgrammingError(
            f"{where}: parameters must be a sequence of parameter sequences, got {_shown(seq)}"
        )
    return [parameter_list(one, f"{where}, parameters[{i}]") for i, one in enumerate(seq)]


def count(value: Any, name: str, where: str) -> int:
    """A row count (``fetchmany``'s size, ``arraysize``): an int of 0 or more (no upper
    bound: a size past the rows left reads what there is)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProgrammingError(f"{where}: {name} must be an int of 0 or more, got {_shown(value)}")
    return value


def page_size(value: Any) -> int:
    return _as(InterfaceError, _checks.integer, value, "connect(): page_size", 1, _MAX_PAGE)


def schema(value: Any) -> str:
    """A schema name: a non-empty str the wire can carry (no lone surrogates)."""
    return _as(InterfaceError, _checks.text, value, "connect(): schema")
