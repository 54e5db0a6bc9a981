"""ignite-orm's schema CLI and migrations against a real node.

The main test evolves a model through three versions as a team would: v1 is applied and
filled; v2 adds ``email`` with a backfill migration; v3 drops ``nickname`` and changes
``age`` from str to int (a new binary type).  Each step is ``ignite-orm apply`` in a
subprocess; the data, the table and the history are checked after each.  Another test
starts two ``apply`` runs at once: only one migrates.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ignite_orm import Database
from ignite_orm._cli import load_module
from ignite_orm.migrations import (
    MigrationError,
    MigrationLock,
    MigrationLockedError,
    Migrator,
    create_script,
    load_scripts,
)
from ignite_orm.migrations._history import History
from ignite_wire.binary import fields_of
from ignite_wire.testing import IgniteCluster

TIMEOUT = 180
ROWS = 1200
_ids = itertools.count()


def orm(
    cluster: IgniteCluster,
    *args: str,
    cwd: Path,
    wait: bool = True,
    history: str | None = None,
) -> subprocess.CompletedProcess[str] | subprocess.Popen[str]:
    host, port = cluster.node(0).endpoint
    command = [sys.executable, "-m", "ignite_orm", "-n", f"{host}:{port}", *args]
    if history is not None:
        command += ["--history-cache", history]
    if not wait:
        return subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def write(path: Path, source: str, **names: str) -> Path:
    text = textwrap.dedent(source)
    for key, value in names.items():
        text = text.replace("{" + key + "}", value)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def db(ignite_node: IgniteCluster) -> Iterator[Database]:
    with Database.connect([ignite_node.node(0).endpoint]) as database:
        yield database


@pytest.fixture
def names() -> dict[str, str]:
    n = next(_ids)
    stamp = f"{os.getpid()}_{n}"
    return {
        "cache": f"mig_people_{stamp}",
        "type": f"MigPerson{stamp}",
        "table": f"MigPerson{n}",
        "history": f"mig_history_{stamp}",
    }


HEADER = """
    from __future__ import annotations
    from typing import Annotated
    from ignite_orm import IgniteModel, Key
