"""docs/change-streams.md runs as written against a real node.

Its ``python`` blocks run in order in one fresh interpreter, with the documented address
replaced by the test node's; the blocks state their results with ``assert``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ignite_wire.testing import IgniteCluster

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "change-streams.md"
ADDRESS = '[("127.0.0.1", 10800)]'


def test_the_change_streams_chapter_runs(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    host, port = ignite_node.node(0).endpoint
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 3, "the chapter lost its examples"
    code = "\n".join(blocks)
    assert code.count(ADDRESS) == 3
    script = tmp_path / "change_streams.py"
    script.write_text(code.replace(ADDRESS, f"[({host!r}, {port})]"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
