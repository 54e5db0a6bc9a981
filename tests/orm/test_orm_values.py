"""Values on their way in and out, against a live node: enums as SQL parameters, nothing
invalid reaching the cluster (``model_copy``, markers pydantic must see, ``time``), bad
stored values reported by a typed error, and the smaller cases a user hit.

Issue 8, part A, items 3, 5, 6, 8 and 9.
"""

# ruff: noqa: RUF012  (pydantic copies mutable defaults; ruff cannot see IgniteModel is one)

from datetime import time
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Any

import pytest
from pydantic import ValidationError

from ignite_orm import (
    Char,
    IgniteModel,
    Int8,
    Int16,
    Int32,
    Key,
    NotNull,
    Precision,
    SchemaConflictError,
    StoredValueError,
)


class Status(str, Enum):
    OPEN = "open"
    CLOSED = "closed"


class Priority(IntEnum):
    LOW = 1
    HIGH = 9


class OrmTicket(IgniteModel, cache="orm_tickets"):
    id: Annotated[int, Key]
    status: Status = Status.OPEN
    priority: Priority = Priority.LOW
    tags: list[str] = []


class OrmMarked(IgniteModel, cache="orm_marked"):
    id: Annotated[int, Key]
    tiny: Annotated[int, Int8] = 0
    small: Annotated[int, Int16] = 0
    medium: Annotated[int, Int32] | None = None
    letter: Annotated[str, Char] = "a"
    price: Annotated[Decimal, Precision(5, 2)] = Decimal("0")
    code: Annotated[str, Precision(3)] = ""
    must: Annotated[int | None, NotNull] = 0
    at: time | None = None


@pytest.fixture
def tickets(db: Any, schema: Any) -> Any:
    schema(OrmTicket)
    repo = db.repository(OrmTicket)
    repo.put_many(
        [
            OrmTicket(id=1, status=Status.OPEN, priority=Priority.HIGH),
            OrmTicket(id=2, status=Status.CLOSED, priority=Priority.LOW),
            OrmTicket(id=3, status=Status.OPEN, priority=Priority.LOW),
        ]
    )
    return repo


# -- item 3: enums as parameters ---------------------------------------------------------


def test_enums_are_sql_parameters_as_they_are_stored(tickets: Any) -> None:
    assert sorted(t.id for t in tickets.select("status = ?", Status.OPEN)) == [1, 3]
    assert [t.id for t in tickets.select("priority = ?", Priority.HIGH)] == [1]
    assert [t.id for t in tickets.select("status = ? AND priority = ?", "open", 9)] == [1]
    rows = list(
        tickets.sql('SELECT id FROM "PUBLIC"."ORMTICKET" WHERE priority < ?', Priority.HIGH)
    )
    assert sorted(r.id for r in rows) == [2, 3]


# -- item 5: model_copy(update=...) is validated ------------------------------------------


def test_model_copy_updates_are_validated(tickets: Any) -> None:
    t = tickets.get(1)
    with pytest.raises(ValidationError):
        t.model_copy(update={"status": "bogus"})
    with pytest.raises(ValidationError):
        t.model_copy(update={"tags": "urgent"})
    with pytest.raises(ValidationError):
        t.model_copy(update={"no_such_field": 1})
    closed = t.model_copy(update={"status": "closed"})
    assert closed.status is Status.CLOSED
    assert tickets.replace_if(t, closed)
    assert tickets.get(1).status is Status.CLOSED
    assert all(x.status in Status for x in tickets.scan())


def test_an_unvalidated_instance_is_refused_before_it_is_sent(tickets: Any) -> None:
    bad = OrmTicket.model_construct(id=5, status="bogus", priority=Priority.LOW, tags=[])
    with pytest.raises(ValueError, match="status"):
        tickets.put(bad)
    assert tickets.get(5) is None


# -- item 6: a bad stored value ------------------------------------------------------------


