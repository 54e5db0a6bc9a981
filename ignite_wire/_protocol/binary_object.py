"""Complex objects (type code 103): the Python classes and the byte layout.

Layout (reference section 3, ``BinaryWriterExImpl``), 24-byte header::

    0 i8 103 | 1 i8 version=1 | 2 i16 flags | 4 i32 typeId | 8 i32 hashCode
    12 i32 totalLen | 16 i32 schemaId | 20 i32 schemaOrRawOffset
    24.. field values, then raw data | footer | [HAS_SCHEMA and HAS_RAW: i32 rawOffset]

The footer has one entry per field in write order: ``[i32 fieldId unless compact] +
offset`` (offsets from the object's first byte, 1, 2 or 4 bytes wide).  The hash is
:func:`~.hashing.bytes_hash` over ``[24, footerStart)``: field data *and* raw data.

Python side.  A class made by :class:`BinaryObjectMeta` (``GenericObjectMeta`` in the
public API) describes one binary type; its :class:`ObjectInfo` (type id, field names,
field ids, hints, schema id, metadata) is computed once, when the class is created, and
the writer compiles a per-class encoder (the reader a decoder) from it on first use.
Instances keep their field values as plain attributes; they compare equal by type id,
field values and raw data, and are hashable (so they can be map keys and ``get_all``
keys).  Raw data read from the wire is kept in ``__ignite_raw__`` and written back
unchanged.
"""

from __future__ import annotations

import itertools
import linecache
import struct
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final

from .binary_types import BinaryField, BinaryType
from .hashing import field_id as compute_field_id
from .hashing import schema_id as compute_schema_id
from .hashing import type_id as compute_type_id
from .object_init import GENERATED_MARK, compile_init, fast_call
from .type_codes import TypeCode

__all__ = [
    "HEADER",
    "HEADER_SIZE",
    "BinaryObjectBase",
    "BinaryObjectMeta",
    "ObjectInfo",
    "hint_type_code",
    "hint_type_code_or_none",
    "make_class",
]

HEADER: Final = struct.Struct("<BBhiiiii")
HEADER_SIZE: Final = 24
RAW_ATTR: Final = "__ignite_raw__"
#: Instance attribute naming the class's fields an object read from the wire did not carry
#: (an older schema of its type): they read as ``None``, and this tells them from a null.
ABSENT_ATTR: Final = "__ignite_absent__"
_NOT_FIELDS: Final = frozenset({RAW_ATTR, ABSENT_ATTR})
_PRECISE: Final = frozenset(
    int(c)
    for c in TypeCode
    if c not in (TypeCode.COMPLEX_OBJ, TypeCode.BINARY_OBJ, TypeCode.NULL, TypeCode.HANDLE)
)


def hint_type_code(hint: object) -> int:
    """The type code a schema entry stands for (metadata ``fieldTypeCode``).

    A schema entry is a hint class (``IntObject``...), a type code, a class made by the
    metaclass (a nested object, 103) or ``None``/an untyped hint (any value: 103, as Java
    reports ``Object`` fields).
    """
    if isinstance(hint, int):
        return int(hint)
    if isinstance(hint, type) and isinstance(getattr(hint, "__ignite_info__", None), ObjectInfo):
        return int(TypeCode.COMPLEX_OBJ)
    code = getattr(hint, "type_code", None)
    if isinstance(code, int):
        return int(code)
    return int(TypeCode.COMPLEX_OBJ)


_generated = itertools.count(1)


def compile_generated(source: str, what: str, env: dict[str, Any]) -> Any:
    """Compile a generated per-class function and return it (its name is ``what``'s
    first word).  The source is put in ``linecache`` so that tracebacks and profilers
    show its lines."""
    filename = f"<ignite_wire {what} #{next(_generated)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), env, namespace)
    fn = namespace[what.split()[0]]
    fn.__ignite_source__ = source
    return fn


def hint_type_code_or_none(hint: object) -> int | None:
    """The type code a schema hint pins, or ``None`` for untyped/object hints."""
    if isinstance(hint, int) and not isinstance(hint, bool):
        return int(hint)
    if isinstance(hint, type) and isinstance(getattr(hint, "__ignite_info__", None), ObjectInfo):
        return None
    code = getattr(hint, "type_code", None)
    return int(code) if isinstance(code, int) else None


