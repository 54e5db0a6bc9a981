"""The query entity, indexes and cache configuration of a model (ignite_orm._schema_entity),
as plain dicts: what create_all sends.  No server; tests/orm/test_orm_schema.py creates
the same tables on real nodes."""

from __future__ import annotations

from typing import Annotated

from ignite_orm import AffinityKey, Alias, IgniteModel, Indexed, Key, QueryGroup
from ignite_orm._schema_entity import cache_config, indexes, query_entity
from ignite_orm.mapping import info_of
from ignite_wire.datatypes import prop_codes as p
from ignite_wire.datatypes.cache_config import CacheAtomicityMode, CacheMode


class EntityOrder(
    IgniteModel,
    cache="entity_orders",
    backups=2,
    mode=CacheMode.PARTITIONED,
    atomicity=CacheAtomicityMode.TRANSACTIONAL,
    table="Orders",
    groups=[QueryGroup("by_customer_day", inline_size=20)],
):
    id: Annotated[int, Key]
    customer: Annotated[int, Key, AffinityKey, Indexed(group="by_customer_day", order=0)]
    day: Annotated[str, Indexed(group="by_customer_day", order=1, descending=True)] = ""
    total: Annotated[float, Indexed, Alias("amount")] = 0.0


INFO = info_of(EntityOrder)


def test_indexes_name_columns_and_groups_order_their_fields() -> None:
    assert indexes(INFO) == [
        {
            "index_name": "orders_amount_idx",
            "index_type": 0,
            "inline_size": -1,
            "fields": [{"name": "amount", "is_descending": False}],
        },
        {
            "index_name": "by_customer_day",
            "index_type": 0,
            "inline_size": 20,
            "fields": [
                {"name": "customer", "is_descending": False},
                {"name": "day", "is_descending": True},
            ],
        },
    ]


def test_the_query_entity_names_fields_and_aliases_columns() -> None:
    entity = query_entity(INFO)
    assert entity["table_name"] == "Orders"
    assert entity["key_field_name"] is None  # composite: the key is a binary object
    assert entity["key_type_name"] == "EntityOrderKey"
    assert entity["value_type_name"] == "EntityOrder"
    assert entity["field_name_aliases"] == [{"field_name": "total", "alias": "amount"}]
    assert [f["name"] for f in entity["query_fields"]] == ["id", "customer", "day", "total"]
    assert [f["is_key_field"] for f in entity["query_fields"]] == [True, True, False, False]
    # The query entity's indexes name binary fields, not SQL columns.
    assert entity["query_indexes"][0]["fields"] == [{"name": "total", "is_descending": False}]


def test_the_cache_configuration_carries_settings_entity_and_affinity() -> None:
    config = cache_config(INFO)
    assert config[p.PROP_NAME] == "entity_orders"
    assert config[p.PROP_BACKUPS_NUMBER] == 2
    assert config[p.PROP_CACHE_ATOMICITY_MODE] == CacheAtomicityMode.TRANSACTIONAL
    assert config[p.PROP_SQL_SCHEMA] == "PUBLIC"
    assert config[p.PROP_QUERY_ENTITIES] == [query_entity(INFO)]
    assert config[p.PROP_CACHE_KEY_CONFIGURATION] == [
        {"type_name": "EntityOrderKey", "affinity_key_field_name": "customer"}
    ]
    assert p.PROP_WRITE_SYNCHRONIZATION_MODE not in config
