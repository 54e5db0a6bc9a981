"""The documentation site: every code block of every page runs against real nodes, the
site builds without a warning, and every public name is in the API reference.

Code blocks.  Each page's ```python blocks run in order in one fresh interpreter (a
page reads like one session: later blocks use what earlier ones defined), against nodes
started for that page alone, so a page's first ``get_cache_names()`` really is ``[]``.
A block's nodes follow from what it uses: certificates (``ca.pem``...) -> a TLS node
with client certificates, whose files are in the working directory under the names the
page uses; ``username=`` -> a node with authentication (user ``ignite``/``ignite``);
ports 10801 or 10802 -> three nodes (for every plain block of the page).
``<!-- docs-env: tls auth cluster -->`` right before a block says it explicitly.  A block
after ``<!-- docs-file: NAME -->`` is not run but written to ``NAME`` (a module or a
migration script that later blocks use).  Ports 10800-10802 in a block are rewritten to
the nodes' real ones.  ```sh blocks whose every command is ``ignite-wire``/``ignite-orm``
(or ``pytest``, whose fixtures then use ports 2000 higher) run too (with
``IGNITE_WIRE_NODES`` set); other shell lines (``pip install``, ``nox``) are
instructions for a terminal, not run here.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ignite_wire.testing import IgniteCluster, TlsFiles
from ignite_wire.testing.pytest_plugin import PORT_OFFSET

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
TIMEOUT = 300

_BLOCK = re.compile(r"(?:<!--\s*docs-(env|file):([^>]*)-->\s*\n)?```(python|sh)\n(.*?)```", re.S)
_OUR_COMMANDS = (
    "ignite-wire ",
    "ignite-orm ",
    "python -m ignite_wire ",
    "python -m ignite_orm ",
    "pytest ",  # with our plugin's fixtures (on ports of their own, see below)
)


@dataclass
class Block:
    page: str
    line: int
    kind: str
    code: str
    env: frozenset[str] = field(default_factory=frozenset)
    file: str | None = None


def _env_of(code: str, explicit: str | None) -> frozenset[str]:
    if explicit is not None:
        return frozenset(explicit.split())
    env = set()
    if re.search(r"ca\.pem|client\.pem|client\.key|ssl_context", code):
        env.add("tls")
    if "username=" in code or "--username" in code:
        env.add("auth")
    if "10801" in code or "10802" in code:
        env.add("cluster")
    return frozenset(env)


def blocks_of(page: str) -> list[Block]:
    text = (DOCS / page).read_text()
    found = []
    for m in _BLOCK.finditer(text):
        directive, argument, kind, code = m.groups()
        line = text[: m.start(3)].count("\n") + 1
        if kind == "sh":
            commands = [c for c in code.splitlines() if c.strip() and not c.startswith("#")]
            if not commands or not all(c.startswith(_OUR_COMMANDS) for c in commands):
                continue
        explicit = argument if directive == "env" else None
        block = Block(page, line, kind, code, _env_of(code, explicit))
        if directive == "file":
            block.file = argument.strip()
        found.append(block)
    return found


RUNNER = textwrap.dedent(
    """
    import json, pathlib, subprocess, sys
    blocks = json.loads(pathlib.Path(sys.argv[1]).read_text())
    ns = {"__name__": "__main__"}
    for block in blocks:
        where = f"{block['page']}:{block['line']}"
        if block["file"]:
            path = pathlib.Path(block["file"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block["code"])
        elif block["kind"] == "python":
            exec(compile(block["code"], where, "exec"), ns)
        else:
            for command in block["code"].splitlines():
                if command.strip() and not command.startswith("#"):
                    done = subprocess.run(command, shell=True, env=block["env"])
                    if done.returncode not in block["exit_codes"]:
                        sys.exit(f"{where}: {command!r} exited {done.returncode}")
    """
)


def _ports(code: str, cluster: IgniteCluster) -> str:
    ports = [p for _, p in cluster.endpoints]
    moved = {str(10800 + i): str(ports[min(i, len(ports) - 1)]) for i in range(3)}
    # A page that starts its own nodes does it at 10870: moved clear of the fixtures'
    # clusters (10840 + 10 per cluster) and of the examples' runner (10890).
    moved["10870"] = str(10885 + PORT_OFFSET)
    # One pass: a port already rewritten (a fixture cluster may itself sit at 10870) is
    # never rewritten again.
    return re.sub(r"\b(1080[012]|10870)\b", lambda m: moved[m.group(1)], code)


@pytest.mark.parametrize("page", PAGES)
def test_every_code_block_runs(
    page: str,
    ignite_cluster_factory: Callable[..., IgniteCluster],
    ignite_tls: TlsFiles,
    tmp_path: Path,
) -> None:
    import json

    blocks = blocks_of(page)
    # Blocks that need no TLS or authentication share one cluster (three nodes if any of
    # them names a second node): a page reads like one session against one cluster.
    main = frozenset({"cluster"}) if any("cluster" in b.env for b in blocks) else frozenset()
    for b in blocks:
        if b.env <= {"cluster"}:
            b.env = main
    clusters: dict[frozenset[str], IgniteCluster] = {}
    for env in dict.fromkeys(b.env for b in blocks):
        options: dict[str, object] = {}
        if "tls" in env:
            options["tls"] = ignite_tls
        if "auth" in env:
            options["auth"] = True
        clusters[env] = ignite_cluster_factory(3 if "cluster" in env else 1, **options)
    for source, name in (
        (ignite_tls.ca_cert, "ca.pem"),
        (ignite_tls.client_cert, "client.pem"),
        (ignite_tls.client_key, "client.key"),
    ):
        shutil.copy(source, tmp_path / name)
    payload = []
    for b in blocks:
        cluster = clusters[b.env]
        nodes = ",".join(f"{h}:{p}" for h, p in cluster.endpoints)
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "IGNITE_WIRE_NODES": nodes,
            "IGNITE_WIRE_PASSWORD": "ignite",
            # A page's own pytest run starts its fixtures' nodes clear of this session's.
            "IGNITE_WIRE_PORT_OFFSET": str(PORT_OFFSET + 2000),
        }
        payload.append(
            {
                "page": b.page,
                "line": b.line,
                "kind": b.kind,
                "file": b.file,
                "code": _ports(b.code, cluster),
                "env": env,
                "exit_codes": [0, 4],  # 4: `ignite-orm plan` found changes to show
            }
        )
    (tmp_path / "blocks.json").write_text(json.dumps(payload))
    (tmp_path / "run_blocks.py").write_text(RUNNER)
    done = subprocess.run(
        [sys.executable, "-W", "error", "run_blocks.py", "blocks.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert done.returncode == 0, f"{page}:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    if os.environ.get("IGNITE_WIRE_DOCS_SHOW"):  # to read what the page's blocks print
        sys.stdout.write(done.stdout + done.stderr)


def test_pages_have_code_that_runs() -> None:
    """The collector finds the blocks (a broken pattern would pass every page vacuously)."""
    assert len(blocks_of("client.md")) >= 30
    assert {b.env for b in blocks_of("client.md")} >= {
        frozenset(),
        frozenset({"tls"}),
        frozenset({"auth"}),
        frozenset({"tls", "auth"}),
        frozenset({"cluster"}),
    }


def _public_names() -> list[str]:
    names = []
    for package in ("ignite_wire", "ignite_orm"):
        module = importlib.import_module(package)
        names += [f"{package}.{n}" for n in module.__all__ if n != "__version__"]
    for module_name in ("ignite_wire.dbapi", "ignite_wire.cli", "ignite_orm.migrations"):
        module = importlib.import_module(module_name)
        names += [f"{module_name}.{n}" for n in module.__all__]
    return names


def test_the_site_builds_strictly_and_documents_every_public_name(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-5000:]
    html = "".join(p.read_text() for p in (site / "api").rglob("*.html"))
    anchors = set(re.findall(r'id="([A-Za-z0-9_.]+)"', html))
    missing = [name for name in _public_names() if name not in anchors]
    assert missing == [], f"public names missing from the API reference: {missing}"


def test_port_rewriting_is_one_pass() -> None:
    """A fixture cluster that sits at 10870 is not moved again to the page-owned port."""

    class AtPort:
        endpoints = (("127.0.0.1", 10870), ("127.0.0.1", 10871), ("127.0.0.1", 10872))

    code = 'connect("127.0.0.1", 10800); other(10802); own = IgniteCluster(2, base_port=10870)'
    rewritten = _ports(code, AtPort())  # type: ignore[arg-type]
    assert rewritten == (
        'connect("127.0.0.1", 10870); other(10872); '
        f"own = IgniteCluster(2, base_port={10885 + PORT_OFFSET})"
    )
