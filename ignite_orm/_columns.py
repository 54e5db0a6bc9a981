"""Model fields as class attributes: ``Order.total`` is a query column on the class.

pydantic v2 keeps field values in each instance's ``__dict__`` and leaves the class
without an attribute per field (``Order.total`` raises ``AttributeError``).  After a table
model is built, :func:`install` puts a non-data descriptor there: on the class it gives
the field's :class:`~ignite_orm.query.expressions.Column`; instances still find their
value first (instance ``__dict__`` wins over a non-data descriptor), so nothing about
instances changes.  While a subclass is being built (no ``__ignite__`` of its own yet)
the descriptor answers ``AttributeError``, so pydantic never mistakes it for a default.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install"]


class _FieldColumn:
    __slots__ = ("_columns", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._columns: dict[type, Any] = {}

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            found = self._columns.get(owner)  # type: ignore[arg-type]
            if found is not None:  # cached below only for an owner that passed the checks
                return found
        if obj is not None or owner is None or "__ignite__" not in owner.__dict__:
            raise AttributeError(self.name)
        column = self._columns.get(owner)
        if column is None:
            from .query.expressions import Column

            info = owner.__dict__["__ignite__"]
            column = self._columns[owner] = Column(owner, info.by_name[self.name])
        return column


def install(model: type) -> None:
    """Give ``model`` (a table model) one column attribute per field."""
    info = model.__dict__["__ignite__"]
    for f in info.fields:
        if f.name not in model.__dict__:
            setattr(model, f.name, _FieldColumn(f.name))
