"""Type tests of typed queries (``ignite_orm.query``): what mypy (strict) must infer.

Checked by mypy, never run (see ``check_types.py``).  A model query, a tuple projection,
an aggregate, a two-model join, DML counts, pages; sync and asyncio.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from typing_extensions import assert_type

from ignite_orm import AffinityKey, AioDatabase, Database, IgniteModel, Key
from ignite_orm.query import (
    AioResult,
    Column,
    Delete,
    Expr,
    Page,
    PageCursor,
    Result,
    Select,
    Update,
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


class Customer(IgniteModel, cache="customers"):
    id: Annotated[int, Key]
    name: str
    city: str | None = None


class Order(IgniteModel, cache="orders"):
    id: Annotated[int, Key]
    customer_id: Annotated[int, Key, AffinityKey]
    total: Decimal
    status: Status
    placed: date
    note: str | None = None


def expressions() -> None:
    assert_type(col(Order.total), Column[Decimal])
    assert_type(col(Order.note), Column[str | None])
    assert_type(col(Order.total) > 5, Expr[bool])
    assert_type(col(Order.status).in_([Status.OPEN]), Expr[bool])
    assert_type(col(Order.total) * 2, Expr[Decimal])
    assert_type(col(Order.note).startswith("a"), Expr[bool])
    assert_type(and_(Order.total > 5, Order.status == Status.OPEN), Expr[bool])
    assert_type(or_(col(Order.note).is_null(), not_(Order.id == 1)), Expr[bool])
    assert_type(func.count(), Expr[int])
    assert_type(func.sum(col(Order.total)), Expr[Decimal | None])
    assert_type(func.avg(col(Order.id)), Expr[float | None])
    assert_type(func.max(col(Order.placed)), Expr[date | None])


def statements() -> None:
    q = select(Order).where(Order.total > 5).order_by(col(Order.placed).desc()).limit(10)
    assert_type(q, Select[Order])
    assert_type(select(col(Order.id), col(Order.note)), Select[tuple[int, str | None]])
    assert_type(
        select(col(Order.status), func.count()).group_by(Order.status),
        Select[tuple[Status, int]],
    )
    assert_type(
        select(Order, Customer).join(Customer, Order.customer_id == Customer.id),
        Select[tuple[Order, Customer]],
    )
    assert_type(select(Order, col(Customer.name)), Select[tuple[Order, str]])
    assert_type(update(Order).where(Order.id == 1).values(note="x"), Update[Order])
    assert_type(delete(Order).where(Order.id == 1), Delete[Order])


def sync_results(db: Database) -> None:
    result = db.query(select(Order).where(Order.status == Status.OPEN))
    assert_type(result, Result[Order])
    assert_type(result.all(), list[Order])
    assert_type(result.first(), Order | None)
    assert_type(result.one(), Order)
    assert_type(result.one_or_none(), Order | None)
    assert_type(result.count(), int)
    assert_type(result.exists(), bool)
    assert_type(iter(result), Iterator[Order])
    page = result.page(20)
    assert_type(page, Page[Order])
    assert_type(page.items, list[Order])
    assert_type(page.next, PageCursor | None)
    for order in result:
        assert_type(order.total, Decimal)
    pairs = db.query(select(Order, Customer).join(Customer, Order.customer_id == Customer.id))
    for o, c in pairs:
        assert_type(o, Order)
        assert_type(c, Customer)
    rows = db.query(select(col(Order.id), func.sum(col(Order.total))).group_by(Order.id)).all()
    assert_type(rows, list[tuple[int, Decimal | None]])
    assert_type(db.execute(delete(Order).where(Order.id == 1)), int)
    with db.session() as s:
        assert_type(s.query(select(Order)).all(), list[Order])


async def async_results(db: AioDatabase) -> None:
    result = db.query(select(Order))
    assert_type(result, AioResult[Order])
    assert_type(await result.all(), list[Order])
    assert_type(await result.first(), Order | None)
    assert_type(await result.scalar(), Any)
    assert_type(result.__aiter__(), AsyncIterator[Order])
    async for order in result:
        assert_type(order, Order)
    counts = await db.query(select(col(Order.status), func.count()).group_by(Order.status)).all()
    assert_type(counts, list[tuple[Status, int]])
    assert_type(await db.execute(update(Order).values(note=None)), int)
