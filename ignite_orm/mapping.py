"""What a model class means to Ignite, computed once when the class is defined.

:class:`ModelInfo` ``[M]`` holds the binary types (the value type, and a key type for
composite keys), the key maker (:meth:`ModelInfo.key_of`, with strict per-field key
adapters) and the converters between model instances and the ``(key, value)`` pairs that
``ignite_wire`` stores.  Hot paths use the converters only: no reflection per call.  The
declaration it is built from was checked by :mod:`._declarations`; the query entity,
indexes and cache configuration are derived in :mod:`._schema_entity`.

Layout, as Ignite's own SQL DDL does it: the **key** is the single key field's value, or a
binary object of the key fields (type ``<TypeName>Key``); the **value** is a binary object
of the other fields.  So a table made by ``CREATE TABLE`` and one made from a model look
the same to SQL, to Java and to other clients.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ignite_wire import GenericObjectMeta
from ignite_wire.binary import absent_fields_of, fields_of, write_as
from ignite_wire.datatypes.cache_config import (
    CacheAtomicityMode,
    CacheMode,
    WriteSynchronizationMode,
)

from ._fast_build import FieldSpec, compile_loader, compile_sender, compile_writer, fits
from ._types import FieldType
from .errors import StoredValueError
from .fields import Indexed, QueryGroup

__all__ = ["CacheSettings", "FieldInfo", "ModelInfo", "Send", "SendAll", "info_of"]

#: The model class a :class:`ModelInfo` describes (an ``IgniteModel``; bound to pydantic's
#: base so that this module needs nothing from :mod:`.model`).  Covariant: the info of a
#: model is an info of any base class of it (``ModelInfo[IgniteModel]`` takes them all),
#: since it only hands models out; what it takes in is checked by the caller.
M_co = TypeVar("M_co", bound=BaseModel, covariant=True)
M = TypeVar("M", bound=BaseModel)
#: ``send(instance, other) -> (key, value)``: what a write sends (see ModelInfo.sender).
Send = Callable[[Any, Callable[[Any], tuple[Any, Any]]], tuple[Any, Any]]
#: ``send_all(instances, other) -> [(key, value), ...]``.
SendAll = Callable[[Any, Callable[[Any], tuple[Any, Any]]], list[tuple[Any, Any]]]


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One model field as Ignite sees it."""

    name: str
    column: str
    type: FieldType
    annotation: Any = None
    key: bool = False
    affinity: bool = False
    not_null: bool = False
    index: Indexed | None = None
    precision: int = -1
    scale: int = -1
    default: Any = None
    version: bool = False
    #: No default and ``None`` not allowed: a stored object without a value is invalid.
    required: bool = False


def _default_maker(default: Any) -> Callable[[], Any]:
    """A function giving a field's default: a fresh copy of a mutable one, as pydantic does
    (a loaded object must not share the class's default list with every other one)."""
    if callable(default):
        factory: Callable[[], Any] = default
        return factory
    if isinstance(default, (list, dict, set, bytearray, BaseModel)):
        return lambda: copy.deepcopy(default)
    return lambda: default


@dataclass(frozen=True, slots=True)
class CacheSettings:
    """The class keywords of a table model (``cache=...``, ``backups=...``, ...)."""

    cache: str | None = None
    mode: CacheMode = CacheMode.PARTITIONED
    backups: int = 0
    atomicity: CacheAtomicityMode = CacheAtomicityMode.ATOMIC
    write_sync: WriteSynchronizationMode | None = None
    sql_schema: str = "PUBLIC"
    table: str | None = None
    type_name: str | None = None
    key_type_name: str | None = None
    expiry: Any = None
    groups: tuple[QueryGroup, ...] = ()
    extra: Mapping[int, Any] = field(default_factory=dict)


