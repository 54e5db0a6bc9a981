"""Typed queries against a real node, on ``Database`` and ``AioDatabase``.

The differential tests draw random data sets and random predicates, orderings, limits
and aggregates, run them through the typed API on the node, and compare the answer with
the same computation in Python over the same objects (SQL's three-valued logic
included).  The rest pins the documented behaviour: SQL-looking values matched
literally, key lookups without SQL, collocated and refused joins, DML counts, pages and
cursors, and sessions tracking what queries return.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ignite_orm import AffinityKey, IgniteModel, Key
from ignite_orm.query import (
    MultipleResultsError,
    NoResultError,
    QueryError,
    References,
    and_,
    col,
    delete,
    func,
    not_,
    or_,
    select,
    update,
)


class Status(enum.Enum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"


class QlCustomer(IgniteModel, cache="ql_customers"):
    id: Annotated[int, Key]
    name: str
    city: str | None = None
    ref: UUID | None = None
    seen: datetime | None = None


class QlOrder(IgniteModel, cache="ql_orders"):
    id: Annotated[int, Key]
    customer_id: Annotated[int, Key, AffinityKey, References(QlCustomer)]
    total: Decimal
    qty: int
    status: Status
    placed: date
    note: str | None = None
    score: int | None = None


MODELS = (QlCustomer, QlOrder)


@pytest.fixture
def qdb(db: Any, schema: Any) -> Any:
    schema(*MODELS)
    return db


# -- the differential tests ------------------------------------------------------------------

TEXT = st.text(alphabet="ab%_\\' ", max_size=4)

ORDERS = st.lists(
    st.builds(
        dict,
        customer_id=st.integers(0, 3),
        total=st.decimals(min_value=0, max_value=100, places=2),
        qty=st.integers(-5, 5),
        status=st.sampled_from(Status),
        placed=st.dates(date(2020, 1, 1), date(2020, 12, 31)),
        note=st.none() | TEXT,
        score=st.none() | st.integers(-3, 3),
    ),
    max_size=25,
)

Pred = tuple[Any, Callable[[QlOrder], bool | None]]
CMP = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _sql_cmp(column: Any, op: str, value: Any) -> Any:
    c = col(column)
    return {
        "==": c == value,
        "!=": c != value,
        "<": c < value,
        "<=": c <= value,
        ">": c > value,
        ">=": c >= value,
    }[op]


def _null_safe(f: Callable[[Any], bool]) -> Callable[[Any], bool | None]:
    return lambda v: None if v is None else f(v)


@st.composite
def predicates(draw: st.DrawFn, depth: int = 0) -> Pred:
    """A random condition and the same test in Python (True, False or None: unknown)."""
    kind = draw(st.integers(0, 9 if depth < 2 else 6))
    if kind == 0:
        name = draw(st.sampled_from(["qty", "score"]))
        op = draw(st.sampled_from(sorted(CMP)))
        v = draw(st.integers(-4, 4))
        f = _null_safe(lambda x: CMP[op](x, v))
        return _sql_cmp(getattr(QlOrder, name), op, v), lambda o: f(getattr(o, name))
    if kind == 1:
        vs = draw(st.lists(st.sampled_from(Status), max_size=3))
        return col(QlOrder.status).in_(vs), lambda o: o.status in vs
    if kind == 2:
        lo = draw(st.decimals(min_value=0, max_value=100, places=2))
        hi = draw(st.decimals(min_value=0, max_value=100, places=2))
        return col(QlOrder.total).between(lo, hi), lambda o: lo <= o.total <= hi
    if kind == 3:
        negate = draw(st.booleans())
        name = draw(st.sampled_from(["note", "score"]))
        c = col(getattr(QlOrder, name))
        return (c.is_not_null() if negate else c.is_null()), (
            lambda o: (getattr(o, name) is None) != negate
        )
    if kind == 4:
        how = draw(st.sampled_from(["startswith", "endswith", "contains"]))
        text = draw(TEXT)
        expr = getattr(col(QlOrder.note), how)(text)
        if text == "":
            # documented: matching "" is IS NOT NULL (Ignite's own rewrite of LIKE '%')
            return expr, lambda o: o.note is not None
        if how == "contains":
            return expr, lambda o: None if o.note is None else text in o.note
        return expr, lambda o: None if o.note is None else getattr(o.note, how)(text)
    if kind == 5:
        d = draw(st.dates(date(2020, 1, 1), date(2020, 12, 31)))
        op = draw(st.sampled_from(sorted(CMP)))
        return _sql_cmp(QlOrder.placed, op, d), lambda o: CMP[op](o.placed, d)
    if kind == 6:
        v = draw(st.sampled_from(Status))
        return QlOrder.status == v, lambda o: o.status == v
    a_expr, a_py = draw(predicates(depth + 1))
    if kind == 7:
        return not_(a_expr), lambda o: None if a_py(o) is None else not a_py(o)
    b_expr, b_py = draw(predicates(depth + 1))
    if kind == 8:
        return a_expr & b_expr, lambda o: _and3(a_py(o), b_py(o))
    return a_expr | b_expr, lambda o: _or3(a_py(o), b_py(o))


def _and3(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or3(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


ORDER_TERMS = st.lists(
    st.tuples(
        st.sampled_from(["qty", "total", "placed", "note", "score"]), st.booleans(), st.booleans()
    ),
    max_size=3,
    unique_by=lambda t: t[0],
)


def _store(qdb: Any, rows: list[dict[str, Any]]) -> list[QlOrder]:
    orders = [QlOrder(id=i, **r) for i, r in enumerate(rows)]
    repo = qdb.repository(QlOrder)
    repo.clear()
    repo.put_many(orders)
    return orders


def _sort_key(o: QlOrder, terms: list[tuple[str, bool, bool]]) -> tuple[Any, ...]:
    """Python's version of ORDER BY ... NULLS FIRST/LAST, then the key."""
    key: list[Any] = []
    for name, desc, nulls_first in terms:
        v = getattr(o, name)
        is_null = v is None
        # nulls placed first or last regardless of direction
        key.append(is_null != nulls_first)
        key.append(_Desc(v) if desc and not is_null else (0 if is_null else v))
    key += [o.id, o.customer_id]
    return tuple(key)


