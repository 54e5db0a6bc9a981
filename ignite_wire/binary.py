"""Complex objects for users: ``GenericObjectMeta`` and the objects it makes.

Declare a binary type as pyignite users do::

    class PersonKey(
        metaclass=GenericObjectMeta,
        type_name="PersonKey",
        schema=OrderedDict([("personId", IntObject), ("companyId", IntObject)]),
    ):
        pass

    key = PersonKey(personId=1, companyId=1)

Instances are built with keyword (or positional, in schema order) arguments; unset fields
are ``None``.  Fields are attributes (``key.personId``) and items (``key["personId"]``,
for names that are not identifiers).  Two objects are equal when they have the same type
id, field values and raw data, and they are **hashable**, so binary objects work as map
keys and in ``get_all`` results (pyignite's are not).  They are mutable: do not change a
key while it sits in a dict.

Objects of types the client never declared decode into classes generated from the
cluster's metadata (the same metaclass); :func:`type_id_of`, :func:`type_name_of`,
:func:`schema_of` and :func:`fields_of` read what an object carries.  Raw data written by
Java ``writeExternal``-style serializers is kept (:func:`raw_data_of`) and written back.

Class keywords besides ``type_name`` and ``schema``: ``affinity_key_field`` (the field
that places the key; it is also put in the registered metadata).
"""

from __future__ import annotations

from collections import OrderedDict

from ._protocol.binary_object import BinaryObjectBase, BinaryObjectMeta, make_class
from ._protocol.binary_types import BinaryType
from ._protocol.writers import write_as as _write_as

__all__ = [
    "BinaryObjectBase",
    "GenericObjectMeta",
    "absent_fields_of",
    "binary_type_of",
    "fields_of",
    "fields_view",
    "from_fields",
    "make_class",
    "raw_data_of",
    "schema_of",
    "type_id_of",
    "type_name_of",
    "write_as",
]

#: The metaclass of binary-object classes (pyignite's name).
GenericObjectMeta = BinaryObjectMeta


def type_id_of(obj: BinaryObjectBase) -> int:
    """The binary type id of ``obj``."""
    return type(obj).__ignite_info__.type_id


def type_name_of(obj: BinaryObjectBase) -> str:
    """The binary type name of ``obj``."""
    return type(obj).__ignite_info__.type_name


def schema_of(obj: BinaryObjectBase) -> OrderedDict[str, object]:
    """The schema of ``obj``'s class: field name -> hint or type code, in write order."""
    return OrderedDict(type(obj).__ignite_info__.schema)


def binary_type_of(obj: BinaryObjectBase) -> BinaryType:
    """The metadata of ``obj``'s class (what op 3003 registers)."""
    return type(obj).__ignite_info__.binary_type


def fields_of(obj: BinaryObjectBase) -> dict[str, object]:
    """Field name -> value for every field ``obj`` carries."""
    return obj._ignite_values()


def fields_view(obj: BinaryObjectBase) -> dict[str, object]:
    """``obj``'s fields by name, as the object holds them: no copy (:func:`fields_of`
    copies).  For code that takes many objects apart (``ignite_orm`` builds a model per
    row from it); read it, do not change it.  Besides the fields it may hold the markers
    of an object read with raw data or without some fields of its class (what
    :func:`raw_data_of` and :func:`absent_fields_of` read), so it has exactly one entry
    per field of the class when the object is an ordinary one.
    """
    return obj.__dict__


try:  # the same lookup compiled (_objects_accel.c): a C call, not a Python frame, per row
    from ._protocol._objects_accel import fields_view as _compiled_fields_view
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    pass
else:  # bound through globals(): the documented function above stays what tools read
    globals()["fields_view"] = _compiled_fields_view


def from_fields(cls: type[BinaryObjectBase], values: dict[str, object]) -> BinaryObjectBase:
    """An object of ``cls`` holding ``values`` (taken as they are, not copied) as its
    fields, without the checks of ``cls(**values)``.  For code that builds many objects
    (``ignite_orm`` writes a model's fields straight into one): ``values`` must name every
    field of ``cls``'s schema and nothing else, or the object is not one ``cls`` makes.
    """
    obj = cls.__new__(cls)
    obj.__dict__ = values
    return obj


def write_as(source: type, binary_class: type) -> None:
    """Write every instance of ``source`` as an object of ``binary_class``, without
    building one: ``cache.put(key, instance)``, ``put_all`` and any value written by its
    Python type take the instance's ``__dict__`` as the object's fields (by the names of
    ``binary_class``'s schema; other entries are ignored, a missing one is written as
    null) and write the very bytes ``from_fields(binary_class, fields)`` would.

    For code that keeps its data in objects of its own and would otherwise copy every one
    into a binary object before sending it (``ignite_orm`` writes models this way when
    their fields need no conversion).  Only instances of ``source`` itself, not of its
    subclasses; what is read back is a ``binary_class`` object, as for any object of that
    type.  Registering ``source`` again replaces its binary class.  A ``source`` that is
    a binary-object class or has an Ignite type of its own (``int``, ``dict``, ...)
    raises ``TypeError``.
    """
    _write_as(source, binary_class)


def absent_fields_of(obj: BinaryObjectBase) -> frozenset[str]:
    """The fields of ``obj``'s class that the object did not carry when it was read.

    An object written with an older schema of its type lacks the fields added since; they
    read as ``None``, like a field holding null.  This tells the two apart.
    """
    return obj.__ignite_absent__


def raw_data_of(obj: BinaryObjectBase) -> bytes | None:
    """The raw-data section ``obj`` was read with, if any."""
    return obj.__ignite_raw__
