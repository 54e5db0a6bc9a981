"""``python -m ignite_orm`` (also installed as ``ignite-orm``): schema and migrations.

::

    ignite-orm plan myapp.models                  # what apply would do; changes nothing
    ignite-orm apply myapp.models --migrations migrations
    ignite-orm create "add email" --migrations migrations
    ignite-orm upgrade --migrations migrations    # only the migration scripts
    ignite-orm history

``MODULE`` is a dotted module name (importable from the current directory) or a path to a
``.py`` file; its table models (``IgniteModel`` classes with ``cache=``) are used.
``apply`` takes the cluster's migration lock, runs pending migrations, then
``create_all``: two deployments started together never both migrate.  The connection
options are ``ignite-wire``'s (``--node``, TLS, ``--username``, ``--timeout``).

Exit codes: 0 done, or nothing to do; 1 an error (the cluster refused, a migration
failed); 2 bad usage; 3 the models conflict with the cluster (nothing was written);
4 ``plan`` found changes to apply; 5 the migration lock stayed taken (``--lock-wait``).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ignite_wire.cli import add_connection_arguments, connection_from_args, render
from ignite_wire.exceptions import IgniteError

from ..database import Database
from ..errors import ModelDefinitionError, SchemaConflictError
from ..mapping import ModelInfo
from ..migrations import (
    HISTORY_CACHE,
    MigrationError,
    MigrationLockedError,
    Migrator,
    create_script,
    load_scripts,
)
from ..model import IgniteModel

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CONFLICT, EXIT_CHANGES, EXIT_LOCKED = 0, 1, 2, 3, 4, 5


class UsageError(Exception):
    """The command line names something that does not exist."""


def load_module(spec: str) -> ModuleType:
    """A module by dotted name (from the current directory too) or by ``.py`` path."""
    if spec.endswith(".py") or "/" in spec:
        path = Path(spec)
        if not path.is_file():
            raise UsageError(f"no such file: {spec}")
        name = f"ignite_orm_models_{path.stem}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or module_spec.loader is None:
            raise UsageError(f"cannot load {spec}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
        return module
    if "" not in sys.path:
        sys.path.insert(0, "")
    try:
        return importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        raise UsageError(f"cannot import {spec}: {exc}") from None


def models_of(module: ModuleType) -> list[type[IgniteModel]]:
    """The table models in ``module``'s namespace, in definition order."""
    found = []
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, IgniteModel) and value is not IgniteModel:
            info = getattr(value, "__ignite__", None)
            if isinstance(info, ModelInfo) and info.is_table and value not in found:
                found.append(value)
    return found


def _progress(step: str, done: int, total: int | None) -> None:
    if total:
        print(f"  {step}: {done}/{total} ({done * 100 // total}%)", file=sys.stderr, flush=True)
    else:
        print(f"  {step}: {done}", file=sys.stderr, flush=True)


