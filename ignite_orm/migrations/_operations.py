"""What a migration script can do: ``upgrade(op)`` receives an :class:`Operations`.

Each operation works on the models the script declares (frozen copies), through the
ORM and ``ignite_wire``'s public API, and reports progress for steps that touch every
row.  Steps are written to be run again after an interruption: a backfill only fills
rows that lack the field, a column drop is ``IF EXISTS``, a move to a new binary type
resumes from its staging cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ignite_wire import Cache
from ignite_wire.binary import absent_fields_of

from .._sql_names import qualified_name, quote_identifier
from ..database import Database
from ..mapping import ModelInfo
from ..model import IgniteModel
from ._errors import MigrationError
from ._history import History

__all__ = ["Operations", "Progress"]

#: ``progress(step, done, total)``: ``total`` is ``None`` when unknown.
Progress = Callable[[str, int, "int | None"], None]


def _info(model: type[IgniteModel]) -> ModelInfo[IgniteModel]:
    info = getattr(model, "__ignite__", None)
    if not isinstance(info, ModelInfo) or not info.is_table:
        raise MigrationError(f"{model!r} is not an IgniteModel with a cache")
    return info


class Operations:
    """The operations of one migration run (see the module docstring)."""

    def __init__(
        self,
        db: Database,
        history: History,
        *,
        progress: Progress | None = None,
        heartbeat: Callable[[], None] | None = None,
        batch_size: int = 500,
    ) -> None:
        self.db = db
        self._history = history
        self._progress = progress
        self._heartbeat = heartbeat
        self.batch_size = batch_size

    def __repr__(self) -> str:
        return f"<Operations db={self.db!r} batch_size={self.batch_size}>"

    # -- plumbing --------------------------------------------------------------------------

    def report(self, step: str, done: int, total: int | None) -> None:
        """Report progress of a long step (and keep the migration lock alive)."""
        if self._heartbeat is not None:
            self._heartbeat()
        if self._progress is not None:
            self._progress(step, done, total)

    def _cache(self, info: ModelInfo[IgniteModel]) -> Cache:
        assert info.cache_name is not None
        return self.db.client.get_cache(info.cache_name)

    def _rows(self, cache: Cache, step: str) -> Iterable[tuple[Any, Any]]:
        """Every ``(key, value)`` of ``cache``, reporting progress as it goes."""
        total = cache.get_size()
        done = 0
        self.report(step, 0, total)
        last = time.monotonic()
        with cache.scan(page_size=self.batch_size) as cursor:
            for key, value in cursor:
                yield key, value
                done += 1
                if time.monotonic() - last >= 0.5:
                    self.report(step, done, total)
                    last = time.monotonic()
        self.report(step, done, max(total, done))

    def _write(self, cache: Cache, entries: Iterable[tuple[Any, Any]]) -> int:
        """Put ``entries`` into ``cache`` in batches; how many were written."""
        batch: list[tuple[Any, Any]] = []
        count = 0
        for entry in entries:
            batch.append(entry)
            count += 1
            if len(batch) >= self.batch_size:
                cache.put_all(batch)
                batch.clear()
        if batch:
            cache.put_all(batch)
        return count

    # -- operations ------------------------------------------------------------------------

    def create_all(self, *models: type[IgniteModel]) -> None:
        """What ``Database.create_all`` does (caches, tables, new columns, indexes)."""
        self.db.create_all(*models)

    def sql(self, statement: str, *args: Any) -> list[list[Any]]:
        """Run a SQL statement (DDL or DML); its rows."""
        return list(self.db.client.sql(statement, query_args=list(args)))

    def drop_column(self, model: type[IgniteModel], column: str, *, rewrite: bool = True) -> int:
        """Drop ``column`` from the model's table.

        ``model`` is the model *without* the field.  With ``rewrite`` every row is written
        again through it, so the field's data leaves the stored objects too (SQL forgets
        the column at once; the objects would otherwise carry the value on).  Returns the
        number of rows rewritten.
        """
        info = _info(model)
        if column in info.by_name or any(f.column.upper() == column.upper() for f in info.fields):
            raise MigrationError(
                f"{model.__name__} still declares {column!r}: pass the model without it"
            )
        table = qualified_name(info.settings.sql_schema, info.table)
        self.sql(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {quote_identifier(column)}")
        if not rewrite:
            return 0
        self.db.client.register_binary_type(info.value_class)
        cache = self._cache(info)
        rows = self._rows(cache, f"drop {model.__name__}.{column}")
        return self._write(cache, (info.to_entry(info.from_entry(k, v)) for k, v in rows))

    def backfill(
        self,
        model: type[IgniteModel],
        field: str,
        compute: Callable[[Any], Any],
        *,
        only_missing: bool = True,
    ) -> int:
        """Set ``field`` of every row to ``compute(row)`` (the row as a ``model``).

        With ``only_missing`` (the default) only rows written before the field existed
        are filled, so a rerun, or rows the new application already wrote, are left
        alone.  Returns the number of rows written.  Writers that run meanwhile may see
        their change to such a row overwritten: backfill before the new code writes.
        """
        info = _info(model)
        if field not in info.by_name:
            raise MigrationError(f"{model.__name__} has no field {field!r}")
        self.db.client.register_binary_type(info.value_class)
        cache = self._cache(info)

        def filled() -> Iterator[tuple[Any, Any]]:
            for key, value in self._rows(cache, f"backfill {model.__name__}.{field}"):
                if only_missing and value is not None and field not in absent_fields_of(value):
                    continue
                obj = info.from_entry(key, value)
                setattr(obj, field, compute(obj))  # validated on assignment
                yield info.to_entry(obj)

        return self._write(cache, filled())

    def move_to_new_type(
        self,
        old: type[IgniteModel],
        new: type[IgniteModel],
        convert: Callable[[Any], IgniteModel] | None = None,
        *,
        drop_old: bool = True,
    ) -> int:
        """Move every row of ``old`` to ``new``, a model with another binary type name
        (needed when a field's type changes: a binary type's field types are fixed).

        ``convert(old_row)`` returns the ``new`` instance (default: ``new`` validated
        from the old row's fields).  When both use the same cache, the rows go through a
        staging cache: copied there, the cache is recreated for ``new``, and copied back;
        an interrupted move resumes from the staging cache.  Otherwise ``new``'s cache is
        created and filled, and ``old``'s destroyed unless ``drop_old=False``.  Returns
        the number of rows moved.
        """
        info_old, info_new = _info(old), _info(new)
        if info_old.type_name == info_new.type_name:
            raise MigrationError(
                f"{new.__name__} must have another type_name than {old.__name__} "
                f"({info_new.type_name!r}): a binary type's field types cannot change"
            )
        make = convert or (lambda row: new.model_validate(row.model_dump()))
        client = self.db.client
        client.register_binary_type(info_old.value_class)
        client.register_binary_type(info_new.value_class)
        if info_new.key_class is not None:
            client.register_binary_type(info_new.key_class)
        same_cache = info_old.cache_name == info_new.cache_name
        assert info_new.cache_name is not None
        target = (
            f"{info_new.cache_name}__to_{info_new.type_name}" if same_cache else info_new.cache_name
        )
        marker = f"staged:{target}"
        names = set(client.get_cache_names())
        if not same_cache:
            self.db.create_all(new)
        count = 0
        if not (same_cache and self._history.marker(marker)):
            staging = client.get_or_create_cache(target)
            if info_old.cache_name in names:
                rows = self._rows(self._cache(info_old), f"move {old.__name__} -> {new.__name__}")
                count = self._write(
                    staging, (info_new.to_entry(make(info_old.from_entry(k, v))) for k, v in rows)
                )
            if same_cache:
                self._history.set_marker(marker, True)
        if same_cache:
            staging = client.get_cache(target)
            if info_old.cache_name in set(client.get_cache_names()):
                self._cache(info_old).destroy()
            self.db.create_all(new)
            count = self._write(
                self._cache(info_new), self._rows(staging, f"copy back into {info_new.cache_name}")
            )
            staging.destroy()
            self._history.set_marker(marker, None)
        elif drop_old and info_old.cache_name in names:
            self._cache(info_old).destroy()
        return count
