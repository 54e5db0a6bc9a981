"""What the clients do differently in the pyignite value mode (pure; no I/O).

The switch itself is public, in :mod:`ignite_wire.compat` (which sets :data:`DEFAULT`);
this module holds what the two clients share to honour it: the mode of a new client,
its codec tables, pyignite's ``get_binary_type`` dict, the metadata of
``put_binary_type``'s arguments, and pyignite's side effect on cache settings dicts.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Final

from ._protocol.binary_types import BinaryField, BinaryType
from ._protocol.hashing import schema_id as compute_schema_id
from .exceptions import ParameterError

__all__ = [
    "DEFAULT",
    "IGNITE_WIRE",
    "PYIGNITE",
    "binary_type_dict",
    "binary_type_from_pyignite",
    "fill_settings_defaults",
    "resolve",
    "value_tables",
]

PYIGNITE: Final = "pyignite"
IGNITE_WIRE: Final = "ignite_wire"
#: The mode of a client made without ``compat=`` (set by ignite_wire.compat).
DEFAULT: list[str] = [IGNITE_WIRE]


def resolve(compat: object) -> str:
    """A client's mode from its ``compat`` argument (``None``: the process default)."""
    if compat is None:
        return DEFAULT[0]
    if compat in (PYIGNITE, IGNITE_WIRE):
        return str(compat)
    raise ParameterError(f"Client(): compat must be 'pyignite' or 'ignite_wire', got {compat!r}")


def value_tables(mode: str) -> tuple[list[Any] | None, dict[type, Any] | None]:
    """The codec tables of a mode (``None``: the default codec's)."""
    if mode != PYIGNITE:
        return None, None
    from ._protocol.pyignite_values import PYIGNITE_READERS, PYIGNITE_WRITERS

    return PYIGNITE_READERS, PYIGNITE_WRITERS


#: pyignite's defaults of query fields and of index fields (its ``StructArray`` defaults,
#: which it writes into the caller's settings when it sends them).
_QUERY_FIELD_DEFAULTS: Final[Mapping[str, Any]] = {
    "is_key_field": False,
    "is_notnull_constraint_field": False,
    "default_value": None,
    "precision": -1,
    "scale": -1,
}
_INDEX_FIELD_DEFAULTS: Final[Mapping[str, Any]] = {"is_descending": False}
_PROP_QUERY_ENTITIES: Final = 200


def fill_settings_defaults(settings: Any) -> None:
    """Write pyignite's defaults into a cache settings dict, as pyignite does."""
    if not isinstance(settings, dict):
        return
    for entity in settings.get(_PROP_QUERY_ENTITIES) or ():
        if not isinstance(entity, dict):
            continue
        for query_field in entity.get("query_fields") or ():
            if isinstance(query_field, dict):
                for key, value in _QUERY_FIELD_DEFAULTS.items():
                    query_field.setdefault(key, value)
        for index in entity.get("query_indexes") or ():
            for index_field in (index.get("fields") or ()) if isinstance(index, dict) else ():
                if isinstance(index_field, dict):
                    for key, value in _INDEX_FIELD_DEFAULTS.items():
                        index_field.setdefault(key, value)


def _hint_classes() -> dict[int, Any]:
    from . import datatypes

    by_code: dict[int, Any] = {}
    for name in datatypes.__all__:
        hint = getattr(datatypes, name)
        code = getattr(hint, "type_code", None)
        if isinstance(code, int) and not name.startswith("Binary"):
            by_code.setdefault(int(code), hint)
    by_code[38] = datatypes.BinaryEnumObject
    by_code[103] = datatypes.BinaryObject
    return by_code


def binary_type_dict(bt: BinaryType | None) -> dict[str, Any]:
    """pyignite's ``get_binary_type`` answer for the metadata ``bt`` (``None``: none)."""
    if bt is None:
        return {"type_exists": False}
    hints = _hint_classes()
    by_id = {f.field_id: f for f in bt.fields}
    result: dict[str, Any] = {
        "type_exists": True,
        "type_id": bt.type_id,
        "type_name": bt.type_name,
        "affinity_key_field": bt.affinity_key_field,
        "is_enum": bt.is_enum,
    }
    if bt.is_enum:
        result["enums"] = [{"literal": n, "type_id": o} for n, o in bt.enum_values]
    result["schemas"] = [
        OrderedDict(
            (by_id[i].name, hints.get(by_id[i].type_code, hints[103])) for i in ids if i in by_id
        )
        for ids in bt.schemas.values()
    ]
    return result


def binary_type_from_pyignite(
    type_name: str,
    affinity_key_field: str | None = None,
    is_enum: bool = False,
    schema: Mapping[str, Any] | None = None,
) -> tuple[BinaryType, int]:
    """The metadata pyignite's ``put_binary_type`` arguments describe, and its schema id.

    ``schema`` is field name -> hint (for an enum: literal -> ordinal).
    """
    if not isinstance(type_name, str) or not type_name:
        raise ParameterError(f"put_binary_type(): type_name must be a str, got {type_name!r}")
    schema = schema or {}
    if not isinstance(schema, Mapping):
        raise ParameterError(
            f"put_binary_type(): schema must be a mapping of field names to hints, "
            f"got a {type(schema).__name__}"
        )
    if is_enum:
        values = []
        for literal, ordinal in schema.items():
            if not isinstance(literal, str) or not isinstance(ordinal, int):
                raise ParameterError(
                    f"put_binary_type(): enum value {literal!r} needs an int ordinal"
                )
            values.append((str(literal), int(ordinal)))
        return BinaryType.enum(type_name, values), 0
    fields: list[tuple[str, int]] = []
    for name, hint in schema.items():
        code = getattr(hint, "type_code", hint)
        if not isinstance(code, int):
            raise ParameterError(
                f"put_binary_type(): field {name!r} has no type code (hint {hint!r})"
            )
        fields.append((name, int(code)))
    bt = BinaryType.from_fields(type_name, fields, affinity_key_field=affinity_key_field)
    ids = tuple(BinaryField.named(n, c).field_id for n, c in fields)
    return bt, compute_schema_id(ids)