@pytest.mark.parametrize("validate", [False, True])
def test_a_bad_stored_value_raises_a_typed_error_naming_model_key_and_field(
    tickets: Any, sql_rows: Any, validate: bool
) -> None:
    sql_rows("UPDATE ORMTICKET SET status = 'bogus' WHERE id = 2")
    with pytest.raises(StoredValueError) as info:
        tickets.get(2, validate=validate)
    err = info.value
    assert (err.model, err.key, err.field) == ("OrmTicket", 2, "status")
    assert "OrmTicket with key 2: stored field 'status'" in str(err)
    with pytest.raises(StoredValueError):
        list(tickets.scan(validate=validate))
    with pytest.raises(StoredValueError):
        tickets.select(validate=validate)
    skipped: list[StoredValueError] = []
    good = list(tickets.scan(validate=validate, on_invalid=skipped.append))
    assert sorted(t.id for t in good) == [1, 3]
    assert [e.key for e in skipped] == [2]
    skipped.clear()
    assert sorted(t.id for t in tickets.select(on_invalid=skipped.append)) == [1, 3]
    assert [e.field for e in skipped] == ["status"]


# -- item 8: markers pydantic can see ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("tiny", 128, -128),
        ("small", 40000, -32768),
        ("medium", 2**31, 2**31 - 1),
        ("letter", "ab", "z"),
        ("letter", "\U0001f600", "\u00e9"),
        ("price", Decimal("1234.5"), Decimal("999.99")),
        ("price", Decimal("1.234"), Decimal("-1.23")),
        ("code", "abcd", "abc"),
        ("must", None, 5),
    ],
)
def test_markers_are_checked_at_construction_and_assignment(
    field: str, bad: Any, good: Any
) -> None:
    with pytest.raises(ValidationError, match=field):
        OrmMarked(id=1, **{field: bad})
    obj = OrmMarked(id=1, **{field: good})
    with pytest.raises(ValidationError, match=field):
        setattr(obj, field, bad)
    assert getattr(obj, field) == good


def test_values_at_the_markers_limits_round_trip(db: Any, schema: Any) -> None:
    schema(OrmMarked)
    repo = db.repository(OrmMarked)
    edge = OrmMarked(
        id=1,
        tiny=127,
        small=-32768,
        medium=2**31 - 1,
        letter="\u00e9",
        price=Decimal("999.99"),
        code="abc",
        at=time(23, 59, 59, 999000),
    )
    repo.put(edge)
    assert repo.get(1, validate=True) == edge


# -- item 9: the smaller ones ----------------------------------------------------------------


def test_time_with_microseconds_is_refused_not_truncated() -> None:
    with pytest.raises(ValidationError, match="millisecond"):
        OrmMarked(id=1, at=time(1, 2, 3, 456789))
    obj = OrmMarked(id=1, at=time(1, 2, 3, 456000))
    with pytest.raises(ValidationError, match="millisecond"):
        obj.at = time(0, 0, 0, 1)


def test_a_new_required_field_without_default_is_flagged_by_the_plan(
    db: Any, schema: Any, suffix: str
) -> None:
    where = {"cache": f"orm_req_{suffix}", "type_name": f"OrmReq_{suffix}", "table": "OrmReq"}

    class V1(IgniteModel, **where):
        id: Annotated[int, Key]

    class V2(IgniteModel, **where):
        id: Annotated[int, Key]
        name: str

    schema(V1)
    db.repository(V1).put(V1(id=1))
    plan = db.plan(V2)
    assert [s.kind for s in plan.conflicts] == ["conflict"]
    assert "'name' is new and required" in str(plan)
    with pytest.raises(SchemaConflictError, match="required"):
        db.create_all(V2)
    # Reading an old row with the newer model: a typed error, never None in a str field.
    with pytest.raises(StoredValueError, match="name"):
        db.repository(V2).get(1)


def test_a_type_conflict_names_the_types(db: Any, schema: Any, suffix: str) -> None:
    where = {"cache": f"orm_tc_{suffix}", "type_name": f"OrmTc_{suffix}", "table": "OrmTc"}

    class V1(IgniteModel, **where):
        id: Annotated[int, Key]
        price: Decimal = Decimal(0)

    class V2(IgniteModel, **where):
        id: Annotated[int, Key]
        price: float = 0.0

    schema(V1)
    message = str(db.plan(V2))
    assert "is Decimal in the cluster, float (double) in the model" in message
    assert "type code" not in message
