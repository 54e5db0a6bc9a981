"""Every development task, one session each: ``nox -s tests`` is what CI runs.

Sessions install the project with the extras they need into their own virtualenv, so
``pip install nox`` is the only manual step on a fresh machine.  Java artifacts come
from Maven Central through the harness (``python -m ignite_wire.testing fetch``), into a
cache folder outside the repository.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

SOURCES = [
    path
    for path in (
        "ignite_wire",
        "ignite_orm",
        "tests",
        "examples",
        "benchmarks",
        "tools",
        "noxfile.py",
        "hatch_build.py",
    )
    if Path(path).exists()
]


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite, against real Ignite nodes that the fixtures start and stop."""
    session.install("-e", ".[test]")
    # Fetch first, so a broken Maven or JDK fails here with a clear message.
    session.run("python", "-m", "ignite_wire.testing", "fetch")
    session.run("pytest", *(session.posargs or ["tests"]), env={"HYPOTHESIS_PROFILE": "ci"})


@nox.session
def reliability(session: nox.Session) -> None:
    """The reliability suite at full scale (docs/reliability.md), figures in a JSON file.

    ``nox -s tests`` (CI) runs the same suite at small counts; this session runs the
    counts the document quotes (100,000+ hostile frames, 10,000 connect/close cycles...).
    """
    session.install("-e", ".[test]")
    session.run("python", "-m", "ignite_wire.testing", "fetch")
    session.run(
        "pytest",
        *(session.posargs or ["tests/reliability", "tests/wire/test_eviction.py"]),
        env={
            "HYPOTHESIS_PROFILE": "ci",
            "IGNITE_WIRE_RELIABILITY_FULL": "1",
            "IGNITE_WIRE_RELIABILITY_REPORT": "reliability-figures.json",
        },
    )


@nox.session
def unit(session: nox.Session) -> None:
    """Only the tests that need no server (no JVM is started: the harness refuses)."""
    session.install("-e", ".[test]")
    session.run(
        "pytest",
        "-m",
        "not server",
        *(session.posargs or ["tests"]),
        env={"IGNITE_WIRE_NO_SERVER": "1"},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and format check over every Python file we own; generated code current."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", *SOURCES)
    session.run("ruff", "format", "--check", *SOURCES)
    # The sync modules are generated from the asyncio ones: they must be current.
    session.run("python", "tools/unasync.py", "--check")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on both packages and the ORM's type tests (see pyproject.toml)."""
    session.install("-e", ".[lint,test]")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site (mkdocs.yml), warnings as errors, into build/site.

    Every code block of the pages runs against real nodes in tests/test_docs.py (part of
    ``nox -s tests``); this session checks the site itself: links, anchors, navigation,
    and the API reference generated from the docstrings.
    """
    session.install("-e", ".[docs]")
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        "build/site",
        *session.posargs,
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Three-way benchmark (ignite_wire, pyignite 0.6.1, Java thin client) on three nodes.

    ``-- --quick`` is CI's smoke run; see benchmarks/bench.py for the options.  The codec
    micro-benchmark alone: ``python benchmarks/bench_codec.py``.
    """
    session.install("-e", ".[bench]")
    session.run("python", "-m", "ignite_wire.testing", "fetch")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """Start a local node, run the quickstart example against it, stop the node."""
    session.install("-e", ".")
    session.run("python", "examples/run_with_node.py", "examples/quickstart.py")


@nox.session
def pyignite_suite(session: nox.Session) -> None:
    """pyignite 0.6.1's own tests/common and examples/ against ignite_wire, and pyignite.

    The suite comes from pyignite's sdist on the package index at run time (see
    tools/pyignite_suite/run.py); the real pyignite runs in a venv of its own beside this
    one, on the same nodes, so the summary compares the two.
    """
    requirements = "tools/pyignite_suite/requirements.txt"
    session.install("-e", ".", "-r", requirements)
    session.run("python", "-m", "ignite_wire.testing", "fetch")
    peer = Path(session.virtualenv.location) / "pyignite-venv"
    peer_python = peer / "bin" / "python"
    if not peer_python.exists():
        session.run("python", "-m", "venv", str(peer))
    session.run(
        str(peer_python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "pyignite==0.6.1",
        "-r",
        requirements,
        external=True,
    )
    cache = Path(session.virtualenv.location) / "pyignite-suite-cache"
    session.run(
        "python",
        "tools/pyignite_suite/run.py",
        "--cache",
        str(cache),
        "--pyignite-python",
        str(peer_python),
        *session.posargs,
    )
