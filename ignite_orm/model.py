"""``IgniteModel``: a pydantic model that is also an Ignite binary type, table and cache.

A class with ``cache=...`` is a *table model* (it needs ``Key`` fields); one without is an
*embedded* model, stored as a nested binary object inside others.  Class keywords::

    class Person(IgniteModel, cache="people", backups=1, atomicity=CacheAtomicityMode.TRANSACTIONAL,
                 type_name="com.example.Person", table="Person", sql_schema="PUBLIC"):
        ...

Everything Ignite needs is derived once, when the class is created (``Person.__ignite__``
is its :class:`~ignite_orm.mapping.ModelInfo`); a wrong declaration raises
:class:`ModelDefinitionError` there, naming the class and the field.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from datetime import time
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticUndefined
from typing_extensions import Self

from ignite_wire.datatypes.cache_config import (
    CacheAtomicityMode,
    CacheMode,
    WriteSynchronizationMode,
)

from ._columns import install as install_columns
from ._types import resolve
from .errors import ModelDefinitionError
from .fields import (
    Alias,
    Indexed,
    Precision,
    QueryGroup,
    _AffinityKey,
    _IgniteType,
    _Key,
    _NotNull,
    _Version,
)
from .mapping import CacheSettings, FieldInfo, ModelInfo

__all__ = ["IgniteModel", "ModelDefinitionError"]

_SETTINGS_KEYWORDS = {
    "cache",
    "mode",
    "backups",
    "atomicity",
    "write_sync",
    "sql_schema",
    "table",
    "type_name",
    "key_type_name",
    "expiry",
    "groups",
    "cache_properties",
}


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, IgniteModel) and value is not IgniteModel


class IgniteModel(BaseModel):
    """Base class of models stored in Ignite; see the module docstring."""

    # Assignments are validated, so an instance cannot become invalid after construction
    # and reach the cluster: writes need no re-validation.  (Reads are trusted instead:
    # results are built with model_construct unless validate=True.)
    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    __ignite__: ClassVar[ModelInfo[Any]]
    __ignite_settings__: ClassVar[dict[str, Any]] = {}
    #: field -> check, for what pydantic's field schemas cannot express; see _checks().
    __ignite_checks__: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        unknown = set(kwargs) - _SETTINGS_KEYWORDS
        if unknown:
            raise ModelDefinitionError(
                f"{cls.__name__}: unknown class keyword(s) {', '.join(sorted(unknown))}"
            )
        cls.__ignite_settings__ = dict(kwargs)
        super().__init_subclass__()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__()
        cls.__ignite__ = _build_info(cls, cls.__ignite_settings__)
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

    def __setattr__(self, name: str, value: Any) -> None:
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


def _not_null(value: Any) -> str | None:
    return "NotNull: None is not allowed" if value is None else None


def _milliseconds(value: Any) -> str | None:
    if isinstance(value, time) and value.microsecond % 1000:
        return (
            f"Ignite keeps a time to the millisecond; {value.isoformat()} has "
            "microseconds (round it, or store a datetime, which keeps nanoseconds)"
        )
    return None


def _checks(info: ModelInfo[Any]) -> dict[str, Any]:
    """The per-field checks that field schemas cannot express: ``NotNull`` on a field
    whose type allows ``None``, and ``time`` values finer than Ignite keeps."""
    checks: dict[str, Any] = {}
    for f in info.fields:
        if f.not_null and f.type.nullable:
            checks[f.name] = _not_null
        elif f.type.java_type == "java.sql.Time":
            checks[f.name] = _milliseconds
    return checks


def _settings(cls: type, raw: Mapping[str, Any]) -> CacheSettings:
    values = dict(raw)
    extra = values.pop("cache_properties", None) or {}
    groups = tuple(values.pop("groups", ()) or ())
    for g in groups:
        if not isinstance(g, QueryGroup):
            raise ModelDefinitionError(f"{cls.__name__}: groups= takes QueryGroup(...) items")
    try:
        if "mode" in values:
            values["mode"] = CacheMode(values["mode"])
        if "atomicity" in values:
            values["atomicity"] = CacheAtomicityMode(values["atomicity"])
        if values.get("write_sync") is not None:
            values["write_sync"] = WriteSynchronizationMode(values["write_sync"])
    except ValueError as exc:
        raise ModelDefinitionError(f"{cls.__name__}: {exc}") from None
    backups = values.get("backups", 0)
    if isinstance(backups, bool) or not isinstance(backups, int) or backups < 0:
        raise ModelDefinitionError(f"{cls.__name__}: backups must be an int >= 0")
    return CacheSettings(groups=groups, extra=dict(extra), **values)


def _build_info(cls: type[IgniteModel], raw: Mapping[str, Any]) -> ModelInfo[Any]:
    settings = _settings(cls, raw)
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = []
    for name, field in cls.model_fields.items():
        where = f"{cls.__name__}.{name}"
        annotation = hints.get(name, field.annotation)
        markers = list(field.metadata)
        if typing.get_origin(annotation) is typing.Annotated:
            markers += list(typing.get_args(annotation)[1:])
        # Optional[Annotated[...]] keeps the markers inside the union member.
        for arg in typing.get_args(annotation):
            if typing.get_origin(arg) is typing.Annotated:
                markers += list(typing.get_args(arg)[1:])
        # pydantic copies a field's Annotated markers into field.metadata, and the hint
        # still carries them: the same marker seen twice is one marker.
        pinned = list(dict.fromkeys(m for m in markers if isinstance(m, _IgniteType)))
        if len(pinned) > 1:
            raise ModelDefinitionError(f"{where}: more than one Ignite type marker")
        ftype = resolve(field.annotation, pinned[0] if pinned else None, where, _is_model)
        index: Indexed | None = None
        precision = scale = -1
        column = name
        for m in markers:
            if m is Indexed:
                index = Indexed()
            elif isinstance(m, Indexed):
                index = m
            elif isinstance(m, Precision):
                precision, scale = m.precision, m.scale
            elif isinstance(m, Alias):
                column = m.name
        if index is not None and ftype.java_type == "java.lang.Object":
            raise ModelDefinitionError(f"{where}: collections and maps cannot be indexed")
        default: Any = None
        if field.default is not PydanticUndefined:
            default = field.default
        elif field.default_factory is not None:
            default = field.default_factory
        is_key = any(isinstance(m, _Key) for m in markers)
        fields.append(
            FieldInfo(
                name=name,
                column=column,
                type=ftype,
                annotation=field.annotation,
                key=is_key,
                affinity=any(isinstance(m, _AffinityKey) for m in markers),
                not_null=is_key
                or any(isinstance(m, _NotNull) for m in markers)
                or (not ftype.nullable and field.is_required() and ftype.nested is None),
                index=index,
                precision=precision,
                scale=scale,
                default=default,
                version=any(isinstance(m, _Version) for m in markers),
                required=field.is_required() and not ftype.nullable,
            )
        )
        if fields[-1].version and ftype.java_type not in ("java.lang.Long", "java.lang.Integer"):
            raise ModelDefinitionError(f"{where}: a Version field must be an int")
    for group in settings.groups:
        if not any(f.index is not None and f.index.group == group.name for f in fields):
            raise ModelDefinitionError(
                f"{cls.__name__}: index group {group.name!r} has no Indexed(group=...) field"
            )
    return ModelInfo(cls, fields, settings)
