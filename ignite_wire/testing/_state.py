"""The record of detached nodes that ``up`` started, so that ``down`` can stop them.

A pid alone is not proof: after a reboot or a long time the number may belong to another
program.  Before signalling, we check (where ``/proc`` exists) that the process's command
line is our launcher running the recorded node name; a stale entry is simply dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

from ._artifacts import cache_home

__all__ = ["forget", "is_our_node", "load_state", "remember", "run_home", "stop_recorded"]


def run_home() -> Path:
    """Where ``up`` keeps node folders and its record (``IGNITE_WIRE_RUN_DIR`` overrides)."""
    configured = os.environ.get("IGNITE_WIRE_RUN_DIR")
    return Path(configured) if configured else cache_home() / "run"


def _state_file() -> Path:
    return run_home() / "clusters.json"


def load_state() -> dict[str, Any]:
    """Recorded clusters by base port (as a string)."""
    try:
        data = json.loads(_state_file().read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(state: dict[str, Any]) -> None:
    path = _state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    tmp.replace(path)


def remember(key: str, entry: dict[str, Any]) -> None:
    """Record a started cluster."""
    state = load_state()
    state[key] = entry
    _save(state)


def forget(key: str) -> None:
    """Drop a cluster from the record."""
    state = load_state()
    state.pop(key, None)
    _save(state)


def is_our_node(node: dict[str, Any]) -> bool:
    """Whether the recorded pid is alive and is still the node we started."""
    pid = node.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.parent.exists() and Path("/proc/self").exists():
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        return b"IgniteWireNode" in args and str(node.get("name", "")).encode() in args
    return True


def stop_recorded(entry: dict[str, Any], grace: float = 15.0) -> int:
    """SIGTERM every live node of the entry, SIGKILL stragglers; return how many ran."""
    live = [node for node in entry.get("nodes", []) if is_our_node(node)]
    for node in live:
        with contextlib.suppress(ProcessLookupError):
            os.kill(node["pid"], signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(is_our_node(node) for node in live):
        time.sleep(0.1)
    for node in live:
        if is_our_node(node):
            with contextlib.suppress(ProcessLookupError):
                os.kill(node["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(is_our_node(node) for node in live):
        time.sleep(0.1)
    return len(live)
