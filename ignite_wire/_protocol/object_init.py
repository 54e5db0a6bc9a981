"""A generated ``__init__`` per binary-object class: keyword construction without the
generic path's per-call work.

``BinaryObjectBase.__init__`` takes ``*args, **kwargs``, looks the class's info up, copies
the defaults, checks the keyword names as a set and updates the instance dict: about 1 us
for a 5-field object, which is most of what building the objects of a ``put_all`` costs
the caller (``docs/benchmarks.md``, W4).  A class whose field names can all be Python
keyword parameters gets an ``__init__`` with one keyword-only parameter per field; a call
with keywords only (the usual way to build these objects) stores them in field order
and is done.  Anything else -- positional values, an unknown name -- goes to the generic
``__init__`` with exactly the arguments the caller gave, so the values, the field order
in the instance dict and the errors stay the generic path's.

Not generated (the generic ``__init__`` stays): a class whose body, or a base class of
the user's own, defines ``__init__``; a field name that is not an identifier in NFKC form,
is a Python keyword or could clash with the generated code's own names.

With the optional ``_objects_accel.c`` built, the ``__init__`` is its ``keyword_init``
instead: the same rule in C, reading the keywords from the dict ``type.__call__`` builds
(a Python ``__init__`` has them unpacked into its parameters first), for any field names
(dict keys, not parameters).  0.95 -> 0.68 us for W4's ``small(i)``, 0.22 us of which is
computing its five values (issue 12).  tests/wire/protocol/test_object_init.py runs the
compiled, the generated and the generic ``__init__`` on the same calls.
"""

from __future__ import annotations

import inspect
import keyword
import unicodedata
from collections.abc import Callable
from typing import Any, Final

__all__ = ["GENERATED_MARK", "INIT_ACCELERATED", "compile_init", "fast_call"]

#: Set on every generated ``__init__``: a subclass replaces an inherited generated one
#: (its fields differ) but never a user's own.
GENERATED_MARK: Final = "__ignite_generated_init__"

_UNSET: Final = object()
_Param = inspect.Parameter

Init = Callable[..., None]
_accel_init: Callable[[tuple[str, ...], Init], Init] | None
try:
    from ._objects_accel import keyword_init as _accel_init
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    _accel_init = None

_accel_call: Callable[[type], bool] | None
try:
    from ._objects_accel import class_vectorcall as _accel_call
except ImportError:  # as above
    _accel_call = None

#: Whether binary-object classes get the compiled keyword ``__init__``.
INIT_ACCELERATED: Final = _accel_init is not None
#: The most fields the compiled ``__init__`` takes (``MAX_FIELDS`` in the C source).
_ACCEL_MAX_FIELDS: Final = 256
_OWN_NAMES: Final = frozenset(
    {"_ignite_self", "_ignite_args", "_ignite_kwargs", "_ignite_d", "_U", "_slow"}
)


def _usable(name: str) -> bool:
    return (
        name.isidentifier()
        # Python folds identifiers to NFKC: a parameter 'ﬁ' would take the keyword 'fi'.
        and unicodedata.normalize("NFKC", name) == name
        and not keyword.iskeyword(name)
        and name not in _OWN_NAMES
        and not name.startswith("__")
    )


def _compiled(
    make: Callable[[tuple[str, ...], Init], Init], fields: tuple[str, ...], generic: Init
) -> Init:
    """The compiled ``__init__``, with what introspection (``inspect.signature``,
    ``help``) reads of the generated Python one: its parameter names (``_OWN_NAMES``, which
    no field takes), the fields that can be parameters as keywords, the rest ``**``."""
    init = make(fields, generic)
    signature = [_Param("_ignite_self", _Param.POSITIONAL_OR_KEYWORD)]
    signature.append(_Param("_ignite_args", _Param.VAR_POSITIONAL))
    signature += [_Param(n, _Param.KEYWORD_ONLY, default=None) for n in fields if _usable(n)]
    signature.append(_Param("_ignite_kwargs", _Param.VAR_KEYWORD))
    init.__name__ = "__init__"
    init.__qualname__ = "__init__"
    init.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    return init


def compile_init(
    fields: tuple[str, ...], generic: Init, *, accelerated: bool = INIT_ACCELERATED
) -> Init | None:
    """The ``__init__`` for a class whose instance dict holds ``fields`` in this order
    (the schema's fields, then those only the metadata knows), or ``None`` when a name
    cannot be a parameter.  ``generic`` is ``BinaryObjectBase.__init__``; ``accelerated``
    picks the compiled one when built (tests compare both)."""
    if accelerated and _accel_init is not None and len(fields) <= _ACCEL_MAX_FIELDS:
        return _compiled(_accel_init, fields, generic)
    if not all(_usable(name) for name in fields):
        return None

    def _slow(
        obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], bound: dict[str, Any]
    ) -> None:
        given = {name: value for name, value in bound.items() if value is not _UNSET}
        given.update(kwargs)
        generic(obj, *args, **given)

    params = "".join(f", {name}=_U" for name in fields)
    bound = ", ".join(f"{name!r}: {name}" for name in fields)
    stores = "".join(
        f"\n    _ignite_d[{name!r}] = None if {name} is _U else {name}" for name in fields
    )
    source = (
        f"def __init__(_ignite_self, *_ignite_args{params}, **_ignite_kwargs):\n"
        "    if _ignite_args or _ignite_kwargs:\n"
        f"        return _slow(_ignite_self, _ignite_args, _ignite_kwargs, {{{bound}}})\n"
        f"    _ignite_d = _ignite_self.__dict__{stores}\n"
    )
    namespace: dict[str, Any] = {"_U": _UNSET, "_slow": _slow}
    exec(source, namespace)
    init: Callable[..., None] = namespace["__init__"]
    setattr(init, GENERATED_MARK, True)
    return init


def fast_call(cls: type) -> bool:
    """Give ``cls`` (whose ``__init__`` was just set to the compiled one) the compiled
    call path of ``_objects_accel.c`` (``class_vectorcall``): ``Cls(name=value, ...)``
    builds the instance without ``type.__call__``'s argument tuple and dict, 0.37 ->
    0.14 us for W4's 5-field object (issue 12).  It checks on every call that the
    class's ``__new__`` is ``object.__new__`` and its ``__init__`` still the compiled
    one, and hands any other call to ``type.__call__``: the instance and errors are the
    same either way (tests/wire/protocol/test_object_init.py).  Whether it took: not
    without the accelerator, nor for a metaclass with a ``__call__`` of its own.
    """
    if _accel_call is None or _accel_init is None:
        return False
    if type(vars(cls).get("__init__")) is not type(_accel_init((), _no_init)):
        return False  # not the compiled __init__ (a user's, or too many fields)
    return _accel_call(cls)


def _no_init(*args: Any, **kwargs: Any) -> None:
    """The generic part of a throwaway compiled ``__init__`` (its type is all we read)."""
