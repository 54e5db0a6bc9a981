"""The runner of pyignite's suite and the migration page list the same tests.

``tools/pyignite_suite/run.py`` deselects the tests of pyignite internals and runs the
tests of pyignite's value representations in the pyignite value mode (``NOT_APPLICABLE``);
docs/migrating-from-pyignite.md names each with its reason.  This keeps the two from
drifting apart.  (No server: it reads files.)
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _runner() -> Any:
    spec = importlib.util.spec_from_file_location(
        "pyignite_suite_run", ROOT / "tools/pyignite_suite/run.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _runner_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = _runner().NOT_APPLICABLE
    return table


@pytest.mark.parametrize("kind", ["internal", "pyignite_mode"])
def test_every_excluded_test_is_in_the_migration_page(kind: str) -> None:
    page = (ROOT / "docs/migrating-from-pyignite.md").read_text(encoding="utf-8")
    table = _runner_table()
    ids = [node_id for node_id, (k, reason) in table.items() if k == kind and reason]
    assert ids
    for node_id in ids:
        # The page names the sync test and says "(and its _async twin)".
        named = re.sub(r"_async(?=\[|$)", "", node_id)
        assert f"`{named}`" in page, f"{node_id} is deselected but not in the migration page"


def test_the_page_lists_nothing_the_runner_runs() -> None:
    page = (ROOT / "docs/migrating-from-pyignite.md").read_text(encoding="utf-8")
    table = _runner_table()
    for named in re.findall(r"`(tests/common/[^`]+)`", page):
        assert named in table, f"the page lists {named}, which the runner does not deselect"


def test_representation_tests_run_in_the_pyignite_value_mode_with_their_twins() -> None:
    runner = _runner()
    ids = runner._pyignite_mode_tests()
    table = _runner_table()
    expected = [node_id for node_id, (kind, _) in table.items() if kind == "pyignite_mode"]
    assert len(expected) == 28
    assert set(expected) <= set(ids)
    assert "tests/common/test_binary.py::test_add_schema_to_binary_object_async" in ids
    assert runner.in_pyignite_mode("tests/common/test_key_value.py::test_put_get_collection[x]")
    assert not runner.in_pyignite_mode("tests/common/test_scan.py::test_scan_objects")
    plugin = (ROOT / "tools/pyignite_suite/plugin/pyignite_values_mode.py").read_text()
    assert "ignite_wire.compat.use_pyignite_values()" in plugin
