"""Fetching Apache Ignite from Maven Central and compiling the node launcher.

Why Maven and not a distribution zip: the project's machines reach package registries
only, and Maven Central carries every jar a server node needs.  We ask Maven for
``ignite-core`` and ``ignite-indexing`` (the H2 SQL engine) with their runtime
dependencies and copy them into a cache folder outside the repository, one folder per
Ignite version.  A marker file written last makes the folder count as complete, so an
interrupted fetch is redone rather than half-used, and once a version is complete no
network is needed again.

The version is one setting: ``IGNITE_WIRE_SERVER_VERSION`` (an exact version such as
``2.17.0``, or ``auto``, the default).  ``auto`` takes the newest version in
:data:`PREFERRED_VERSIONS` that is already cached, else the newest one Maven resolves.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ._errors import HarnessError

__all__ = [
    "PREFERRED_VERSIONS",
    "ServerArtifacts",
    "cache_home",
    "resolve_server",
]

#: Newest first: the harness uses the first of these that resolves.
PREFERRED_VERSIONS: tuple[str, ...] = ("2.18.0", "2.17.0")

_VERSION_ENV = "IGNITE_WIRE_SERVER_VERSION"
_HOME_ENV = "IGNITE_WIRE_HOME"
_COMPLETE = ".complete"
_UNRESOLVABLE = ".unresolvable"
_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
_LAUNCHER_SOURCE = Path(__file__).with_name("java") / "IgniteWireNode.java"
LAUNCHER_CLASS = "IgniteWireNode"


@dataclass(frozen=True)
class ServerArtifacts:
    """Everything needed to start a node of one Ignite version."""

    version: str
    lib_dir: Path
    launcher_dir: Path
    java: Path

    @property
    def classpath(self) -> str:
        """The JVM class path: the compiled launcher, then every jar."""
        return os.pathsep.join([str(self.launcher_dir), str(self.lib_dir / "*")])


def cache_home() -> Path:
    """The folder that holds fetched jars and the state of ``up``: never in the repo."""
    configured = os.environ.get(_HOME_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ignite-wire"


def resolve_server(version: str | None = None, *, offline: bool = False) -> ServerArtifacts:
    """Return the artifacts of the configured Ignite version, fetching them if needed.

    Raises:
        HarnessError: no JDK, no Maven, or no candidate version resolves; the message
            carries the tail of Maven's output.
    """
    requested = version or os.environ.get(_VERSION_ENV, "auto")
    candidates = PREFERRED_VERSIONS if requested == "auto" else (requested,)
    home = cache_home()
    java, javac = _find_jdk()

    if requested == "auto":
        for candidate in candidates:
            if (home / f"ignite-{candidate}" / _COMPLETE).exists():
                return _with_launcher(home, candidate, java, javac)

    failures: list[str] = []
    for candidate in candidates:
        folder = home / f"ignite-{candidate}"
        if (folder / _COMPLETE).exists():
            return _with_launcher(home, candidate, java, javac)
        if offline:
            failures.append(f"{candidate}: not cached and offline")
            continue
        if requested == "auto" and (folder / _UNRESOLVABLE).exists():
            failures.append(f"{candidate}: did not resolve before (delete {folder} to retry)")
            continue
        error = _fetch(candidate, folder)
        if error is None:
            return _with_launcher(home, candidate, java, javac)
        failures.append(f"{candidate}: {error}")
    raise HarnessError(
        "no Apache Ignite version could be resolved from Maven Central:\n  " + "\n  ".join(failures)
    )


def _find_jdk() -> tuple[Path, Path]:
    java_home = os.environ.get("JAVA_HOME")
    for folder in [Path(java_home) / "bin"] if java_home else []:
        java, javac = folder / "java", folder / "javac"
        if java.exists() and javac.exists():
            return java, javac
    java_path, javac_path = shutil.which("java"), shutil.which("javac")
    if not java_path or not javac_path:
        raise HarnessError(
            "a JDK (java and javac, version 11 or newer; 17 recommended) is needed to run "
            "Ignite nodes; install one or set JAVA_HOME"
        )
    return Path(java_path), Path(javac_path)


def _fetch(version: str, folder: Path) -> str | None:
    """Copy the runtime jars of ``version`` into ``folder``; return an error or ``None``."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise HarnessError("Maven (mvn) is needed to fetch Apache Ignite; install it first")
    if folder.exists():
        shutil.rmtree(folder)
    lib = folder / "lib"
    lib.mkdir(parents=True)
    pom = folder / "pom.xml"
    pom.write_text(_pom(version), encoding="utf-8")
    command = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(pom),
        f"{_DEPENDENCY_PLUGIN}:copy-dependencies",
        f"-DoutputDirectory={lib}",
        "-DincludeScope=runtime",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        (folder / _UNRESOLVABLE).write_text(result.stdout[-4000:], encoding="utf-8")
        shutil.rmtree(lib, ignore_errors=True)
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-6:])
        return f"Maven failed (exit {result.returncode}):\n{textwrap.indent(tail, '    ')}"
    if not any(lib.glob("ignite-core-*.jar")) or not any(lib.glob("ignite-indexing-*.jar")):
        return "Maven succeeded but ignite-core or ignite-indexing is missing"
    (folder / _COMPLETE).write_text(version, encoding="utf-8")
    return None


def _pom(version: str) -> str:
    return textwrap.dedent(
        f"""\
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>io.github.ignite-wire</groupId>
          <artifactId>ignite-server-{version}</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <dependencies>
            <dependency>
              <groupId>org.apache.ignite</groupId>
              <artifactId>ignite-core</artifactId>
              <version>{version}</version>
            </dependency>
            <dependency>
              <groupId>org.apache.ignite</groupId>
              <artifactId>ignite-indexing</artifactId>
              <version>{version}</version>
            </dependency>
          </dependencies>
        </project>
        """
    )


def _with_launcher(home: Path, version: str, java: Path, javac: Path) -> ServerArtifacts:
    """Compile the launcher once per (source, version): starting a node then skips javac."""
    lib = home / f"ignite-{version}" / "lib"
    source = _LAUNCHER_SOURCE.read_bytes()
    digest = hashlib.sha256(source + version.encode()).hexdigest()[:16]
    out = home / f"ignite-{version}" / f"launcher-{digest}"
    if not (out / f"{LAUNCHER_CLASS}.class").exists():
        staging = out.with_name(out.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        result = subprocess.run(
            [
                str(javac),
                "-nowarn",
                "-cp",
                str(lib / "*"),
                "-d",
                str(staging),
                str(_LAUNCHER_SOURCE),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise HarnessError(f"javac failed on {_LAUNCHER_SOURCE}:\n{result.stderr[-4000:]}")
        shutil.rmtree(out, ignore_errors=True)
        staging.rename(out)
    return ServerArtifacts(version=version, lib_dir=lib, launcher_dir=out, java=java)