"""

V1 = (
    HEADER
    + """
    class Person(IgniteModel, cache="{cache}", type_name="{type}", table="{table}"):
        id: Annotated[int, Key]
        name: str
        nickname: str | None = None
        age: str
    """
)

V2 = (
    HEADER
    + """
    class Person(IgniteModel, cache="{cache}", type_name="{type}", table="{table}"):
        id: Annotated[int, Key]
        name: str
        nickname: str | None = None
        age: str
        email: str | None = None
    """
)

V3 = (
    HEADER
    + """
    class Person(IgniteModel, cache="{cache}", type_name="{type}V3", table="{table}"):
        id: Annotated[int, Key]
        name: str
        age: int
        email: str | None = None
    """
)

M1 = (
    HEADER
    + """
    revision = "0001"
    down_revision = None
    message = "add email, backfilled from the name"

    class Person(IgniteModel, cache="{cache}", type_name="{type}", table="{table}"):
        id: Annotated[int, Key]
        name: str
        nickname: str | None = None
        age: str
        email: str | None = None

    def upgrade(op):
        op.create_all(Person)
        op.backfill(Person, "email", lambda p: f"{p.name.lower()}@example.com")
    """
)

M2 = (
    HEADER
    + """
    revision = "0002"
    down_revision = "0001"
    message = "drop nickname"

    class Person(IgniteModel, cache="{cache}", type_name="{type}", table="{table}"):
        id: Annotated[int, Key]
        name: str
        age: str
        email: str | None = None

    def upgrade(op):
        op.drop_column(Person, "nickname")
    """
)

M3 = (
    HEADER
    + """
    revision = "0003"
    down_revision = "0002"
    message = "age becomes an int (new binary type)"

    class Old(IgniteModel, cache="{cache}", type_name="{type}", table="{table}"):
        id: Annotated[int, Key]
        name: str
        age: str
        email: str | None = None

    class New(IgniteModel, cache="{cache}", type_name="{type}V3", table="{table}"):
        id: Annotated[int, Key]
        name: str
        age: int
        email: str | None = None

    def upgrade(op):
        op.move_to_new_type(
            Old, New, lambda p: New(id=p.id, name=p.name, age=int(p.age), email=p.email)
        )
    """
)


def columns(db: Database, table: str) -> dict[str, str]:
    rows = db.client.sql(
        "SELECT COLUMN_NAME, TYPE FROM SYS.TABLE_COLUMNS WHERE TABLE_NAME = ? "
        "AND COLUMN_NAME NOT IN ('_KEY', '_VAL')",
        query_args=[table.upper()],
    )
    return {str(name): str(kind) for name, kind in rows}


def test_a_model_evolves_through_three_versions(
    ignite_node: IgniteCluster, db: Database, names: dict[str, str], tmp_path: Path
) -> None:
    table = names["table"]
    # v1: plan shows the new cache (exit 4), apply creates it, plan is then clean (exit 0).
    write(tmp_path / "app_v1.py", V1, **names)
    planned = orm(ignite_node, "plan", "app_v1.py", cwd=tmp_path, history=names["history"])
    assert planned.returncode == 4, planned.stderr
    assert "create_cache" in planned.stdout
    applied = orm(ignite_node, "apply", "app_v1.py", cwd=tmp_path, history=names["history"])
    assert applied.returncode == 0, applied.stderr
    assert (
        orm(ignite_node, "plan", "app_v1.py", cwd=tmp_path, history=names["history"]).returncode
        == 0
    )
    person_v1 = load_module(str(tmp_path / "app_v1.py")).Person
    people = db.repository(person_v1)
    people.put_many(
        person_v1(id=i, name=f"Name{i}", nickname=f"nick{i}", age=str(20 + i % 50))
        for i in range(ROWS)
    )

    # v2: a new field, backfilled by migration 0001.
    migrations = tmp_path / "migrations"
    write(migrations / "0001_add_email.py", M1, **names)
    write(tmp_path / "app_v2.py", V2, **names)
    planned = orm(
        ignite_node,
        "plan",
        "app_v2.py",
        "--migrations",
        "migrations",
        cwd=tmp_path,
        history=names["history"],
    )
    assert planned.returncode == 4
    assert "migration 0001: add email, backfilled from the name" in planned.stdout
    applied = orm(
        ignite_node,
        "apply",
        "app_v2.py",
        "--migrations",
        "migrations",
        cwd=tmp_path,
        history=names["history"],
    )
    assert applied.returncode == 0, applied.stderr
    assert "migrated 0001" in applied.stdout
    assert f"backfill Person.email: {ROWS}/{ROWS} (100%)" in applied.stderr  # progress
    rows = db.client.sql(f"SELECT id, name, nickname, age, email FROM {table} ORDER BY id")
    expected_v2 = [
        [i, f"Name{i}", f"nick{i}", str(20 + i % 50), f"name{i}@example.com"] for i in range(ROWS)
    ]
    assert [list(r) for r in rows] == expected_v2
    assert set(columns(db, table)) == {"ID", "NAME", "NICKNAME", "AGE", "EMAIL"}

    # v3: drop nickname (0002), age str -> int through a new binary type (0003).
    write(migrations / "0002_drop_nickname.py", M2, **names)
    write(migrations / "0003_age_to_int.py", M3, **names)
    write(tmp_path / "app_v3.py", V3, **names)
    applied = orm(
        ignite_node,
        "apply",
        "app_v3.py",
        "--migrations",
        "migrations",
        cwd=tmp_path,
        history=names["history"],
    )
    assert applied.returncode == 0, applied.stderr
    assert "migrated 0002: drop nickname" in applied.stdout
    assert "migrated 0003: age becomes an int (new binary type)" in applied.stdout
    assert f"copy back into {names['cache']}: {ROWS}/{ROWS} (100%)" in applied.stderr
    assert columns(db, table) == {
        "ID": "java.lang.Long",
        "NAME": "java.lang.String",
        "AGE": "java.lang.Long",
        "EMAIL": "java.lang.String",
    }
    rows = db.client.sql(f"SELECT id, name, age, email FROM {table} ORDER BY id")
    assert [list(r) for r in rows] == [
        [i, f"Name{i}", 20 + i % 50, f"name{i}@example.com"] for i in range(ROWS)
    ]
    older = db.client.sql(f"SELECT COUNT(*) FROM {table} WHERE age > ?", query_args=[60])
    assert list(older) == [[sum(1 for i in range(ROWS) if 20 + i % 50 > 60)]]
    person_v3 = load_module(str(tmp_path / "app_v3.py")).Person
    assert db.repository(person_v3).get(7) == person_v3(
        id=7, name="Name7", age=27, email="name7@example.com"
    )
    cache = db.client.get_cache(names["cache"])
    with cache.scan() as cursor:
        stored = [fields_of(value) for _, value in cursor]
    assert len(stored) == ROWS
    assert all("nickname" not in f and isinstance(f["age"], int) for f in stored)
    assert names["cache"] + "__to_" not in " ".join(db.client.get_cache_names())

    # The history: three revisions in order, each once, with their messages.
    history = orm(
        ignite_node, "history", "--format", "json", cwd=tmp_path, history=names["history"]
    )
    assert history.returncode == 0, history.stderr
    entries = json.loads(history.stdout)
    assert [(e["REVISION"], e["MESSAGE"]) for e in entries] == [
        ("0001", "add email, backfilled from the name"),
        ("0002", "drop nickname"),
        ("0003", "age becomes an int (new binary type)"),
    ]
    migrator = Migrator(db, migrations, history_cache=names["history"])
    assert migrator.pending() == []
    assert [a.seq for a in migrator.history()] == [1, 2, 3]
    # Everything is in place: apply again does nothing, plan is clean.
    again = orm(
        ignite_node,
        "apply",
        "app_v3.py",
        "--migrations",
        "migrations",
        cwd=tmp_path,
        history=names["history"],
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "up to date"
    assert (
        orm(ignite_node, "plan", "app_v3.py", cwd=tmp_path, history=names["history"]).returncode
        == 0
    )


CONCURRENT = (
    HEADER
    + """
    import os, time, uuid

    revision = "0001"
    down_revision = None
    message = "slow migration"

    def upgrade(op):
        op.db.client.get_or_create_cache("{cache}_runs").put(uuid.uuid4().hex, os.getpid())
        for i in range(12):
            time.sleep(0.25)
            op.report("slow step", i + 1, 12)
    """
)


def test_two_concurrent_applies_do_not_both_migrate(
    ignite_node: IgniteCluster, db: Database, names: dict[str, str], tmp_path: Path
) -> None:
    # Each test keeps its own history cache (--history-cache); the two processes share it.
    write(tmp_path / "app.py", V1, **names)
    write(tmp_path / "migrations" / "0001_slow.py", CONCURRENT, **names)
    procs = [
        orm(
            ignite_node,
            "apply",
            "app.py",
            "--migrations",
            "migrations",
            cwd=tmp_path,
            history=names["history"],
            wait=False,
        )
        for _ in range(2)
    ]
    outputs = []
    try:
        for proc in procs:
            assert isinstance(proc, subprocess.Popen)
            out, err = proc.communicate(timeout=TIMEOUT)
            outputs.append((proc.returncode, out, err))
    finally:  # a process that did not end in time is not left running
        for proc in procs:
            assert isinstance(proc, subprocess.Popen)
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=30)
    assert [rc for rc, _, _ in outputs] == [0, 0], outputs
    migrated = [out for _, out, _ in outputs if "migrated 0001: slow migration" in out]
    assert len(migrated) == 1, outputs
    waited = [err for _, _, err in outputs if "waiting for the migration lock held by" in err]
    assert len(waited) == 1, outputs
    runs = db.client.get_cache(names["cache"] + "_runs")
    assert runs.get_size() == 1  # the migration's body ran once
    history = Migrator(db, tmp_path / "migrations", history_cache=names["history"]).history()
    assert [a.revision for a in history] == ["0001"]


def test_the_lock_names_its_holder_and_expires(db: Database) -> None:
    history = History(db.client, cache_name=f"mig_lock_{os.getpid()}_{next(_ids)}")
    first = MigrationLock(history, ttl=2.0)
    first.acquire(wait=0)
    second = MigrationLock(history, ttl=2.0)
    with pytest.raises(MigrationLockedError) as locked:
        second.acquire(wait=0.5)
    assert str(os.getpid()) in str(locked.value)
    assert locked.value.holder["by"].endswith(f":{os.getpid()}")
    first.renew(force=True)
    # A holder that dies never releases: the lease expires and the lock is free again.
    first.held = False
    started = time.monotonic()
    second.acquire(wait=30)
    assert 0.5 < time.monotonic() - started < 30
    first.held = True
    with pytest.raises(MigrationLockedError, match="lost"):
        first.renew(force=True)
    second.release()
    assert second.holder() is None
    history.cache.destroy()


def test_a_failed_migration_stops_and_is_not_recorded(
    ignite_node: IgniteCluster, db: Database, names: dict[str, str], tmp_path: Path
) -> None:
    write(tmp_path / "app.py", V1, **names)
    write(
        tmp_path / "m" / "0001_ok.py",
        'revision = "0001"\ndown_revision = None\nmessage = "ok"\ndef upgrade(op): pass\n',
    )
    write(
        tmp_path / "m" / "0002_bad.py",
        'revision = "0002"\ndown_revision = "0001"\nmessage = "bad"\n'
        'def upgrade(op):\n    op.sql("SELEC 1")\n',
    )
    out = orm(
        ignite_node, "apply", "app.py", "--migrations", "m", cwd=tmp_path, history=names["history"]
    )
    assert out.returncode == 1
    assert "migration 0002 (bad) failed: SQLError" in out.stderr
    migrator = Migrator(db, tmp_path / "m", history_cache=names["history"])
    assert [s.revision for s in migrator.pending()] == ["0002"]


def test_plan_and_apply_refuse_conflicts(
    ignite_node: IgniteCluster, names: dict[str, str], tmp_path: Path
) -> None:
    write(tmp_path / "app.py", V1, **names)
    assert (
        orm(ignite_node, "apply", "app.py", cwd=tmp_path, history=names["history"]).returncode == 0
    )
    conflicting = V1.replace("age: str", "age: int")
    write(tmp_path / "bad.py", conflicting, **names)
    plan = orm(ignite_node, "plan", "bad.py", cwd=tmp_path, history=names["history"])
    assert plan.returncode == 3
    assert "CONFLICT" in plan.stdout
    assert (
        orm(ignite_node, "apply", "bad.py", cwd=tmp_path, history=names["history"]).returncode == 3
    )
    assert (
        orm(
            ignite_node, "plan", "no_such_module", cwd=tmp_path, history=names["history"]
        ).returncode
        == 2
    )


def test_scripts_form_one_chain(tmp_path: Path) -> None:
    first = create_script(tmp_path, "create people")
    second = create_script(tmp_path, "Add e-mail!")
    assert (first.name, second.name) == ("0001_create_people.py", "0002_add_e_mail.py")
    scripts = load_scripts(tmp_path)
    assert [(s.revision, s.down_revision, s.message) for s in scripts] == [
        ("0001", None, "create people"),
        ("0002", "0001", "Add e-mail!"),
    ]
    write(
        tmp_path / "0003_fork.py",
        'revision = "0003"\ndown_revision = "0001"\ndef upgrade(op): pass\n',
    )
    with pytest.raises(MigrationError, match="both follow revision 0001"):
        load_scripts(tmp_path)
    (tmp_path / "0003_fork.py").write_text(
        'revision = "0003"\ndown_revision = "0042"\ndef upgrade(op): pass\n'
    )
    with pytest.raises(MigrationError, match="0003 do not follow"):
        load_scripts(tmp_path)
    (tmp_path / "0003_fork.py").write_text("revision = 3\n")
    with pytest.raises(MigrationError, match="needs revision"):
        load_scripts(tmp_path)


def test_create_command_writes_the_next_script(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    out = orm(ignite_node, "create", "add index", "--migrations", "mig", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.strip())
    assert path.name == "0001_add_index.py"
    assert load_scripts(tmp_path / "mig")[0].message == "add index"
