"""Bad input through DB-API 2.0 (``ignite_wire.dbapi``), against a real node.

PEP 249 promises that a driver's errors are its ``Error`` classes, so tools catching
``dbapi.Error`` (pandas, report writers) never see a ``TypeError`` from deep inside the
client.  Each case gives one bad value to one entry point (``connect``, ``execute``,
``executemany``, ``fetchmany``, ``arraysize``); only a ``dbapi.Error`` may escape, its
message names what was wrong, no call outlives the client's timeout, and the same
connection runs a good statement afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ignite_wire import dbapi
from ignite_wire.testing import IgniteCluster

TIMEOUT = 3.0
BOUND = TIMEOUT + 2.0
HUGE = 10**5000
BEYOND_64 = 2**64
SURROGATE = "x\ud800y"


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


WRONG = _Opaque()


def _id(value: Any) -> str:
    """A test id (pytest would print ``HUGE``'s 5,000 digits, which int-to-str refuses)."""
    if value is HUGE:
        return "HUGE"
    return repr(value) if not isinstance(value, dict) else "dict"


@pytest.fixture
def conn(ignite_node: IgniteCluster) -> Iterator[dbapi.Connection]:
    with dbapi.connect(*ignite_node.node(0).endpoint, timeout=TIMEOUT) as connection:
        yield connection


def _refused(call: Callable[[], Any], *words: str) -> dbapi.Error:
    """Run ``call``; it must raise a DB-API error naming every word, within the bound."""
    start = time.monotonic()
    with pytest.raises(dbapi.Error) as caught:
        call()
    assert time.monotonic() - start < BOUND
    message = str(caught.value)
    for word in words:
        assert word in message, f"{word!r} not named in {message!r}"
    return caught.value


def _still_works(conn: dbapi.Connection) -> None:
    cur = conn.cursor()
    cur.execute("SELECT ?", [41])
    assert cur.fetchall() == [(41,)]


@pytest.mark.parametrize("parameters", [5, WRONG, 1.5, iter], ids=_id)
def test_execute_parameters_not_a_sequence(conn: dbapi.Connection, parameters: Any) -> None:
    _refused(lambda: conn.cursor().execute("SELECT ?", parameters), "parameters")
    _still_works(conn)


@pytest.mark.parametrize("value", [WRONG, SURROGATE, BEYOND_64, HUGE, [WRONG], {WRONG: 1}], ids=_id)
def test_execute_parameter_values_the_codec_cannot_send(conn: dbapi.Connection, value: Any) -> None:
    _refused(lambda: conn.cursor().execute("SELECT ?", [value]))
    _still_works(conn)


@pytest.mark.parametrize("operation", [None, 5, WRONG, b"SELECT 1", SURROGATE], ids=_id)
def test_execute_bad_statement(conn: dbapi.Connection, operation: Any) -> None:
    _refused(lambda: conn.cursor().execute(operation))
    _still_works(conn)


@pytest.mark.parametrize("operation", [None, 5, WRONG, b"DELETE FROM T"], ids=_id)
def test_executemany_bad_statement(conn: dbapi.Connection, operation: Any) -> None:
    _refused(lambda: conn.cursor().executemany(operation, [[1]]), "statement")
    _still_works(conn)


@pytest.mark.parametrize("seq", [None, 5, WRONG, [5], [WRONG], ["ab"]], ids=_id)
def test_executemany_bad_parameter_sets(conn: dbapi.Connection, seq: Any) -> None:
    # No table of that name: the sets are refused before anything is sent.
    _refused(
        lambda: conn.cursor().executemany("DELETE FROM NO_TABLE WHERE 1 = ?", seq), "parameters"
    )
    _still_works(conn)


def test_executemany_refuses_a_bad_late_set_before_running_any(conn: dbapi.Connection) -> None:
    cur = conn.cursor()
    cur.execute("CREATE TABLE DBAPI_BAD_SETS (id INT PRIMARY KEY, v INT)")
    try:
        insert = "INSERT INTO DBAPI_BAD_SETS (id, v) VALUES (?, ?)"
        _refused(lambda: cur.executemany(insert, [(1, 1), (2, 2), 5]), "parameters[2]")
        cur.execute("SELECT COUNT(*) FROM DBAPI_BAD_SETS")
        assert cur.fetchall() == [(0,)]  # nothing half applied
        cur.executemany(insert, [(1, 1), (2, 2)])
        assert cur.rowcount == 2
    finally:
        cur.execute("DROP TABLE DBAPI_BAD_SETS")


@pytest.mark.parametrize("size", ["1", WRONG, 1.5, -1, True], ids=_id)
def test_fetchmany_bad_size(conn: dbapi.Connection, size: Any) -> None:
    cur = conn.cursor()
    cur.execute("SELECT 1")
    _refused(lambda: cur.fetchmany(size), "size")
    assert cur.fetchall() == [(1,)]  # the result set is still there


@pytest.mark.parametrize("arraysize", ["1", WRONG, None, -3], ids=_id)
def test_bad_arraysize(conn: dbapi.Connection, arraysize: Any) -> None:
    cur = conn.cursor()
    cur.execute("SELECT 1")
    cur.arraysize = arraysize
    _refused(cur.fetchmany, "arraysize")
    cur.arraysize = 1
    assert cur.fetchmany() == [(1,)]


def test_fetchmany_huge_size_reads_what_there_is(conn: dbapi.Connection) -> None:
    cur = conn.cursor()
    cur.execute("SELECT 1")
    assert cur.fetchmany(HUGE) == [(1,)]


@pytest.mark.parametrize(
    ("options", "word"),
    [
        ({"schema": None}, "schema"),
        ({"schema": WRONG}, "schema"),
        ({"schema": ""}, "schema"),
        ({"schema": SURROGATE}, "schema"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": -1}, "page_size"),
        ({"page_size": "10"}, "page_size"),
        ({"page_size": HUGE}, "page_size"),
        ({"no_such_option": 1}, "no_such_option"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": "soon"}, "timeout"),
    ],
    ids=lambda v: (
        _id(v) if not isinstance(v, dict) else "-".join(f"{k}={_id(x)}" for k, x in v.items())
    ),
)
def test_connect_bad_options(
    ignite_node: IgniteCluster, options: dict[str, Any], word: str
) -> None:
    _refused(lambda: dbapi.connect(*ignite_node.node(0).endpoint, **options).close(), word)


@pytest.mark.parametrize("address", [("127.0.0.1", "port"), ("127.0.0.1", -1), (WRONG,)], ids=_id)
def test_connect_bad_address(address: tuple[Any, ...]) -> None:
    _refused(lambda: dbapi.connect(*address, handshake_timeout=2.0).close())


@pytest.mark.parametrize("client", [WRONG, 5, "127.0.0.1"], ids=_id)
def test_connect_client_that_is_not_a_client(client: Any) -> None:
    _refused(lambda: dbapi.connect(client=client), "client")