def _waiting(holder: dict[str, Any]) -> None:
    print(
        f"waiting for the migration lock held by {holder.get('by', '?')} "
        f"since {holder.get('since', '?')}",
        file=sys.stderr,
        flush=True,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ignite-orm", description="Apply ignite_orm models and migrations to a cluster."
    )
    add_connection_arguments(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def migrations_option(p: argparse.ArgumentParser, default: str | None) -> None:
        p.add_argument(
            "--history-cache",
            default=HISTORY_CACHE,
            help=f"cache of the migration history and lock (default {HISTORY_CACHE})",
        )
        p.add_argument(
            "--migrations",
            metavar="DIR",
            default=default,
            help="folder of migration scripts" + (f" (default {default})" if default else ""),
        )

    def lock_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lock-wait", type=float, default=600.0, help="seconds to wait")
        p.add_argument("--lock-ttl", type=float, default=60.0, help="lease seconds")

    plan = sub.add_parser("plan", help="show what apply would do")
    plan.add_argument("module", help="module (dotted name or .py path) with the models")
    migrations_option(plan, None)
    apply = sub.add_parser("apply", help="migrate, then create caches/tables/columns")
    apply.add_argument("module", help="module (dotted name or .py path) with the models")
    migrations_option(apply, None)
    lock_options(apply)
    create = sub.add_parser("create", help="write the next migration script")
    create.add_argument("message", help="what the migration does")
    migrations_option(create, "migrations")
    upgrade = sub.add_parser("upgrade", help="run the pending migration scripts")
    migrations_option(upgrade, "migrations")
    lock_options(upgrade)
    history = sub.add_parser("history", help="the applied migrations (and pending ones)")
    migrations_option(history, None)
    history.add_argument("--format", choices=("table", "csv", "json"), default="table")
    return parser


def _plan(db: Database, args: argparse.Namespace) -> int:
    models = models_of(load_module(args.module))
    if not models:
        raise UsageError(f"{args.module} defines no IgniteModel with a cache")
    changes = 0
    if args.migrations:
        pending = Migrator(db, args.migrations, history_cache=args.history_cache).pending()
        for script in pending:
            print(f"migration {script.revision}: {script.message}")
        changes += len(pending)
    plan = db.plan(*models)
    for step in plan.steps:
        print(f"{'CONFLICT ' if step.conflict else ''}{step}")
    if plan.conflicts:
        print(f"{len(plan.conflicts)} conflict(s): apply would refuse", file=sys.stderr)
        return EXIT_CONFLICT
    changes += len(plan.steps)
    print(f"{changes} change(s) to apply" if changes else "up to date")
    return EXIT_CHANGES if changes else EXIT_OK


def _apply(db: Database, args: argparse.Namespace) -> int:
    models = models_of(load_module(args.module))
    if not models:
        raise UsageError(f"{args.module} defines no IgniteModel with a cache")
    migrator = Migrator(
        db,
        args.migrations or ".",
        lock_ttl=args.lock_ttl,
        lock_wait=args.lock_wait,
        progress=_progress,
        on_wait=_waiting,
        history_cache=args.history_cache,
    )
    with migrator.locked() as lock:
        applied = migrator.upgrade(lock) if args.migrations else []
        for entry in applied:
            print(f"migrated {entry.revision}: {entry.message} ({entry.seconds:.1f} s)")
        plan = db.create_all(*models)
    for step in plan.steps:
        print(f"applied {step}")
    if not applied and plan.empty:
        print("up to date")
    return EXIT_OK


def _history(db: Database, args: argparse.Namespace) -> int:
    applied = Migrator(db, args.migrations or ".", history_cache=args.history_cache).history()
    rows: list[list[Any]] = [
        [a.revision, a.message, a.applied_at, a.seconds, a.by] for a in applied
    ]
    if args.migrations:
        done = {a.revision for a in applied}
        rows += [
            [s.revision, s.message, None, None, "(pending)"]
            for s in load_scripts(Path(args.migrations))
            if s.revision not in done
        ]
    print(render(["REVISION", "MESSAGE", "APPLIED_AT", "SECONDS", "BY"], rows, args.format))
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    if args.command == "create":
        print(create_script(Path(args.migrations), args.message))
        return EXIT_OK
    nodes, options = connection_from_args(args)
    with Database.connect(nodes, partition_aware=False, **options) as db:
        if args.command == "plan":
            return _plan(db, args)
        if args.command == "apply":
            return _apply(db, args)
        if args.command == "upgrade":
            migrator = Migrator(
                db,
                args.migrations,
                lock_ttl=args.lock_ttl,
                lock_wait=args.lock_wait,
                progress=_progress,
                on_wait=_waiting,
                history_cache=args.history_cache,
            )
            applied = migrator.upgrade()
            for entry in applied:
                print(f"migrated {entry.revision}: {entry.message} ({entry.seconds:.1f} s)")
            if not applied:
                print("up to date")
            return EXIT_OK
        return _history(db, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except UsageError as exc:
        print(f"ignite-orm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SchemaConflictError as exc:
        print(f"ignite-orm: {exc}", file=sys.stderr)
        return EXIT_CONFLICT
    except MigrationLockedError as exc:
        print(f"ignite-orm: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except (MigrationError, ModelDefinitionError, IgniteError) as exc:
        print(f"ignite-orm: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
