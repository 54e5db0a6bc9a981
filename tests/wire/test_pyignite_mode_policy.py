"""What the clients do in the pyignite value mode (ignite_wire/_pyignite_mode.py), with
plain data: the mode of a new client, pyignite's binary-type dict, put_binary_type's
metadata, pyignite's settings defaults.  (No server.)"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

import ignite_wire.compat
from ignite_wire import _pyignite_mode as mode
from ignite_wire.datatypes import BinaryObject, BoolObject, IntObject, String
from ignite_wire.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES
from ignite_wire.exceptions import ParameterError
from ignite_wire.utils import entity_id, schema_id


def test_resolve_follows_the_process_default_unless_told() -> None:
    assert mode.resolve(None) == "ignite_wire"
    ignite_wire.compat.use_pyignite_values()
    try:
        assert mode.resolve(None) == "pyignite"
        assert mode.resolve("ignite_wire") == "ignite_wire"
    finally:
        ignite_wire.compat.use_pyignite_values(False)
    assert mode.value_tables("ignite_wire") == (None, None)
    from ignite_wire._protocol.pyignite_values import PYIGNITE_READERS, PYIGNITE_WRITERS

    assert mode.value_tables("pyignite") == (PYIGNITE_READERS, PYIGNITE_WRITERS)
    with pytest.raises(ParameterError, match="'pyignite' or 'ignite_wire'"):
        mode.resolve("PyIgnite")


def test_put_binary_type_arguments_and_the_dict_pyignite_returns() -> None:
    schema = OrderedDict([("flag", BoolObject), ("name", String), ("n", IntObject)])
    bt, sid = mode.binary_type_from_pyignite("Some.Type", "name", schema=schema)
    assert (bt.type_id, sid) == (entity_id("Some.Type"), schema_id(schema))
    info = mode.binary_type_dict(bt)
    assert info == {
        "type_exists": True,
        "type_id": bt.type_id,
        "type_name": "Some.Type",
        "affinity_key_field": "name",
        "is_enum": False,
        "schemas": [schema],
    }
    assert mode.binary_type_dict(None) == {"type_exists": False}
    enum, _ = mode.binary_type_from_pyignite("Colour", is_enum=True, schema={"RED": 0})
    assert mode.binary_type_dict(enum)["enums"] == [{"literal": "RED", "type_id": 0}]
    with pytest.raises(ParameterError, match="field 'x'"):
        mode.binary_type_from_pyignite("T", schema={"x": object()})


def test_an_object_field_reads_as_binary_object_hint() -> None:
    bt, _ = mode.binary_type_from_pyignite("Holder", schema={"inner": BinaryObject})
    assert mode.binary_type_dict(bt)["schemas"] == [{"inner": BinaryObject}]


def test_settings_get_pyignite_defaults_in_place() -> None:
    field: dict[str, Any] = {"name": "K", "type_name": "java.lang.Long"}
    index_field: dict[str, Any] = {"name": "K"}
    settings = {
        PROP_NAME: "c",
        PROP_QUERY_ENTITIES: [
            {"query_fields": [field], "query_indexes": [{"fields": [index_field]}]}
        ],
    }
    mode.fill_settings_defaults(settings)
    assert field == {
        "name": "K",
        "type_name": "java.lang.Long",
        "is_key_field": False,
        "is_notnull_constraint_field": False,
        "default_value": None,
        "precision": -1,
        "scale": -1,
    }
    assert index_field == {"name": "K", "is_descending": False}
    explicit: dict[str, Any] = {"name": "V", "precision": 10}
    mode.fill_settings_defaults({PROP_QUERY_ENTITIES: [{"query_fields": [explicit]}]})
    assert explicit["precision"] == 10
    mode.fill_settings_defaults("just a name")  # nothing to fill
