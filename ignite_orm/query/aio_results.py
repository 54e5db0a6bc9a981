"""Running statements: results that stream from the server page by page.

Written once for asyncio; the sync twin is generated from it by ``tools/unasync.py``.
``db.query(stmt)`` gives an :class:`AioResult`;
nothing is sent until it is iterated or one of its methods is awaited.  Iteration keeps
one server page in memory (``options(page_size=...)``): the cursor fetches the next page
when the rows of the last one are used up.  Every statement is compiled (or found in the
translation cache) by :mod:`.compiler`; a key lookup goes to ``get``/``get_all``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .compiler import Compiled, compile_statement
from .expressions import MultipleResultsError, NoResultError, QueryError
from .functions import func
from .paging import Page, PageCursor, cursor_after, page_statement
from .relations import referrers_statement, relation_field
from .routing import key_lookup
from .statements import Delete, Select, Update, select

if TYPE_CHECKING:
    from ..aio_database import AioDatabase  # unasync: from ..database import Database

__all__ = ["AioResult", "execute_statement", "load_references", "load_referrers"]

R = TypeVar("R")
T = TypeVar("T")


def _sql_options(
    stmt: Select[Any] | Update[Any] | Delete[Any], compiled: Compiled
) -> dict[str, Any]:
    o = stmt.options_
    if compiled.not_collocated is not None and not o.distributed_joins:
        raise QueryError(compiled.not_collocated)
    return {
        "page_size": o.page_size,
        "lazy": o.lazy,
        "timeout": o.timeout,
        "distributed_joins": o.distributed_joins,
        "collocated": compiled.collocated,
        # a server without feature bit 7 makes ignite_wire raise NotSupportedByClusterError
        "partitions": o.partitions,
    }


class AioResult(Generic[R]):
    """The rows of a ``select``: ``async for``, or ``all``/``first``/``one``/... ."""

    def __init__(
        self, db: AioDatabase, stmt: Select[R], attach: Callable[[Any], Any] | None = None
    ) -> None:
        if not isinstance(stmt, Select):
            raise QueryError(f"query() takes a select(...) statement, got {stmt!r}")
        self.db = db
        self.stmt = stmt
        self._attach = attach

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.stmt}>"

    def __aiter__(self) -> AsyncIterator[R]:
        return self._rows(self.stmt)

    async def _rows(self, stmt: Select[Any]) -> AsyncIterator[Any]:
        lookup = key_lookup(stmt)
        if lookup is not None:
            for obj in await self._by_key(stmt, lookup):
                yield obj
            return
        compiled = compile_statement(stmt)
        validate = stmt.options_.validate
        slots = compiled.slots
        single = compiled.scalar_row
        attach = self._attach
        # Each model slot's reader, found once (models per row: see mapping.reader).
        readers = [s.model.__ignite__.reader(validate) if s.model else None for s in slots]
        cursor = self._cursor(stmt, compiled)
        async with cursor:
            if single and attach is None and readers[0] is not None:
                # select(Model), the common case: the models of a page in one call (the
                # page loader, as all() reads them), not a loader call and a cursor step
                # per row; a page it raises for is read row by row, so the rows before
                # the bad one are yielded before its error, as they always were
                read = readers[0]
                read_rows = self._model_rows_reader(compiled, validate)
                assert read_rows is not None
                while page := await cursor.next_page():
                    models: list[Any] | None
                    try:
                        models = read_rows(page)
                    except Exception:
                        models = None  # the row-by-row loop below raises it, in its place
                    if models is None:
                        for row in page:
                            key, value = row[0], row[1]
                            yield None if value is None and key is None else read(key, value)
                        continue
                    for obj in models:
                        yield obj
                return
            if attach is None and all(read is None for read in readers):
                # Columns only (typed tuples): a column's value is already its Python type
                # unless its slot has a decoder (enums, ...); rows pass through untouched.
                decodes = [(i, s.decode) for i, s in enumerate(slots) if s.decode is not None]
                async for row in cursor:
                    for i, convert in decodes:
                        if row[i] is not None:
                            row[i] = convert(row[i])
                    yield row[0] if single else tuple(row)
                return
            async for row in cursor:
                values: list[Any] = []
                i = 0
                for slot, read in zip(slots, readers, strict=True):
                    if read is not None:
                        key, value = row[i], row[i + 1]
                        i += 2
                        if value is None and key is None:
                            values.append(None)  # the missing side of an outer join
                            continue
                        obj = read(key, value)
                        values.append(attach(obj) if attach is not None else obj)
                    else:
                        raw = row[i]
                        i += 1
                        decode = slot.decode
                        values.append(
                            decode(raw) if decode is not None and raw is not None else raw
                        )
                yield values[0] if single else tuple(values)

    def _cursor(self, stmt: Select[Any], compiled: Compiled) -> Any:
        options = _sql_options(stmt, compiled)
        return self.db.client.sql(compiled.sql, query_args=list(compiled.params), **options)

    def _model_rows_reader(
        self, compiled: Compiled, validate: bool
    ) -> Callable[[list[Any]], list[Any]] | None:
        """The reader of pages of rows that are one model each (``select(Model)``,
        nothing attached)."""
        slot = compiled.slots[0]
        if compiled.scalar_row and self._attach is None and slot.model is not None:
            return slot.model.__ignite__.rows_reader(validate)  # type: ignore[no-any-return]
        return None

    async def _by_key(self, stmt: Select[Any], lookup: list[dict[str, Any]]) -> list[Any]:
        model = stmt.entities[0]
        info = model.__ignite__
        keys = [info.key_of(values) for values in lookup]
        cache = await self.db.cache_of(info)
        validate = stmt.options_.validate
        if len(keys) == 1:
            key, hint = keys[0] if isinstance(keys[0], tuple) else (keys[0], None)
            value = await cache.get(key, hint)
            if value is None:
                return []
            objs = [info.from_entry(key, value, validate=validate)]
        else:
            found = await cache.get_all(keys)
            objs = [info.from_entry(k, v, validate=validate) for k, v in found.items()]
        if stmt.where_ is not None and len(keys) > 1:
            # get_all answers in no particular order; keep the order of the IN list
            position = {_ident(info, k): n for n, k in enumerate(keys)}
            objs.sort(key=lambda o: position.get(_obj_ident(info, o), 0))
        if stmt.limit_ is not None:
            objs = objs[: stmt.limit_.value]
        if self._attach is not None:
            objs = [self._attach(o) for o in objs]
        return objs

    async def all(self) -> list[R]:
        """Every row (all pages) in a list."""
        stmt = self.stmt
        if key_lookup(stmt) is None:
            compiled = compile_statement(stmt)
            read_rows = self._model_rows_reader(compiled, stmt.options_.validate)
            rows: list[Any] = []
            if read_rows is not None:
                # select(Model), the most common query of all: the models of a whole page
                # in one call (_fast_build's page loader), not a call per row
                async with self._cursor(stmt, compiled) as cursor:
                    while page := await cursor.next_page():
                        rows += read_rows(page)
                return rows
            slots = compiled.slots
            if self._attach is None and all(s.model is None and s.decode is None for s in slots):
                # Columns that need no decoding (typed tuples): likewise, a page at a time
                row_of = _first if compiled.scalar_row else tuple
                async with self._cursor(stmt, compiled) as cursor:
                    while page := await cursor.next_page():
                        rows += map(row_of, page)
                return rows
        return [row async for row in self]  # unasync: return list(self)

    async def first(self) -> R | None:
        """The first row, or None (asks the server for one row)."""
        lookup = key_lookup(self.stmt)
        if lookup is not None:  # by key: no LIMIT to add, no SQL
            found = await self._by_key(self.stmt, lookup)
            return found[0] if found else None
        stmt = self.stmt if self.stmt.limit_ is not None else self.stmt.limit(1)
        async for row in self._rows(stmt):
            return row  # type: ignore[no-any-return]
        return None

    async def one_or_none(self) -> R | None:
        """The only row, or None; :class:`MultipleResultsError` if there are more."""
        lookup = key_lookup(self.stmt)
        if lookup is not None:  # by key (the usual one()): no LIMIT to add, no SQL
            rows = await self._by_key(self.stmt, lookup)
        else:
            stmt = self.stmt if self.stmt.limit_ is not None else self.stmt.limit(2)
            rows = [row async for row in self._rows(stmt)]  # unasync: rows = list(self._rows(stmt))
        if len(rows) > 1:
            raise MultipleResultsError(f"expected at most one row, got more: {self.stmt}")
        return rows[0] if rows else None

    async def one(self) -> R:
        """The only row; :class:`NoResultError` or :class:`MultipleResultsError` otherwise."""
        row = await self.one_or_none()
        if row is None:
            raise NoResultError(f"expected one row, got none: {self.stmt}")
        return row

    async def scalar(self) -> Any:
        """The first column of the first row (a model for ``select(Model)``), or None."""
        row: Any = await self.first()
        if row is None or (
            len(self.stmt.entities) == 1 and isinstance(self.stmt.entities[0], type)
        ):
            return row
        return row[0]

    async def count(self) -> int:
        """How many rows the statement selects, counted by the server (``COUNT(*)``)."""
        stmt = self.stmt
        if stmt.group or stmt.distinct_ or stmt.limit_ is not None or stmt.offset_ is not None:
            compiled = compile_statement(stmt)
            sql = f"SELECT COUNT(*) FROM ({compiled.sql}) AS q"
            options = _sql_options(stmt, compiled)
            cursor = self.db.client.sql(sql, query_args=list(compiled.params), **options)
            async with cursor:
                async for (n,) in cursor:
                    return int(n)
            return 0  # pragma: no cover
        counting: Select[Any] = Select(
            (func.count(),),
            from_model=stmt.from_model,
            joins=stmt.joins,
            where_=stmt.where_,
            options_=stmt.options_,
        )
        async for (n,) in self._rows(counting):
            return int(n)
        return 0  # pragma: no cover

    async def exists(self) -> bool:
        """Whether any row matches (the server stops at the first: ``LIMIT 1``)."""
        stmt = self.stmt
        probe: Select[Any] = Select(
            stmt.entities,
            from_model=stmt.from_model,
            joins=stmt.joins,
            where_=stmt.where_,
            group=stmt.group,
            having_=stmt.having_,
            options_=stmt.options_,
        )
        async for _ in self._rows(probe.limit(1)):
            return True
        return False

    async def explain(self) -> list[str]:
        """The server's plan of the statement (``EXPLAIN``): one text per step."""
        compiled = compile_statement(self.stmt)
        options = _sql_options(self.stmt, compiled)
        cursor = self.db.client.sql(
            "EXPLAIN " + compiled.sql, query_args=list(compiled.params), **options
        )
        async with cursor:
            steps = [row async for row in cursor]  # unasync: steps = list(cursor)
        return [str(row[0]) for row in steps]

    async def page(self, size: int, cursor: PageCursor | None = None) -> Page[R]:
        """One page of ``size`` rows after ``cursor`` (None: the first page)."""
        stmt, order = page_statement(self.stmt, size, cursor)
        rows = [row async for row in self._rows(stmt)]  # unasync: rows = list(self._rows(stmt))
        has_next = len(rows) > size
        items = rows[:size]
        next_cursor: PageCursor | None = None
        if has_next:
            if order is not None:
                next_cursor = cursor_after(order, items[-1])
            else:
                next_cursor = PageCursor(offset=(cursor.offset if cursor else 0) + size)
        return Page(items, has_next, next_cursor)


