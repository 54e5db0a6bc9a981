"""Runs pyignite 0.6.1's own ``tests/common`` and ``examples/`` against ignite_wire.

pyignite's code is never copied into this repository: its source distribution on the
package index carries ``tests/`` and ``examples/``, so the runner downloads it at test
time (``pip download pyignite==0.6.1 --no-binary :all:``) into a cache folder and unpacks
only those two folders.  The import name ``pyignite`` becomes ``ignite_wire`` through
``alias/sitecustomize.py`` (on ``PYTHONPATH``), so no line of theirs changes; with a
non-zero ``IGNITE_WIRE_PORT_OFFSET`` their port numbers 10800..10803 are shifted in the
unpacked copy, the only edit, so that runs on a shared machine do not collide.

The nodes are this project's harness: three nodes on thin-client ports 10801..10803 with
the data region ``SmallDataRegion`` (what pyignite's ``tests/config`` sets up) for the
suite, then one node on 10800 for the examples (their address).  With
``--pyignite-python`` the real pyignite, in its own venv, runs the same selection on the
same nodes, so the two results compare.

Tests of pyignite's private internals are deselected, each with its reason, in
:data:`NOT_APPLICABLE` (mirrored in docs/migrating-from-pyignite.md).  The tests that
assert pyignite's value representations (Collections as ``(kind, items)``, naive
datetimes...) run in a second pytest run in ignite_wire's pyignite value mode: the plugin
``plugin/pyignite_values_mode.py`` makes the one call a migrating user makes
(``ignite_wire.compat.use_pyignite_values()``); the first run, of everything else, uses
the default plain values.  The exit status is non-zero when ignite_wire fails any test
of either run or any example.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ignite_wire import Client
from ignite_wire.testing import IgniteCluster

HERE = Path(__file__).resolve().parent
VERSION = "0.6.1"
PORT_OFFSET = int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0"))
REGIONS = {"SmallDataRegion": 20}

_INTERNAL_LISTENER = (
    "imports pyignite.queries.op_codes and pyignite.queries.query.logger and reads "
    "client._nodes (pyignite internals); ignite_wire's events carry op_code as an OpCode "
    "and op_name, tested in its own suite"
)
_INTERNAL_CURSOR = (
    "checks the server cursor is closed by sending pyignite.api.resource_close on the "
    "cursor's private connection (pyignite internals); ignite_wire's own suite checks "
    "that closed and exhausted cursors free their server cursor"
)
_NESTED = (
    "Collections, Maps and Object[] read back as pyignite's (kind, items) and "
    "(type_id, items) tuples only in the pyignite value mode (default: list / dict)"
)
_DATETIME = (
    "naive datetimes and (datetime, nanos) tuples only in the pyignite value mode "
    "(default: aware UTC datetimes)"
)
_TIME = "Time reads back as timedelta only in the pyignite value mode (default: time)"
_ENUM_ARRAY = (
    "an enum array reads back as (type_id, [(id, ordinal)]) only in the pyignite value "
    "mode (default: a list of BinaryEnumValue)"
)
_ONE_CLASS = (
    "fields missing from the schema an object was written with are absent (hasattr() is "
    "False) only in the pyignite value mode (default: they read as None)"
)
_BINARY_TYPE = "get_binary_type returns pyignite's dict only in the pyignite value mode"
_SETTINGS = (
    "the defaults of query fields are written into the caller's settings dict only in "
    "the pyignite value mode (default: the caller's dict is left as it was)"
)

#: Tests not run in the first (default mode) run, node-id prefix -> (kind, reason):
#: "internal" for tests of pyignite's private modules (never run on ignite_wire),
#: "pyignite_mode" for tests of pyignite's value representations (run in the second run,
#: in the pyignite value mode).  docs/migrating-from-pyignite.md lists the same ids.
NOT_APPLICABLE: dict[str, tuple[str, str]] = {
    "tests/common/test_query_listener.py::test_query_fail_events": ("internal", _INTERNAL_LISTENER),
    "tests/common/test_query_listener.py::test_query_success_events": (
        "internal",
        _INTERNAL_LISTENER,
    ),
    "tests/common/test_scan.py::test_scan_objects": ("internal", _INTERNAL_CURSOR),
    "tests/common/test_scan.py::test_uninitialized_cursor": ("internal", _INTERNAL_CURSOR),
    "tests/common/test_binary.py::test_add_schema_to_binary_object": ("pyignite_mode", _ONE_CLASS),
    "tests/common/test_binary.py::test_object_with_collections_of_binary_objects": (
        "pyignite_mode",
        _NESTED,
    ),
    "tests/common/test_cache_class.py::test_get_binary_type": ("pyignite_mode", _BINARY_TYPE),
    "tests/common/test_cache_config.py::test_get_or_create_with_config_new": (
        "pyignite_mode",
        _SETTINGS,
    ),
    "tests/common/test_key_value.py::test_put_get_collection": ("pyignite_mode", _NESTED),
    "tests/common/test_datatypes.py::test_put_get_nested_array_objects": ("pyignite_mode", _NESTED),
}
for _variant in ("test_put_get_data", "test_put_get_data_async"):
    for _param, _why in (
        ("value31-None", _DATETIME),
        ("value32-TimestampObject", _DATETIME),
        ("value40-None", _DATETIME),
        ("value41-None", _TIME),
        ("value42-TimestampArrayObject", _DATETIME),
        ("value43-BinaryEnumArrayObject", _ENUM_ARRAY),
        ("value44-ObjectArrayObject", _NESTED),
        ("value45-ObjectArrayObject", _NESTED),
        ("value46-None", _NESTED),
        ("value47-None", _NESTED),
        ("value48-None", _NESTED),
    ):
        NOT_APPLICABLE[f"tests/common/test_datatypes.py::{_variant}[{_param}]"] = (
            "pyignite_mode",
            _why,
        )

#: Examples not run, name -> reason (pyignite's tests/test_examples.py skips the same).
EXAMPLES_SKIPPED = {
    "failover.py": "waits forever for a node to be killed by hand (pyignite skips it too)",
}


@dataclass
class Result:
    who: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    total: int = 0

    def line(self) -> str:
        return (
            f"{self.who}: {self.passed} passed / {self.total} "
            f"({self.failed} failed, {self.skipped} skipped)"
        )


def fetch_suite(cache: Path) -> Path:
    """The unpacked ``tests/`` and ``examples/`` of pyignite's sdist (downloaded once)."""
    download = cache / "download"
    archives = list(download.glob(f"pyignite-{VERSION}.*")) if download.exists() else []
    if not archives:
        download.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "download", f"pyignite=={VERSION}"),
                *("--no-binary", ":all:", "--no-deps", "-d", str(download)),
            ],
            check=True,
            timeout=300,
        )
        archives = list(download.glob(f"pyignite-{VERSION}.*"))
    (archive,) = archives
    suite = cache / f"suite-{VERSION}-offset{PORT_OFFSET}"
    shutil.rmtree(suite, ignore_errors=True)
    prefix = f"pyignite-{VERSION}/"
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            rel = name[len(prefix) :]
            # tox.ini holds their [pytest] section: it makes the suite folder pytest's rootdir.
            if rel.startswith(("tests/", "examples/", "tox.ini")) and not name.endswith("/"):
                target = suite / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
    for needed in ("tests/common/conftest.py", "tests/util.py", "examples/get_and_put.py"):
        if not (suite / needed).exists():
            raise SystemExit(f"the sdist {archive.name} lacks {needed}: cannot run the suite")
    if PORT_OFFSET:
        for path in [*suite.rglob("*.py")]:
            text = path.read_text(encoding="utf-8")
            shifted = re.sub(
                r"\b1080([0-3])\b", lambda m: str(10800 + PORT_OFFSET + int(m[1])), text
            )
            path.write_text(shifted, encoding="utf-8")
    return suite


