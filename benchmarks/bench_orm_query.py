"""What typed queries cost: compile time (cold and cached), and the ORM over raw
``ignite_wire`` doing the same work (issue 12's W7): repository get, put, put_many of
10,000 objects, a 10,000-row query (as models, and as typed tuples of 3 columns) and a
session commit of 100 changed objects, on one local node.

The raw side does what the ORM sends, with binary objects built beforehand: ``put_many``
against ``put_all`` in the same batches of ``PUT_BATCH_SIZE`` (the ORM's own batching,
which it needs on a cluster; see repository.py), the commit against the 100 ``put``
requests the session performs for changed objects of a model without a ``Version``
field.  Every result is checked (counts, and the stored objects read back).

    python examples/run_with_node.py benchmarks/bench_orm_query.py

Reads the node's address from ``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT``.  Each figure
is the best of a few rounds (the machine is shared); ratios are ORM / raw.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from ignite_orm import Database, IgniteModel, Key
from ignite_orm.query import col, compile_statement, select
from ignite_orm.query.compiler import clear_cache
from ignite_orm.repository import PUT_BATCH_SIZE
from ignite_wire.datatypes import LongObject

ROWS = 10_000
#: Changed objects per session commit.
COMMIT = 100


class BenchItem(IgniteModel, cache="bench_orm_items"):
    id: Annotated[int, Key]
    name: str
    qty: int
    price: float
    note: str | None = None


def best(fn: Callable[[], Any], rounds: int = 5) -> float:
    """Seconds of the fastest of ``rounds`` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


#: (wall seconds, client CPU seconds: this process, every thread, prefetch included)
Timing = tuple[float, float]


def timed(fn: Callable[[], Any]) -> Timing:
    # Each call starts from a full collection.  Otherwise the collector's full pass
    # (every object of the process, 40-50 ms here) falls on whichever call crosses its
    # threshold: models are two tracked objects to a binary object's one, so the ORM's
    # rounds crossed it more often (counted with gc.callbacks: one full pass in five
    # repository get rounds, none in the raw ones), 20 us per get in that round.  The
    # young collections a call causes still count against it.
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def fastest(times: list[Timing], per: int = 1) -> Timing:
    """The best wall time and the best CPU time of ``times`` (each divided by ``per``)."""
    return min(t[0] for t in times) / per, min(t[1] for t in times) / per


def side_by_side(*fns: Callable[[], Any], rounds: int = 7, per: int = 1) -> list[Timing]:
    """The best times of each of ``fns``, run in turn every round, in alternating order
    (a shared machine's noise then falls on all of them alike)."""
    times: list[list[Timing]] = [[] for _ in fns]
    order = list(range(len(fns)))
    for _ in range(rounds):
        for k in order:
            times[k].append(timed(fns[k]))
        order.reverse()  # no function always runs first (or just after another)
    return [fastest(t, per) for t in times]


def versus(raw: Timing, orm: Timing, unit: float, label: str, orm_label: str) -> str:
    """``raw <wall>, <orm_label> <wall> (<ratio>x; client CPU <ratio>x)``."""
    name = "us" if unit == 1e6 else "ms"
    return (
        f"{label} {raw[0] * unit:.1f} {name}, {orm_label} {orm[0] * unit:.1f} {name} "
        f"({orm[0] / raw[0]:.2f}x; client CPU {raw[1] * unit:.1f} vs {orm[1] * unit:.1f} "
        f"{name}, {orm[1] / raw[1]:.2f}x)"
    )


def per_call(fn: Callable[[int], Any], n: int) -> float:
    return best(lambda: [fn(i) for i in range(n)]) / n


def statement(i: int) -> Any:
    return (
        select(BenchItem)
        .where(
            BenchItem.qty > i, col(BenchItem.name).startswith("n"), col(BenchItem.note).is_null()
        )
        .order_by(col(BenchItem.price).desc())
        .limit(10)
    )


