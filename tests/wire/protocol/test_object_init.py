"""The per-class ``__init__`` (``_protocol/object_init.py``: the compiled one of
``_objects_accel.c`` when built, else generated Python) against the generic
``BinaryObjectBase.__init__``: the same instance dicts (values and field order) and the
same errors for every way of calling it, and it never replaces a user's own.  Both the
compiled and the generated one run on every drawn call."""

from __future__ import annotations

import inspect
import keyword
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire import GenericObjectMeta
from ignite_wire._protocol.binary_object import BinaryObjectBase
from ignite_wire._protocol.object_init import (
    GENERATED_MARK,
    INIT_ACCELERATED,
    compile_init,
    fast_call,
)
from ignite_wire.datatypes import IntObject, String

_names = st.one_of(
    st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True),
    st.sampled_from(
        [
            *keyword.kwlist,
            "self",
            "d",
            "_U",
            "_slow",
            "_ignite_d",
            "first-name",
            "\ufb01eld",
            "field",
        ]
    ),
)


def _class(names: list[str]) -> type[BinaryObjectBase]:
    schema = OrderedDict((n, IntObject) for n in names)
    return GenericObjectMeta("T", (), {}, type_name="T", schema=schema)  # type: ignore[no-any-return]


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        obj = call()
    except TypeError as exc:
        return "error", str(exc)
    return "ok", list(obj.__dict__.items())


#: The kinds of ``__init__`` a class can get: compiled (when built) and generated Python.
KINDS = [True, False] if INIT_ACCELERATED else [False]


def _with_init(names: list[str], accelerated: bool) -> type[BinaryObjectBase]:
    cls = _class(names)
    init = compile_init(tuple(names), BinaryObjectBase.__init__, accelerated=accelerated)
    cls.__init__ = init or BinaryObjectBase.__init__  # type: ignore[misc]
    return cls


@pytest.mark.parametrize("accelerated", KINDS)
@given(
    names=st.lists(_names, min_size=0, max_size=6, unique=True),
    positional=st.lists(st.integers(), max_size=8),
    keywords=st.dictionaries(_names, st.one_of(st.none(), st.integers()), max_size=6),
)
def test_every_call_builds_what_the_generic_init_builds(
    accelerated: bool, names: list[str], positional: list[int], keywords: dict[str, Any]
) -> None:
    cls = _with_init(names, accelerated)
    generic = BinaryObjectBase.__init__

    def by_generic() -> BinaryObjectBase:
        obj = cls.__new__(cls)
        generic(obj, *positional, **keywords)
        return obj

    assert _outcome(lambda: cls(*positional, **keywords)) == _outcome(by_generic)


@pytest.mark.parametrize("accelerated", KINDS)
@given(
    names=st.lists(st.text(max_size=4), max_size=5, unique=True),
    keywords=st.dictionaries(st.text(max_size=4), st.integers(), max_size=5),
    again=st.dictionaries(st.text(max_size=4), st.integers(), max_size=5),
)
def test_any_field_names_and_reinit(
    accelerated: bool, names: list[str], keywords: dict[str, Any], again: dict[str, Any]
) -> None:
    """Hostile names (empty, odd characters, NFKC forms) through ``**``, and ``__init__``
    called again on a built instance (``super().__init__`` twice, say): the class's
    ``__init__`` (compiled, or generated where names allow) leaves what the generic one
    leaves, or raises the same error."""
    fast = _with_init(names, accelerated)
    slow = _class(names)
    slow.__init__ = BinaryObjectBase.__init__  # type: ignore[misc]

    def build(cls: type[BinaryObjectBase]) -> BinaryObjectBase:
        obj = cls(**keywords)
        cls.__init__(obj, **again)  # type: ignore[misc]
        return obj

    assert _outcome(lambda: build(fast)) == _outcome(lambda: build(slow))