def _env(alias: bool) -> dict[str, str]:
    paths = [str(HERE / "plugin")] + ([str(HERE / "alias")] if alias else [])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def _outcomes(report: Path) -> dict[str, str]:
    """node id -> "passed" / "failed" / "skipped", from pytest's JUnit XML report."""
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        node_id = f"{module}.py::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            outcomes[node_id] = "failed"
        elif case.find("skipped") is not None:
            outcomes[node_id] = "skipped"
        else:
            outcomes.setdefault(node_id, "passed")
    return outcomes


def _count(who: str, outcomes: dict[str, str]) -> Result:
    result = Result(who, total=len(outcomes))
    for outcome in outcomes.values():
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _selected(node_id: str) -> bool:
    return not node_id.startswith(tuple(NOT_APPLICABLE))


def _pyignite_mode_tests() -> list[str]:
    """The node ids (sync and asyncio twins) that run in the pyignite value mode."""
    ids: list[str] = []
    for node_id, (kind, _) in NOT_APPLICABLE.items():
        if kind == "pyignite_mode":
            ids.append(node_id)
            if "[" not in node_id and not node_id.endswith("_async"):
                ids.append(node_id + "_async")
    return ids


def in_pyignite_mode(node_id: str) -> bool:
    return node_id.startswith(tuple(_pyignite_mode_tests()))


