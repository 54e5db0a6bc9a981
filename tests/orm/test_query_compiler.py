"""The query compiler, pure (no server): SQL text, bound values, the translation cache,
refusals, and the routing decisions (key lookups, collocation).

Property tests build random conditions and check what must hold for every one: values
only ever travel as parameters, in the order of the ``?`` markers; the same shape gives
the same SQL whatever the values; a cached translation yields the same parameters as a
fresh one.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_orm import AffinityKey, IgniteModel, Key
from ignite_orm.query import (
    QueryError,
    and_,
    cache_info,
    col,
    compile_statement,
    delete,
    func,
    not_,
    or_,
    select,
    update,
)
from ignite_orm.query.compiler import clear_cache
from ignite_orm.query.expressions import Param
from ignite_orm.query.paging import PageCursor, page_statement
from ignite_orm.query.routing import key_lookup
from ignite_orm.query.statements import Select, _evolve
from ignite_wire.datatypes.cache_config import CacheMode


class Tier(enum.Enum):
    GOLD = "gold"
    SILVER = "silver"


class QcCustomer(IgniteModel, cache="qc_customers"):
    id: Annotated[int, Key]
    name: str
    tier: Tier = Tier.SILVER
    since: date | None = None


class Order(IgniteModel, cache="qc_orders"):  # a keyword as the table name
    id: Annotated[int, Key]
    customer_id: Annotated[int, Key, AffinityKey]
    total: Decimal
    qty: int = 0
    group: str | None = None  # a keyword as a column name
    limit: int | None = None


class QcProduct(IgniteModel, cache="qc_products"):
    sku: Annotated[str, Key]
    price: Decimal


class QcCountry(IgniteModel, cache="qc_countries", mode=CacheMode.REPLICATED):
    code: Annotated[str, Key]
    name: str
    active: bool = True


def test_str_shows_sql_with_parameters_and_quoted_names() -> None:
    stmt = (
        select(Order)
        .where(Order.total > Decimal("10.5"), col(Order.group).is_not_null())
        .order_by(col(Order.limit).desc(nulls="last"), Order.id)
        .limit(5)
        .offset(10)
    )
    assert str(stmt) == (
        'SELECT t0._KEY AS c0, t0._VAL AS c1 FROM "PUBLIC"."ORDER" AS t0 '
        'WHERE ((t0."TOTAL" > ?) AND (t0."GROUP" IS NOT NULL)) '
        'ORDER BY t0."LIMIT" DESC NULLS LAST, t0."ID" ASC LIMIT ? OFFSET ?'
    )
    assert compile_statement(stmt).params == (Decimal("10.5"), 5, 10)


def test_filter_by_is_equality_on_fields() -> None:
    stmt = select(QcCustomer).filter_by(tier=Tier.GOLD, since=None)
    assert str(stmt).endswith('WHERE ((t0."TIER" = ?) AND (t0."SINCE" IS NULL))')
    assert compile_statement(stmt).params == ("gold",)
    with pytest.raises(QueryError, match="no field 'nope'"):
        select(QcCustomer).filter_by(nope=1)


def test_statements_are_immutable_and_generative() -> None:
    base = select(QcCustomer)
    narrowed = base.where(QcCustomer.name == "a")
    assert base.where_ is None
    assert narrowed.where_ is not None
    assert str(base) != str(narrowed)
    assert "WHERE" not in str(base)


def test_enum_date_values_are_bound_as_stored() -> None:
    stmt = select(QcCustomer).where(
        QcCustomer.tier == Tier.GOLD,
        col(QcCustomer.since).between(date(2020, 1, 1), date(2021, 1, 1)),
    )
    compiled = compile_statement(stmt)
    assert compiled.params == ("gold", date(2020, 1, 1), date(2021, 1, 1))
    assert col(QcCustomer.tier).in_([Tier.GOLD, Tier.SILVER]) is not None
    assert compile_statement(
        select(QcCustomer).where(col(QcCustomer.tier).in_([Tier.GOLD]))
    ).params == ("gold",)


def test_like_helpers_escape_wildcards_in_values() -> None:
    stmt = select(QcCustomer).where(
        col(QcCustomer.name).startswith("50%_off\\"),
        col(QcCustomer.name).contains("a_b"),
        col(QcCustomer.name).endswith("%"),
        col(QcCustomer.name).like("x%"),
    )
    compiled = compile_statement(stmt)
    assert compiled.params == ("50\\%\\_off\\\\%", "%a\\_b%", "%\\%", "x%")
    # matching the empty text (a pattern of only %) is IS NOT NULL, as Ignite rewrites it
    assert str(select(QcCustomer).where(col(QcCustomer.name).startswith(""))).endswith(
        'WHERE (t0."NAME" IS NOT NULL)'
    )
    assert str(select(QcCustomer).where(col(QcCustomer.name).like("%%"))).endswith("IS NOT NULL)")
    assert compiled.sql.count("LIKE ?") == 4


def test_aggregates_group_by_having_and_projections() -> None:
    stmt = (
        select(
            col(Order.customer_id),
            func.count(),
            func.sum(col(Order.qty)),
            func.avg(col(Order.total)),
        )
        .group_by(Order.customer_id)
        .having(func.count() > 1)
        .order_by(Order.customer_id)
    )
    assert str(stmt) == (
        'SELECT t0."CUSTOMER_ID" AS c0, COUNT(*) AS c1, SUM(t0."QTY") AS c2, '
        'AVG(CAST(t0."TOTAL" AS DOUBLE)) AS c3 FROM "PUBLIC"."ORDER" AS t0 '
        'GROUP BY t0."CUSTOMER_ID" HAVING (COUNT(*) > ?) ORDER BY t0."CUSTOMER_ID" ASC'
    )
    compiled = compile_statement(stmt)
    assert compiled.params == (1,)
    assert compiled.collocated  # grouped by the affinity column


def test_update_and_delete() -> None:
    up = update(Order).where(Order.customer_id == 3).values(qty=col(Order.qty) + 1, group="x")
    assert str(up) == (
        'UPDATE "PUBLIC"."ORDER" SET "QTY" = ("QTY" + ?), "GROUP" = ? WHERE ("CUSTOMER_ID" = ?)'
    )
    assert compile_statement(up).params == (1, "x", 3)
    de = delete(Order).where(col(Order.group).is_null())
    assert str(de) == 'DELETE FROM "PUBLIC"."ORDER" WHERE ("GROUP" IS NULL)'
    with pytest.raises(QueryError, match="part of the key"):
        update(Order).values(id=5)
    with pytest.raises(QueryError, match="no field 'nope'"):
        update(Order).values(nope=5)
    with pytest.raises(QueryError, match="nothing to set"):
        str(update(Order))


def test_a_bool_field_is_a_condition_and_other_fields_are_not() -> None:
    stmt = select(QcCountry).where(QcCountry.active, not_(QcCountry.active))
    assert 'WHERE ((t0."ACTIVE" = ?) AND (NOT (t0."ACTIVE" = ?)))' in str(stmt)
    assert compile_statement(stmt).params == (True, True)
    with pytest.raises(QueryError, match="takes conditions"):
        select(QcCountry).where(QcCountry.name)  # type: ignore[arg-type]


def test_a_plain_bool_is_refused_with_a_clear_message() -> None:
    with pytest.raises(QueryError, match="plain bool"):
        select(Order).where(True)
    with pytest.raises(QueryError, match="plain bool"):
        select(Order).where(1 == 1)
    with pytest.raises(QueryError, match="plain bool"):
        and_(Order.qty > 1, False)
    with pytest.raises(QueryError, match="no truth value"):
        select(Order).where(Order.qty > 1 and Order.qty < 5)
    with pytest.raises(QueryError, match="no truth value"):
        select(Order).where(1 < Order.qty < 5)  # type: ignore[operator]
    with pytest.raises(QueryError, match="col\\(\\) takes a model field"):
        col(5)
    with pytest.raises(QueryError, match="is_null"):
        select(Order).where(Order.group == None)  # noqa: E711


def test_joins_collocated_on_the_affinity_key_or_refused() -> None:
    ok = select(Order, QcCustomer).join(QcCustomer, Order.customer_id == QcCustomer.id)
    compiled = compile_statement(ok)
    assert compiled.collocated
    assert compiled.not_collocated is None
    assert 'INNER JOIN "PUBLIC"."QC_CUSTOMERS"' not in compiled.sql  # table is the class name
    assert 'INNER JOIN "PUBLIC"."QCCUSTOMER" AS t1 ON (t0."CUSTOMER_ID" = t1."ID")' in compiled.sql
    bad = select(Order, QcCustomer).join(QcCustomer, Order.id == QcCustomer.id)
    problem = compile_statement(bad).not_collocated
    assert problem is not None
    assert "not collocated" in problem
    assert "distributed_joins" in problem
    replicated = select(Order, QcCountry).join(QcCountry, Order.group == QcCountry.code)
    assert compile_statement(replicated).not_collocated is None
    with pytest.raises(QueryError, match="not in the query"):
        str(select(Order).where(QcCustomer.name == "x"))


def test_key_lookups_are_recognised() -> None:
    assert key_lookup(select(QcCustomer).where(QcCustomer.id == 5)) == [{"id": 5}]
    assert key_lookup(select(QcCustomer).where(col(QcCustomer.id).in_([1, 2]))) == [
        {"id": 1},
        {"id": 2},
    ]
    assert key_lookup(select(Order).where(Order.id == 1, Order.customer_id == 2)) == [
        {"id": 1, "customer_id": 2}
    ]
    assert key_lookup(select(Order).where(Order.id == 1)) is None  # half the key
    assert key_lookup(select(QcCustomer).where(QcCustomer.id == 5, QcCustomer.name == "a")) is None
    assert key_lookup(select(QcCustomer).where(QcCustomer.id > 5)) is None
    assert key_lookup(select(QcCustomer).where(QcCustomer.id == 5).order_by(QcCustomer.id)) is None
    assert key_lookup(select(QcCustomer).where(QcCustomer.id == 5).limit(2)) == [{"id": 5}]
    assert key_lookup(select(QcCustomer).where(QcCustomer.id == 5).offset(2)) is None
    assert key_lookup(select(QcProduct).where(QcProduct.sku == 5)) is None  # type: ignore[comparison-overlap]


def test_key_lookup_of_one_term() -> None:
    # the one-term shortcut decides as the general path does
    assert key_lookup(select(QcCustomer).where(QcCustomer.name == "a")) is None
    assert key_lookup(select(QcCustomer).where(Order.id == 1)) is None  # another model's id
    assert key_lookup(select(QcCustomer).where(QcCustomer.id != 5)) is None
    assert key_lookup(select(QcCustomer).where(QcCustomer.id == True)) is None  # noqa: E712
    assert key_lookup(select(Order).where(Order.customer_id == 2)) is None  # composite


def test_generative_steps_copy_every_field() -> None:
    base = select(QcCustomer).where(QcCustomer.id > 1).order_by(QcCustomer.name)
    base = base.options(page_size=7, lazy=True)
    changed: list[dict[str, Any]] = [
        {"limit_": Param(3)},
        {"distinct_": True},
        {"where_": None, "offset_": Param(1)},
    ]
    for changes in changed:
        assert _evolve(base, **changes) == dataclasses.replace(base, **changes)
    assert select(QcCustomer) == Select((QcCustomer,), from_model=QcCustomer)
    assert select(col(Order.total)) == Select((Order.total,), from_model=Order)
    assert base.limit(2).limit_ is not None
    assert base.limit_ is None  # a copy, not a change


def test_keyset_pages() -> None:
    stmt = select(Order).order_by(col(Order.total).desc())
    first, order = page_statement(stmt, 10, None)
    assert order is not None
    assert len(order) == 3
    assert compile_statement(first).params == (11,)
    nxt, _ = page_statement(stmt, 10, PageCursor(after=(Decimal(5), 1, 2)))
    assert 'WHERE (((t0."TOTAL" < ?) OR' in str(nxt)
    # a nullable sort column falls back to offsets
    _, none = page_statement(select(Order).order_by(Order.group), 10, None)
    assert none is None


# -- properties ------------------------------------------------------------------------------

VALUES = st.one_of(
    st.integers(-(2**40), 2**40),
    st.text(max_size=12),
    st.sampled_from(["'; DROP TABLE x; --", "a' OR '1'='1", "/* c */", '"q"']),
)
INT_COLUMNS = [Order.qty, Order.limit, Order.id]


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> tuple[Any, list[Any]]:
    """A random condition and the values it holds, in reading order."""
    kind = draw(st.integers(0, 7 if depth < 3 else 4))
    column = draw(st.sampled_from(INT_COLUMNS))
    if kind == 0:
        v = draw(st.integers(-100, 100))
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
        expr = {
            "==": column == v,
            "!=": column != v,
            "<": column < v,
            "<=": column <= v,
            ">": column > v,
            ">=": column >= v,
        }[op]
        return expr, [v]
    if kind == 1:
        vs = draw(st.lists(st.integers(-5, 5), max_size=4))
        return col(column).in_(vs), vs
    if kind == 2:
        lo, hi = draw(st.integers(-5, 5)), draw(st.integers(-5, 5))
        return col(column).between(lo, hi), [lo, hi]
    if kind == 3:
        s = draw(VALUES.filter(lambda x: isinstance(x, str)))
        if not s:
            return col(Order.group).contains(s), []  # IS NOT NULL
        return col(Order.group).contains(s), [
            "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        ]
    if kind == 4:
        return col(Order.group).is_null(), []
    left, lv = draw(conditions(depth + 1))
    if kind == 7:
        return not_(left), lv
    right, rv = draw(conditions(depth + 1))
    return (and_(left, right) if kind == 5 else or_(left, right)), lv + rv


@given(conditions(), st.integers(0, 50))
def test_values_travel_only_as_parameters_in_marker_order(
    cond: tuple[Any, list[Any]], limit: int
) -> None:
    expr, values = cond
    stmt = select(Order).where(expr).limit(limit)
    compiled = compile_statement(stmt)
    assert list(compiled.params) == [*values, limit]
    assert compiled.sql.count("?") == len(compiled.params)
    # no value became text: the only quote in the SQL is the declared LIKE escape
    assert "'" not in compiled.sql


@given(conditions(), conditions())
def test_same_shape_same_sql_and_cache_gives_fresh_params(
    a: tuple[Any, list[Any]], b: tuple[Any, list[Any]]
) -> None:
    clear_cache()
    first = compile_statement(select(Order).where(a[0]))
    again = compile_statement(select(Order).where(a[0]))
    assert again.sql == first.sql
    assert again.params == first.params
    assert cache_info()["hits"] == 1
    other = compile_statement(select(Order).where(b[0]))
    if other.sql == first.sql:
        assert list(other.params) == b[1]


@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=5))
def test_one_translation_per_shape(values: list[int]) -> None:
    clear_cache()
    for v in values:
        compile_statement(select(Order).where(Order.qty == v, col(Order.limit).in_([v, v + 1])))
    assert cache_info() == {"hits": len(values) - 1, "misses": 1, "size": 1}
