"""``repository.load``: model instances through the data streamer, sync and asyncio.

Issue 14, item 3.  A generator is consumed lazily and stored whole; what was stored is
visible to key-value reads and to SQL; ``allow_overwrite=False`` (the default, Ignite's)
keeps stored objects; a batch the cluster refuses is reported with its keys.
"""

from collections.abc import Iterator
from typing import Annotated, Any

import pytest

from ignite_orm import AffinityKey, IgniteModel, Indexed, Key
from ignite_wire.exceptions import CacheDoesNotExistError
from ignite_wire.streamer import DataStreamerError


class OrmLoadItem(IgniteModel, cache="orm_load_items"):
    id: Annotated[int, Key]
    name: Annotated[str, Indexed]
    quantity: int = 0


class OrmLoadLine(IgniteModel, cache="orm_load_lines"):
    order_id: Annotated[int, Key, AffinityKey]
    line: Annotated[int, Key]
    sku: str


def items(n: int, start: int = 0, name: str = "item") -> Iterator[OrmLoadItem]:
    for i in range(start, start + n):
        yield OrmLoadItem(id=i, name=f"{name} {i}", quantity=i % 10)


def test_load_stores_a_generator_and_reports_progress(db: Any, schema: Any) -> None:
    schema(OrmLoadItem)
    repo = db.repository(OrmLoadItem)
    seen: list[tuple[int, int]] = []
    stored = repo.load(items(2500), batch_size=400, progress=lambda *p: seen.append(p))
    assert stored == 2500
    assert repo.count() == 2500
    assert repo.get(1234) == OrmLoadItem(id=1234, name="item 1234", quantity=4)
    assert seen == sorted(seen)
    assert seen[-1] == (2500, 0)
    # SQL sees what the streamer wrote (the table's index included)
    rows = db.client.sql(
        "SELECT id FROM OrmLoadItem WHERE name = ?", query_args=["item 2499"], schema="PUBLIC"
    )
    assert [list(r) for r in rows] == [[2499]]


def test_load_with_composite_keys(db: Any, schema: Any) -> None:
    schema(OrmLoadLine)
    repo = db.repository(OrmLoadLine)
    lines = (
        OrmLoadLine(order_id=o, line=n, sku=f"sku-{o}-{n}") for o in range(50) for n in range(4)
    )
    assert repo.load(lines, batch_size=64) == 200
    assert repo.count() == 200
    assert repo.get(order_id=7, line=3) == OrmLoadLine(order_id=7, line=3, sku="sku-7-3")


def test_allow_overwrite_false_keeps_stored_objects(db: Any, schema: Any) -> None:
    schema(OrmLoadItem)
    repo = db.repository(OrmLoadItem)
    repo.put(OrmLoadItem(id=1, name="old"))
    repo.load(items(3, name="new"))
    assert repo.get(1) == OrmLoadItem(id=1, name="old")  # kept
    assert repo.get(2) == OrmLoadItem(id=2, name="new 2", quantity=2)
    repo.load(items(3, name="newer"), allow_overwrite=True)
    assert repo.get(1) == OrmLoadItem(id=1, name="newer 1", quantity=1)
    assert repo.count() == 3


def test_refused_batches_are_reported_with_their_keys(db: Any, schema: Any) -> None:
    schema(OrmLoadItem)
    repo = db.repository(OrmLoadItem)
    repo.count()  # the repository holds its cache handle...
    db.drop_all(OrmLoadItem)  # ...and the cache is gone: every batch is refused
    with pytest.raises(DataStreamerError) as err:
        repo.load(items(250), batch_size=100)
    failures = err.value.failures
    assert sorted(len(f.keys) for f in failures) == [50, 100, 100]  # in order of answer
    # the keys as the cache stores them: what repository.key() makes
    assert sorted(k for f in failures for k in f.keys) == [repo.key(i) for i in range(250)]
    assert all(isinstance(f.error, CacheDoesNotExistError) for f in failures)
    assert "orm_load_items" in failures[0].error.message
    assert (err.value.loaded, err.value.failed) == (0, 250)


def test_an_object_of_another_model_is_refused(db: Any, schema: Any) -> None:
    schema(OrmLoadItem)
    repo = db.repository(OrmLoadItem)
    with pytest.raises(TypeError, match="expected a OrmLoadItem"):
        repo.load([OrmLoadItem(id=1, name="a"), OrmLoadLine(order_id=1, line=1, sku="x")])
    # what was staged before the bad object is still stored
    assert repo.get(1) == OrmLoadItem(id=1, name="a")
