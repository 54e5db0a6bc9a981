"""Names users choose, against a live node: SQL keywords as model and field names, odd
characters in table, column and index names, ``select()`` conditions that merely start
like a clause keyword, and two model classes that share a class name.

Issue 8, part A, items 1, 2 and 7.  Binary metadata outlives caches, so types whose
fields change carry the flavour (``suffix``) in their type name.
"""

from types import SimpleNamespace
from typing import Annotated, Any

import pytest

from ignite_orm import Alias, IgniteModel, Indexed, Key, ModelDefinitionError


def keyword_models(suffix: str) -> SimpleNamespace:
    """``Order`` and ``Group`` models, fields named like SQL keywords; V2 adds more later."""
    where = {"cache": f"orm_kw_orders_{suffix}", "type_name": f"OrmKwOrder_{suffix}"}

    class Order(IgniteModel, **where):
        id: Annotated[int, Key]
        order: Annotated[int, Indexed] = 0
        limit: int = 0
        key: str = ""
        value: str = ""

    class OrderV2(IgniteModel, **where, table="Order"):
        id: Annotated[int, Key]
        order: Annotated[int, Indexed] = 0
        limit: int = 0
        key: str = ""
        value: str = ""
        group: Annotated[str, Indexed] = "none"
        select: int | None = None

    class Group(IgniteModel, cache=f"orm_kw_groups_{suffix}", sql_schema="Order"):
        group: Annotated[str, Key]
        order: Annotated[int, Key]
        by: str = ""

    return SimpleNamespace(Order=Order, OrderV2=OrderV2, Group=Group)


@pytest.fixture
def kw(schema: Any, suffix: str) -> SimpleNamespace:
    models = keyword_models(suffix)
    schema(models.Order, models.Group)
    return models


def test_keyword_names_work_in_every_statement(db: Any, kw: SimpleNamespace) -> None:
    orders = db.repository(kw.Order)
    orders.put_many(
        [kw.Order(id=i, order=10 - i, limit=i * 2, key=f"k{i}", value=f"v{i}") for i in range(5)]
    )
    assert sorted(o.id for o in orders.select()) == [0, 1, 2, 3, 4]
    found = orders.select('"LIMIT" > ? ORDER BY "ORDER"', 4)
    assert [o.id for o in found] == [4, 3]
    groups = db.repository(kw.Group)
    groups.put(kw.Group(group="g", order=1, by="x"))
    assert groups.select() == [kw.Group(group="g", order=1, by="x")]
    assert db.plan(kw.Order, kw.Group).empty


def test_adding_keyword_fields_later_applies_and_plans_nothing_after(
    db: Any, kw: SimpleNamespace
) -> None:
    orders = db.repository(kw.Order)
    orders.put(kw.Order(id=1, order=3))
    plan = db.plan(kw.OrderV2)
    assert [(s.kind, s.detail.split()[0]) for s in plan.steps] == [
        ("add_column", "group"),
        ("add_column", "select"),
        ("create_index", "order_group_idx"),
    ]
    db.create_all(kw.OrderV2)
    assert db.plan(kw.OrderV2).empty
    v2 = db.repository(kw.OrderV2)
    v2.put(kw.OrderV2(id=2, order=4, group="blue", select=7))
    assert [o.id for o in v2.select('"GROUP" = ?', "blue")] == [2]
    assert [(o.id, o.group) for o in v2.select('"SELECT" IS NULL')] == [(1, "none")]


def test_a_schema_change_stopped_half_way_is_finished_by_create_all(
    db: Any, kw: SimpleNamespace
) -> None:
    """The binary type already has the new fields (as after a crash between the steps):
    the plan shows the SQL steps that remain, and create_all finishes them."""
    db.client.register_binary_type(kw.OrderV2.__ignite__.value_class)
    remaining = db.plan(kw.OrderV2)
    assert {s.kind for s in remaining.steps} == {"add_column", "create_index"}
    db.create_all(kw.OrderV2)
    assert db.plan(kw.OrderV2).empty


