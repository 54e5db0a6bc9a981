"""The layer contract of docs/architecture.md, checked on the source itself.

A rule that is only written down drifts. ``tests/layers.py`` states every layer as an
allow-list (its modules, the layers below it, the standard-library modules and the
third-party packages it may use) and checks every import with ``ast``; a test below
plants violations in a temporary copy of the tree to show that the contract catches
them.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from layers import check, imports_of

ROOT = Path(__file__).resolve().parents[1]


def test_every_module_belongs_to_a_layer() -> None:
    assert check(ROOT).unplaced == []


def test_no_module_imports_outside_its_allow_list() -> None:
    assert check(ROOT).violations == []


#: (file, planted line, what the violation names): an upward import, an I/O or foreign
#: module in a pure layer, the harness or pytest in the client.
PLANTED = [
    ("ignite_wire/_protocol/buffer.py", "from ignite_wire import _facade", "ignite_wire._facade"),
    ("ignite_wire/_protocol/buffer.py", "from .. import monitoring", "ignite_wire.monitoring"),
    ("ignite_wire/_protocol/codec.py", "import pydantic", "foreign module pydantic"),
    ("ignite_wire/_protocol/codec.py", "import os", "standard-library module os"),
    ("ignite_wire/_protocol/ops/cache.py", "import urllib.request", "module urllib.request"),
    ("ignite_wire/_protocol/flow.py", "import socket", "standard-library module socket"),
    ("ignite_wire/exceptions.py", "from ignite_wire._protocol import buffer", "_protocol"),
    ("ignite_wire/monitoring.py", "from ignite_wire import client", "ignite_wire.client"),
    ("ignite_wire/_transport/options.py", "from ..aio_client import AioClient", "aio_client"),
    ("ignite_wire/_facade.py", "import asyncio", "standard-library module asyncio"),
    ("ignite_wire/_facade.py", "from ._transport.sync import SyncConnection", "sync"),
    ("ignite_wire/aio_client.py", "from ignite_wire.testing import IgniteCluster", "testing"),
    ("ignite_wire/aio_client.py", "import pytest", "foreign module pytest"),
    ("ignite_wire/aio_client.py", "from .cli import main", "ignite_wire.cli"),
    ("ignite_orm/mapping.py", "from ignite_orm.database import Database", "ignite_orm.database"),
    ("ignite_orm/mapping.py", "import requests", "foreign module requests"),
    ("ignite_orm/database.py", "from .migrations import Migrator", "ignite_orm.migrations"),
]


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for package in ("ignite_wire", "ignite_orm"):
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    assert check(root).violations == []  # so that each planted line is the cause
    return root


@pytest.mark.parametrize(("file", "line", "named"), PLANTED)
def test_a_planted_violation_fails_the_contract(
    tree_copy: Path, file: str, line: str, named: str
) -> None:
    target = tree_copy / file
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(f"{original}\n{line}\n", encoding="utf-8")
        found = check(tree_copy).violations
    finally:
        target.write_text(original, encoding="utf-8")
    assert len(found) == 1, found
    assert found[0].startswith(file), found
    assert named in found[0], found


def test_a_new_module_must_be_placed_in_a_layer(tree_copy: Path) -> None:
    planted = tree_copy / "ignite_wire" / "brand_new_idea.py"
    planted.write_text("import struct\n", encoding="utf-8")
    try:
        assert check(tree_copy).unplaced == ["ignite_wire.brand_new_idea"]
    finally:
        planted.unlink()


def test_protocol_core_takes_only_lock_from_threading() -> None:
    found = []
    for path in sorted((ROOT / "ignite_wire/_protocol").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import) and any(
                a.name.split(".")[0] == "threading" for a in node.names
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports threading")
            elif isinstance(node, ast.ImportFrom) and node.module == "threading":
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno} imports threading.{a.name}"
                    for a in node.names
                    if a.name != "Lock"
                ]
    assert found == []


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_orm_uses_only_public_client_names() -> None:
    found = []
    for path in sorted((ROOT / "ignite_orm").rglob("*.py")):
        for line, module, _ in imports_of(ROOT, path):
            parts = module.split(".")
            if parts[0] == "ignite_wire" and any(is_private(p) for p in parts[1:]):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert found == []
