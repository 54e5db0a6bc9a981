"""Makes ``import pyignite`` (and ``pyignite.X``) import ``ignite_wire`` (``ignite_wire.X``).

Only for running pyignite's own tests and examples against ignite_wire with no line of
theirs changed (tools/pyignite_suite/run.py puts this folder on ``PYTHONPATH``).  It is
development tooling: the shipped packages never contain or import it.

The finder answers for ``pyignite`` names only; its loader imports the ``ignite_wire``
module of the same dotted tail and puts that very module in ``sys.modules`` under the
alias (the import system then returns what ``sys.modules`` holds), so
``pyignite.datatypes is ignite_wire.datatypes`` and every class identity holds.  A name
ignite_wire lacks raises ``ModuleNotFoundError`` naming the pyignite module, as a
missing module would.

pyignite's private modules that some test files import at their top (:data:`PRIVATE`)
become placeholders, so that the file's other, public-API tests still collect: every name
taken from them is a class that raises ``NotImplementedError`` when called or used in
``isinstance``.  The tests that use them are deselected by the runner (its
``NOT_APPLICABLE`` table says why), so a placeholder firing means the table is wrong.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence

ALIAS = "pyignite"
TARGET = "ignite_wire"


#: pyignite internals with no ignite_wire counterpart (see the runner's NOT_APPLICABLE).
PRIVATE = frozenset(
    {
        "pyignite.api",
        "pyignite.connection",
        "pyignite.queries",
        "pyignite.queries.op_codes",
        "pyignite.queries.query",
    }
)


class _PlaceholderMeta(type):
    def __call__(cls, *args: object, **kwargs: object) -> object:
        raise NotImplementedError(
            f"{cls.__qualname__} is a pyignite internal (not applicable to ignite_wire)"
        )

    def __instancecheck__(cls, obj: object) -> bool:
        raise NotImplementedError(
            f"{cls.__qualname__} is a pyignite internal (not applicable to ignite_wire)"
        )


class _PrivateModule(types.ModuleType):
    def __getattr__(self, name: str) -> type:
        if name.startswith("__"):
            raise AttributeError(name)
        placeholder = _PlaceholderMeta(name, (), {"__qualname__": f"{self.__name__}.{name}"})
        setattr(self, name, placeholder)
        return placeholder


class _PrivateLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _PrivateModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__path__ = []  # a package, so that its submodules import too


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module object; exec_module replaces it

    def exec_module(self, module: types.ModuleType) -> None:
        sys.modules[module.__name__] = importlib.import_module(self.target)


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != ALIAS and not fullname.startswith(ALIAS + "."):
            return None
        if fullname in PRIVATE:
            return importlib.machinery.ModuleSpec(fullname, _PrivateLoader(), is_package=True)
        real = TARGET + fullname[len(ALIAS) :]
        if importlib.util.find_spec(real) is None:
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (ignite_wire has no {real!r})", name=fullname
            )
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(real), is_package=True)


sys.meta_path.insert(0, _AliasFinder())
