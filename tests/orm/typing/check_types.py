"""Type tests: what mypy (strict) must infer for ignite_orm's public API.

Checked by mypy, never run: ``tests/orm/test_typing.py`` runs ``mypy --strict`` on this
file and expects no error, and ``mypy`` alone checks it too (``[tool.mypy] files`` in
pyproject.toml).  pytest does not collect it (its name does not start with ``test_``).
Each ``assert_type`` states the type a user sees; a wrong annotation in ignite_orm makes
mypy report the line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field
from typing_extensions import assert_type

from ignite_orm import (
    AffinityKey,
    AioDatabase,
    AioRepository,
    AioSession,
    Database,
    IgniteModel,
    Indexed,
    Int32,
    Key,
    Plan,
    Precision,
    Repository,
    Session,
    Version,
)
from ignite_wire import AioClient, Client
from ignite_wire.datatypes.cache_config import CacheAtomicityMode


class Company(IgniteModel, cache="companies", backups=1):
    id: Annotated[int, Key]
    name: Annotated[str, Indexed]


class Person(IgniteModel, cache="people", backups=1):
    id: Annotated[int, Key]
    company_id: Annotated[int, Key, AffinityKey]
    name: Annotated[str, Indexed(descending=True)]
    age: Annotated[int, Int32] | None = None
    salary: Annotated[Decimal, Precision(12, 2)] = Decimal("0")
    born: date
    tags: list[str] = Field(default_factory=list)


class Order(IgniteModel, cache="orders", atomicity=CacheAtomicityMode.TRANSACTIONAL):
    id: Annotated[int, Key]
    quantity: int
    version: Annotated[int, Version] = 0


def models() -> None:
    p = Person(id=1, company_id=7, name="Ann", born=date(1990, 1, 2))
    assert_type(p, Person)
    assert_type(p.id, int)
    assert_type(p.age, int | None)
    assert_type(p.salary, Decimal)
    assert_type(p.tags, list[str])
    assert_type(p.model_copy(update={"age": 31}), Person)
    assert_type(Order(id=1, quantity=2).version, int)


def sync_api(nodes: list[tuple[str, int]]) -> None:
    db = Database.connect(nodes, partition_aware=True)
    assert_type(db, Database)
    assert_type(db.client, Client)
    with Database.connect(nodes) as scoped:
        assert_type(scoped, Database)
    assert_type(db.plan(Company, Person), Plan)
    assert_type(db.create_all(Company, Person, Order), Plan)

    people = db.repository(Person)
    assert_type(people, Repository[Person])
    assert_type(people.model, type[Person])
    assert_type(people.get(id=1, company_id=7), Person | None)
    assert_type(people.get((1, 7)), Person | None)
    assert_type(people.get(id=1, company_id=7, validate=True), Person | None)
    assert_type(people.get_many([(1, 7), {"id": 2, "company_id": 7}]), list[Person])
    assert_type(people.scan(), Iterator[Person])
    assert_type(people.scan(page_size=10, validate=True), Iterator[Person])
    assert_type(people.select("age > ?", 30), list[Person])
    assert_type(people.sql("SELECT name FROM Person"), Iterator[Any])
    assert_type(people.count(), int)
    assert_type(people.exists(id=1, company_id=7), bool)
    assert_type(people.delete(id=1, company_id=7), bool)
    assert_type(people.delete_many([(1, 7)]), None)
    assert_type(people.clear(), None)

    p = Person(id=1, company_id=7, name="Ann", born=date(1990, 1, 2))
    assert_type(people.put(p), None)
    assert_type(people.put_many([p]), None)
    assert_type(people.insert(p), bool)
    assert_type(people.replace(p), bool)
    assert_type(people.replace_if(p, p.model_copy(update={"age": 31})), bool)

    for person in people.scan():
        assert_type(person, Person)
    first = people.get(id=1, company_id=7)
    if first is not None:
        assert_type(first.name, str)

    companies = db.repository(Company)
    assert_type(companies, Repository[Company])
    assert_type(companies.get(1), Company | None)

    with db.session() as s:
        assert_type(s, Session)
        assert_type(s.get(Person, id=1, company_id=7), Person | None)
        assert_type(s.get(Order, 1), Order | None)
        s.add(p)
        s.delete(p)
    session = db.session()
    assert_type(session.commit(), None)
    assert_type(session.rollback(), None)

    db.drop_all(Company, Person, Order)
    assert_type(db.close(), None)


async def async_api(nodes: list[tuple[str, int]]) -> None:
    db = await AioDatabase.connect(nodes, partition_aware=True)
    assert_type(db, AioDatabase)
    assert_type(db.client, AioClient)
    async with await AioDatabase.connect(nodes) as scoped:
        assert_type(scoped, AioDatabase)
    assert_type(await db.plan(Company, Person), Plan)
    assert_type(await db.create_all(Company, Person, Order), Plan)

    people = db.repository(Person)
    assert_type(people, AioRepository[Person])
    assert_type(await people.get(id=1, company_id=7), Person | None)
    assert_type(await people.get((1, 7), validate=True), Person | None)
    assert_type(await people.get_many([(1, 7)]), list[Person])
    assert_type(people.scan(), AsyncIterator[Person])
    assert_type(await people.select("age > ?", 30), list[Person])
    assert_type(people.sql("SELECT name FROM Person"), AsyncIterator[Any])
    assert_type(await people.count(), int)
    assert_type(await people.exists(id=1, company_id=7), bool)
    assert_type(await people.delete(id=1, company_id=7), bool)

    p = Person(id=1, company_id=7, name="Ann", born=date(1990, 1, 2))
    assert_type(await people.put(p), None)
    assert_type(await people.put_many([p]), None)
    assert_type(await people.insert(p), bool)
    assert_type(await people.replace(p), bool)
    assert_type(await people.replace_if(p, p), bool)

    async for person in people.scan():
        assert_type(person, Person)
    assert_type([q async for q in people.scan()], list[Person])

    async with db.session() as s:
        assert_type(s, AioSession)
        assert_type(await s.get(Person, id=1, company_id=7), Person | None)
        assert_type(await s.get(Order, 1), Order | None)
        s.add(p)

    await db.drop_all(Company, Person, Order)
    await db.close()
