"""DB-API 2.0 (``ignite_wire.dbapi``) against a real node: queries, DML, parameters,
paging, description, errors as PEP 249 classes, transactions, and pandas.read_sql."""

from __future__ import annotations

import datetime
import decimal
import itertools
from collections.abc import Iterator

import pandas as pd
import pytest

from ignite_wire import Client, dbapi
from ignite_wire.datatypes.cache_config import CacheAtomicityMode
from ignite_wire.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from ignite_wire.testing import IgniteCluster

_names = itertools.count()


@pytest.fixture
def conn(ignite_node: IgniteCluster) -> Iterator[dbapi.Connection]:
    with dbapi.connect(*ignite_node.node(0).endpoint) as connection:
        yield connection


@pytest.fixture
def table(conn: dbapi.Connection) -> Iterator[str]:
    """A fresh CITY-like table with 3000 rows (several pages at page size 1024)."""
    name = f"DBAPI_CITY_{next(_names)}"
    cur = conn.cursor()
    cur.execute(
        f"CREATE TABLE {name} (id INT PRIMARY KEY, name VARCHAR(20), population BIGINT, "
        'price DECIMAL(10, 2), founded TIMESTAMP) WITH "atomicity=TRANSACTIONAL"'
    )
    cur.executemany(
        f"INSERT INTO {name} (id, name, population, price, founded) VALUES (?, ?, ?, ?, ?)",
        [
            (
                i,
                f"city-{i}",
                i * 1000,
                decimal.Decimal(i) / 4,
                datetime.datetime(1900, 1, 1 + i % 28, tzinfo=datetime.timezone.utc),
            )
            for i in range(3000)
        ],
    )
    assert cur.rowcount == 3000
    yield name
    cur.execute(f"DROP TABLE {name}")


def test_query_description_and_fetch_methods(conn: dbapi.Connection, table: str) -> None:
    cur = conn.cursor()
    assert cur.description is None
    assert cur.rowcount == -1
    cur.execute(f"SELECT id, name, population, price FROM {table} WHERE id < ? ORDER BY id", [10])
    names = [d[0] for d in cur.description or []]
    assert names == ["ID", "NAME", "POPULATION", "PRICE"]
    types = [d[1] for d in cur.description or []]
    assert types[0] == dbapi.NUMBER
    assert types[1] == dbapi.STRING
    assert types[3] == dbapi.NUMBER
    assert all(len(d) == 7 for d in cur.description or [])
    assert cur.fetchone() == (0, "city-0", 0, decimal.Decimal("0.00"))
    cur.arraysize = 3
    assert [r[0] for r in cur.fetchmany()] == [1, 2, 3]
    assert [r[0] for r in cur.fetchmany(2)] == [4, 5]
    assert [r[0] for r in cur.fetchall()] == [6, 7, 8, 9]
    assert cur.fetchone() is None
    assert cur.fetchall() == []


def test_all_pages_are_read(conn: dbapi.Connection, table: str) -> None:
    conn.page_size = 100
    cur = conn.cursor()
    cur.execute(f"SELECT id FROM {table} ORDER BY id")
    assert [r[0] for r in cur.fetchall()] == list(range(3000))
    cur.execute(f"SELECT COUNT(*) FROM {table}")
    assert cur.fetchone() == (3000,)


def test_dml_rowcount_and_parameters(conn: dbapi.Connection, table: str) -> None:
    cur = conn.cursor()
    cur.execute(f"UPDATE {table} SET population = ? WHERE id < ?", [7, 5])
    assert cur.rowcount == 5
    assert cur.description is None
    cur.execute(f"SELECT SUM(population) FROM {table} WHERE id < 5")
    assert cur.fetchone() == (35,)
    cur.execute(f"DELETE FROM {table} WHERE id >= ?", [2990])
    assert cur.rowcount == 10
    with pytest.raises(dbapi.ProgrammingError):
        cur.fetchone()  # DML has no result set
    # An odd name and a value with quotes travel as parameters, not as SQL text.
    cur.execute(f"INSERT INTO {table} (id, name) VALUES (?, ?)", [5000, 'O\'Brien "x"'])
    cur.execute(f"SELECT name FROM {table} WHERE id = ?", (5000,))
    assert cur.fetchall() == [('O\'Brien "x"',)]


