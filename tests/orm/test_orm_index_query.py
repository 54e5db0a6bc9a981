"""Typed index queries against a live node, with ``Database`` and ``AioDatabase``: the
same objects as the equivalent SQL; conditions an index cannot answer refused up front."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from ignite_orm import AffinityKey, IgniteModel, Indexed, Key, QueryGroup
from ignite_orm.aio_database import _info
from ignite_orm.index_queries import plan_index_query
from ignite_orm.query import QueryError, col


class OrmIqEmployee(IgniteModel, cache="orm_iq_employees", groups=[QueryGroup("dept_age")]):
    id: Annotated[int, Key]
    dept: Annotated[int, Key, AffinityKey, Indexed]
    name: Annotated[str, Indexed]
    age: Annotated[int, Indexed(group="dept_age", order=1)] | None = None
    level: Annotated[int, Indexed(group="dept_age", order=0)] = 0


@pytest.fixture
def employees(db: Any, schema: Any) -> Any:
    schema(OrmIqEmployee)
    repo = db.repository(OrmIqEmployee)
    repo.put_many(
        OrmIqEmployee(
            id=i,
            dept=i % 4,
            name=f"e{i:02d}",
            age=None if i % 9 == 0 else 20 + i,
            level=i % 3,
        )
        for i in range(40)
    )
    return repo


def ids(objs: Any) -> list[tuple[int, int]]:
    return sorted((o.id, o.dept) for o in objs)


E = OrmIqEmployee
CASES = [
    ([E.name == "e07"], "name = ?", ["e07"]),
    ([col(E.name).in_(["e01", "e12", "e33"])], "name IN (?, ?, ?)", ["e01", "e12", "e33"]),
    ([E.level == 1, col(E.age).between(25, 45)], "level = ? AND age BETWEEN ? AND ?", [1, 25, 45]),
    ([(E.level == 2) & (E.age >= 40)], "level = ? AND age >= ?", [2, 40]),
    ([E.level == 0, col(E.age).is_null()], "level = ? AND age IS NULL", [0]),
    ([E.dept == 3], "dept = ?", [3]),  # the affinity field: one partition is searched
]


@pytest.mark.parametrize(("conditions", "where", "args"), CASES)
def test_same_objects_as_sql(employees: Any, conditions: Any, where: str, args: list[Any]) -> None:
    expected = list(employees.select(where, *args))
    assert expected, "the case must select something"
    got = list(employees.index_query(*conditions, page_size=4))
    assert ids(got) == ids(expected)
    assert sorted(got, key=lambda e: e.id) == sorted(expected, key=lambda e: e.id)


def test_limit_and_named_index(employees: Any) -> None:
    got = list(employees.index_query(OrmIqEmployee.level >= 1, index="dept_age", limit=5))
    assert len(got) == 5
    assert all(e.level >= 1 for e in got)


def test_conditions_an_index_cannot_answer_are_refused(employees: Any) -> None:
    with pytest.raises(QueryError, match="not an index condition"):
        list(employees.index_query((E.level == 1) | (E.level == 2)))
    with pytest.raises(QueryError, match="not an index condition"):
        list(employees.index_query(col(E.name).like("e1%")))


def test_plan_fixes_the_partition_only_by_the_affinity_field() -> None:
    info = _info(OrmIqEmployee)
    plan = plan_index_query(info, (E.dept == 3, E.level >= 1))
    assert plan.affinity is not None
    assert plan.affinity[0] == 3
    assert [c.field for c in plan.criteria] == ["dept", "level"]  # the SQL columns
    assert plan_index_query(info, (E.dept >= 3,)).affinity is None
    assert plan_index_query(info, (E.level == 3,)).affinity is None


def test_the_affinity_partition_is_what_the_node_stores(db: Any, employees: Any) -> None:
    cache = db.client.get_cache("orm_iq_employees")
    plan = plan_index_query(_info(OrmIqEmployee), (E.dept == 3,))
    assert plan.affinity is not None
    partition = cache.partition_of(*plan.affinity)
    assert partition >= 0
    # the one partition holds every dept-3 employee: searched alone, it finds them all
    got = cache.index_query("OrmIqEmployee", plan.criteria, partition=partition)
    assert len(list(got)) == 10