class _Desc:
    def __init__(self, v: Any) -> None:
        self.v = v

    def __lt__(self, other: _Desc) -> bool:
        return bool(self.v > other.v)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.v == other.v


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_differential_filters_orderings_limits(qdb: Any) -> None:
    @SETTINGS
    @given(ORDERS, predicates(), ORDER_TERMS, st.none() | st.integers(0, 6), st.integers(0, 3))
    def check(
        rows: list[dict[str, Any]],
        pred: Pred,
        terms: list[tuple[str, bool, bool]],
        limit: int | None,
        offset: int,
    ) -> None:
        orders = _store(qdb, rows)
        expr, py = pred
        expected = sorted((o for o in orders if py(o) is True), key=lambda o: _sort_key(o, terms))
        stmt = select(QlOrder).where(expr)
        for name, desc, nulls_first in terms:
            c = col(getattr(QlOrder, name))
            nulls = "first" if nulls_first else "last"
            stmt = stmt.order_by(c.desc(nulls=nulls) if desc else c.asc(nulls=nulls))
        stmt = stmt.order_by(QlOrder.id, QlOrder.customer_id)
        result = qdb.query(stmt).all()
        assert result == expected, str(stmt)
        assert qdb.query(stmt).count() == len(expected)
        assert qdb.query(stmt).exists() == bool(expected)
        if limit is not None:
            paged = qdb.query(stmt.limit(limit).offset(offset)).all()
            assert paged == expected[offset : offset + limit]

    check()


