"""Optimistic updates of rows the model did not write byte for byte, and sessions that go
on after ``commit()``.

Issue 8, part A, items 4 and 9 (an object used after ``commit()``).  Rows come from plain
SQL (with and without the version column) and from an older version of the model (before
a field was added); both an ATOMIC and a TRANSACTIONAL cache.  Keyword names on purpose:
the model is ``Order``, a field is ``group``.
"""

# ruff: noqa: RUF012  (pydantic copies mutable defaults; ruff cannot see IgniteModel is one)

from collections.abc import Callable
from types import SimpleNamespace
from typing import Annotated, Any

import pytest

from ignite_orm import ConcurrentUpdateError, IgniteModel, Key, Version
from ignite_wire.datatypes.cache_config import CacheAtomicityMode


def order_models(suffix: str, atomicity: CacheAtomicityMode) -> SimpleNamespace:
    mode = atomicity.name.lower()
    where = {
        "cache": f"orm_ver_orders_{mode}_{suffix}",
        "type_name": f"OrmVerOrder_{mode}_{suffix}",
        "table": "Order",
        "sql_schema": f"V_{mode}_{suffix}",
        "atomicity": atomicity,
    }

    class OrderV1(IgniteModel, **where):
        id: Annotated[int, Key]
        group: str
        qty: int = 0
        version: Annotated[int, Version] = 0

    class Order(IgniteModel, **where):
        """V1 plus a field: rows written by V1 lack it."""

        id: Annotated[int, Key]
        group: str
        qty: int = 0
        version: Annotated[int, Version] = 0
        note: str | None = "none"

    return SimpleNamespace(
        V1=OrderV1, Order=Order, table=f'"V_{mode.upper()}_{suffix.upper()}"."ORDER"'
    )


@pytest.fixture(params=[CacheAtomicityMode.ATOMIC, CacheAtomicityMode.TRANSACTIONAL])
def orders(request: pytest.FixtureRequest, db: Any, schema: Any, suffix: str, sql_rows: Any) -> Any:
    models = order_models(suffix, request.param)
    schema(models.V1)
    db.repository(models.V1).put(models.V1(id=1, group="old model"))
    sql_rows(f'INSERT INTO {models.table} (id, "GROUP", qty, version) VALUES (2, ?, 5, 3)', "sql")
    sql_rows(f'INSERT INTO {models.table} (id, "GROUP", qty) VALUES (3, ?, 7)', "sql, no version")
    db.create_all(models.Order)
    return models


@pytest.mark.parametrize("key", [1, 2, 3], ids=["older-model", "sql", "sql-no-version"])
def test_a_session_updates_rows_it_did_not_write(db: Any, orders: Any, key: int) -> None:
    repo = db.repository(orders.Order)
    before = repo.get(key)
    with db.session() as s:
        s.get(orders.Order, key).qty += 100
    after = repo.get(key)
    assert after.qty == before.qty + 100
    assert after.version == before.version + 1
    assert (after.group, after.note) == (before.group, before.note)
    with db.session() as s:  # and again, now that the ORM wrote it
        s.get(orders.Order, key).group = "again"
    assert repo.get(key).version == before.version + 2


@pytest.mark.parametrize("key", [1, 2, 3], ids=["older-model", "sql", "sql-no-version"])
def test_replace_if_compares_the_version_of_rows_it_did_not_write(
    db: Any, orders: Any, key: int
) -> None:
    repo = db.repository(orders.Order)
    loaded = repo.get(key)
    assert repo.replace_if(
        loaded, loaded.model_copy(update={"qty": 1, "version": loaded.version + 1})
    )
    assert repo.get(key).qty == 1
    # the version moved: the stale copy no longer matches
    assert not repo.replace_if(loaded, loaded.model_copy(update={"qty": 2}))
    assert repo.get(key).qty == 1


def test_a_concurrent_change_of_such_a_row_still_fails_the_commit(
    db: Any, orders: Any, connect: Callable[..., Any], node_endpoints: Any
) -> None:
    other = connect(node_endpoints)

    def unit_of_work() -> None:
        with db.session() as s:
            s.get(orders.Order, 2).qty = 0
            with other.session() as theirs:
                theirs.get(orders.Order, 2).qty = 50

    with pytest.raises(ConcurrentUpdateError, match="changed since it was loaded"):
        unit_of_work()
    assert db.repository(orders.Order).get(2).qty == 50


def test_a_session_keeps_tracking_after_commit(db: Any, orders: Any) -> None:
    repo = db.repository(orders.Order)
    with db.session() as s:
        loaded = s.get(orders.Order, 1)
        added = orders.Order(id=10, group="new")
        s.add(added)
        loaded.qty = 11
        s.commit()
        loaded.qty = 12  # used after commit(): written by the next commit
        added.group = "changed after commit"
        s.commit()
        assert s.get(orders.Order, 1) is loaded
    assert repo.get(1).qty == 12
    assert repo.get(1).version == 2
    assert repo.get(10).group == "changed after commit"
    assert repo.get(10).version == 1


def test_rows_of_an_older_model_with_collections_update_on_an_atomic_cache(
    db: Any, schema: Any, suffix: str
) -> None:
    """SQL cannot write a list column, so the version-guarded UPDATE is out: the row is
    compared in the layout the older model wrote it with."""
    where = {"cache": f"orm_ver_groups_{suffix}", "type_name": f"OrmVerGroup_{suffix}"}

    class GroupV1(IgniteModel, **where, table="Group"):
        key: Annotated[str, Key]
        members: list[str] = []
        version: Annotated[int, Version] = 0

    class Group(IgniteModel, **where):
        key: Annotated[str, Key]
        members: list[str] = []
        version: Annotated[int, Version] = 0
        limit: int = 10

    class GroupPlain(IgniteModel, **where, table="Group"):
        key: Annotated[str, Key]
        members: list[str] = []
        version: int = 0
        limit: int = 10

    schema(GroupV1)
    db.repository(GroupV1).put_many([GroupV1(key="a", members=["x"]), GroupV1(key="b")])
    db.create_all(Group)
    with db.session() as s:
        s.get(Group, "a").members.append("y")
    assert db.repository(Group).get("a") == Group(key="a", members=["x", "y"], version=1)
    plain = db.repository(GroupPlain)
    b = plain.get("b")
    assert plain.replace_if(b, b.model_copy(update={"limit": 3}))
    assert plain.get("b").limit == 3