class ObjectInfo:
    """Everything about a binary-object class that does not change per instance."""

    __slots__ = (
        "affinity_key_field",
        "binary_type",
        "decoder",
        "defaults",
        "encoder",
        "field_ids",
        "hints",
        "ids_to_names",
        "names",
        "schema",
        "schema_id",
        "type_id",
        "type_name",
    )

    def __init__(
        self,
        type_name: str,
        schema: Mapping[str, object],
        *,
        type_id: int | None = None,
        field_ids: Iterable[int] | None = None,
        affinity_key_field: str | None = None,
        extra_fields: Iterable[BinaryField] = (),
    ) -> None:
        self.type_name = type_name
        self.type_id = compute_type_id(type_name) if type_id is None else type_id
        self.schema: OrderedDict[str, object] = OrderedDict(schema)
        self.names: tuple[str, ...] = tuple(self.schema)
        self.hints: tuple[object, ...] = tuple(self.schema.values())
        ids = (
            tuple(compute_field_id(n) for n in self.names)
            if field_ids is None
            else tuple(field_ids)
        )
        self.field_ids: tuple[int, ...] = ids
        self.schema_id = compute_schema_id(ids)
        self.ids_to_names: dict[int, str] = dict(zip(ids, self.names, strict=True))
        self.affinity_key_field = affinity_key_field
        fields = tuple(
            BinaryField(n, hint_type_code(h), i)
            for n, h, i in zip(self.names, self.hints, ids, strict=True)
        )
        # Fields the metadata knows but this schema does not write (generated classes).
        extras = tuple(f for f in extra_fields if f.field_id not in self.ids_to_names)
        for f in extras:
            self.ids_to_names[f.field_id] = f.name
        self.defaults: dict[str, object] = dict.fromkeys(self.names)
        self.defaults.update(dict.fromkeys(f.name for f in extras))
        self.binary_type = BinaryType(
            self.type_id,
            type_name,
            fields + extras,
            {self.schema_id: ids} if ids else {},
            affinity_key_field,
        )
        #: The writer's compiled encoder for the class (set on first encode).
        self.encoder: Any = None
        #: The reader's compiled decoder for the class's own schema (set on first decode).
        self.decoder: Any = None


class _FromClass:
    """Reads a class property of a binary-object class from one of its instances.

    pyignite's objects answer ``obj.type_name``, ``obj.type_id``, ``obj.schema`` and
    ``obj.schema_id``.  A non-data descriptor, so a *field* of the same name, which lives
    in the instance's ``__dict__``, still wins; on the class itself the metaclass's
    properties answer.
    """

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(type(obj), self._name)


class BinaryObjectBase:
    """Base of every binary-object class: keyword construction, ``==``, hash, repr."""

    type_name = _FromClass("type_name")
    type_id = _FromClass("type_id")
    schema = _FromClass("schema")
    schema_id = _FromClass("schema_id")

    __ignite_info__: ClassVar[ObjectInfo]
    __ignite_generated__: ClassVar[bool] = False
    __ignite_raw__: bytes | None = None
    __ignite_absent__: frozenset[str] = frozenset()

    def __init__(self, /, *args: object, **kwargs: object) -> None:
        # ``self`` positional-only: a field may be named "self" (any legal Ignite name).
        info = type(self).__ignite_info__
        if len(args) > len(info.names):
            raise TypeError(
                f"{type(self).__name__} takes at most {len(info.names)} positional fields"
            )
        d = self.__dict__
        defaults = info.defaults
        d.update(defaults)
        if args:
            for name, value in zip(info.names, args, strict=False):
                d[name] = value
        if kwargs:
            if not kwargs.keys() <= defaults.keys():  # one C-level check for all names
                unknown = next(name for name in kwargs if name not in defaults)
                raise TypeError(f"{type(self).__name__} has no field {unknown!r}")
            d.update(kwargs)

    def _ignite_values(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k not in _NOT_FIELDS}

    def __getitem__(self, name: str) -> object:
        """The value of field ``name`` (for names that are not Python identifiers)."""
        if name in _NOT_FIELDS or name not in self.__dict__:
            raise KeyError(name)
        return self.__dict__[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BinaryObjectBase):
            return NotImplemented
        return (
            type(self).__ignite_info__.type_id == type(other).__ignite_info__.type_id
            and self._ignite_values() == other._ignite_values()
            and self.__ignite_raw__ == other.__ignite_raw__
        )

    def __hash__(self) -> int:
        parts: list[object] = [type(self).__ignite_info__.type_id]
        for name, value in sorted(self._ignite_values().items()):
            try:
                hash(value)
            except TypeError:
                # Unhashable values (lists, dicts) contribute their size: equal values
                # have equal sizes, so equal objects still hash alike.
                value = len(value) if hasattr(value, "__len__") else 0
            parts.append((name, value))
        return hash(tuple(parts))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._ignite_values().items())
        return f"{type(self).__name__}({fields})"