def main() -> None:
    host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
    port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))
    # compile time: statements built first, so only compilation is timed
    build = per_call(statement, 2000)
    built = [statement(i) for i in range(2000)]

    def cold(i: int) -> None:
        clear_cache()
        compile_statement(built[i])

    cold_t = per_call(cold, 2000)
    compile_statement(built[0])
    cached_t = per_call(lambda i: compile_statement(built[i]), 2000)
    print(f"build a 3-condition select: {build * 1e6:.1f} us")
    print(
        f"compile cold: {cold_t * 1e6:.1f} us; cached (same shape, other values): "
        f"{cached_t * 1e6:.1f} us"
    )

    with Database.connect(host, port) as db:
        db.drop_all(BenchItem)
        db.create_all(BenchItem)
        repo = db.repository(BenchItem)
        cache = db.client.get_cache("bench_orm_items")
        info = BenchItem.__ignite__
        items = [BenchItem(id=i, name=f"n{i}", qty=i % 100, price=i / 3) for i in range(ROWS)]
        repo.put_many(items)
        raw_values = [info.to_entry(o)[1] for o in items[:2000]]
        n = 2000

        # get and put, side by side in alternating order like the rest (n calls a round)
        assert [repo.get(i) for i in range(n)] == items[:n]
        assert [cache.get(i, LongObject) for i in range(n)] == raw_values
        raw_get, orm_get, query_get, raw_put, orm_put = side_by_side(
            lambda: [cache.get(i, LongObject) for i in range(n)],
            lambda: [repo.get(i) for i in range(n)],
            lambda: [db.query(select(BenchItem).where(BenchItem.id == i)).one() for i in range(n)],
            lambda: [cache.put(i, raw_values[i], LongObject) for i in range(n)],
            lambda: [repo.put(items[i]) for i in range(n)],
            rounds=5,
            per=n,
        )

        all_raw = [info.to_entry(o) for o in items]

        def raw_put_many() -> None:
            for start in range(0, ROWS, PUT_BATCH_SIZE):
                cache.put_all(all_raw[start : start + PUT_BATCH_SIZE])

        def orm_put_many() -> None:
            repo.put_many(items)

        pm_raw, pm_orm = side_by_side(raw_put_many, orm_put_many, rounds=5)
        assert repo.count() == ROWS
        assert repo.get(ROWS - 1) == items[-1]

        # A session commit of COMMIT changed objects: the session and its loaded objects
        # are made (and changed) before the clock starts; only commit() is timed.
        rounds = 7
        changed: list[list[Any]] = [[] for _ in range(rounds)]

        def fresh_session(r: int) -> Any:
            session = db.session()
            block = range(r * COMMIT, (r + 1) * COMMIT)
            loaded = [session.get(BenchItem, i) for i in block]
            for obj in loaded:
                obj.qty += 1000
                obj.name = obj.name + "x"
            changed[r] = loaded
            return session

        sessions = [fresh_session(r) for r in range(rounds)]
        # The raw side writes the same changed objects under keys the session does not
        # use (id + ROWS), so each side's writes can be checked on their own.
        commit_raw_values = [
            [info.to_entry(o.model_copy(update={"id": o.id + ROWS})) for o in objs]
            for objs in changed
        ]

        def put_each(writes: list[tuple[tuple[int, Any], Any]]) -> None:
            for (key, hint), value in writes:
                cache.put(key, value, hint)

        raw_times: list[Timing] = []
        orm_times: list[Timing] = []
        for r in range(rounds):
            raw_times.append(timed(partial(put_each, commit_raw_values[r])))
            orm_times.append(timed(sessions[r].commit))
        commit_raw, commit_orm = fastest(raw_times), fastest(orm_times)
        for r in range(rounds):
            for obj, ((key, hint), value) in zip(changed[r], commit_raw_values[r], strict=True):
                assert repo.get(obj.id) == obj
                assert cache.get(key, hint) == value
        repo.delete_many(range(ROWS, ROWS + rounds * COMMIT))

        # Both sides keep every row in a list, as ``.all()`` does (the raw side used to
        # drop each row as it went, reusing the same memory while the ORM's list grew).
        def raw_query() -> int:
            with db.client.sql(
                'SELECT _KEY, _VAL FROM "PUBLIC"."BENCHITEM"', page_size=1024
            ) as cursor:
                return len(list(cursor))

        def orm_query() -> int:
            return len(db.query(select(BenchItem).options(page_size=1024)).all())

        def raw_rows() -> int:
            with db.client.sql(
                'SELECT "ID", "NAME", "QTY" FROM "PUBLIC"."BENCHITEM"', page_size=1024
            ) as cursor:
                return len(list(cursor))

        def orm_rows() -> int:
            stmt = select(col(BenchItem.id), col(BenchItem.name), col(BenchItem.qty))
            return len(db.query(stmt.options(page_size=1024)).all())

        assert raw_query() == orm_query() == raw_rows() == orm_rows() == ROWS
        rq, oq, rr, orr = side_by_side(raw_query, orm_query, raw_rows, orm_rows)
        print(
            versus(raw_get, orm_get, 1e6, "get: raw", "repository")
            + f"; typed key query {query_get[0] * 1e6:.0f} us ({query_get[0] / raw_get[0]:.2f}x)"
        )
        print(versus(raw_put, orm_put, 1e6, "put: raw", "repository"))
        print(versus(pm_raw, pm_orm, 1e3, f"put_many of {ROWS:,}: raw put_all", "repository"))
        print(
            versus(
                commit_raw,
                commit_orm,
                1e3,
                f"session commit of {COMMIT} changed objects: raw {COMMIT} puts",
                "session",
            )
        )
        print(versus(rq, oq, 1e3, f"{ROWS:,} rows as objects: raw binary objects", "models"))
        print(versus(rr, orr, 1e3, f"{ROWS:,} rows of 3 columns: raw", "typed tuples"))
        db.drop_all(BenchItem)


if __name__ == "__main__":
    main()
