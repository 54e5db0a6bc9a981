"""A session's bookkeeping: identity map, dirty check, and the writes a commit performs.

No I/O here: :class:`UnitOfWork` records what a session loaded, added and deleted, and
:meth:`UnitOfWork.plan` *returns* the writes a commit must perform (as httpcore's pool
returns the connections to open), which the session twins carry out.  So the rules
(which objects are dirty, which writes are compare-and-replace, whether the commit can
run in one transaction, what the session tracks afterwards) are tested with plain
objects, without a cluster.

Each object is tracked under its identity ``(model class, key field values)``.  What was
loaded is kept as a deep copy: the dirty check and compare-and-replace need the stored
state, nested models included, whatever the caller mutated since.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel

from ignite_wire.datatypes.cache_config import CacheAtomicityMode

from ._fast_build import snapshot
from .errors import ConcurrentUpdateError
from .mapping import info_of
from .model import IgniteModel

__all__ = ["Commit", "Ident", "UnitOfWork", "Write"]

M = TypeVar("M", bound=IgniteModel)
#: ``(model class, key field values)``: one object per identity in a session.
Ident = tuple[type, tuple[Any, ...]]


@dataclass(slots=True)
class Write:
    """One write of a commit (read-only by convention: not ``frozen``, whose generated
    ``__init__`` stores each field through ``object.__setattr__``, as costly as the
    dirty check of the object).

    ``put`` stores ``obj``; ``delete`` removes it; ``replace`` stores ``new`` only if the
    stored object is still ``expected`` (what was loaded), for models with a ``Version``
    field: ``new`` is ``obj`` with the version one higher.
    """

    kind: Literal["put", "replace", "delete"]
    ident: Ident
    obj: IgniteModel
    expected: IgniteModel | None = None
    new: IgniteModel | None = None
    version: str | None = None

    def replaced(self) -> None:
        """After a successful replace: the session's object takes the new version."""
        assert self.version is not None
        assert self.new is not None
        self.obj.__dict__[self.version] = self.new.__dict__[self.version]

    def conflict(self) -> ConcurrentUpdateError:
        """The error for a replace the cluster refused (someone else wrote first)."""
        return ConcurrentUpdateError(
            f"{type(self.obj).__name__} {self.ident[1]} changed since it was loaded"
        )


@dataclass(frozen=True, slots=True)
class Commit:
    """What a commit performs: ``writes`` in order, in one transaction if ``transactional``."""

    writes: list[Write]
    transactional: bool
    #: The changed loaded objects: tracked against their new state after the commit.
    dirty: list[tuple[Ident, IgniteModel]]


def ident_of(obj: IgniteModel) -> Ident:
    """The identity of ``obj``: its class and its key fields' values."""
    info = info_of(type(obj))
    return type(obj), tuple(obj.__dict__[f.name] for f in info.key_fields)


#: The field names of a model class whose ``==`` is pydantic's own (else ``None``): the
#: dirty check's short cut (see :func:`changed`).
_PYDANTIC_EQ: dict[type, Any] = {}


def _eq_fields(model: type) -> Any:
    """The field names of ``model`` if its ``==`` is pydantic's own, else ``None``."""
    fields = _PYDANTIC_EQ.get(model, 0)
    if fields == 0:
        own = model.__eq__ is not BaseModel.__eq__  # type: ignore[comparison-overlap]
        fields = _PYDANTIC_EQ[model] = None if own else model.model_fields.keys()  # type: ignore[attr-defined]
    return fields


def changed(obj: IgniteModel, loaded: IgniteModel) -> bool:
    """``obj != loaded``, with pydantic's answer for the usual change found in two steps.

    pydantic's ``==`` (2.6 and later) first compares the classes, private and extra
    values, then the ``__dict__``s; when those differ and hold nothing but fields it
    answers "not equal" whatever came first.  That case (a changed object) is decided
    here from the ``__dict__``s alone; any other goes to ``!=`` itself.  A class with its
    own ``__eq__`` always does.  (:meth:`UnitOfWork.plan` runs these lines inline.)
    """
    fields = _eq_fields(type(obj))
    d, e = obj.__dict__, loaded.__dict__
    return (
        fields is not None and d != e and d.keys() <= fields and e.keys() <= fields
    ) or obj != loaded


