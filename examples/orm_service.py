"""A small service in the repository pattern, on ignite_orm: companies, people, orders.

* ``Company`` and ``Person``: people are stored next to their company (``AffinityKey``),
  so a join of the two runs on each node alone (the typed query sees that and sets
  Ignite's ``collocated`` flag itself).
* Queries are typed (``ignite_orm.query``): built from model fields, every value a bound
  parameter, results typed for mypy.
* ``Product`` and ``Order``: TRANSACTIONAL caches with a ``Version`` field; placing an
  order takes stock and writes the order in one transaction (a session), or not at all.

Run it against a node on 127.0.0.1:10800 (``python -m ignite_wire.testing up`` starts
one), or let ``python examples/run_with_node.py examples/orm_service.py`` start and stop a
node for it.  ``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT`` point it elsewhere.  It drops
what it made at the end (and at the start, if a run was interrupted), so it can be run
again and again.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from ignite_orm import (
    AffinityKey,
    Alias,
    ConcurrentUpdateError,
    Database,
    IgniteModel,
    Indexed,
    Int32,
    Key,
    Precision,
    Repository,
    Version,
)
from ignite_orm.query import col, func, select
from ignite_wire.datatypes.cache_config import CacheAtomicityMode

TRANSACTIONAL = CacheAtomicityMode.TRANSACTIONAL

# -- the domain ---------------------------------------------------------------------------
# Tables live in their own SQL schema, and the binary types carry Java-style names, so
# that nothing here collides with other users of the cluster.


class Company(
    IgniteModel, cache="shop_companies", sql_schema="SHOP", type_name="com.example.shop.Company"
):
    id: Annotated[int, Key]
    name: Annotated[str, Indexed]
    city: str


class Person(
    IgniteModel, cache="shop_people", sql_schema="SHOP", type_name="com.example.shop.Person"
):
    id: Annotated[int, Key]
    company_id: Annotated[int, Key, AffinityKey]  # stored with its Company
    name: Annotated[str, Indexed(descending=True)]
    born: date
    age: Annotated[int, Int32] | None = None
    salary: Annotated[Decimal, Precision(12, 2)] = Decimal("0")
    tags: list[str] = Field(default_factory=list)


class Product(
    IgniteModel,
    cache="shop_products",
    sql_schema="SHOP",
    type_name="com.example.shop.Product",
    atomicity=TRANSACTIONAL,
):
    sku: Annotated[str, Key]
    name: str
    price: Annotated[Decimal, Precision(10, 2)]
    stock: Annotated[int, Int32]
    version: Annotated[int, Version] = 0


class Order(
    IgniteModel,
    cache="shop_orders",
    sql_schema="SHOP",
    table="Orders",  # ORDER is an SQL keyword
    type_name="com.example.shop.Order",
    atomicity=TRANSACTIONAL,
):
    id: Annotated[int, Key]
    person_id: int
    company_id: int
    sku: str
    quantity: Annotated[int, Int32]
    total: Annotated[Decimal, Precision(12, 2)]
    placed: Annotated[datetime, Alias("placed_at"), Indexed]  # SQL column PLACED_AT
    status: str = "placed"
    version: Annotated[int, Version] = 0


MODELS = (Company, Person, Product, Order)


class OutOfStockError(Exception):
    pass


# -- the service --------------------------------------------------------------------------


class Shop:
    """The service: its methods are the use cases; repositories do the storage."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.companies: Repository[Company] = db.repository(Company)
        self.people: Repository[Person] = db.repository(Person)
        self.products: Repository[Product] = db.repository(Product)
        self.orders: Repository[Order] = db.repository(Order)

    def staff_of(self, company_name: str) -> list[Person]:
        """People of a company, by a join that each node runs on its own data."""
        stmt = (
            select(Person)
            .join(Company, Person.company_id == Company.id)  # on the affinity key
            .where(Company.name == company_name)
            .order_by(Person.id)
        )
        return self.db.query(stmt).all()

    def payroll(self) -> list[tuple[str, int, Decimal | None]]:
        """(company, headcount, salaries) per company: a typed projection."""
        stmt = (
            select(col(Company.name), func.count(), func.sum(col(Person.salary)))
            .select_from(Person)
            .join(Company, Person.company_id == Company.id)
            .group_by(Company.name)
            .order_by(Company.name)
        )
        return self.db.query(stmt).all()

    def place_order(self, order_id: int, person: Person, sku: str, quantity: int) -> Order:
        """Take stock and record the order, atomically: both or neither are written."""
        with self.db.session() as s:
            product = s.get(Product, sku)
            if product is None:
                raise LookupError(f"no product {sku!r}")
            if product.stock < quantity:
                raise OutOfStockError(f"{sku}: {product.stock} left, {quantity} wanted")
            product.stock -= quantity  # tracked: written at commit, if still unchanged
            order = Order(
                id=order_id,
                person_id=person.id,
                company_id=person.company_id,
                sku=sku,
                quantity=quantity,
                total=product.price * quantity,
                placed=datetime.now(timezone.utc),
            )
            s.add(order)
        return order

    def orders_since(self, since: datetime) -> list[Order]:
        stmt = select(Order).where(Order.placed >= since).order_by(col(Order.placed).desc())
        return self.db.query(stmt).all()

    def ship(self, order_id: int) -> Order:
        """Mark an order shipped (its Version moves on; a concurrent change would fail)."""
        with self.db.session() as s:
            order = s.get(Order, order_id)
            if order is None:
                raise LookupError(f"no order {order_id}")
            order.status = "shipped"
        return order


