"""The pure parts of the DB-API: error mapping from real Ignite messages, statement kinds,
type objects (no server)."""

from __future__ import annotations

import datetime
import decimal

import pytest

from ignite_wire import dbapi
from ignite_wire.dbapi._errors import from_ignite_error, sqlstate_of
from ignite_wire.dbapi._types import returns_rows, type_code_of
from ignite_wire.exceptions import (
    EncodeError,
    ParameterError,
    ReconnectError,
    RequestTimeoutError,
    SQLError,
    TransactionError,
)

# Messages as Ignite 2.17 sends them (captured from a real node).
DUPLICATE = "23000: Failed to INSERT some keys because they are already in cache [keys=[1]]"
TOO_LONG = "23000: Value for a column 'NAME' is too long. Maximum length: 5, actual length: 8"
SYNTAX = (
    '42000: Failed to parse query. Syntax error in SQL statement "SELEC[*] 1"; '
    'expected "SELECT"; SQL statement:\nSELEC 1 [42001-197]'
)
NO_TABLE = 'Failed to parse query. Table "NOPE" not found; SQL statement:\nX [42102-197]'
DIV_ZERO = '42000: Failed to parse query. Division by zero: "1"; SQL statement:\nS [22012-197]'
DML_IN_TX = (
    "50000: DML statements are not allowed inside a transaction over cache(s) with "
    "TRANSACTIONAL atomicity mode"
)
UNKNOWN = "50000: Failed to prepare update plan."


@pytest.mark.parametrize(
    ("message", "cls", "state"),
    [
        (DUPLICATE, dbapi.IntegrityError, "23000"),
        (TOO_LONG, dbapi.IntegrityError, "23000"),
        (SYNTAX, dbapi.ProgrammingError, "42001"),
        (NO_TABLE, dbapi.ProgrammingError, "42102"),
        (DIV_ZERO, dbapi.DataError, "22012"),
        (DML_IN_TX, dbapi.NotSupportedError, "50000"),
        (UNKNOWN, dbapi.DatabaseError, "50000"),
    ],
)
def test_sql_errors_map_by_sqlstate(message: str, cls: type, state: str) -> None:
    err = from_ignite_error(SQLError(message, op="QUERY_SQL_FIELDS", node="127.0.0.1:1", status=1))
    assert type(err) is cls
    assert err.sqlstate == state == sqlstate_of(message)
    assert (err.op, err.node, err.status) == ("QUERY_SQL_FIELDS", "127.0.0.1:1", 1)
    assert "op=QUERY_SQL_FIELDS" in str(err)
    assert "node=127.0.0.1:1" in str(err)


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (ReconnectError("no node"), dbapi.OperationalError),
        (RequestTimeoutError("slow"), dbapi.OperationalError),
        (TransactionError("tx"), dbapi.OperationalError),
        (EncodeError("no", path="[0]"), dbapi.DataError),
        (ParameterError("bad"), dbapi.ProgrammingError),
        (SQLError("no state at all"), dbapi.DatabaseError),
    ],
)
def test_client_errors_map_by_class(exc: Exception, cls: type) -> None:
    assert type(from_ignite_error(exc)) is cls  # type: ignore[arg-type]


def test_hierarchy_is_pep_249s() -> None:
    for name in (
        "DataError",
        "OperationalError",
        "IntegrityError",
        "InternalError",
        "ProgrammingError",
        "NotSupportedError",
    ):
        assert issubclass(getattr(dbapi, name), dbapi.DatabaseError)
    assert issubclass(dbapi.DatabaseError, dbapi.Error)
    assert issubclass(dbapi.InterfaceError, dbapi.Error)
    assert issubclass(dbapi.Error, Exception)
    assert issubclass(dbapi.Warning, Exception)
    assert (dbapi.apilevel, dbapi.paramstyle, dbapi.threadsafety) == ("2.0", "qmark", 1)


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        ("SELECT 1", True),
        ("  select * from t", True),
        ("(SELECT 1) UNION (SELECT 2)", True),
        ("-- note\n/* block */ SELECT 1", True),
        ("WITH x AS (SELECT 1) SELECT * FROM x", True),
        ("EXPLAIN SELECT 1", True),
        ("INSERT INTO t VALUES (1)", False),
        ("update t set a = 1", False),
        ("DELETE FROM t", False),
        ("MERGE INTO t KEY(id) VALUES (1)", False),
        ("CREATE TABLE t (id INT PRIMARY KEY)", False),
        ("/* SELECT */ DROP TABLE t", False),
    ],
)
def test_returns_rows(sql: str, rows: bool) -> None:
    assert returns_rows(sql) is rows


def test_type_objects_compare_with_type_codes() -> None:
    assert type_code_of("x") == dbapi.STRING
    assert type_code_of(1) == dbapi.NUMBER
    assert type_code_of(True) is bool
    assert type_code_of(decimal.Decimal("1.5")) == dbapi.NUMBER
    assert type_code_of(datetime.datetime(2020, 1, 1)) == dbapi.DATETIME
    assert type_code_of(b"x") == dbapi.BINARY
    assert type_code_of(b"x") != dbapi.STRING
    assert type_code_of(None) is None
    assert dbapi.Binary(bytearray(b"ab")) == b"ab"
    assert dbapi.DateFromTicks(0).year in (1969, 1970)