def test_differential_aggregates_and_projections(qdb: Any) -> None:
    @SETTINGS
    @given(ORDERS, predicates(), st.integers(0, 3))
    def check(rows: list[dict[str, Any]], pred: Pred, min_count: int) -> None:
        orders = _store(qdb, rows)
        expr, py = pred
        kept = [o for o in orders if py(o) is True]
        stmt = (
            select(
                col(QlOrder.status),
                func.count(),
                func.sum(col(QlOrder.qty)),
                func.min(col(QlOrder.total)),
                func.max(col(QlOrder.placed)),
                func.avg(col(QlOrder.qty)),
                func.count(col(QlOrder.note)),
            )
            .where(expr)
            .group_by(QlOrder.status)
            .having(func.count() >= min_count)
        )
        got = {row[0]: row[1:] for row in qdb.query(stmt).all()}
        expected = {}
        for status in Status:
            group = [o for o in kept if o.status == status]
            if group and len(group) >= min_count:
                expected[status] = (
                    len(group),
                    sum(o.qty for o in group),
                    min(o.total for o in group),
                    max(o.placed for o in group),
                    sum(o.qty for o in group) / len(group),
                    sum(o.note is not None for o in group),
                )
        assert set(got) == set(expected), str(stmt)
        for status, (n, total, low, latest, mean, notes) in expected.items():
            g = got[status]
            assert g[:4] == (n, total, low, latest)
            assert g[4] == pytest.approx(mean)
            assert g[5] == notes
        pairs = qdb.query(select(col(QlOrder.qty), col(QlOrder.note)).where(expr)).all()
        assert sorted(pairs, key=repr) == sorted(((o.qty, o.note) for o in kept), key=repr)
        whole = qdb.query(
            select(func.count(), func.sum(col(QlOrder.score))).select_from(QlOrder).where(expr)
        ).one()
        scores = [o.score for o in kept if o.score is not None]
        assert whole == (len(kept), sum(scores) if scores else None)

    check()


# -- values are values ------------------------------------------------------------------------

HOSTILE = [
    "'; DROP TABLE ql_orders; --",
    "x' OR '1'='1",
    "/* comment */ 1",
    "-- line",
    '"PUBLIC"."QLORDER"',
    "100%_sure\\",
    "semi; DELETE FROM QlCustomer",
]


def test_sql_looking_values_are_matched_literally(qdb: Any) -> None:
    customers = qdb.repository(QlCustomer)
    customers.put_many([QlCustomer(id=i, name=n) for i, n in enumerate(HOSTILE)])
    customers.put(QlCustomer(id=100, name="plain"))
    for i, text in enumerate(HOSTILE):
        found = qdb.query(select(QlCustomer).where(QlCustomer.name == text)).all()
        assert [c.id for c in found] == [i]
        assert [
            c.id
            for c in qdb.query(select(QlCustomer).where(col(QlCustomer.name).contains(text))).all()
        ] == [i]
        assert (
            qdb.query(select(QlCustomer).where(col(QlCustomer.name).startswith(text))).count() == 1
        )
    assert customers.count() == len(HOSTILE) + 1  # nothing dropped or deleted
    assert qdb.execute(delete(QlCustomer).where(QlCustomer.name == HOSTILE[0])) == 1
    assert customers.count() == len(HOSTILE)


# -- routing ---------------------------------------------------------------------------------


def test_equality_on_the_whole_key_is_a_key_lookup(
    connect: Any, node_endpoints: Any, schema: Any, request_log: Any
) -> None:
    db = connect(node_endpoints, event_listeners=[request_log])
    schema(*MODELS)
    db.repository(QlCustomer).put_many([QlCustomer(id=i, name=f"c{i}") for i in range(5)])
    db.repository(QlOrder).put(
        QlOrder(
            id=1,
            customer_id=2,
            total=Decimal(1),
            qty=1,
            status=Status.OPEN,
            placed=date(2020, 1, 1),
        )
    )
    request_log.ops.clear()
    assert db.query(select(QlCustomer).where(QlCustomer.id == 3)).one().name == "c3"
    assert [
        c.id for c in db.query(select(QlCustomer).where(col(QlCustomer.id).in_([4, 1, 9]))).all()
    ] == [4, 1]
    order = db.query(select(QlOrder).where(QlOrder.id == 1, QlOrder.customer_id == 2)).one_or_none()
    assert order is not None
    assert order.customer_id == 2
    assert db.query(select(QlCustomer).where(QlCustomer.id == 42)).one_or_none() is None
    assert "QUERY_SQL_FIELDS" not in request_log.ops
    assert request_log.ops.count("CACHE_GET") == 3
    assert request_log.ops.count("CACHE_GET_ALL") == 1
    # anything more than the key is SQL
    db.query(select(QlCustomer).where(QlCustomer.id == 3, QlCustomer.name == "c3")).one()
    assert "QUERY_SQL_FIELDS" in request_log.ops