# Release 2 of the service adds a field (and an index on it) to Person.  Same cache, table
# and binary type: the plan shows what create_all would add, and old rows stay readable.


class PersonV2(
    Person,
    cache="shop_people",
    sql_schema="SHOP",
    table="Person",
    type_name="com.example.shop.Person",
):
    email: Annotated[str | None, Indexed] = None


# -- the run ------------------------------------------------------------------------------


def load(shop: Shop) -> None:
    shop.companies.put_many(
        [
            Company(id=1, name="Acme", city="Berlin"),
            Company(id=2, name="Globex", city="Lisbon"),
        ]
    )
    shop.people.put_many(
        [
            Person(
                id=1,
                company_id=1,
                name="Ada",
                born=date(1990, 3, 1),
                age=34,
                salary=Decimal("5200.00"),
                tags=["admin"],
            ),
            Person(
                id=2,
                company_id=1,
                name="Bo",
                born=date(1985, 7, 9),
                age=39,
                salary=Decimal("4100.50"),
            ),
            Person(
                id=3, company_id=2, name="Cy", born=date(2000, 1, 15), salary=Decimal("3900.00")
            ),
        ]
    )
    shop.products.put_many(
        [
            Product(sku="kb-1", name="Keyboard", price=Decimal("49.90"), stock=10),
            Product(sku="ms-1", name="Mouse", price=Decimal("19.99"), stock=3),
        ]
    )


def indent(text: object) -> str:
    return str(text).replace("\n", "\n    ")


def main() -> None:
    host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
    port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))
    with Database.connect(host, port) as db:
        db.drop_all(*MODELS)  # what an interrupted run may have left
        print("create_all:\n    " + indent(db.create_all(*MODELS)))
        print(f"create_all again: {db.create_all(*MODELS)}")

        shop = Shop(db)
        load(shop)
        print(
            f"loaded {shop.companies.count()} companies, {shop.people.count()} people,"
            f" {shop.products.count()} products"
        )

        # Key-value: get by the composite key returns Person | None.
        ada = shop.people.get(id=1, company_id=1)
        assert ada is not None
        print(f"get: {ada.name}, born {ada.born}, salary {ada.salary}, tags {ada.tags}")
        print(f"get of a missing key: {shop.people.get(id=9, company_id=1)}")

        # Typed queries: models from scan() and from select(Model) ...
        print(f"scan: {sorted(p.name for p in shop.people.scan())}")
        older = db.query(select(Person).where(col(Person.age) > 35).order_by(Person.name)).all()
        print(f"select age > 35: {[p.name for p in older]}")
        print(f"collocated join, staff of Acme: {[p.name for p in shop.staff_of('Acme')]}")
        # ... and named rows from a projection.
        for company, headcount, salaries in shop.payroll():
            print(f"payroll: {company}: headcount {headcount}, salaries {salaries}")

        # A unit of work: the stock and the order are written in one transaction.
        order = shop.place_order(100, ada, "kb-1", 2)
        keyboard = shop.products.get("kb-1")
        assert keyboard is not None
        print(
            f"order {order.id}: {order.quantity} x {order.sku} = {order.total};"
            f" kb-1 stock {keyboard.stock} (version {keyboard.version})"
        )
        try:
            shop.place_order(101, ada, "ms-1", 5)
        except OutOfStockError as exc:
            mouse = shop.products.get("ms-1")
            assert mouse is not None
            print(
                f"refused: {exc}; nothing written: {shop.orders.count()} order(s),"
                f" ms-1 stock {mouse.stock} (version {mouse.version})"
            )
        an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
        print(f"orders of the last hour: {[o.id for o in shop.orders_since(an_hour_ago)]}")
        shipped = shop.ship(100)
        print(f"order {shipped.id} {shipped.status} (version {shipped.version})")

        # Optimistic concurrency: someone else writes between our read and our commit.
        try:
            with db.session() as s:
                mine = s.get(Product, "kb-1")
                assert mine is not None
                mine.price = Decimal("44.90")
                shop.products.put(keyboard.model_copy(update={"stock": 50}))  # the other writer
        except ConcurrentUpdateError as exc:
            print(f"conflict: {exc}")
        keyboard = shop.products.get("kb-1")
        assert keyboard is not None
        print(f"kb-1 now: price {keyboard.price}, stock {keyboard.stock}")

        # Schema evolution: a new field is an additive change.
        plan = db.plan(PersonV2)
        print("plan for PersonV2:\n    " + indent(plan))
        db.create_all(PersonV2)
        print(f"plan after create_all: {db.plan(PersonV2)}")
        people_v2 = db.repository(PersonV2)
        old = people_v2.get(id=2, company_id=1)
        assert old is not None
        print(f"an old row read as PersonV2: {old.name}, email {old.email}")
        people_v2.put(old.model_copy(update={"email": "bo@acme.example"}))
        with_email = db.query(select(PersonV2).where(col(PersonV2.email).is_not_null())).all()
        print(f"select email IS NOT NULL: {[(p.name, p.email) for p in with_email]}")

        db.drop_all(*MODELS)
        print("dropped the caches; bye")


if __name__ == "__main__":
    main()
