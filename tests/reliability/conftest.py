"""The reliability suite (issue 9): scale, the figures each scenario reports, and a marker.

Counts are modest by default, so that ``nox -s tests`` (CI) runs the whole suite in a few
minutes; ``IGNITE_WIRE_RELIABILITY_FULL=1`` (what ``nox -s reliability`` sets) runs the
counts docs/reliability.md quotes.  Every scenario records its figures with
``figures(name, **values)``; they are printed at the end of the run and written to the
file named by ``IGNITE_WIRE_RELIABILITY_REPORT`` (JSON), if set.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reliability_scale import FULL

_FIGURES: dict[str, dict[str, Any]] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.reliability)


@pytest.fixture
def figures() -> Callable[..., None]:
    def record(name: str, **values: Any) -> None:
        _FIGURES.setdefault(name, {}).update(values)

    return record


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _FIGURES:
        return
    terminalreporter.section(f"reliability figures ({'full' if FULL else 'CI'} scale)")
    for name, values in sorted(_FIGURES.items()):
        shown = ", ".join(f"{k}={_fmt(v)}" for k, v in values.items())
        terminalreporter.write_line(f"{name}: {shown}")
    report = os.environ.get("IGNITE_WIRE_RELIABILITY_REPORT")
    if report:
        Path(report).write_text(json.dumps(_FIGURES, indent=2, sort_keys=True) + "\n")


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)