class BinaryObjectMeta(type):
    """Metaclass of binary-object classes (the public ``GenericObjectMeta``).

    Class keywords: ``type_name`` (default: the class name), ``schema`` (an ordered
    mapping of field name -> hint class, type code or nested binary-object class; the
    order is the write order), ``affinity_key_field`` (optional), and, for types read from
    a cluster with a custom id mapper, ``type_id`` and ``field_ids``.  A subclass without
    ``schema`` inherits its parent's schema.  ``version`` is accepted and ignored, as
    pyignite does: the binary format has one object header version (1), the only one
    Ignite reads.
    """

    __ignite_info__: ObjectInfo

    def __new__(
        mcs,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        *,
        type_name: str | None = None,
        schema: Mapping[str, object] | None = None,
        affinity_key_field: str | None = None,
        type_id: int | None = None,
        field_ids: Iterable[int] | None = None,
        extra_fields: Iterable[BinaryField] = (),
        version: int | None = None,
        **kwargs: Any,
    ) -> BinaryObjectMeta:
        if not any(issubclass(b, BinaryObjectBase) for b in bases):
            bases = (*bases, BinaryObjectBase)
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        parent: ObjectInfo | None = None
        for b in bases:
            parent = getattr(b, "__ignite_info__", None)
            if parent is not None:
                break
        if schema is None and parent is not None:
            schema = parent.schema
        if schema is None:
            schema = {}
        if isinstance(schema, dict) and not isinstance(schema, OrderedDict):
            schema = OrderedDict(schema)
        cls.__ignite_info__ = ObjectInfo(
            type_name or name,
            schema,
            type_id=type_id,
            field_ids=field_ids,
            affinity_key_field=affinity_key_field,
            extra_fields=extra_fields,
        )
        inherited = cls.__init__  # type: ignore[misc]
        if "__init__" not in namespace and (
            inherited is BinaryObjectBase.__init__ or getattr(inherited, GENERATED_MARK, False)
        ):
            fields = tuple(cls.__ignite_info__.defaults)
            generated = compile_init(fields, BinaryObjectBase.__init__)
            cls.__init__ = generated or BinaryObjectBase.__init__  # type: ignore[misc]
            fast_call(cls)  # with the compiled __init__: the compiled call path too
        return cls

    def __init__(
        cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(name, bases, namespace)

    @property
    def type_name(cls) -> str:
        """The binary type name."""
        return cls.__ignite_info__.type_name

    @property
    def type_id(cls) -> int:
        """The binary type id (lower-cased Java hash of the type name)."""
        return cls.__ignite_info__.type_id

    @property
    def schema(cls) -> OrderedDict[str, object]:
        """A copy of the schema: field name -> hint, in write order."""
        return OrderedDict(cls.__ignite_info__.schema)

    @property
    def schema_id(cls) -> int:
        """The schema id (FNV-1 of the field ids)."""
        return cls.__ignite_info__.schema_id

    @property
    def binary_type(cls) -> BinaryType:
        """The metadata to register (op 3003) for this class."""
        return cls.__ignite_info__.binary_type


def make_class(bt: BinaryType, schema_id: int | None = None) -> type[BinaryObjectBase]:
    """A class for a binary type the client never declared, built from its metadata.

    The schema is the one for ``schema_id`` when the metadata has it (else the metadata's
    fields in order); fields of other schemas are known by name and default to ``None``.
    """
    by_id = {f.field_id: f for f in bt.fields}
    ids: tuple[int, ...]
    if schema_id is not None and schema_id in bt.schemas:
        ids = tuple(i for i in bt.schemas[schema_id] if i in by_id)
    else:
        ids = tuple(by_id)
    # Typed fields keep their exact type code, so re-encoding a decoded object keeps the
    # field types the cluster expects; "Object" fields (103) and codes with no Python
    # writer are inferred from the value.
    schema = OrderedDict(
        (by_id[i].name, by_id[i].type_code if by_id[i].type_code in _PRECISE else None) for i in ids
    )
    simple = bt.type_name.replace("$", ".").rsplit(".", 1)[-1] or f"BinaryType_{bt.type_id}"
    cls = BinaryObjectMeta(
        simple,
        (),
        {"__ignite_generated__": True, "__module__": "ignite_wire.binary"},
        type_name=bt.type_name,
        schema=schema,
        type_id=bt.type_id,
        field_ids=ids,
        affinity_key_field=bt.affinity_key_field,
        extra_fields=bt.fields,
    )
    return cls  # type: ignore[return-value]
