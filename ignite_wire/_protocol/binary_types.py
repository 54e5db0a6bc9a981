"""Binary type metadata: the model, its wire layout (ops 3002/3003), and a registry.

A *binary type* is what the cluster knows about a complex-object type: its name, its
fields (name, type code, field id), the affinity-key field, whether it is an enum (and
the enum's names and ordinals), and every *schema* (ordered field-id list) objects of the
type were written with.  A compact-footer object carries only its schema id, so reading
it needs the schema from this metadata; writing one needs the cluster to know the schema
before it sees the object.

Layout (``PlatformUtils.writeBinaryMetadata``, reference section 3)::

    i32 typeId | Str typeName | Str affinityKeyFieldName
    i32 nFields, (Str name, i32 fieldTypeCode, i32 fieldId)*
    bool isEnum, [isEnum: i32 n, (Str name, i32 ordinal)*]
    i32 nSchemas, (i32 schemaId, i32 nIds, i32 fieldId*)*

3003 (put) sends that layout; 3002 (get) sends ``i32 typeId`` and receives
``bool exists`` followed by the layout.

The codec never does I/O.  When it needs metadata it does not have, it raises
:class:`NeedBinaryType` (an internal signal, deliberately *not* an ``IgniteError``); the
operation flow fetches the type with 3002, calls :meth:`BinaryTypeRegistry.add_type`
(or :meth:`~BinaryTypeRegistry.mark_unavailable` when the cluster does not know it) and
decodes again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from ..exceptions import BinaryTypeError
from .buffer import (
    Buffer,
    pack_i32,
    read_bool,
    read_count,
    read_i32,
    read_str,
    write_str,
)
from .hashing import field_id as compute_field_id
from .hashing import schema_id as compute_schema_id
from .hashing import type_id as compute_type_id
from .type_codes import TypeCode

__all__ = [
    "BinaryField",
    "BinaryType",
    "BinaryTypeRegistry",
    "NeedBinaryType",
    "check_field_types",
    "decode_binary_type",
    "decode_get_binary_type_response",
    "encode_binary_type",
    "encode_get_binary_type_request",
]


class NeedBinaryType(Exception):  # noqa: N818 - a signal, not an error
    """Signal: decoding needs the metadata of ``type_id`` (fetch it with op 3002).

    Not an :class:`~ignite_wire.exceptions.IgniteError`: it never reaches users.  The flow
    that catches it fetches the type, adds it to the registry and decodes again; if the
    cluster does not know the type either, it calls
    :meth:`BinaryTypeRegistry.mark_unavailable` so that the retry decodes what it can.
    """

    def __init__(self, type_id: int, schema_id: int | None = None) -> None:
        super().__init__(f"binary type {type_id} (schema {schema_id}) is not known locally")
        self.type_id = type_id
        self.schema_id = schema_id


@dataclass(frozen=True)
class BinaryField:
    """One field of a binary type: its name, Ignite type code and field id."""

    name: str
    type_code: int
    field_id: int

    @classmethod
    def named(cls, name: str, type_code: int) -> BinaryField:
        """A field whose id is computed from its name (the default id mapper)."""
        return cls(name, type_code, compute_field_id(name))


@dataclass(frozen=True)
class BinaryType:
    """Metadata of one binary type, as the cluster stores it (immutable)."""

    type_id: int
    type_name: str
    fields: tuple[BinaryField, ...] = ()
    schemas: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    affinity_key_field: str | None = None
    is_enum: bool = False
    enum_values: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_fields(
        cls,
        type_name: str,
        fields: Iterable[tuple[str, int]],
        *,
        affinity_key_field: str | None = None,
    ) -> BinaryType:
        """A type with one schema made of ``fields`` (``(name, type_code)`` in order)."""
        flds = tuple(BinaryField.named(n, c) for n, c in fields)
        ids = tuple(f.field_id for f in flds)
        schemas = {compute_schema_id(ids): ids} if ids else {}
        return cls(
            compute_type_id(type_name),
            type_name,
            flds,
            schemas,
            affinity_key_field,
        )

    @classmethod
    def enum(cls, type_name: str, values: Iterable[tuple[str, int]]) -> BinaryType:
        """An enum type with ``(name, ordinal)`` values."""
        return cls(
            compute_type_id(type_name),
            type_name,
            is_enum=True,
            enum_values=tuple(values),
        )

    def field_names(self) -> dict[int, str]:
        """Field id -> field name."""
        return {f.field_id: f.name for f in self.fields}

    def merged(self, other: BinaryType) -> BinaryType:
        """The union of two versions of the same type (fields, schemas, enum values)."""
        if other.type_id != self.type_id:
            raise ValueError("cannot merge different binary types")
        known = {f.field_id for f in self.fields}
        fields = self.fields + tuple(f for f in other.fields if f.field_id not in known)
        schemas = dict(self.schemas)
        schemas.update(other.schemas)
        values = dict(self.enum_values)
        values.update(other.enum_values)
        return BinaryType(
            self.type_id,
            self.type_name or other.type_name,
            fields,
            schemas,
            self.affinity_key_field or other.affinity_key_field,
            self.is_enum or other.is_enum,
            tuple(values.items()),
        )


def encode_binary_type(bt: BinaryType) -> bytes:
    """The metadata layout of ``bt`` (the whole 3003 request payload)."""
    out = bytearray(pack_i32(bt.type_id))
    write_str(out, bt.type_name)
    write_str(out, bt.affinity_key_field)
    out += pack_i32(len(bt.fields))
    for f in bt.fields:
        write_str(out, f.name)
        out += pack_i32(f.type_code)
        out += pack_i32(f.field_id)
    out.append(1 if bt.is_enum else 0)
    if bt.is_enum:
        out += pack_i32(len(bt.enum_values))
        for name, ordinal in bt.enum_values:
            write_str(out, name)
            out += pack_i32(ordinal)
    out += pack_i32(len(bt.schemas))
    for sid, ids in bt.schemas.items():
        out += pack_i32(sid)
        out += pack_i32(len(ids))
        for fid in ids:
            out += pack_i32(fid)
    return bytes(out)


def check_field_types(cls: type, ours: BinaryType, theirs: BinaryType | None) -> None:
    """Refuse a class whose fields have the schema's ids but other types than the cluster's.

    The schema id covers field ids only, so a second class with the same type name and
    field names but another field type would pass as "known" and write values the cluster
    reads as the first type.  The server refuses such a class only when it is registered.
    """
    if theirs is None:
        return
    known = {f.name: f.type_code for f in theirs.fields}
    for ours_field in ours.fields:
        code = known.get(ours_field.name)
        if code is None or code == ours_field.type_code:
            continue
        if TypeCode.COMPLEX_OBJ in (code, ours_field.type_code):
            continue  # an untyped field ("any object") matches whatever it holds
        raise BinaryTypeError(
            f"class {cls.__name__} writes field {ours_field.name!r} of binary type "
            f"{ours.type_name!r} as type code {ours_field.type_code}, but the cluster has it as "
            f"type code {code}; a field's type cannot change"
        )


def decode_binary_type(buf: Buffer, pos: int) -> tuple[BinaryType, int]:
    """Read the metadata layout at ``pos``; return ``(type, next_pos)``."""
    tid, pos = read_i32(buf, pos)
    name, pos = read_str(buf, pos)
    affinity, pos = read_str(buf, pos)
    n, pos = read_count(buf, pos, "binary type field", 9)
    fields = []
    for _ in range(n):
        fname, pos = read_str(buf, pos)
        code, pos = read_i32(buf, pos)
        fid, pos = read_i32(buf, pos)
        fields.append(BinaryField(fname or "", code, fid))
    is_enum, pos = read_bool(buf, pos)
    values = []
    if is_enum:
        n, pos = read_count(buf, pos, "enum value", 5)
        for _ in range(n):
            vname, pos = read_str(buf, pos)
            ordinal, pos = read_i32(buf, pos)
            values.append((vname or "", ordinal))
    n, pos = read_count(buf, pos, "schema", 8)
    schemas: dict[int, tuple[int, ...]] = {}
    for _ in range(n):
        sid, pos = read_i32(buf, pos)
        k, pos = read_count(buf, pos, "schema field", 4)
        ids = []
        for _ in range(k):
            fid, pos = read_i32(buf, pos)
            ids.append(fid)
        schemas[sid] = tuple(ids)
    bt = BinaryType(tid, name or "", tuple(fields), schemas, affinity, is_enum, tuple(values))
    return bt, pos


def encode_get_binary_type_request(type_id: int) -> bytes:
    """The 3002 request payload: ``i32 typeId``."""
    return pack_i32(type_id)


def decode_get_binary_type_response(buf: Buffer, pos: int) -> tuple[BinaryType | None, int]:
    """Read a 3002 response: ``bool exists`` [+ layout]; ``None`` when it does not exist."""
    exists, pos = read_bool(buf, pos)
    if not exists:
        return None, pos
    return decode_binary_type(buf, pos)


class BinaryTypeRegistry:
    """The binary types a client knows, and the Python classes that represent them.

    One registry is shared by every connection of a client; it is safe to use from several
    threads (writers take a lock; readers see immutable snapshots).

    * ``types``: metadata by type id (fetched with 3002 or registered with 3003).
    * classes: the Python class decoded objects of a type become.  Classes declared with
      ``GenericObjectMeta`` are registered on first use; for other types a class is made
      from the metadata by ``class_factory``.
    * enums: Python ``enum.Enum`` classes bound to binary enum types.
    """

    def __init__(self) -> None:
        self._lock = Lock()
        self._types: dict[int, BinaryType] = {}
        self._known_schemas: set[tuple[int, int]] = set()
        self._classes: dict[int, type] = {}
        self._unavailable: set[int] = set()
        self._enums_by_id: dict[int, Any] = {}
        self._enums_by_class: dict[type, BinaryType] = {}

    # -- metadata ------------------------------------------------------------------------

    def get_type(self, type_id: int) -> BinaryType | None:
        """The metadata of ``type_id``, if known."""
        return self._types.get(type_id)

    def add_type(self, bt: BinaryType) -> BinaryType:
        """Record metadata the cluster has (fetched, or just registered); return the union."""
        with self._lock:
            old = self._types.get(bt.type_id)
            merged = old.merged(bt) if old is not None else bt
            self._types[bt.type_id] = merged
            self._known_schemas.update((bt.type_id, sid) for sid in bt.schemas)
            self._unavailable.discard(bt.type_id)
            cls = self._classes.get(bt.type_id)
            if cls is not None and getattr(cls, "__ignite_generated__", False):
                del self._classes[bt.type_id]  # regenerate with the new fields
        return merged

    def is_schema_known(self, type_id: int, schema_id: int) -> bool:
        """Whether the cluster is known to have this schema of this type."""
        return (type_id, schema_id) in self._known_schemas

    def mark_unavailable(self, type_id: int) -> None:
        """Record that the cluster has no metadata for ``type_id`` (3002 said so)."""
        with self._lock:
            self._unavailable.add(type_id)

    def is_unavailable(self, type_id: int) -> bool:
        """Whether 3002 reported ``type_id`` as unknown."""
        return type_id in self._unavailable

    # -- Python classes ------------------------------------------------------------------

    def register_class(self, cls: type, type_id: int) -> None:
        """Decode objects of ``type_id`` as instances of ``cls``."""
        with self._lock:
            self._classes[type_id] = cls

    def get_class(self, type_id: int) -> type | None:
        """The class registered (or generated) for ``type_id``, if any."""
        return self._classes.get(type_id)

    # -- enums ---------------------------------------------------------------------------

    def register_enum(self, enum_cls: Any, type_name: str | None = None) -> BinaryType:
        """Bind a Python ``enum.Enum`` class to a binary enum type.

        Ordinals are the members' definition order (as Java's ``Enum.ordinal()``);
        ``type_name`` defaults to the class name.  Returns the enum's metadata, which the
        flow registers with 3003.
        """
        bt = BinaryType.enum(
            type_name or enum_cls.__name__, ((m.name, i) for i, m in enumerate(enum_cls))
        )
        with self._lock:
            self._enums_by_id[bt.type_id] = enum_cls
            self._enums_by_class[enum_cls] = bt
        return bt

    def enum_type(self, enum_cls: type) -> BinaryType | None:
        """The binary enum type bound to ``enum_cls``."""
        return self._enums_by_class.get(enum_cls)

    def enum_class(self, type_id: int) -> Any:
        """The Python enum class bound to ``type_id``, or ``None``."""
        return self._enums_by_id.get(type_id)
