"""Declaration checks: class keywords and field markers, read once when a model is defined.

Everything a user can declare wrong is refused here, with a :class:`ModelDefinitionError`
naming the class and the field: unknown class keywords, bad cache settings, two Ignite
type markers on one field, an indexed collection, a Version field that is no int, an
index group without fields, Key/AffinityKey/Version markers in the wrong places, and SQL
names the server cannot use.  What passes becomes :class:`FieldInfo` rows and
:class:`CacheSettings`, from which :class:`ModelInfo` derives the rest without checking
again.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ignite_wire.datatypes.cache_config import (
    CacheAtomicityMode,
    CacheMode,
    WriteSynchronizationMode,
)

from ._schema_entity import indexes
from ._sql_names import identifier_problem
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

__all__ = ["SETTINGS_KEYWORDS", "check_keywords", "declare", "settings_of"]

M = TypeVar("M", bound=BaseModel)

#: The class keywords of ``IgniteModel`` subclasses.
SETTINGS_KEYWORDS = frozenset(
    {
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
)


def check_keywords(cls: type, keywords: Mapping[str, Any]) -> None:
    """Refuse class keywords ``IgniteModel`` does not know."""
    unknown = set(keywords) - SETTINGS_KEYWORDS
    if unknown:
        raise ModelDefinitionError(
            f"{cls.__name__}: unknown class keyword(s) {', '.join(sorted(unknown))}"
        )


def settings_of(cls: type, raw: Mapping[str, Any]) -> CacheSettings:
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


def declare(cls: type[M], raw: Mapping[str, Any], is_model: Callable[[Any], bool]) -> ModelInfo[M]:
    """The :class:`ModelInfo` of ``cls``, declared with class keywords ``raw``; raises
    :class:`ModelDefinitionError` naming the class and field at the first wrong thing.

    ``is_model`` tells a nested model class from other annotations (given by
    :mod:`.model`, so that this module needs nothing from it).
    """
    settings = settings_of(cls, raw)
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
        ftype = resolve(field.annotation, pinned[0] if pinned else None, where, is_model)
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
    _check_keys(cls.__name__, fields, settings)
    info = ModelInfo(cls, fields, settings)
    if info.is_table:
        _check_names(info)
    return info


def _check_keys(name: str, fields: list[FieldInfo], settings: CacheSettings) -> None:
    """Key, AffinityKey and Version markers: where they may be and how many."""
    key_fields = [f for f in fields if f.key]
    affinity = [f for f in fields if f.affinity]
    versions = [f for f in fields if f.version]
    if len(versions) > 1:
        raise ModelDefinitionError(
            f"{name}: fields {', '.join(f.name for f in versions)} are all marked "
            "Version; only one Version field is allowed"
        )
    if settings.cache is None:
        if affinity or key_fields:
            raise ModelDefinitionError(
                f"{name}: Key/AffinityKey fields need cache=... on the class"
            )
        return
    if not key_fields:
        raise ModelDefinitionError(f"{name}: a table model needs at least one Key field")
    if len(affinity) > 1:
        raise ModelDefinitionError(
            f"{name}: fields {', '.join(f.name for f in affinity)} are all marked "
            "AffinityKey; a key has one affinity field"
        )
    for f in affinity:
        if not f.key:
            raise ModelDefinitionError(
                f"{name}.{f.name}: the AffinityKey field must also be a Key field"
            )
    for f in key_fields:
        if f.type.nested is not None or f.type.java_type == "java.lang.Object":
            raise ModelDefinitionError(
                f"{name}.{f.name}: a key field must be a scalar (int, str, UUID...)"
            )


def _check_names(info: ModelInfo[BaseModel]) -> None:
    """Refuse SQL names the server cannot use (see :func:`identifier_problem`)."""
    name = info.model.__name__
    named = [
        ("sql_schema", info.settings.sql_schema),
        ("table", info.table),
        *((f"{f.name} (column)", f.column) for f in info.fields),
        *((f"index {i['index_name']!r}", i["index_name"]) for i in indexes(info)),
    ]
    for what, value in named:
        problem = identifier_problem(value)
        if problem is not None:
            raise ModelDefinitionError(f"{name}.{what}: {value!r} is {problem}")
