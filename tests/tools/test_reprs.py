"""Debugger-friendly reprs and error texts: they say what and where, never a secret.

Everything here runs against the authenticated node with a real password, and every repr
and error text is searched for it.
"""

from __future__ import annotations

from typing import Annotated

import pytest

from ignite_orm import Database, IgniteModel, Key
from ignite_orm.migrations import MigrationLock, Migrator
from ignite_orm.migrations._history import History
from ignite_wire import Client, dbapi
from ignite_wire.datatypes.cache_config import CacheAtomicityMode
from ignite_wire.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from ignite_wire.exceptions import SQLError
from ignite_wire.testing import IgniteCluster
from ignite_wire.testing.pytest_plugin import AUTH_USERS

USER, PASSWORD = next(iter(AUTH_USERS.items()))


class ReprThing(IgniteModel, cache="repr_things", type_name="tests.ReprThing"):
    id: Annotated[int, Key]
    name: str


def test_reprs_and_errors_name_things_not_secrets(ignite_auth_node: IgniteCluster) -> None:
    host, port = ignite_auth_node.node(0).endpoint
    options = {"username": USER, "password": PASSWORD, "use_ssl": False}
    seen: list[str] = []
    with Client(**options) as client:
        client.connect(host, port)
        cache = client.get_or_create_cache(
            {PROP_NAME: "repr_tx", PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL}
        )
        seen += [repr(client), repr(cache), repr(client.get_cluster())]
        assert f"{host}:{port}" in repr(client)
        assert "repr_tx" in repr(cache)
        tx = client.tx_start(label="checkout")
        assert "not started" in repr(tx)
        with tx:
            cache.put(1, "one")
            assert "PESSIMISTIC REPEATABLE_READ" in repr(tx)
            assert "label='checkout'" in repr(tx)
            assert " open" in repr(tx)
            seen.append(repr(tx))
            tx.commit()
        assert "closed" in repr(tx)
        cursor = client.sql("SELECT 1", page_size=1)
        assert "open" in repr(cursor)
        assert f"on {host}:{port}" in repr(cursor)
        cursor.close()
        assert "closed" in repr(cursor)
        seen.append(repr(cursor))
        with pytest.raises(SQLError) as error:
            client.sql("SELEC 1")
        text = str(error.value)
        assert "op=QUERY_SQL_FIELDS" in text
        assert f"node={host}:{port}" in text
        assert "status=1" in text
        seen.append(text)
        cache.destroy()

    with Database.connect([(host, port)], **options) as db:
        db.create_all(ReprThing)
        repo = db.repository(ReprThing)
        session = db.session()
        with session:
            session.add(ReprThing(id=1, name="x"))
            assert "new=1" in repr(session)
            seen.append(repr(session))
        seen += [repr(db), repr(repo), repr(ReprThing(id=2, name="y"))]
        assert "ReprThing" in repr(repo)
        history = History(db.client, "repr_history")
        lock = MigrationLock(history, ttl=5)
        lock.acquire(0)
        assert "held" in repr(lock)
        seen += [repr(lock), repr(history), repr(Migrator(db, "migrations"))]
        lock.release()
        history.cache.destroy()
        db.drop_all(ReprThing)

    with dbapi.connect(host, port, **options) as conn:
        cur = conn.cursor()
        cur.execute("SELECT 1")
        seen += [repr(conn), repr(cur)]
        assert "autocommit" in repr(conn)

    for text in seen:
        assert PASSWORD not in text, text
