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
:data:`NOT_APPLICABLE` (mirrored in docs/migrating-from-pyignite.md).  The exit status is
non-zero when ignite_wire fails any selected test or example.
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

from ignite_wire.testing import IgniteCluster

HERE = Path(__file__).resolve().parent
VERSION = "0.6.1"
PORT_OFFSET = int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0"))
REGIONS = {"SmallDataRegion": 20}

#: Tests of pyignite internals that have no public counterpart, node id -> reason.
NOT_APPLICABLE: dict[str, str] = {}

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
            [sys.executable, "-m", "pip", "download", f"pyignite=={VERSION}"]
            + ["--no-binary", ":all:", "--no-deps", "-d", str(download)],
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
            shifted = re.sub(r"\b1080([0-3])\b", lambda m: str(10800 + PORT_OFFSET + int(m[1])), text)
            path.write_text(shifted, encoding="utf-8")
    return suite


def _env(alias: bool) -> dict[str, str]:
    paths = [str(HERE / "plugin")] + ([str(HERE / "alias")] if alias else [])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def run_tests(who: str, python: str, suite: Path, alias: bool, extra: list[str]) -> Result:
    report = suite / f"junit-{who}.xml"
    command = [python, "-m", "pytest", "tests/common", "-p", "pyignite_suite_plugin"]
    command += ["-p", "no:ignite_wire", "-p", "no:cacheprovider", "--timeout", "120"]
    command += ["-q", "-rfE", f"--junitxml={report}"]
    for node_id in NOT_APPLICABLE:
        command += ["--deselect", node_id]
    print(f"\n=== pyignite's tests/common on {who} ===", flush=True)
    report.unlink(missing_ok=True)
    subprocess.run(command + extra, cwd=suite, env=_env(alias), timeout=1200, check=False)
    if not report.exists():
        raise SystemExit(f"pytest wrote no report for {who}: see its output above")
    suites = ET.parse(report).getroot()
    result = Result(who)
    for ts in suites.iter("testsuite"):
        result.total += int(ts.get("tests", 0))
        result.failed += int(ts.get("failures", 0)) + int(ts.get("errors", 0))
        result.skipped += int(ts.get("skipped", 0))
    result.passed = result.total - result.failed - result.skipped
    return result


def run_examples(who: str, python: str, suite: Path, alias: bool) -> Result:
    result = Result(f"{who} examples")
    print(f"\n=== pyignite's examples/ on {who} ===", flush=True)
    for script in sorted((suite / "examples").glob("*.py")):
        if script.name in EXAMPLES_SKIPPED:
            continue
        result.total += 1
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
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pyignite-suite")
    parser.add_argument("--pyignite-python", help="a Python with the real pyignite, to compare")
    parser.add_argument("--skip-tests", action="store_true")
    parser.add_argument("--skip-examples", action="store_true")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    suite = fetch_suite(args.cache.resolve())
    runs = [("ignite_wire", sys.executable, True)]
    if args.pyignite_python:
        runs.append(("pyignite", args.pyignite_python, False))
    results: list[Result] = []
    if not args.skip_tests:
        nodes = IgniteCluster(3, base_port=10801 + PORT_OFFSET, data_regions=REGIONS, name="pyignite-suite")
        with nodes:
            for who, python, alias in runs:
                results.append(run_tests(who, python, suite, alias, args.pytest_args))
    if not args.skip_examples:
        node = IgniteCluster(1, base_port=10800 + PORT_OFFSET, data_regions=REGIONS, name="pyignite-examples")
        with node:
            for who, python, alias in runs:
                results.append(run_examples(who, python, suite, alias))
    print(f"\n=== summary (not applicable, deselected: {len(NOT_APPLICABLE)}) ===")
    for result in results:
        print(result.line())
    return 1 if any(r.failed for r in results if r.who.startswith("ignite_wire")) else 0


if __name__ == "__main__":
    sys.exit(main())
