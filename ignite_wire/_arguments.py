"""The arguments of ``sql()``, ``scan()`` and ``select_row()``, checked and frozen.

Both clients (one generated from the other, see ``tools/unasync.py``) check a query's
arguments the same way before any I/O, and build its first-page request from the result.
Keeping that here makes the facades' query methods one call each, and lets the checks be
tested with plain values (``tests/wire/unit/test_arguments.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import _facade, _sql_partitions
from ._protocol.context import CodecContext
from ._protocol.flow import Flow
from ._protocol.ops import query as ops
from ._protocol.ops.common import naming_cache
from .datatypes.prop_codes import PROP_QUERY_ENTITIES
from .exceptions import ParameterError

__all__ = ["ScanQuery", "SelectRowQuery", "SqlQuery", "sql_cache_id", "value_type_of"]

_I32_MAX = 2**31 - 1
_I64_MAX = 2**63 - 1


def _statement(query_str: object, where: str) -> str:
    if not isinstance(query_str, str) or not query_str.strip():
        raise ParameterError(f"{where}(): query_str must be a non-empty str")
    return query_str


def sql_cache_id(cache: object) -> int:
    """The cache id ``sql(cache=...)`` names: a name, an id, or ``None`` (0: no cache).

    The facade turns its own cache handle into its id before calling this.
    """
    if isinstance(cache, str):
        return _facade.cache_id_of(cache)
    if isinstance(cache, int) and not isinstance(cache, bool):
        return cache
    if cache is None:
        return 0
    raise ParameterError(f"sql(): cache must be a cache, name or id, got {cache!r}")


@dataclass(frozen=True, slots=True)
class SqlQuery:
    """A checked ``sql()`` call; :meth:`first_page` builds its request."""

    query: str
    args: list[Any]
    schema: str | None
    cache_id: int
    page_size: int
    max_rows: int
    statement_type: int
    timeout_ms: int
    include_field_names: bool
    partitions: tuple[int, ...] | None
    update_batch_size: int
    distributed_joins: bool
    local: bool
    replicated_only: bool
    enforce_join_order: bool
    collocated: bool
    lazy: bool

    @classmethod
    def check(
        cls,
        query_str: object,
        *,
        page_size: int,
        query_args: Sequence[Any] | None,
        schema: str | None,
        statement_type: int,
        max_rows: int,
        timeout: int,
        cache: object,
        include_field_names: bool,
        partitions: Iterable[int] | None,
        update_batch_size: int,
        distributed_joins: bool,
        local: bool,
        replicated_only: bool,
        enforce_join_order: bool,
        collocated: bool,
        lazy: bool,
    ) -> SqlQuery:
        """``ParameterError`` naming the first bad argument (the booleans go to the
        request as given, as pyignite sends them)."""
        text = _statement(query_str, "sql")
        _facade.text_param(text, "sql(): query_str")
        if schema is not None:
            _facade.text_param(schema, "sql(): schema")
        _facade.int_param(page_size, "sql(): page_size", 1, _I32_MAX)
        _facade.int_param(max_rows, "sql(): max_rows", -1, _I32_MAX)
        _facade.int_param(timeout, "sql(): timeout (ms)", 0, _I64_MAX)
        _facade.int_param(statement_type, "sql(): statement_type", 0, 2)
        args = _facade.sql_args(text, query_args)
        parts, batch = _sql_partitions.check(partitions, update_batch_size)
        cache_id = sql_cache_id(cache)
        return cls(
            query=text,
            args=args,
            schema=None if cache_id else schema,  # a cache's own schema wins
            cache_id=cache_id,
            page_size=page_size,
            max_rows=max_rows,
            statement_type=statement_type,
            timeout_ms=timeout,
            include_field_names=include_field_names,
            partitions=parts,
            update_batch_size=batch,
            distributed_joins=distributed_joins,
            local=local,
            replicated_only=replicated_only,
            enforce_join_order=enforce_join_order,
            collocated=collocated,
            lazy=lazy,
        )

    def first_page(
        self, connections: Callable[[], Sequence[Any]]
    ) -> Callable[[CodecContext, bytearray], Flow[ops.SqlPage]]:
        """The cursor's first-page builder; the partition fields are decided when it runs,
        from a connection open then (:mod:`ignite_wire._sql_partitions`)."""

        def build(ctx: CodecContext, header: bytearray) -> Flow[ops.SqlPage]:
            return ops.sql_fields(
                header,
                ctx,
                query=self.query,
                args=self.args,
                schema=self.schema,
                page_size=self.page_size,
                max_rows=self.max_rows,
                statement_type=self.statement_type,
                timeout_ms=self.timeout_ms,
                include_field_names=self.include_field_names,
                distributed_joins=self.distributed_joins,
                local=self.local,
                replicated_only=self.replicated_only,
                enforce_join_order=self.enforce_join_order,
                collocated=self.collocated,
                lazy=self.lazy,
                **_sql_partitions.request_fields(
                    connections, self.partitions, self.update_batch_size
                ),
            )

        return build


@dataclass(frozen=True, slots=True)
class ScanQuery:
    """A checked ``scan()`` call of one cache."""

    cache_name: str
    page_size: int
    partition: int
    local: bool

    @classmethod
    def check(cls, cache_name: str, page_size: int, partitions: int, local: bool) -> ScanQuery:
        _facade.int_param(page_size, "scan(): page_size", 1, _I32_MAX)
        _facade.int_param(partitions, "scan(): partitions", -1, 65535)
        return cls(cache_name, page_size, partitions, local)

    def first_page(self, ctx: CodecContext, header: bytearray) -> Flow[ops.ScanPage]:
        flow = ops.scan(
            header, ctx, page_size=self.page_size, partition=self.partition, local=self.local
        )
        return naming_cache(flow, self.cache_name)


@dataclass(frozen=True, slots=True)
class SelectRowQuery:
    """A checked ``select_row()`` call; the value type is known only once the cursor has
    read the cache's configuration, hence the ``type_name`` of :meth:`first_page`."""

    cache_name: str
    query: str
    args: list[Any]
    page_size: int
    timeout_ms: int
    distributed_joins: bool
    replicated_only: bool
    local: bool

    @classmethod
    def check(
        cls,
        cache_name: str,
        query_str: object,
        *,
        page_size: int,
        query_args: Sequence[Any] | None,
        timeout: int,
        distributed_joins: bool,
        replicated_only: bool,
        local: bool,
    ) -> SelectRowQuery:
        text = _statement(query_str, "select_row")
        _facade.int_param(page_size, "select_row(): page_size", 1, _I32_MAX)
        _facade.int_param(timeout, "select_row(): timeout (ms)", 0, _I64_MAX)
        args = list(query_args) if query_args is not None else []
        return cls(
            cache_name, text, args, page_size, timeout, distributed_joins, replicated_only, local
        )

    def first_page(
        self, ctx: CodecContext, header: bytearray, type_name: str
    ) -> Flow[ops.ScanPage]:
        flow = ops.sql_entries(
            header,
            ctx,
            type_name=type_name,
            query=self.query,
            args=self.args,
            distributed_joins=self.distributed_joins,
            local=self.local,
            replicated_only=self.replicated_only,
            page_size=self.page_size,
            timeout_ms=self.timeout_ms,
        )
        return naming_cache(flow, self.cache_name)


def value_type_of(settings: dict[int, Any]) -> str | None:
    """The value type of a cache's first query entity (what ``select_row`` queries)."""
    entities = settings.get(PROP_QUERY_ENTITIES) or []
    type_name = entities[0].get("value_type_name") if entities else None
    return type_name or None
