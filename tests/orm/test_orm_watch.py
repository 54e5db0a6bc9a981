"""``repository.watch()`` against a live node, with ``Database`` and ``AioDatabase``: every
change another database makes arrives as a typed ``Change`` of model instances, in order
per key, after the optional snapshot; closing stops it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any

import pytest

from ignite_orm import IgniteModel, Indexed, Key
from ignite_orm.changes import Change, ChangeType

MUST_COME = 15.0


class OrmWatchMember(IgniteModel, cache="orm_watch_members"):
    team: Annotated[str, Key]
    number: Annotated[int, Key]
    name: Annotated[str, Indexed]
    goals: int = 0


def take(watch: Any, count: int) -> list[Any]:
    got: list[Any] = []
    deadline = time.monotonic() + MUST_COME
    while len(got) < count:
        change = watch.get(timeout=max(0.0, deadline - time.monotonic()))
        assert change is not None, f"only {len(got)} of {count} changes came: {got}"
        got.append(change)
    return got


def test_watch_sees_every_change_of_another_client_typed_and_in_order(
    db: Any,
    schema: Any,
    connect: Callable[..., Any],
    node_endpoints: list[tuple[str, int]],
) -> None:
    schema(OrmWatchMember)
    members = db.repository(OrmWatchMember)
    writer = connect(node_endpoints).repository(OrmWatchMember)
    members.put(OrmWatchMember(team="red", number=9, name="Ann", goals=1))
    with members.watch(snapshot=True) as watch:
        (first,) = take(watch, 1)
        watch.confirm_live("marker")  # past the server's start window (change-streams.md)
        assert first == Change(
            ChangeType.SNAPSHOT,
            first.key,
            None,
            OrmWatchMember(team="red", number=9, name="Ann", goals=1),
        )
        for goals in range(2, 5):
            writer.put(OrmWatchMember(team="red", number=9, name="Ann", goals=goals))
        writer.put(OrmWatchMember(team="blue", number=1, name="Bo"))
        writer.delete(team="red", number=9)
        changes = take(watch, 5)
        red = [
            c
            for c in changes
            if (c.old is not None and c.old.team == "red")
            or (c.new is not None and c.new.team == "red")
        ]
        assert [
            (c.type, c.old.goals if c.old else None, c.new.goals if c.new else None) for c in red
        ] == [
            (ChangeType.UPDATED, 1, 2),
            (ChangeType.UPDATED, 2, 3),
            (ChangeType.UPDATED, 3, 4),
            (ChangeType.REMOVED, 4, None),
        ]
        (blue,) = [c for c in changes if c not in red]
        assert blue.type is ChangeType.CREATED
        assert blue.new == OrmWatchMember(team="blue", number=1, name="Bo")
        assert all(isinstance(c.new or c.old, OrmWatchMember) for c in changes)
    assert watch.get(timeout=0.1) is None  # closed: nothing more
    writer.put(OrmWatchMember(team="green", number=2, name="Cy"))
    assert watch.get(timeout=0.3) is None


@pytest.mark.timeout(60)  # iteration waits for ever: a lost event fails here, not hangs
def test_watch_as_an_iterator(db: Any, schema: Any) -> None:
    schema(OrmWatchMember)
    members = db.repository(OrmWatchMember)
    watch = members.watch()
    with watch:
        watch.confirm_live("marker")
        members.put(OrmWatchMember(team="x", number=1, name="A"))
        members.put(OrmWatchMember(team="x", number=2, name="B"))
        seen = []
        for change in watch:
            seen.append(change.new.name)
            if len(seen) == 2:
                break
    assert seen == ["A", "B"]