def _shop(qdb: Any) -> None:
    qdb.repository(QlCustomer).put_many(
        [QlCustomer(id=1, name="Ann", city="Oslo"), QlCustomer(id=2, name="Bob")]
    )
    qdb.repository(QlOrder).put_many(
        [
            QlOrder(
                id=i,
                customer_id=1 + i % 2,
                total=Decimal(i),
                qty=i,
                status=Status.OPEN,
                placed=date(2020, 1, 1 + i),
            )
            for i in range(6)
        ]
    )


def test_joins_return_typed_pairs_and_refuse_what_is_not_collocated(qdb: Any) -> None:
    _shop(qdb)
    stmt = (
        select(QlOrder, QlCustomer)
        .join(QlCustomer, QlOrder.customer_id == QlCustomer.id)
        .where(QlCustomer.name == "Ann")
        .order_by(QlOrder.id)
    )
    pairs = qdb.query(stmt).all()
    assert [(o.id, c.name) for o, c in pairs] == [(0, "Ann"), (2, "Ann"), (4, "Ann")]
    names = qdb.query(
        select(col(QlCustomer.name), func.sum(col(QlOrder.qty)))
        .select_from(QlOrder)
        .join(QlCustomer, QlOrder.customer_id == QlCustomer.id)
        .group_by(QlCustomer.name)
        .order_by(QlCustomer.name)
    ).all()
    assert names == [("Ann", 6), ("Bob", 9)]
    wrong = select(QlOrder, QlCustomer).join(QlCustomer, QlOrder.qty == QlCustomer.id)
    with pytest.raises(QueryError, match="not collocated"):
        qdb.query(wrong).all()
    allowed = qdb.query(wrong.order_by(QlOrder.id).options(distributed_joins=True)).all()
    assert [(o.id, c.id) for o, c in allowed] == [(1, 1), (2, 2)]
    outer = qdb.query(
        select(QlCustomer, QlOrder)
        .outerjoin(QlOrder, and_(QlOrder.customer_id == QlCustomer.id, QlOrder.qty > 4))
        .order_by(QlCustomer.id)
    ).all()
    assert [(c.id, o.id if o else None) for c, o in outer] == [(1, None), (2, 5)]


# -- DML, results, pages, sessions ---------------------------------------------------------------


def test_update_and_delete_return_counts(qdb: Any) -> None:
    _shop(qdb)
    n = qdb.execute(
        update(QlOrder)
        .where(QlOrder.qty >= 3)
        .values(status=Status.PAID, qty=col(QlOrder.qty) * 10)
    )
    assert n == 3
    paid = qdb.query(
        select(col(QlOrder.qty)).where(QlOrder.status == Status.PAID).order_by(QlOrder.qty)
    ).all()
    assert paid == [(30,), (40,), (50,)]
    assert qdb.execute(delete(QlOrder).where(or_(QlOrder.qty == 0, QlOrder.qty == 50))) == 2
    assert qdb.repository(QlOrder).count() == 4
    assert qdb.execute(delete(QlOrder)) == 4


