"""The runner of pyignite's suite and the migration page list the same excluded tests.

``tools/pyignite_suite/run.py`` deselects the tests of pyignite internals and of
deliberate differences (``NOT_APPLICABLE``); docs/migrating-from-pyignite.md names each
with its reason.  This keeps the two from drifting apart.  (No server: it reads files.)
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _runner_table() -> dict[str, tuple[str, str]]:
    spec = importlib.util.spec_from_file_location(
        "pyignite_suite_run", ROOT / "tools/pyignite_suite/run.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    table: dict[str, tuple[str, str]] = module.NOT_APPLICABLE
    return table


@pytest.mark.parametrize("kind", ["internal", "differs"])
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
