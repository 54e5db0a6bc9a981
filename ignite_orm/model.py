"""``IgniteModel``: a pydantic model that is also an Ignite binary type, table and cache.

A class with ``cache=...`` is a *table model* (it needs ``Key`` fields); one without is an
*embedded* model, stored as a nested binary object inside others.  Class keywords::

    class Person(IgniteModel, cache="people", backups=1, atomicity=CacheAtomicityMode.TRANSACTIONAL,
                 type_name="com.example.Person", table="Person", sql_schema="PUBLIC"):
        ...

Everything Ignite needs is derived once, when the class is created (``Person.__ignite__``
is its :class:`~ignite_orm.mapping.ModelInfo`); a wrong declaration raises
:class:`ModelDefinitionError` there, naming the class and the field (every declaration
check is in :mod:`._declarations`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import time
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from typing_extensions import Self

from ._columns import install as install_columns
from ._declarations import check_keywords, declare
from .errors import ModelDefinitionError
from .mapping import ModelInfo

__all__ = ["IgniteModel", "ModelDefinitionError"]

#: A per-field value check: the problem with a value, or ``None``.
Check = Callable[[object], "str | None"]


def _is_model(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, IgniteModel) and value is not IgniteModel


class IgniteModel(BaseModel):
    """Base class of models stored in Ignite; see the module docstring."""

    # Assignments are validated, so an instance cannot become invalid after construction
    # and reach the cluster: writes need no re-validation.  (Reads are trusted instead:
    # results are built with model_construct unless validate=True.)
    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    __ignite__: ClassVar[ModelInfo[IgniteModel]]
    __ignite_settings__: ClassVar[dict[str, Any]] = {}
    #: field -> check, for what pydantic's field schemas cannot express; see _checks().
    __ignite_checks__: ClassVar[dict[str, Check]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        check_keywords(cls, kwargs)
        cls.__ignite_settings__ = dict(kwargs)
        super().__init_subclass__()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__()
        cls.__ignite__ = declare(cls, cls.__ignite_settings__, _is_model)
        cls.__ignite_checks__ = _checks(cls.__ignite__)
        if cls.__ignite__.is_table:
            install_columns(cls)  # Order.total: a query column (see _columns.py)

    @model_validator(mode="after")
    def _ignite_constraints(self) -> Self:
        """NotNull and ``time`` precision at construction (assignments: __setattr__)."""
        data = self.__dict__
        for name, check in type(self).__ignite_checks__.items():
            problem = check(data[name])
            if problem is not None:
                raise ValueError(f"{name}: {problem}")
        return self

    def __setattr__(self, name: str, value: object) -> None:
        # Checked before pydantic assigns: a model validator would run after the value
        # is already in place, and a refused assignment must leave the instance as it was.
        check = type(self).__ignite_checks__.get(name)
        problem = check(value) if check is not None else None
        if problem is not None:
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    {
                        "type": "value_error",
                        "loc": (name,),
                        "input": value,
                        "ctx": {"error": ValueError(problem)},
                    }
                ],
            )
        super().__setattr__(name, value)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; ``update`` is validated like an assignment (pydantic's is not).

        The copy with its updates is validated as a whole, so ``update={"status":
        "bogus"}`` raises ``ValidationError`` instead of making an instance that would
        reach the cluster with a value the model cannot read back.
        """
        copied = super().model_copy(deep=deep)
        if not update:
            return copied
        data = dict(copied.__dict__)
        data.update(update)
        return self.model_validate(data)


def _not_null(value: object) -> str | None:
    return "NotNull: None is not allowed" if value is None else None


def _milliseconds(value: object) -> str | None:
    if isinstance(value, time) and value.microsecond % 1000:
        return (
            f"Ignite keeps a time to the millisecond; {value.isoformat()} has "
            "microseconds (round it, or store a datetime, which keeps nanoseconds)"
        )
    return None


def _checks(info: ModelInfo[IgniteModel]) -> dict[str, Check]:
    """The per-field checks that field schemas cannot express: ``NotNull`` on a field
    whose type allows ``None``, and ``time`` values finer than Ignite keeps."""
    checks: dict[str, Check] = {}
    for f in info.fields:
        if f.not_null and f.type.nullable:
            checks[f.name] = _not_null
        elif f.type.java_type == "java.sql.Time":
            checks[f.name] = _milliseconds
    return checks