def test_the_init_binds_like_a_function() -> None:
    """Reached through the class, an instance or super(), with or without keywords."""
    for accelerated in KINDS:
        cls = _with_init(["a", "b"], accelerated)
        obj = cls(a=1)
        obj.__init__(b=2)  # type: ignore[misc]
        assert list(obj.__dict__.items()) == [("a", None), ("b", 2)]
        cls.__init__(obj, 5)  # type: ignore[misc]
        assert list(obj.__dict__.items()) == [("a", 5), ("b", None)]
        assert getattr(cls.__init__, GENERATED_MARK, False)


def test_identifier_names_get_a_generated_init_and_others_the_generic() -> None:
    assert getattr(_class(["id", "name"]).__init__, GENERATED_MARK, False)
    for odd in ("first-name", "class", "_U", "__x", "\ufb01eld"):
        # the generated Python one only for names that can be parameters
        generic = BinaryObjectBase.__init__
        assert compile_init(("id", odd), generic, accelerated=False) is None
        # the compiled one (when built) reads names from a dict: any name
        assert (_class(["id", odd]).__init__ is generic) is not INIT_ACCELERATED


def test_keyword_call_stores_fields_in_schema_order_with_none_for_the_rest() -> None:
    cls = _class(["a", "b", "c"])
    obj = cls(c=3, a=1)
    assert list(obj.__dict__.items()) == [("a", 1), ("b", None), ("c", 3)]
    assert obj == cls(1, None, 3)


def test_a_users_own_init_is_kept_in_the_class_and_its_subclasses() -> None:
    class Base(metaclass=GenericObjectMeta, type_name="Base", schema={"a": IntObject}):
        def __init__(self, a: int) -> None:
            super().__init__(a=a * 2)

    class Child(Base, type_name="Child", schema={"a": IntObject, "b": String}):
        pass

    assert Base(2).a == 4
    assert Child.__init__ is Base.__init__
    assert Child(3).a == 6


def test_a_subclass_gets_its_own_fields_not_its_parents() -> None:
    class Parent(metaclass=GenericObjectMeta, type_name="P", schema={"a": IntObject}):
        pass

    class Child(Parent, type_name="C", schema={"a": IntObject, "b": String}):
        pass

    assert list(Child(b="x").__dict__.items()) == [("a", None), ("b", "x")]
    with pytest.raises(TypeError, match="has no field 'b'"):
        Parent(b="x")


@pytest.mark.parametrize("accelerated", KINDS)
def test_introspection_sees_the_fields_as_keywords(accelerated: bool) -> None:
    """inspect.signature / help() of a class read its __init__: the fields that can be
    parameters are keyword-only, any other name goes through ``**``; a field may be
    called ``self``, ``args`` or ``kwargs``."""
    cls = _with_init(["id", "self", "args", "kwargs", "first-name"], accelerated)
    signature = inspect.signature(cls)
    keywords = [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY]
    if getattr(cls.__init__, GENERATED_MARK, False):
        assert keywords == ["id", "self", "args", "kwargs"]
        assert cls.__init__.__name__ == "__init__"
    assert signature.bind(id=1, **{"first-name": 2})


# -- the compiled call path (object_init.fast_call, _objects_accel.class_call) ----------


@given(
    names=st.lists(_names | st.text(max_size=4), min_size=0, max_size=6, unique=True),
    positional=st.lists(st.integers(), max_size=3),
    keywords=st.dictionaries(_names | st.text(max_size=4), st.integers(), max_size=6),
)
def test_calling_the_class_is_type_call(
    names: list[str], positional: list[int], keywords: dict[str, Any]
) -> None:
    """``Cls(...)`` (the compiled call path when built) builds what ``type.__call__``
    builds -- which runs ``__new__`` and the class's ``__init__`` -- or raises its error,
    for any call: keywords only (the fast path), positional values, unknown names."""
    cls = _class(names)
    assert _outcome(lambda: cls(*positional, **keywords)) == _outcome(
        lambda: type.__call__(cls, *positional, **keywords)
    )


