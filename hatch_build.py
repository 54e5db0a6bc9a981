"""Hatch build hook: compile the optional C accelerators when a C compiler is present.

ignite_wire is pure Python and complete without them; ``ignite_wire/_protocol/_rows_accel.c``
only makes SQL pages decode, binary-object header hashes compute and objects of scalar
fields encode faster,
``_objects_accel.c`` objects of the usual layout decode faster, and
``ignite_orm/_models_accel.c`` pages of query rows become models faster
(issue 12, docs/benchmarks.md).  Both a wheel and an editable install (``pip install -e .``,
what the nox sessions do) run this hook:

* a wheel gets the compiled modules (and a platform tag instead of ``py3-none-any``);
* an editable install imports the package from the source tree, so each module is built
  next to its source there (``*.so`` is ignored by git).

No compiler, no ``Python.h``, or a failed compile: a warning in the build log and a pure
wheel (or one without the module that failed), never a failed install.
``IGNITE_WIRE_BUILD_ACCEL=0`` skips the build on purpose; ``IGNITE_WIRE_PURE=1`` at run
time ignores the built modules.  The compiler is called
directly with the interpreter's own flags (``sysconfig``): no setuptools needed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: The accelerators: module path (without the extension suffix) -> its C source.
MODULES = {
    "ignite_wire/_protocol/_rows_accel": "ignite_wire/_protocol/_rows_accel.c",
    "ignite_wire/_protocol/_objects_accel": "ignite_wire/_protocol/_objects_accel.c",
    "ignite_orm/_models_accel": "ignite_orm/_models_accel.c",
}


def compile_command(source: Path, target: Path) -> list[str] | None:
    """The command that compiles ``source`` into the extension module ``target``, or
    ``None`` when this interpreter has no C toolchain configuration or headers."""
    config = sysconfig.get_config_vars()
    include = sysconfig.get_paths()["include"]
    ldshared = config.get("LDSHARED")
    if not ldshared or not (Path(include) / "Python.h").is_file():
        return None  # Windows (no LDSHARED), or headers not installed
    return [
        *shlex.split(ldshared),  # compiler + shared-library flags (-bundle on macOS)
        *shlex.split(config.get("CCSHARED") or ""),  # -fPIC
        *shlex.split(config.get("CFLAGS") or ""),
        "-O2",
        f"-I{include}",
        str(source),
        "-o",
        str(target),
    ]


class AcceleratorHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or os.environ.get("IGNITE_WIRE_BUILD_ACCEL") == "0":
            return
        root = Path(self.root)
        built = False
        for module, source in MODULES.items():
            name = module + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
            if version == "editable":
                target = root / name
            else:
                target = Path(tempfile.mkdtemp(prefix="ignite-wire-accel-")) / Path(name).name
            if not self._compile(root / source, target):
                continue
            built = True
            if version != "editable":
                build_data["force_include"][str(target)] = name
        if built:
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def _compile(self, source: Path, target: Path) -> bool:
        """Compile one module; a warning (and ``False``) when it cannot be built."""
        command = compile_command(source, target)
        if command is None:
            self.app.display_warning(f"ignite-wire: no C toolchain; {source.name} not built")
            return False
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as e:
            detail = getattr(e, "stderr", b"") or b""
            self.app.display_warning(
                f"ignite-wire: {source.name} was not built ({e}); its pure-Python path is "
                f"used. {detail.decode(errors='replace')[-2000:]}"
            )
            return False
        return True