def test_odd_characters_in_table_column_and_index_names(db: Any, schema: Any, suffix: str) -> None:
    class Odd(IgniteModel, cache=f"orm_odd_{suffix}", table=f"a b.$ {suffix} é"):
        id: Annotated[int, Key]
        v: Annotated[int, Alias("c.o l ß"), Indexed(name="i x é")] = 0

    schema(Odd)
    repo = db.repository(Odd)
    repo.put_many([Odd(id=1, v=5), Odd(id=2, v=6)])
    assert [o.id for o in repo.select('"C.O L SS" > ?', 5)] == [2]
    assert db.plan(Odd).empty


@pytest.mark.parametrize("where", ["table", "column", "index", "sql_schema"])
def test_a_double_quote_in_a_sql_name_is_refused_at_definition(where: str) -> None:
    """Ignite builds its tables without escaping '"': such a table is unknown to SQL."""
    odd = 'a "q"'
    options = {"table": odd} if where == "table" else {}
    if where == "sql_schema":
        options = {"sql_schema": odd}
    with pytest.raises(ModelDefinitionError, match=r"holding '\"'"):

        class Quoted(IgniteModel, cache="orm_quoted", **options):
            id: Annotated[int, Key]
            v: Annotated[
                int,
                Alias(odd if where == "column" else "v"),
                Indexed(name=odd if where == "index" else None),
            ] = 0


@pytest.mark.parametrize(
    ("condition", "args", "expected"),
    [
        ("limited_edition = TRUE", (), [2]),
        ("limit_qty > ?", (3,), [2]),
        ("order_note = 'x'", (), [1]),
        ("  offsetting = 1 ORDER BY id", (), [2]),
        ("ORDER BY id DESC", (), [2, 1]),
        ("order by id desc limit 1", (), [2]),
        ("LIMIT 1", (), None),
        (" /* first */ ORDER BY id", (), [1, 2]),
    ],
)
def test_select_finds_clause_keywords_by_token(
    db: Any, schema: Any, suffix: str, condition: str, args: tuple[Any, ...], expected: Any
) -> None:
    class Edition(IgniteModel, cache=f"orm_editions_{suffix}"):
        id: Annotated[int, Key]
        limited_edition: bool = False
        limit_qty: int = 0
        order_note: str = ""
        offsetting: int = 0

    schema(Edition)
    repo = db.repository(Edition)
    repo.put_many(
        [
            Edition(id=1, order_note="x"),
            Edition(id=2, limited_edition=True, limit_qty=5, offsetting=1),
        ]
    )
    found = [e.id for e in repo.select(condition, *args)]
    if expected is None:
        assert len(found) == 1
    else:
        assert found == expected


def test_two_models_with_one_class_name_both_get_their_cache(
    db: Any, schema: Any, suffix: str
) -> None:
    def first() -> type[IgniteModel]:
        class Order(IgniteModel, cache=f"orm_same_a_{suffix}", type_name=f"SameA_{suffix}"):
            id: Annotated[int, Key]
            a: int = 0

        Order.__module__ = "shop.sales"
        return Order

    def second() -> type[IgniteModel]:
        class Order(
            IgniteModel,
            cache=f"orm_same_b_{suffix}",
            type_name=f"SameB_{suffix}",
            sql_schema=f"B_{suffix}",
        ):
            id: Annotated[int, Key]
            b: str = ""

        Order.__module__ = "shop.purchasing"
        return Order

    a, b = first(), second()
    plan = schema(a, b)
    assert [s.kind for s in plan.steps] == ["create_cache", "create_cache"]
    db.repository(a).put(a(id=1, a=2))
    db.repository(b).put(b(id=1, b="x"))
    assert db.repository(b).get(1) == b(id=1, b="x")
    assert db.repository(a).select() == [a(id=1, a=2)]
    assert db.plan(a, b).empty
