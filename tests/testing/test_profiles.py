"""The harness's JVM profiles: ``test`` (fast start-up) and ``production`` (benchmarks).

The command lines are checked here; ``nox -s bench`` starts real production-profile
nodes (and CI runs it with ``--quick``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ignite_wire.testing import IgniteCluster
from ignite_wire.testing._cluster import IgniteNode

SMALL_SERVER = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")


def command(tmp_path: Path, **options: str) -> list[str]:
    cluster = IgniteCluster(1, base_port=10890, work_dir=tmp_path, **options)
    return IgniteNode(cluster, 0)._command(1)


def test_the_test_profile_is_the_default_and_small(tmp_path: Path) -> None:
    line = command(tmp_path)
    assert all(option in line for option in SMALL_SERVER)
    assert "--default-pools" not in line


def test_the_production_profile_has_the_full_jit_default_gc_and_pools(tmp_path: Path) -> None:
    line = command(tmp_path, profile="production")
    assert not any(option in line for option in SMALL_SERVER)
    assert "--default-pools" in line


def test_an_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="profile must be one of"):
        command(tmp_path, profile="fast")
