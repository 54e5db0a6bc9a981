"""Migration scripts on disk: find them, order them by their ``down_revision`` chain,
and write a new one.

A script is a Python file in the migrations folder, named ``NNNN_slug.py``::

    revision = "0002"
    down_revision = "0001"
    message = "add email, backfilled from the name"

    def upgrade(op):
        op.backfill(PersonV2, "email", lambda p: f"{p.name}@example.com")

Scripts form one line: each names the revision it follows.  Two scripts that follow the
same revision (two branches merged without reordering) or a revision no script has are
refused with :class:`MigrationError` before anything runs.  Scripts declare their own
frozen copies of the models they touch, as Alembic's do, so a script keeps working when
the application's models move on.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ._errors import MigrationError

__all__ = ["MigrationScript", "create_script", "load_scripts"]

_NAME = re.compile(r"^(\d{4,})_[A-Za-z0-9_]*\.py$")


@dataclass(frozen=True)
class MigrationScript:
    """One loaded script: its revision, the one it follows, its message and function."""

    revision: str
    down_revision: str | None
    message: str
    path: Path
    upgrade: Callable[[Any], None]

    def __repr__(self) -> str:
        return f"<MigrationScript {self.revision} {self.message!r}>"


def _load(path: Path) -> ModuleType:
    name = f"ignite_orm_migration_{path.stem}_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise MigrationError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the scripts' annotations through it
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise MigrationError(f"{path}: failed to load: {type(exc).__name__}: {exc}") from exc
    return module


def _script(path: Path) -> MigrationScript:
    module = _load(path)
    revision = getattr(module, "revision", None)
    down = getattr(module, "down_revision", None)
    message = getattr(module, "message", None) or (module.__doc__ or "").strip()
    upgrade = getattr(module, "upgrade", None)
    if not isinstance(revision, str) or not revision:
        raise MigrationError(f"{path}: needs revision = '<id>' (a non-empty str)")
    if down is not None and not isinstance(down, str):
        raise MigrationError(f"{path}: down_revision must be a str or None")
    if not callable(upgrade):
        raise MigrationError(f"{path}: needs a function upgrade(op)")
    return MigrationScript(revision, down, str(message), path, upgrade)


def order(scripts: list[MigrationScript]) -> list[MigrationScript]:
    """The scripts in the order of their chain; refuses forks, gaps and duplicates."""
    by_revision: dict[str, MigrationScript] = {}
    following: dict[str | None, MigrationScript] = {}
    for s in scripts:
        if s.revision in by_revision:
            raise MigrationError(
                f"revision {s.revision} is defined twice: {by_revision[s.revision].path} "
                f"and {s.path}"
            )
        by_revision[s.revision] = s
        if s.down_revision in following:
            other = following[s.down_revision]
            raise MigrationError(
                f"{other.path.name} and {s.path.name} both follow revision "
                f"{s.down_revision or '(none)'}: make one follow the other"
            )
        following[s.down_revision] = s
    chain: list[MigrationScript] = []
    current: str | None = None
    while current in following:
        chain.append(following[current])
        current = following[current].revision
    if len(chain) != len(scripts):
        lost = sorted(set(by_revision) - {s.revision for s in chain})
        raise MigrationError(
            f"revisions {', '.join(lost)} do not follow from the first script "
            "(down_revision = None): their down_revision names no script"
        )
    return chain


def load_scripts(directory: Path) -> list[MigrationScript]:
    """Every ``NNNN_*.py`` script in ``directory``, in chain order."""
    if not directory.is_dir():
        raise MigrationError(f"no migrations folder at {directory}")
    paths = sorted(p for p in directory.iterdir() if _NAME.match(p.name))
    return order([_script(p) for p in paths])


_TEMPLATE = '''{message!r}

from __future__ import annotations

from ignite_orm.migrations import Operations

revision = {revision!r}
down_revision = {down!r}
message = {message!r}

# Declare here frozen copies of the models this migration touches (not imports of the
# application's models, which will move on).


def upgrade(op: Operations) -> None:
    """What to do; see ignite_orm.migrations.Operations."""
'''


def create_script(directory: Path, message: str) -> Path:
    """Write the next script (revision = highest + 1, following the current head)."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = load_scripts(directory)
    numbers = [int(m.group(1)) for p in directory.iterdir() if (m := _NAME.match(p.name))]
    revision = f"{max(numbers, default=0) + 1:04d}"
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "migration"
    path = directory / f"{revision}_{slug}.py"
    down = existing[-1].revision if existing else None
    path.write_text(_TEMPLATE.format(message=message, revision=revision, down=down))
    return path
