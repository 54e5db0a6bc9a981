"""The session's bookkeeping (ignite_orm._unit_of_work), with plain model objects: which
objects are dirty, which writes a commit performs and in what order, and what the session
tracks afterwards.  No server: the session twins only carry these writes out (the live
behaviour is tests/orm/test_orm_sessions.py)."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field

from ignite_orm import ConcurrentUpdateError, IgniteModel, Key, Version
from ignite_orm._unit_of_work import UnitOfWork, ident_of
from ignite_wire.datatypes.cache_config import CacheAtomicityMode

TX = CacheAtomicityMode.TRANSACTIONAL


class UowPlain(IgniteModel, cache="uow_plain", atomicity=TX):
    id: Annotated[int, Key]
    name: str = ""
    tags: list[str] = Field(default_factory=list)


class UowVersioned(IgniteModel, cache="uow_versioned", atomicity=TX):
    id: Annotated[int, Key]
    name: str = ""
    version: Annotated[int | None, Version] = None


class UowAtomic(IgniteModel, cache="uow_atomic"):
    a: Annotated[int, Key]
    b: Annotated[str, Key]


def test_nothing_changed_plans_no_commit() -> None:
    work = UnitOfWork()
    obj = UowPlain(id=1)
    work.track(ident_of(obj), obj)
    assert work.plan() is None


def test_a_loaded_object_mutated_in_place_is_dirty_even_in_a_nested_list() -> None:
    work = UnitOfWork()
    obj = UowPlain(id=1, tags=["a"])
    work.track(ident_of(obj), obj)
    obj.tags.append("b")  # the loaded copy is deep: the change is seen
    commit = work.plan()
    assert commit is not None
    assert [(w.kind, w.obj) for w in commit.writes] == [("put", obj)]
    assert commit.transactional


def test_writes_come_in_order_dirty_new_deleted() -> None:
    work = UnitOfWork()
    loaded, gone = UowPlain(id=1), UowPlain(id=2)
    work.track(ident_of(loaded), loaded)
    work.track(ident_of(gone), gone)
    loaded.name = "changed"
    fresh = UowPlain(id=3)
    work.add(fresh)
    work.delete(gone)
    commit = work.plan()
    assert commit is not None
    assert [(w.kind, w.obj.id) for w in commit.writes] == [
        ("put", 1),
        ("put", 3),
        ("delete", 2),
    ]


def test_a_versioned_dirty_object_is_a_replace_of_what_was_loaded_one_version_up() -> None:
    work = UnitOfWork()
    obj = UowVersioned(id=7, name="a", version=4)
    work.track(ident_of(obj), obj)
    obj.name = "b"
    commit = work.plan()
    assert commit is not None
    (write,) = commit.writes
    assert write.kind == "replace"
    assert write.expected == UowVersioned(id=7, name="a", version=4)
    assert write.new == UowVersioned(id=7, name="b", version=5)
    assert obj.version == 4  # unchanged until the replace succeeded
    write.replaced()
    assert obj.version == 5
    error = write.conflict()
    assert isinstance(error, ConcurrentUpdateError)
    assert "UowVersioned (7,) changed since it was loaded" in str(error)


def test_a_versioned_object_never_versioned_starts_at_one() -> None:
    work = UnitOfWork()
    obj = UowVersioned(id=1)
    work.track(ident_of(obj), obj)
    obj.name = "x"
    commit = work.plan()
    assert commit is not None
    assert commit.writes[0].new is not None
    assert commit.writes[0].new.version == 1


def test_one_atomic_cache_makes_the_commit_non_transactional() -> None:
    work = UnitOfWork()
    work.add(UowPlain(id=1))
    work.add(UowAtomic(a=1, b="x"))
    commit = work.plan()
    assert commit is not None
    assert not commit.transactional


def test_adding_another_instance_for_a_loaded_key_replaces_the_loaded_one() -> None:
    work = UnitOfWork()
    loaded = UowPlain(id=1, name="old")
    work.track(ident_of(loaded), loaded)
    other = UowPlain(id=1, name="new")
    work.add(other)
    assert work.find(UowPlain, ident_of(loaded)) is other
    commit = work.plan()
    assert commit is not None
    assert [(w.kind, w.obj) for w in commit.writes] == [("put", other)]


def test_delete_cancels_an_add_and_add_cancels_a_delete() -> None:
    work = UnitOfWork()
    obj = UowPlain(id=1)
    work.add(obj)
    work.delete(obj)
    commit = work.plan()
    assert commit is not None
    assert [w.kind for w in commit.writes] == ["delete"]
    work.add(obj)
    commit = work.plan()
    assert commit is not None
    assert [w.kind for w in commit.writes] == ["put"]


def test_attach_returns_the_tracked_object_for_a_key() -> None:
    work = UnitOfWork()
    first = UowAtomic(a=1, b="k")
    assert work.attach(first) is first
    assert work.attach(UowAtomic(a=1, b="k")) is first
    assert work.plan() is None


def test_after_a_commit_the_session_tracks_what_it_wrote() -> None:
    work = UnitOfWork()
    fresh, loaded, gone = UowPlain(id=1), UowPlain(id=2), UowPlain(id=3)
    work.add(fresh)
    work.track(ident_of(loaded), loaded)
    work.track(ident_of(gone), gone)
    loaded.name = "changed"
    work.delete(gone)
    commit = work.plan()
    assert commit is not None
    work.committed(commit)
    assert work.plan() is None
    assert work.find(UowPlain, ident_of(fresh)) is fresh
    assert work.find(UowPlain, ident_of(gone)) is None
    fresh.name = "later"  # a change after the commit is the next commit's write
    commit = work.plan()
    assert commit is not None
    assert [(w.kind, w.obj) for w in commit.writes] == [("put", fresh)]


def test_clear_forgets_everything() -> None:
    work = UnitOfWork()
    work.add(UowPlain(id=1))
    work.delete(UowPlain(id=2))
    work.clear()
    assert work.plan() is None
    assert repr(work) == "tracked=0 new=0 deleted=0"


def test_an_embedded_model_has_no_identity() -> None:
    class UowEmbedded(IgniteModel):
        x: int = 0

    with pytest.raises(TypeError, match="can only be embedded"):
        ident_of(UowEmbedded())


class UowOwnEq(IgniteModel, cache="uow_own_eq"):
    id: Annotated[int, Key]
    name: str = ""

    def __eq__(self, other: object) -> bool:  # names compared case-insensitively
        def key(obj: UowOwnEq) -> object:
            return obj.id, str(obj.__dict__.get("name")).lower()

        return isinstance(other, UowOwnEq) and key(self) == key(other)

    __hash__ = None  # type: ignore[assignment]


def _states(model: type[IgniteModel], name: str) -> list[IgniteModel]:
    """Objects of ``model`` (id 1) as a session may hold them: changed, unchanged, made
    without validation, missing a field, with a value of another type."""
    made = model.model_construct(id=1)
    del made.__dict__["name"]  # no name at all in __dict__
    odd = model(id=1, name=name)
    odd.__dict__["name"] = 5  # a value no validation let in
    return [model(id=1, name=name), model(id=1, name=name.upper()), made, odd]


@pytest.mark.parametrize("model", [UowPlain, UowOwnEq])
def test_the_dirty_check_is_the_models_own_inequality(model: type[IgniteModel]) -> None:
    # plan() decides pydantic's usual "changed" case from the __dicts__ (changed() and its
    # inline copy in plan); every object must be dirty exactly when != says so
    from ignite_orm._unit_of_work import changed

    states = _states(model, "ab") + _states(model, "AB")
    for obj in states:
        for loaded in states:
            expected = obj != loaded
            assert changed(obj, loaded) is expected
            work = UnitOfWork()
            work.identity[ident_of(obj)] = obj
            work.loaded[ident_of(obj)] = loaded
            commit = work.plan()
            assert (commit is not None) is expected
