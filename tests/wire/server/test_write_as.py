"""``ignite_wire.binary.write_as`` on a real node: an instance of the registered class is
stored as an object of its binary class (single put and ``put_all``, both clients), and
reads back as that object, equal to the one ``from_fields`` builds from the same values."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ignite_wire.binary import GenericObjectMeta, from_fields, write_as
from ignite_wire.datatypes import DoubleObject, LongObject, String


class StoredPoint(
    metaclass=GenericObjectMeta,
    type_name="WriteAsStoredPoint",
    schema=OrderedDict([("x", LongObject), ("label", String), ("w", DoubleObject)]),
):
    pass


class Point:
    def __init__(self, key: int, x: int, label: str | None, w: float) -> None:
        self.key, self.x, self.label, self.w = key, x, label, w


write_as(Point, StoredPoint)


def test_instances_are_stored_as_their_binary_class(cache: Any) -> None:
    points = [Point(i, i * 10, f"p{i}" if i % 3 else None, i / 7) for i in range(50)]
    cache.put(points[0].key, points[0])
    cache.put_all([(p.key, p) for p in points[1:]])
    stored = cache.get_all(range(50))
    assert len(stored) == 50
    for p in points:
        value = stored[p.key]
        assert type(value) is StoredPoint
        assert value == from_fields(StoredPoint, {"x": p.x, "label": p.label, "w": p.w})
    # the server compares the bytes: the stored object is the one from_fields builds
    p = points[7]
    same = from_fields(StoredPoint, {"x": p.x, "label": p.label, "w": p.w})
    assert cache.replace_if_equals(p.key, same, Point(p.key, 1, "new", 0.0))
    assert cache.get(p.key) == StoredPoint(x=1, label="new", w=0.0)
