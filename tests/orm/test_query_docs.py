"""The queries chapter of docs/orm.md runs as written against a real node.

Its ``python`` blocks run in order in one fresh interpreter (they share the chapter's
models and database), with the documented address replaced by the test node's.  The
snippets state their results with ``assert``, so a wrong sentence in the guide fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ignite_wire.testing import IgniteCluster

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "orm.md"


def chapter_code() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("\n## Queries\n")
    end = text.index("\n## ", start + 1)
    blocks = re.findall(r"```python\n(.*?)```", text[start:end], flags=re.S)
    assert len(blocks) >= 8, "the chapter lost its examples"
    return "\n".join(blocks)


def test_the_queries_chapter_runs(ignite_node: IgniteCluster, tmp_path: Path) -> None:
    host, port = ignite_node.node(0).endpoint
    code = chapter_code()
    assert '[("127.0.0.1", 10800)]' in code
    script = tmp_path / "queries_chapter.py"
    script.write_text(code.replace('[("127.0.0.1", 10800)]', f"[({host!r}, {port})]"))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
    # the SQL the chapter shows (in two comment lines) is what str(stmt) printed
    shown = re.search(r"print\(recent\)\n# (.*)\n#   (.*)\n", code)
    assert shown is not None
    assert done.stdout.splitlines()[0] == f"{shown[1]} {shown[2]}"