class UnitOfWork:
    """The identity map and pending changes of one session; see the module docstring."""

    def __init__(self) -> None:
        self.identity: dict[Ident, IgniteModel] = {}
        self.loaded: dict[Ident, IgniteModel] = {}
        self.new: dict[Ident, IgniteModel] = {}
        self.deleted: dict[Ident, IgniteModel] = {}

    def __repr__(self) -> str:
        return f"tracked={len(self.identity)} new={len(self.new)} deleted={len(self.deleted)}"

    def find(self, model: type[M], ident: Ident) -> M | None:
        """The session's object for ``ident`` (loaded or added), if it has one."""
        found = self.identity.get(ident) or self.new.get(ident)
        return cast("M | None", found)

    def track(self, ident: Ident, obj: IgniteModel) -> None:
        """``obj`` was read from the cluster: track it against a copy of what was read."""
        self.identity[ident] = obj
        self.loaded[ident] = snapshot(obj)

    def attach(self, obj: IgniteModel) -> IgniteModel:
        """The session's object for ``obj``'s key: the one already tracked, or ``obj``."""
        ident = ident_of(obj)
        found = self.identity.get(ident) or self.new.get(ident)
        if found is not None:
            return found
        self.track(ident, obj)
        return obj

    def add(self, obj: IgniteModel) -> None:
        """Write ``obj`` at commit (insert or overwrite)."""
        ident = ident_of(obj)
        self.deleted.pop(ident, None)
        if ident in self.identity:
            # Another instance for a loaded key replaces the loaded one: it is written at
            # commit (compared with what was loaded, Version checked) like a change to it.
            self.identity[ident] = obj
        else:
            self.new[ident] = obj

    def delete(self, obj: IgniteModel) -> None:
        """Remove ``obj`` at commit."""
        ident = ident_of(obj)
        self.new.pop(ident, None)
        self.deleted[ident] = obj

    def clear(self) -> None:
        """Forget everything (a rollback: nothing was written)."""
        self.identity.clear()
        self.loaded.clear()
        self.new.clear()
        self.deleted.clear()

    def plan(self) -> Commit | None:
        """The writes a commit performs now, or ``None`` when nothing changed.

        Changed loaded objects first (a ``replace`` of the loaded state when the model has
        a ``Version`` field, else a ``put``), then added objects, then deletions.  The
        commit is transactional when every cache involved is.
        """
        loaded, deleted, eq_fields = self.loaded, self.deleted, _PYDANTIC_EQ
        dirty = []
        for ident, obj in self.identity.items():
            if ident in deleted:
                continue
            # changed(obj, old), inline: a call per tracked object costs as much again
            old = loaded[ident]
            fields = eq_fields.get(type(obj), 0)
            if fields == 0:
                fields = _eq_fields(type(obj))
            d, e = obj.__dict__, old.__dict__
            if (
                fields is not None and d != e and d.keys() <= fields and e.keys() <= fields
            ) or obj != old:
                dirty.append((ident, obj))
        models = {i[0] for i, _ in dirty} | {i[0] for i in self.new} | {i[0] for i in self.deleted}
        if not models:
            return None
        transactional = all(
            info_of(m).settings.atomicity == CacheAtomicityMode.TRANSACTIONAL for m in models
        )
        versions: dict[type, str | None] = {}  # each class's Version field, looked up once
        writes = []
        for ident, obj in dirty:
            model = type(obj)
            if model in versions:
                version = versions[model]
            else:
                version = versions[model] = info_of(model).version_field
            if version is None:
                writes.append(Write("put", ident, obj))
            else:
                writes.append(self._write_dirty(ident, obj, version))
        writes += [Write("put", ident, obj) for ident, obj in self.new.items()]
        writes += [Write("delete", ident, obj) for ident, obj in self.deleted.items()]
        return Commit(writes, transactional, dirty)

    def _write_dirty(self, ident: Ident, obj: IgniteModel, version: str) -> Write:
        loaded = self.loaded[ident]
        updated = obj.model_copy(update={version: (getattr(loaded, version) or 0) + 1})
        return Write("replace", ident, obj, loaded, updated, version)

    def committed(self, commit: Commit) -> None:
        """After a commit the session goes on tracking what it wrote: a later change to
        one of these objects is written by the next commit, checked against what this
        one stored."""
        for ident, obj in self.new.items():
            self.track(ident, obj)
        for ident, obj in commit.dirty:
            self.loaded[ident] = snapshot(obj)
        for ident in self.deleted:
            self.identity.pop(ident, None)
            self.loaded.pop(ident, None)
        self.new.clear()
        self.deleted.clear()
