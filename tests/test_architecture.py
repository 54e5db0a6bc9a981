"""The dependency rules of docs/architecture.md, checked on the source itself.

A rule that is only written down drifts; this reads every module's imports with ``ast``
and fails with the offending module and import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The sans-IO core never does I/O and never waits: no sockets, TLS, event loops,
#: threads or clocks, and nothing from the layers above it.  The one thing it takes from
#: ``threading`` is ``Lock`` (checked below): the binary type registry is shared by every
#: connection of a client, and a lock held for a dict update neither blocks on I/O nor
#: starts a thread.
PROTOCOL_FORBIDDEN = {
    "socket",
    "ssl",
    "asyncio",
    "selectors",
    "time",
    "ignite_wire.datatypes",
    "ignite_wire.binary",
    "ignite_wire.client",
    "ignite_wire.aio_client",
    "ignite_wire.testing",
    "ignite_wire._transport",
    "ignite_wire._sync",
    "ignite_wire._aio",
}


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def violations(folder: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for line, module in imports_of(path):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_protocol_core_is_sans_io() -> None:
    assert violations("ignite_wire/_protocol", PROTOCOL_FORBIDDEN) == []


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


def test_exceptions_is_a_leaf() -> None:
    assert [
        m for _, m in imports_of(ROOT / "ignite_wire/exceptions.py") if m.startswith("ignite_wire")
    ] == []


def test_client_never_imports_the_harness() -> None:
    forbidden = {"ignite_wire.testing", "pytest", "pyignite"}
    found = [
        v for v in violations("ignite_wire", forbidden) if not v.startswith("ignite_wire/testing/")
    ]
    assert found == []


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_orm_uses_only_public_client_names() -> None:
    found = []
    for path in sorted((ROOT / "ignite_orm").rglob("*.py")):
        for line, module in imports_of(path):
            parts = module.split(".")
            if parts[0] == "ignite_wire" and any(is_private(p) for p in parts[1:]):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert found == []
