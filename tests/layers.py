"""The layer contract of docs/architecture.md as data, and the checker that applies it.

Every module of both packages belongs to exactly one layer (matched by dotted-name
patterns). A layer lists what it may import: the layers below it, a set of standard
library modules, and a set of third-party distributions. Everything else is a violation,
so an upward import, a foreign package or an I/O module in a pure layer fails the
contract the day it is written, without anyone having to foresee it in a blacklist.

A module that matches no layer is itself a violation: a new module has to be placed.

The checker takes the source tree as an argument so that a test can run it on a
temporary copy with a planted violation (``tests/test_architecture.py``).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

#: Standard-library modules that compute and never reach outside the process: no files,
#: sockets, processes, threads, clocks or environment. The sans-IO core and the pure
#: policy modules may use only these.
COMPUTE_STDLIB = frozenset(
    {
        "__future__",
        "abc",
        "array",
        "bisect",
        "collections",
        "contextlib",
        "contextvars",
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "ipaddress",
        "itertools",
        "keyword",
        "math",
        "numbers",
        "operator",
        "re",
        "string",
        "struct",
        "sys",
        "types",
        "typing",
        "unicodedata",
        "uuid",
        "warnings",
        "weakref",
    }
)

#: The whole standard library, for the layers that do I/O.
ALL_STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


@dataclass(frozen=True)
class Layer:
    """One layer: which modules it holds and what they may import."""

    name: str
    modules: tuple[str, ...]
    stdlib: frozenset[str]
    below: tuple[str, ...] = ()
    third_party: frozenset[str] = frozenset()
    #: Modules of a layer below that this layer still may not import (I/O it must not do).
    excluded: tuple[str, ...] = ()


_W = "ignite_wire"
_O = "ignite_orm"

#: Every layer of the client proper, for what sits on top of it (its apps, the ORM).
_THE_CLIENT = (
    "wire.leaf",
    "wire.core",
    "wire.values",
    "wire.transport",
    "wire.policy",
    "wire.client",
)

#: Bottom to top. ``below`` names layers (not modules), so a module added to a layer is
#: covered at once.
LAYERS: tuple[Layer, ...] = (
    Layer("wire.leaf", (f"{_W}.exceptions", f"{_W}._version"), frozenset({"__future__"})),
    Layer(
        "wire.core",
        (f"{_W}._protocol", f"{_W}._protocol.*"),
        # ``threading`` for the registry's Lock only (a test checks the name), linecache
        # so that generated codec source shows in tracebacks, inspect for the signature
        # of a binary class's compiled ``__init__`` (object_init.py).
        COMPUTE_STDLIB | {"threading", "linecache", "inspect"},
        below=("wire.leaf",),
    ),
    Layer(
        "wire.values",
        (
            f"{_W}.datatypes",
            f"{_W}.datatypes.*",
            f"{_W}.binary",
            f"{_W}.utils",
            f"{_W}.protocol_context",
            f"{_W}.index_query",
            f"{_W}.monitoring",
            f"{_W}.retry",
        ),
        COMPUTE_STDLIB | {"logging", "ctypes"},
        below=("wire.leaf", "wire.core"),
    ),
    Layer(
        "wire.transport",
        (f"{_W}._transport", f"{_W}._transport.*"),
        ALL_STDLIB,
        below=("wire.leaf", "wire.core", "wire.values"),
    ),
    Layer(
        # Decisions without I/O that both client twins share: tested with plain data.
        "wire.policy",
        (
            f"{_W}._facade",
            f"{_W}._facade_*",
            f"{_W}._connecting",
            f"{_W}._index_flow",
            f"{_W}._sql_partitions",
            f"{_W}._arguments",
            f"{_W}._checks",
            f"{_W}._routing",
            f"{_W}._membership",
            f"{_W}._query_events",
            f"{_W}._policy",
            f"{_W}._policy.*",
            f"{_W}._cursor_state",
            f"{_W}._retry_plan",
            f"{_W}._fanout",
            f"{_W}._sql_args",
            f"{_W}._options",
            f"{_W}._ssl_options",
            f"{_W}._pyignite_mode",
        ),
        COMPUTE_STDLIB | {"ssl"},
        below=("wire.leaf", "wire.core", "wire.values", "wire.transport"),
        # TLS options are configuration; sockets, loops and queues are not.
        excluded=(
            f"{_W}._transport.sync",
            f"{_W}._transport.aio",
            f"{_W}._transport.inbox",
            # what sync.py / aio.py were split into: sockets, threads, tasks
            f"{_W}._transport.sync_connect",
            f"{_W}._transport.sync_io",
            f"{_W}._transport.threads",
            f"{_W}._transport.aio_wire",
            f"{_W}._transport.tasks",
        ),
    ),
    Layer(
        "wire.client",
        (
            _W,
            f"{_W}.client",
            f"{_W}.aio_client",
            f"{_W}.cache",
            f"{_W}.aio_cache",
            f"{_W}.transaction",
            f"{_W}.continuous",
            f"{_W}.cluster",
            f"{_W}.aio_*",
            f"{_W}.sync_*",
            f"{_W}._aio_*",
            f"{_W}._sync_*",
            f"{_W}._client_*",
            f"{_W}.compute",
            f"{_W}.services",
            f"{_W}.streamer",
            f"{_W}.sets",
            f"{_W}.compat",
            f"{_W}.compat.*",
        ),
        ALL_STDLIB,
        below=("wire.leaf", "wire.core", "wire.values", "wire.transport", "wire.policy"),
    ),
    Layer(
        "wire.apps",
        (f"{_W}.__main__", f"{_W}.cli", f"{_W}.cli.*", f"{_W}.dbapi", f"{_W}.dbapi.*"),
        ALL_STDLIB,
        below=_THE_CLIENT,
    ),
    Layer(
        # Development tooling: the client never imports it (nothing above lists it).
        "wire.harness",
        (f"{_W}.testing", f"{_W}.testing.*"),
        ALL_STDLIB,
        third_party=frozenset({"pytest", "cryptography", "_pytest"}),
    ),
)

#: The ORM sits on the client's public names (a separate test forbids ``_private`` ones).
_ORM_ON_WIRE = _THE_CLIENT
_PYDANTIC = frozenset({"pydantic", "pydantic_core", "typing_extensions"})

ORM_LAYERS: tuple[Layer, ...] = (
    Layer(
        # What models are, with no I/O: declarations, mapping, schema plan, statements.
        "orm.model",
        (
            f"{_O}.errors",
            f"{_O}.fields",
            f"{_O}._*",
            f"{_O}.model",
            f"{_O}.mapping",
            f"{_O}.schema",
            f"{_O}.schema_*",
            f"{_O}.changes",
            f"{_O}.index_queries",
            f"{_O}.metadata",
            f"{_O}.metadata.*",
            f"{_O}.query.expressions",
            f"{_O}.query.functions",
            f"{_O}.query.statements",
            f"{_O}.query.compiler",
            f"{_O}.query.routing",
            f"{_O}.query.paging",
            f"{_O}.query.relations",
            f"{_O}.unit_of_work",
            f"{_O}.introspection",
        ),
        COMPUTE_STDLIB,
        below=_ORM_ON_WIRE,
        third_party=_PYDANTIC,
        excluded=(
            f"{_W}._transport.sync",
            f"{_W}._transport.aio",
            f"{_W}._transport.inbox",
            # what sync.py / aio.py were split into: sockets, threads, tasks
            f"{_W}._transport.sync_connect",
            f"{_W}._transport.sync_io",
            f"{_W}._transport.threads",
            f"{_W}._transport.aio_wire",
            f"{_W}._transport.tasks",
        ),
    ),
    Layer(
        # The I/O twins: databases, repositories, sessions, results, watches, loads.
        "orm.io",
        (
            # The packages' __init__ modules gather the public names from every layer.
            _O,
            f"{_O}.query",
            f"{_O}.aio_*",
            f"{_O}.database",
            f"{_O}.database_*",
            f"{_O}.repository",
            f"{_O}.session",
            f"{_O}.watch",
            f"{_O}.load",
            f"{_O}.loader",
            f"{_O}.query.aio_*",
            f"{_O}.query.results",
        ),
        ALL_STDLIB,
        below=(*_ORM_ON_WIRE, "orm.model"),
        third_party=_PYDANTIC,
    ),
    Layer(
        "orm.apps",
        (f"{_O}.__main__", f"{_O}._cli", f"{_O}._cli.*", f"{_O}.migrations", f"{_O}.migrations.*"),
        ALL_STDLIB,
        below=(*_ORM_ON_WIRE, "wire.apps", "orm.model", "orm.io"),
        third_party=_PYDANTIC,
    ),
)

ALL_LAYERS = LAYERS + ORM_LAYERS
FIRST_PARTY = frozenset({_W, _O})


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(
    root: Path, path: Path, modules: Collection[str] = ()
) -> Iterator[tuple[int, str, bool]]:
    """Every import as (line, dotted name, is a member), relative imports made absolute.

    ``from x import y`` gives ``x.y`` alone when ``y`` is one of ``modules`` (importing a
    submodule), otherwise ``x`` and the member ``x.y``; ``import x.y`` gives ``x.y``.
    """
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, False
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names = [f"{module}.{alias.name}" for alias in node.names]
            if not all(name in modules for name in names):
                yield node.lineno, module, False
            for name in names:
                yield node.lineno, name, name not in modules


def layer_of(module: str, layers: tuple[Layer, ...] = ALL_LAYERS) -> Layer | None:
    # The most specific pattern wins, so ``ignite_orm._cli`` is an app although
    # ``ignite_orm._*`` is the model layer's.
    best: tuple[int, Layer] | None = None
    for layer in layers:
        for pattern in layer.modules:
            if fnmatchcase(module, pattern):
                score = len(pattern) - 2 * pattern.count("*")
                if best is None or score > best[0]:
                    best = (score, layer)
    return best[1] if best else None


@dataclass
class Report:
    violations: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


def check(root: Path, layers: tuple[Layer, ...] = ALL_LAYERS) -> Report:
    """Apply the contract to ``root``/ignite_wire and ``root``/ignite_orm."""
    report = Report()
    files = {
        module_name(root, path): path
        for package in sorted(FIRST_PARTY)
        for path in sorted((root / package).rglob("*.py"))
    }
    # A compiled module (a .pyi stub, no .py) sits in the layer its name puts it in.
    for package in sorted(FIRST_PARTY):
        for path in sorted((root / package).rglob("*.pyi")):
            files.setdefault(module_name(root, path), path)
    placed = {name: layer_of(name, layers) for name in files}
    for name, layer in placed.items():
        if layer is None:
            report.unplaced.append(name)
    for name, path in files.items():
        layer = placed[name]
        if layer is None:
            continue
        allowed_layers = {layer.name, *layer.below}
        where = f"{path.relative_to(root)}"
        seen: set[tuple[int, str]] = set()
        for line, imported, member in imports_of(root, path, files):
            top = imported.split(".")[0]
            if top in FIRST_PARTY:
                target = _longest_module(imported, files)
                if target is None or (line, target) in seen:
                    continue
                seen.add((line, target))
                target_layer = placed.get(target)
                if target_layer is None:
                    continue
                if target_layer.name not in allowed_layers or any(
                    target == x or target.startswith(x + ".") for x in layer.excluded
                ):
                    report.violations.append(
                        f"{where}:{line} ({layer.name}) imports {target} ({target_layer.name})"
                    )
            elif member:
                continue  # ``from module import name``: the module itself was checked
            elif top not in layer.stdlib and top not in layer.third_party:
                kind = "standard-library" if top in ALL_STDLIB else "foreign"
                report.violations.append(
                    f"{where}:{line} ({layer.name}) imports {kind} module {imported}"
                )
    return report


def _longest_module(imported: str, files: dict[str, Path]) -> str | None:
    parts = imported.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in files:
            return candidate
    return None