class ModelInfo(Generic[M_co]):
    """Everything derived from one model class; see the module docstring."""

    def __init__(self, model: type[M_co], fields: list[FieldInfo], settings: CacheSettings):
        name = model.__name__
        self.model = model
        self.settings = settings
        self.fields = fields
        self.by_name = {f.name: f for f in fields}
        self.type_name = settings.type_name or name
        self.is_table = settings.cache is not None
        self.cache_name = settings.cache
        self.table = settings.table or name
        self.key_fields = [f for f in fields if f.key]
        self.value_fields = [f for f in fields if not f.key] if self.is_table else list(fields)
        affinity = [f for f in fields if f.affinity]
        versions = [f for f in fields if f.version]
        self.version_field = versions[0].name if versions else None
        self.affinity_field = affinity[0].name if affinity else None
        self.composite = len(self.key_fields) > 1
        self.value_class = self._binary_class(self.type_name, self.value_fields, None)
        self.key_class: GenericObjectMeta | None = None
        self.key_type_name: str
        if self.composite:
            self.key_type_name = settings.key_type_name or f"{self.type_name}Key"
            self.key_class = self._binary_class(
                self.key_type_name, self.key_fields, self.affinity_field
            )
        elif self.is_table:
            self.key_type_name = self.key_fields[0].type.java_type
        else:
            self.key_type_name = ""
        self._value_names = [f.name for f in self.value_fields]
        self._key_names = [f.name for f in self.key_fields]
        self._to_wire = {f.name: f.type.to_wire for f in fields if f.type.to_wire is not None}
        self._from_wire = {f.name: f.type.from_wire for f in fields if f.type.from_wire is not None}
        self.field_names = [f.name for f in fields]
        self._defaults = {f.name: _default_maker(f.default) for f in fields}
        # Keys are checked strictly before anything is sent: "5" is not the int key 5.
        strict = ConfigDict(strict=True)
        self.key_adapters = {
            f.name: TypeAdapter(f.annotation, config=strict) for f in self.key_fields
        }
        #: The key's type when a key of exactly that type needs no checking nor
        #: conversion (a single int, str or UUID key field): see _keys.make_key.
        self.plain_key_type: type | None = None
        if self.is_table and not self.composite:
            f = self.key_fields[0]
            if f.annotation in (int, str, UUID) and f.type.python_type is f.annotation:
                self.plain_key_type = f.annotation
        # Read path (see _fast_build): compiled on first use, so that nested model
        # classes a converter refers to are complete by then.
        self._loader: Callable[[Any, Any], M_co] | None = None
        self._rows_loader: Callable[[list[Any]], list[M_co | None]] | None = None
        self._adapters: dict[str, TypeAdapter[Any]] = {}
        self._writer: Callable[[BaseModel], tuple[Any, Any]] | None = None
        self._sender: tuple[Send, SendAll] | None = None
        # A table model whose fields all go to the wire as they are is written by
        # ignite_wire straight from an instance's __dict__ (no binary object per write).
        self.written_directly = (
            self.is_table
            and all(f.type.to_wire is None for f in self.value_fields)
            and (self.composite or self.key_fields[0].type.to_wire is None)
        )
        if self.written_directly:
            write_as(model, self.value_class)
        self._specs: dict[str, FieldSpec] = {
            f.name: (f.name, t.python_type, t.nullable, t.from_wire, t.items)
            for f in fields
            for t in (f.type,)
        }

    # -- binary types --------------------------------------------------------------------

    def _binary_class(
        self, type_name: str, fields: list[FieldInfo], affinity: str | None
    ) -> GenericObjectMeta:
        schema: OrderedDict[str, object] = OrderedDict()
        for f in fields:
            nested: Any = f.type.nested
            if nested is not None:
                schema[f.name] = nested.__ignite__.value_class
            else:
                schema[f.name] = f.type.hint
        return GenericObjectMeta(
            type_name.rsplit(".", 1)[-1],
            (),
            {"__module__": self.model.__module__},
            type_name=type_name,
            schema=schema,
            affinity_key_field=affinity,
        )

    # -- instances <-> entries -------------------------------------------------------------

    def to_wire(self, name: str, value: Any) -> Any:
        """``value`` of field ``name`` as stored (an enum member as its value, ...)."""
        convert = self._to_wire.get(name)
        if convert is None or value is None:
            return value
        try:
            return convert(value)
        except (ValueError, TypeError) as exc:
            # Only an instance made without validation (model_construct) gets here.
            raise ValueError(
                f"{self.model.__name__}.{name}: cannot store {value!r}: {exc}"
            ) from None

    def key_of(self, values: Mapping[str, Any]) -> Any:
        """The cache key for the key-field values in ``values`` (a dict or a model's)."""
        if not self.composite:
            f = self.key_fields[0]
            return (self.to_wire(f.name, values[f.name]), f.type.hint)
        assert self.key_class is not None
        return self.key_class(**{n: self.to_wire(n, values[n]) for n in self._key_names})

    def to_entry(self, instance: BaseModel) -> tuple[Any, Any]:
        """``(key, value)`` to store for ``instance``."""
        return (self._writer or self.writer())(instance)

    def writer(self) -> Callable[[BaseModel], tuple[Any, Any]]:
        """``instance -> (key, value)``: :meth:`to_entry` as a function, for loops."""
        writer = self._writer
        if writer is None:
            key: Any = self.key_of
            if not self.composite and self.key_fields:  # a single-field key, inlined
                k = self.key_fields[0]
                key = (k.name, k.type.to_wire, k.type.hint)
            writer = self._writer = compile_writer(
                self.value_class,
                [(f.name, f.type.to_wire) for f in self.value_fields],
                key,
                self._to_entry_checked,
            )
        return writer

    def sender(self) -> tuple[Send, SendAll]:
        """``(send, send_all)``: the ``(key, value)`` pairs that writes send, where the
        value may be the instance itself (:attr:`written_directly`: ignite_wire writes
        it as the value object, the same bytes).  ``other(instance)`` makes the pair of
        anything the fast path does not take (another class, a field missing); pass a
        function that checks the instance and calls :meth:`to_entry`."""
        sender = self._sender
        if sender is None:
            if self.written_directly:
                key: Any = self.key_of
                if not self.composite:
                    k = self.key_fields[0]
                    key = (k.name, None, k.type.hint)
                # every pydantic field in __dict__ (the Ignite fields are among them)
                sender = compile_sender(self.model, len(self.model.model_fields), key)
            else:
                write, model = self.writer(), self.model

                def send(instance: Any, other: Callable[[Any], tuple[Any, Any]]) -> Any:
                    return write(instance) if type(instance) is model else other(instance)

                def send_all(instances: Any, other: Callable[[Any], tuple[Any, Any]]) -> Any:
                    return [write(i) if type(i) is model else other(i) for i in instances]

                sender = (send, send_all)
            self._sender = sender
        return sender

    def _to_entry_checked(self, instance: BaseModel) -> tuple[Any, Any]:
        data = instance.__dict__
        value = self.value_class(**{n: self.to_wire(n, data[n]) for n in self._value_names})
        return self.key_of(data), value

    def nested_to_wire(self, instance: Any) -> Any:
        if instance is None:
            return None
        data = instance.__dict__
        return self.value_class(**{n: self.to_wire(n, data[n]) for n in self._value_names})

    def nested_from_wire(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, self.model):
            return obj
        return (self._loader or self._compile())(None, obj)

    def from_entry(self, key: Any, value: Any, *, validate: bool = False) -> M_co:
        """The model instance for a stored ``(key, value)``.

        A stored value the model cannot hold raises :class:`StoredValueError` naming the
        model, the key and the field, with or without ``validate``.  Without it, values
        of the field's own type are trusted (no pydantic validation) and others are
        validated field by field (see :mod:`._fast_build`).
        """
        if not validate:
            return (self._loader or self._compile())(key, value)
        return self._load_checked(key, value, validate=True)

    def reader(self, validate: bool) -> Callable[[Any, Any], M_co]:
        """``(key, value) -> instance``: :meth:`from_entry` as a function, for loops."""
        if validate:
            return lambda key, value: self._load_checked(key, value, validate=True)
        return self._loader or self._compile()

    def rows_reader(self, validate: bool) -> Callable[[list[Any]], list[M_co | None]]:
        """``rows -> instances`` for a page of SQL rows ``[key, value]``: :meth:`reader`
        over every row (``None`` for a ``[None, None]`` row), in one call per page."""
        if validate:
            read = self.reader(True)
            return lambda rows: [
                None if r[1] is None and r[0] is None else read(r[0], r[1]) for r in rows
            ]
        if self._rows_loader is None:
            self._compile()
        assert self._rows_loader is not None
        return self._rows_loader

    def _compile(self) -> Callable[[Any, Any], M_co]:
        spec = self._specs
        keys = [spec[f.name] for f in self.key_fields] if self.is_table else []
        self._loader, self._rows_loader = compile_loader(
            self.model,
            [spec[f.name] for f in self.value_fields],
            keys,
            self.composite,
            self._load_checked,
        )
        return self._loader

    def _load_checked(self, key: Any, value: Any, validate: bool = False) -> M_co:
        """The general read path: defaults for missing fields, validation of values that
        do not fit, :class:`StoredValueError` for what the model cannot hold."""
        data = fields_of(value) if value is not None else {}
        absent = absent_fields_of(value) if value is not None else frozenset()
        for name in absent:
            del data[name]  # written before the field existed: it takes its default
        where: object = None
        if self.composite:
            key_values = fields_of(key)
            data.update(key_values)
            where = key_values
        elif self.is_table:
            data[self.key_fields[0].name] = where = key
        try:
            return self.build(data, validate=validate)
        except StoredValueError as exc:
            raise StoredValueError(exc.model, where, exc.field, exc.problem) from None

    def build(self, data: dict[str, Any], *, validate: bool) -> M_co:
        """The instance for decoded field values (the key, if any, already merged in)."""
        model = self.model.__name__
        for name, convert in self._from_wire.items():
            raw = data.get(name)
            if raw is not None:
                try:
                    data[name] = convert(raw)
                except StoredValueError as exc:  # in a nested model: name the path
                    raise StoredValueError(
                        model, None, f"{name}.{exc.field}", exc.problem
                    ) from None
                except (ValueError, TypeError) as exc:
                    raise StoredValueError(model, None, name, f"{raw!r}: {exc}") from None
        for name in self.field_names:
            # A field added later: objects written before lack it and it takes its
            # default; a null (from SQL, say) does too unless None is a value it allows.
            value = data.get(name)
            if value is None and (name not in data or not self.by_name[name].type.nullable):
                if self.by_name[name].required:
                    raise StoredValueError(
                        model, None, name, "no value stored for a required field (no default)"
                    )
                data[name] = self._defaults[name]()
        # Fields the model does not declare (written by a newer model, or by another
        # client) are left out, validated or not: the model reads what it knows.
        known = {n: data[n] for n in self.field_names}
        if not validate:
            for name, value in known.items():
                if value is not None and not fits(self._specs[name], value):
                    known[name] = self._fit(self.by_name[name], value)
            return self.model.model_construct(**known)
        try:
            return self.model.model_validate(known)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "(model)"
            raise StoredValueError(model, None, field, error["msg"]) from None

    def _fit(self, f: FieldInfo, value: Any) -> Any:
        """``value`` (stored, not of field ``f``'s type) validated as ``f`` (lax, as
        pydantic takes input: a ``Long`` for a ``float`` field is a float)."""
        adapter = self._adapters.get(f.name)
        if adapter is None:
            declared = self.model.model_fields[f.name]
            annotation: Any = declared.annotation
            if declared.metadata:  # constraints (Field(ge=0), ...) and markers
                parts = (annotation, *declared.metadata)
                annotation = Annotated[parts]
            adapter = self._adapters[f.name] = TypeAdapter(annotation)
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in (f.name, *error["loc"]))
            raise StoredValueError(
                self.model.__name__, None, where, f"{value!r}: {error['msg']}"
            ) from None


def info_of(model: type[M]) -> ModelInfo[M]:
    """The :class:`ModelInfo` of a table model (a class with ``cache=...``)."""
    info = getattr(model, "__ignite__", None)
    if not isinstance(info, ModelInfo):
        raise TypeError(f"{model!r} is not an IgniteModel class")
    if not info.is_table:
        raise TypeError(f"{model.__name__} has no cache=...: it can only be embedded")
    return info