def test_result_methods(qdb: Any) -> None:
    _shop(qdb)
    q = select(QlOrder).order_by(QlOrder.id)
    assert qdb.query(q).first().id == 0
    assert qdb.query(q.where(QlOrder.qty > 100)).first() is None
    assert qdb.query(q.where(QlOrder.qty == 2)).one().id == 2
    with pytest.raises(NoResultError):
        qdb.query(q.where(QlOrder.qty > 100)).one()
    with pytest.raises(MultipleResultsError):
        qdb.query(q).one_or_none()
    assert qdb.query(select(func.max(col(QlOrder.total))).select_from(QlOrder)).scalar() == 5
    assert qdb.query(select(col(QlCustomer.city)).order_by(QlCustomer.id)).all() == [
        ("Oslo",),
        (None,),
    ]
    assert [o.id for o in qdb.query(q)] == list(range(6))
    assert qdb.query(select(col(QlOrder.customer_id)).distinct()).count() == 2
    plan = qdb.query(q.where(QlOrder.qty > 3)).explain()
    assert any("QLORDER" in step.upper() for step in plan), plan


@pytest.mark.parametrize("ordered", [True, False])
def test_pages_walk_the_whole_result(qdb: Any, ordered: bool) -> None:
    qdb.repository(QlOrder).put_many(
        [
            QlOrder(
                id=i,
                customer_id=i % 3,
                total=Decimal(i % 4),
                qty=i,
                status=Status.OPEN,
                placed=date(2020, 1, 1),
            )
            for i in range(23)
        ]
    )
    stmt = (
        select(QlOrder).order_by(col(QlOrder.total).desc())
        if ordered
        else select(QlOrder).where(QlOrder.qty >= 0)
    )
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = qdb.query(stmt).page(5, cursor)
        pages += 1
        seen += [o.id for o in page.items]
        if not page.has_next:
            break
        cursor = page.next
        assert cursor is not None
        assert (cursor.after is not None) == ordered or not ordered
    assert pages == 5
    assert sorted(seen) == list(range(23))
    if ordered:
        totals = [i % 4 for i in seen]
        assert totals == sorted(totals, reverse=True)


def test_sessions_attach_what_queries_return(qdb: Any) -> None:
    _shop(qdb)
    with qdb.session() as s:
        orders = s.query(select(QlOrder).where(QlOrder.customer_id == 1)).all()
        for o in orders:
            o.qty += 100
        again = s.query(select(QlOrder).where(QlOrder.id == 2, QlOrder.customer_id == 1)).one()
        assert again is next(o for o in orders if o.id == 2)  # one object per key
    stored = qdb.query(
        select(col(QlOrder.qty)).where(QlOrder.customer_id == 1).order_by(QlOrder.id)
    ).all()
    assert stored == [(100,), (102,), (104,)]


def test_related_models_load_with_one_request_per_relation(
    connect: Any, node_endpoints: Any, schema: Any, request_log: Any
) -> None:
    db = connect(node_endpoints, event_listeners=[request_log])
    schema(*MODELS)
    _shop(db)
    db.repository(QlOrder).put(
        QlOrder(
            id=9,
            customer_id=7,
            total=Decimal(1),
            qty=1,
            status=Status.OPEN,
            placed=date(2020, 1, 1),
        )
    )
    orders = db.query(select(QlOrder).order_by(QlOrder.id)).all()
    request_log.ops.clear()
    customers = db.load_references(orders, QlCustomer)
    assert request_log.ops == ["CACHE_GET_ALL"]
    assert [c.name if c else None for c in customers] == ["Ann", "Bob"] * 3 + [None]
    everyone = db.query(select(QlCustomer).order_by(QlCustomer.id)).all()
    request_log.ops.clear()
    children = db.load_referrers(everyone, QlOrder)
    assert request_log.ops == ["QUERY_SQL_FIELDS"]
    assert [sorted(o.id for o in group) for group in children] == [[0, 2, 4], [1, 3, 5]]
    assert db.load_references([], QlCustomer) == []
    with pytest.raises(QueryError, match="References"):
        db.load_referrers(everyone, QlCustomer)


