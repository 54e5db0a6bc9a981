"""What ``create_all`` sends for a model: its query entity, indexes and cache configuration.

These are derived from a :class:`~ignite_orm.mapping.ModelInfo` on demand (when a cache
is created, a plan is made or names are checked), never on the hot path, so they live
next to the schema code rather than in ``ModelInfo``.  Formats are ``ignite_wire``'s
(pyignite's): a QueryEntity is a dict, a cache configuration is ``{PROP_*: value}``.

Index names follow Ignite's DDL: ``<table>_<column>_idx`` in lower case unless named;
a ``QueryGroup`` index is named after its group and lists its fields by ``order``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ignite_wire.datatypes import prop_codes as p

from .mapping import FieldInfo, ModelInfo

__all__ = ["cache_config", "indexes", "query_entity"]


def query_entity(info: ModelInfo[BaseModel]) -> dict[str, Any]:
    """The QueryEntity, in ``ignite_wire``'s (pyignite's) dict format."""
    fields = []
    for f in info.fields:
        default = f.default if not callable(f.default) else None
        if isinstance(default, (list, dict, set, tuple)):
            default = None
        fields.append(
            {
                # The binary field's name; the alias below names its SQL column.
                "name": f.name,
                "type_name": f.type.java_type,
                "is_key_field": f.key,
                "is_notnull_constraint_field": f.not_null,
                "default_value": info.to_wire(f.name, default) if default is not None else None,
                "precision": f.precision,
                "scale": f.scale,
            }
        )
    aliases = [{"field_name": f.name, "alias": f.column} for f in info.fields if f.column != f.name]
    # indexes() names SQL columns (as DDL does); a QueryEntity's indexes name fields.
    field_of = {f.column: f.name for f in info.fields}
    entity_indexes = [
        {
            **i,
            "fields": [{**c, "name": field_of.get(c["name"], c["name"])} for c in i["fields"]],
        }
        for i in indexes(info)
    ]
    return {
        "table_name": info.table,
        "key_field_name": None if info.composite else info.key_fields[0].name,
        "key_type_name": info.key_type_name,
        "value_field_name": None,
        "value_type_name": info.type_name,
        "field_name_aliases": aliases,
        "query_fields": fields,
        "query_indexes": entity_indexes,
    }


def indexes(info: ModelInfo[BaseModel]) -> list[dict[str, Any]]:
    """The model's indexes, naming SQL columns (as ``CREATE INDEX`` does)."""
    result = []
    groups: dict[str, list[FieldInfo]] = {}
    for f in info.fields:
        if f.index is None:
            continue
        if f.index.group is not None:
            groups.setdefault(f.index.group, []).append(f)
            continue
        result.append(
            {
                "index_name": f.index.name or f"{info.table}_{f.column}_idx".lower(),
                "index_type": 0,
                "inline_size": f.index.inline_size,
                "fields": [{"name": f.column, "is_descending": f.index.descending}],
            }
        )
    options = {g.name: g for g in info.settings.groups}
    for group, members in groups.items():
        members.sort(key=lambda f: f.index.order if f.index else 0)
        inline = options[group].inline_size if group in options else -1
        result.append(
            {
                "index_name": group,
                "index_type": 0,
                "inline_size": inline,
                "fields": [
                    {"name": m.column, "is_descending": bool(m.index and m.index.descending)}
                    for m in members
                ],
            }
        )
    return result


def cache_config(info: ModelInfo[BaseModel]) -> dict[int, Any]:
    """The cache configuration (``{PROP_*: value}``) that ``create_all`` uses."""
    s = info.settings
    config: dict[int, Any] = {
        p.PROP_NAME: s.cache,
        p.PROP_CACHE_MODE: s.mode,
        p.PROP_BACKUPS_NUMBER: s.backups,
        p.PROP_CACHE_ATOMICITY_MODE: s.atomicity,
        p.PROP_SQL_SCHEMA: s.sql_schema,
        p.PROP_QUERY_ENTITIES: [query_entity(info)],
    }
    if s.write_sync is not None:
        config[p.PROP_WRITE_SYNCHRONIZATION_MODE] = s.write_sync
    if info.composite and info.affinity_field is not None:
        config[p.PROP_CACHE_KEY_CONFIGURATION] = [
            {"type_name": info.key_type_name, "affinity_key_field_name": info.affinity_field}
        ]
    if s.expiry is not None:
        config[p.PROP_EXPIRY_POLICY] = s.expiry
    config.update(s.extra)
    return config