def test_errors_are_pep_249_classes(conn: dbapi.Connection, table: str) -> None:
    cur = conn.cursor()
    with pytest.raises(dbapi.IntegrityError) as dup:
        cur.execute(f"INSERT INTO {table} (id, name) VALUES (1, 'again')")
    assert dup.value.sqlstate == "23000"
    assert dup.value.op == "QUERY_SQL_FIELDS"
    assert dup.value.node
    assert isinstance(dup.value.__cause__, Exception)
    with pytest.raises(dbapi.IntegrityError):
        cur.execute(f"INSERT INTO {table} (id, name) VALUES (9999, ?)", ["x" * 21])
    with pytest.raises(dbapi.ProgrammingError) as syntax:
        cur.execute("SELEC 1")
    assert syntax.value.sqlstate == "42001"
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute("SELECT * FROM NO_SUCH_TABLE_AT_ALL")
    with pytest.raises(dbapi.DataError):
        cur.execute("SELECT 1 / 0")
    with pytest.raises(dbapi.ProgrammingError, match="qmark"):
        cur.execute("SELECT ?", {"a": 1})  # type: ignore[arg-type]
    # The cursor is still usable after errors.
    cur.execute("SELECT 1")
    assert cur.fetchall() == [(1,)]


def test_closed_objects_raise_interface_error(ignite_node: IgniteCluster) -> None:
    connection = dbapi.connect(*ignite_node.node(0).endpoint)
    cur = connection.cursor()
    cur.close()
    with pytest.raises(dbapi.InterfaceError):
        cur.execute("SELECT 1")
    connection.close()
    with pytest.raises(dbapi.InterfaceError):
        connection.cursor()
    connection.close()  # twice is fine


def test_unreachable_node_is_operational_error() -> None:
    with pytest.raises(dbapi.OperationalError):
        dbapi.connect("127.0.0.1", 1, handshake_timeout=2.0)


def test_autocommit_commit_and_rollback_are_no_ops(conn: dbapi.Connection, table: str) -> None:
    cur = conn.cursor()
    cur.execute(f"UPDATE {table} SET name = 'kept' WHERE id = 1")
    conn.rollback()  # autocommit: the update is already done
    cur.execute(f"SELECT name FROM {table} WHERE id = 1")
    assert cur.fetchone() == ("kept",)
    conn.commit()


def test_manual_mode_runs_in_an_ignite_transaction(ignite_node: IgniteCluster, table: str) -> None:
    client = Client()
    client.connect(*ignite_node.node(0).endpoint)
    kv = client.get_or_create_cache(
        {
            PROP_NAME: f"dbapi-tx-{next(_names)}",
            PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL,
        }
    )
    try:
        connection = dbapi.connect(client=client, autocommit=False)
        cur = connection.cursor()
        cur.execute(f"SELECT name FROM {table} WHERE id = 2")  # opens the transaction
        assert cur.fetchone() == ("city-2",)
        kv.put(1, "rolled back")  # same client, same thread: inside the transaction
        connection.rollback()
        assert kv.get(1) is None
        cur.execute("SELECT 1")
        kv.put(2, "committed")
        connection.commit()
        assert kv.get(2) == "committed"
        # The cluster refuses DML inside a transaction: never silently non-transactional.
        with pytest.raises(dbapi.NotSupportedError):
            cur.execute(f"UPDATE {table} SET name = 'tx' WHERE id = 2")
        connection.rollback()
        connection.autocommit = True
        cur.execute(f"UPDATE {table} SET name = 'auto' WHERE id = 2")
        assert cur.rowcount == 1
        connection.close()
        assert kv.get(2) == "committed"  # a client given to connect() stays open
    finally:
        kv.destroy()
        client.close()


def test_pandas_read_sql(conn: dbapi.Connection, table: str) -> None:
    # pandas warns that it only tests SQLAlchemy and sqlite3 connections; the frame it
    # builds through our cursor is checked value by value.
    with pytest.warns(UserWarning, match="SQLAlchemy"):
        frame = pd.read_sql(
            f"SELECT id, name, population, founded FROM {table} WHERE id < ? ORDER BY id",
            conn,
            params=[2500],
        )
    assert list(frame.columns) == ["ID", "NAME", "POPULATION", "FOUNDED"]
    assert len(frame) == 2500
    assert frame["POPULATION"].sum() == sum(i * 1000 for i in range(2500))
    assert frame.loc[42, "NAME"] == "city-42"
    assert frame.loc[42, "FOUNDED"] == pd.Timestamp("1900-01-15", tz="UTC")
    with pytest.warns(UserWarning, match="SQLAlchemy"):
        chunks = list(pd.read_sql(f"SELECT id FROM {table}", conn, chunksize=1000))
    assert [len(c) for c in chunks] == [1000, 1000, 1000]