def test_uuid_and_datetime_compare_as_stored(qdb: Any) -> None:
    refs = [uuid4() for _ in range(3)]
    when = [datetime(2024, 5, d, 12, 30, 15, 250000, tzinfo=timezone.utc) for d in (1, 2, 3)]
    qdb.repository(QlCustomer).put_many(
        [QlCustomer(id=i, name=f"c{i}", ref=refs[i], seen=when[i]) for i in range(3)]
    )
    found = qdb.query(select(QlCustomer).where(QlCustomer.ref == refs[1])).one()
    assert found.id == 1
    assert found.ref == refs[1]
    later = qdb.query(
        select(col(QlCustomer.id)).where(col(QlCustomer.seen) > when[0]).order_by(QlCustomer.id)
    )
    assert later.all() == [(1,), (2,)]
    assert (
        qdb.query(select(func.max(col(QlCustomer.seen))).select_from(QlCustomer)).scalar()
        == when[2]
    )
    # per-query options reach the server and leave the answer alone
    lazy = (
        select(QlCustomer).order_by(QlCustomer.id).options(lazy=True, timeout=10_000, page_size=1)
    )
    assert [c.id for c in qdb.query(lazy)] == [0, 1, 2]
    # partitions=[p] searches only partition p: exactly the customers stored there
    cache = qdb.client.get_cache("ql_customers")
    stored_in = {i: cache.partition_of(*qdb.repository(QlCustomer).key(i)) for i in range(3)}
    for partition in set(stored_in.values()):
        only = qdb.query(lazy.options(partitions=[partition]))
        assert [c.id for c in only] == [i for i in range(3) if stored_in[i] == partition]


def test_asyncio_results_stream_with_async_for(node_endpoints: Any, request_log: Any) -> None:
    """AioDatabase directly (no adapter): ``async for``, and a loop left early releases
    the server cursor when closed (``contextlib.aclosing``)."""
    import asyncio
    import contextlib

    from ignite_orm import AioDatabase

    async def run() -> None:
        log = request_log
        async with await AioDatabase.connect(node_endpoints, event_listeners=[log]) as db:
            await db.drop_all(*MODELS)
            await db.create_all(*MODELS)
            await db.repository(QlCustomer).put_many(
                [QlCustomer(id=i, name=f"c{i}") for i in range(50)]
            )
            stmt = select(QlCustomer).order_by(QlCustomer.id).options(page_size=10)
            ids = [c.id async for c in db.query(stmt)]
            assert ids == list(range(50))
            log.ops.clear()
            async with contextlib.aclosing(db.query(stmt).__aiter__()) as rows:
                async for c in rows:
                    if c.id == 3:
                        break
            # the second page may have been fetched ahead (one page, never more)
            assert log.ops in (
                ["QUERY_SQL_FIELDS", "RESOURCE_CLOSE"],
                ["QUERY_SQL_FIELDS", "QUERY_SQL_FIELDS_CURSOR_GET_PAGE", "RESOURCE_CLOSE"],
            )
            assert await db.query(stmt).count() == 50
            assert await db.execute(delete(QlCustomer).where(QlCustomer.id >= 10)) == 40
            await db.drop_all(*MODELS)

    asyncio.run(run())


class Order(IgniteModel, cache="ql_keyword_orders", type_name="QlKeywordOrder"):
    """A table named ORDER with columns GROUP, LIMIT, ORDER and VALUE: all SQL keywords."""

    id: Annotated[int, Key]
    group: str
    limit: int
    order: int | None = None
    value: Decimal = Decimal(0)


def test_keyword_names_are_quoted(qdb: Any, schema: Any) -> None:
    schema(Order)
    qdb.repository(Order).put_many(
        [Order(id=i, group="ab"[i % 2], limit=i, order=10 - i, value=Decimal(i)) for i in range(6)]
    )
    stmt = (
        select(col(Order.group), func.count(), func.sum(col(Order.value)))
        .where(Order.limit >= 1)
        .group_by(Order.group)
        .order_by(Order.group)
    )
    assert qdb.query(stmt).all() == [("a", 2, Decimal(6)), ("b", 3, Decimal(9))]
    firsts = qdb.query(select(Order).order_by(col(Order.order).desc()).limit(2)).all()
    assert [o.id for o in firsts] == [0, 1]
    assert qdb.execute(update(Order).where(Order.group == "a").values(limit=0)) == 3
    assert qdb.execute(delete(Order).where(Order.limit == 0)) == 3