def test_the_compiled_call_path_is_installed_with_the_compiled_init() -> None:
    cls = _class(["a", "b"])
    has_flag = bool(type(cls).__flags__ & (1 << 11))  # Py_TPFLAGS_HAVE_VECTORCALL
    assert has_flag is INIT_ACCELERATED
    assert fast_call(cls) is INIT_ACCELERATED
    assert not fast_call(int)  # not a binary-object class: nothing to install


def test_the_compiled_call_path_honours_a_class_changed_afterwards() -> None:
    """A class whose ``__init__`` or ``__new__`` is replaced after it was made, and a
    subclass with its own ``__init__``: their own code runs, as through type.__call__."""
    cls = _class(["a", "b"])
    seen: list[Any] = []

    def init(self: Any, **kw: Any) -> None:
        seen.append(kw)
        BinaryObjectBase.__init__(self, **kw)

    cls.__init__ = init  # type: ignore[misc]
    assert list(cls(b=2).__dict__.items()) == [("a", None), ("b", 2)]
    assert seen == [{"b": 2}]
    cls2 = _class(["a"])
    made: list[type] = []

    def new(klass: type, *args: Any, **kwargs: Any) -> Any:
        made.append(klass)
        return object.__new__(klass)

    cls2.__new__ = new  # type: ignore[assignment]
    assert cls2(a=1).a == 1
    assert made == [cls2]

    class Base(metaclass=GenericObjectMeta, type_name="FcBase", schema={"a": IntObject}):
        pass

    class Child(Base, type_name="FcChild", schema={"a": IntObject}):
        def __init__(self, a: int) -> None:
            super().__init__(a=a + 1)

    assert Base(a=1).a == 1
    assert Child(a=1).a == 2
    with pytest.raises(TypeError):
        Child(b=1)  # type: ignore[call-arg]


def test_the_compiled_call_path_with_a_metaclass_of_ones_own() -> None:
    """A metaclass with its own ``__call__``: that ``__call__`` runs."""
    calls: list[Any] = []

    class Meta(GenericObjectMeta):  # type: ignore[misc,valid-type]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            calls.append(kwargs)
            return super().__call__(*args, **kwargs)

    class K(metaclass=Meta, type_name="FcMeta", schema={"a": IntObject, "b": String}):
        pass

    assert list(K(b="x").__dict__.items()) == [("a", None), ("b", "x")]
    assert calls == [{"b": "x"}]


def test_the_compiled_call_path_after_its_metaclass_gets_a_call() -> None:
    """A ``__call__`` given to the metaclass after its classes were made runs for them."""
    calls: list[Any] = []

    class Meta(GenericObjectMeta):  # type: ignore[misc,valid-type]
        pass

    class K(metaclass=Meta, type_name="FcLate", schema={"a": IntObject}):
        pass

    assert K(a=1).a == 1

    def call(cls: type, *args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return type.__call__(cls, *args, **kwargs)

    Meta.__call__ = call  # type: ignore[method-assign,assignment]
    assert K(a=2).a == 2
    assert calls == [{"a": 2}]


@pytest.mark.parametrize(
    "kind", ["generic", *(["compiled"] if INIT_ACCELERATED else []), "generated"]
)
def test_a_field_named_self_is_given_by_keyword(kind: str) -> None:
    """``self`` is a legal field name: every ``__init__`` takes it by keyword (the generic
    one raised "got multiple values for argument 'self'" while the class's own took it;
    hypothesis found the difference)."""
    if kind == "generic":
        cls = _class(["self", "other"])
        cls.__init__ = BinaryObjectBase.__init__  # type: ignore[misc]
    else:
        cls = _with_init(["self", "other"], kind == "compiled")
    obj = cls(self=1, other=2)
    assert obj.__dict__ == {"self": 1, "other": 2}
    assert cls(3, other=4).__dict__ == {"self": 3, "other": 4}
