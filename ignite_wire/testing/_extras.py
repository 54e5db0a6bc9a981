"""Server-side extras for the tests: a compute task and a service, compiled at test time.

A thin client runs compute tasks and calls services by *name*: the classes must be on the
node's class path before it starts.  ``java/IgniteWireExtras.java`` holds them and a
startup hook (a ``Consumer<IgniteConfiguration>``) that enables compute for thin clients
and deploys the service from the node's configuration.  This module compiles that file
once per (source, Ignite version) into the artifact cache, as the launcher is compiled,
and tells the launcher to call the hook.  ``IgniteCluster(..., extras=True)`` uses it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from ._artifacts import ServerArtifacts
from ._errors import HarnessError

__all__ = [
    "CALC_SERVICE",
    "ECHO_TASK",
    "EXTRAS_HOOK",
    "FAIL_TASK",
    "NODE_IDS_TASK",
    "SLEEP_TASK",
    "extras_classpath",
]

_SOURCE = Path(__file__).with_name("java") / "IgniteWireExtras.java"

#: The class the launcher calls before ``Ignition.start`` (``--startup-hook``).
EXTRAS_HOOK = "IgniteWireExtras"
#: Task names (the classes' binary names) and the service's name, for tests and docs.
ECHO_TASK = "IgniteWireExtras$Echo"
NODE_IDS_TASK = "IgniteWireExtras$NodeIds"
SLEEP_TASK = "IgniteWireExtras$Sleep"
FAIL_TASK = "IgniteWireExtras$Fail"
CALC_SERVICE = "ignite-wire.calc"


def extras_classpath(artifacts: ServerArtifacts) -> str:
    """The folder of the compiled extras (compiled now unless cached), then the node's path."""
    source = _SOURCE.read_bytes()
    digest = hashlib.sha256(source + artifacts.version.encode()).hexdigest()[:16]
    out = artifacts.lib_dir.parent / f"extras-{digest}"
    if not (out / f"{EXTRAS_HOOK}.class").exists():
        javac = Path(artifacts.java).with_name("javac")
        staging = out.with_name(out.name + f".tmp{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        result = subprocess.run(
            [
                str(javac),
                "-nowarn",
                "-cp",
                str(artifacts.lib_dir / "*"),
                "-d",
                str(staging),
                str(_SOURCE),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if result.returncode != 0:
            raise HarnessError(f"javac failed on {_SOURCE}:\n{result.stderr[-4000:]}")
        shutil.rmtree(out, ignore_errors=True)
        try:
            staging.rename(out)
        except OSError:  # another process compiled it meanwhile
            shutil.rmtree(staging, ignore_errors=True)
    return os.pathsep.join([str(out), artifacts.classpath])
