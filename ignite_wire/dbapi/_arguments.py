"""The DB-API's own arguments, checked before anything is sent.

PEP 249 promises that a driver's failures are its ``Error`` classes: a tool that catches
``dbapi.Error`` (pandas, report writers) must not see a ``TypeError`` from inside the
client because a parameter list was an ``int`` or ``arraysize`` a string.  These checks
are pure, so they are tested with plain values; each refusal names the argument and the
method, and says what it got: a number's value, only the type of anything else (a
parameter may be a password).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import InterfaceError, ProgrammingError

__all__ = ["count", "page_size", "parameter_list", "parameter_sets", "schema", "statement"]

#: The server takes a page size as a Java ``int``.
_MAX_PAGE = 2**31 - 1


def _shown(value: Any) -> str:
    """``value`` for a message: a small number as itself, anything else by its type."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() <= 64:
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return "an int of more than 64 bits"
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
    """A row count (``fetchmany``'s size, ``arraysize``): an int of 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProgrammingError(f"{where}: {name} must be an int of 0 or more, got {_shown(value)}")
    return value


def page_size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_PAGE:
        raise InterfaceError(
            f"connect(): page_size must be an int from 1 to {_MAX_PAGE}, got {_shown(value)}"
        )
    return value


def schema(value: Any) -> str:
    """A schema name: a non-empty str the wire can carry (UTF-8, so no lone surrogates)."""
    if not isinstance(value, str) or not value:
        raise InterfaceError(f"connect(): schema must be a non-empty str, got {_shown(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InterfaceError(
            f"connect(): schema is not valid text (a lone surrogate at index {exc.start})"
        ) from None
    return value