def run_tests(
    who: str,
    python: str,
    suite: Path,
    alias: bool,
    extra: list[str],
    *,
    pyignite_mode: bool = False,
    everything: bool = False,
) -> dict[str, str]:
    """Run tests/common: pyignite whole; ignite_wire without the tests of NOT_APPLICABLE,
    or (``pyignite_mode``) only its "pyignite_mode" tests (``everything``: all but the
    internal ones), in the pyignite value mode."""
    suffix = "-all-pyignite-mode" if everything else "-pyignite-mode" if pyignite_mode else ""
    report = suite / f"junit-{who}{suffix}.xml"
    command = [python, "-m", "pytest", "-p", "pyignite_suite_plugin"]
    if pyignite_mode:
        # the one step of a migrating user: ignite_wire.compat.use_pyignite_values()
        command += ["-p", "pyignite_values_mode"]
        command += ["tests/common"] if everything else _pyignite_mode_tests()
    else:
        command += ["tests/common"]
    command += ["-p", "no:ignite_wire", "-p", "no:cacheprovider", "--timeout", "300"]
    command += ["-q", "-rfE", f"--junitxml={report}"]
    if alias and (everything or not pyignite_mode):
        for node_id, (kind, _) in NOT_APPLICABLE.items():
            if kind == "internal" or not pyignite_mode:
                command += ["--deselect", node_id]
    mode = " (pyignite value mode)" if pyignite_mode else ""
    print(f"\n=== pyignite's tests/common on {who}{mode} ===", flush=True)
    report.unlink(missing_ok=True)
    subprocess.run(command + extra, cwd=suite, env=_env(alias), timeout=1200, check=False)
    if not report.exists():
        raise SystemExit(f"pytest wrote no report for {who}: see its output above")
    return _outcomes(report)


def _empty_node(port: int) -> None:
    """Destroy every cache: pyignite's examples each expect a fresh node (its test
    fixture starts one per example; restarting the JVM each time would cost minutes)."""
    client = Client()
    with client.connect("127.0.0.1", port):
        for name in client.get_cache_names():
            client.get_cache(name).destroy()


def run_examples(who: str, python: str, suite: Path, alias: bool, port: int) -> Result:
    result = Result(f"{who} examples")
    print(f"\n=== pyignite's examples/ on {who} ===", flush=True)
    for script in sorted((suite / "examples").glob("*.py")):
        if script.name in EXAMPLES_SKIPPED:
            continue
        result.total += 1
        _empty_node(port)
        started = time.monotonic()
        try:
            proc = subprocess.run(
                [python, str(script)],
                cwd=script.parent,
                env=_env(alias),
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            ok, output = proc.returncode == 0, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired:
            ok, output = False, "timed out after 180 s"
        took = time.monotonic() - started
        print(f"{'ok  ' if ok else 'FAIL'} {script.name} ({took:.1f} s)", flush=True)
        if ok:
            result.passed += 1
        else:
            result.failed += 1
            print("    " + output[-3000:].replace("\n", "\n    "), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "pyignite-suite"
    )
    parser.add_argument("--pyignite-python", help="a Python with the real pyignite, to compare")
    parser.add_argument("--skip-tests", action="store_true")
    parser.add_argument("--skip-examples", action="store_true")
    parser.add_argument(
        "--all-in-pyignite-mode",
        action="store_true",
        help="also run every test but the internal ones in the pyignite value mode",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    suite = fetch_suite(args.cache.resolve())
    runs = [("ignite_wire", sys.executable, True)]
    if args.pyignite_python:
        runs.append(("pyignite", args.pyignite_python, False))
    results: list[Result] = []
    if not args.skip_tests:
        nodes = IgniteCluster(
            3, base_port=10801 + PORT_OFFSET, data_regions=REGIONS, name="pyignite-suite"
        )
        with nodes:
            for who, python, alias in runs:
                outcomes = run_tests(who, python, suite, alias, args.pytest_args)
                if alias:
                    results.append(_count(f"{who} (selection, plain values)", outcomes))
                    outcomes = run_tests(
                        who, python, suite, alias, args.pytest_args, pyignite_mode=True
                    )
                    results.append(
                        _count(f"{who} (representation tests, pyignite values)", outcomes)
                    )
                    if args.all_in_pyignite_mode:
                        outcomes = run_tests(
                            *(who, python, suite, alias, args.pytest_args),
                            pyignite_mode=True,
                            everything=True,
                        )
                        results.append(_count(f"{who} (selection, pyignite values)", outcomes))
                else:
                    results.append(_count(f"{who} (whole tests/common)", outcomes))
                    chosen = {k: v for k, v in outcomes.items() if _selected(k)}
                    results.append(_count(f"{who} (selection)", chosen))
                    chosen = {k: v for k, v in outcomes.items() if in_pyignite_mode(k)}
                    results.append(_count(f"{who} (representation tests)", chosen))
    if not args.skip_examples:
        node = IgniteCluster(
            1, base_port=10800 + PORT_OFFSET, data_regions=REGIONS, name="pyignite-examples"
        )
        with node:
            for who, python, alias in runs:
                results.append(run_examples(who, python, suite, alias, node.node(0).port))
    kinds = [kind for kind, _ in NOT_APPLICABLE.values()]
    print(
        f"\n=== summary ({kinds.count('internal')} tests of pyignite internals, with their "
        "_async twins, not run on ignite_wire; the representation tests run in the "
        "pyignite value mode; see NOT_APPLICABLE) ==="
    )
    for result in results:
        print(result.line())
    return 1 if any(r.failed for r in results if r.who.startswith("ignite_wire")) else 0


if __name__ == "__main__":
    sys.exit(main())