#: A row's first column (the row of a one-column select).
_first = itemgetter(0)


def _ident(info: Any, key: Any) -> Any:
    raw = key[0] if isinstance(key, tuple) and len(key) == 2 else key
    if info.composite:
        return tuple(getattr(raw, f.name) for f in info.key_fields)
    return (raw,)


def _obj_ident(info: Any, obj: Any) -> Any:
    return tuple(info.to_wire(f.name, obj.__dict__[f.name]) for f in info.key_fields)


async def execute_statement(db: AioDatabase, stmt: Update[Any] | Delete[Any]) -> int:
    """Run an ``update`` or ``delete``; the number of rows it changed."""
    if not isinstance(stmt, (Update, Delete)):
        raise QueryError(f"execute() takes update(...) or delete(...), got {stmt!r}")
    compiled = compile_statement(stmt)
    cursor = db.client.sql(
        compiled.sql, query_args=list(compiled.params), timeout=stmt.options_.timeout
    )
    async with cursor:
        async for (n,) in cursor:
            return int(n)
    return 0  # pragma: no cover


async def load_references(
    db: AioDatabase, objs: Sequence[Any], target: type[T], via: str | None = None
) -> list[T | None]:
    """Each object's referenced ``target`` (None where it does not exist): one ``get_all``."""
    if not objs:
        return []
    field = relation_field(type(objs[0]), target, via)
    refs = [getattr(o, field) for o in objs]
    wanted = [r for r in dict.fromkeys(refs) if r is not None]
    model: Any = target
    key_field = model.__ignite__.key_fields[0].name
    stmt: Select[Any] = select(model).where(getattr(model, key_field).in_(wanted))
    found = {getattr(t, key_field): t async for t in AioResult(db, stmt)} if wanted else {}
    return [found.get(r) for r in refs]


async def load_referrers(
    db: AioDatabase, objs: Sequence[Any], source: type[T], via: str | None = None
) -> list[list[T]]:
    """Each object's referring ``source`` objects: one SQL query for all of them."""
    if not objs:
        return []
    target: Any = type(objs[0])
    field = relation_field(source, target, via)
    key_field = target.__ignite__.key_fields[0].name
    keys = [getattr(o, key_field) for o in objs]
    groups: dict[Any, list[T]] = {k: [] for k in keys}
    async for child in AioResult(db, referrers_statement(source, field, keys)):
        groups[getattr(child, field)].append(child)
    return [groups[k] for k in keys]
