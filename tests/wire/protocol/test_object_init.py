"""The generated per-class ``__init__`` (``_protocol/object_init.py``) against the
generic ``BinaryObjectBase.__init__``: the same instance dicts (values and field order)
and the same errors for every way of calling it, and it never replaces a user's own."""

from __future__ import annotations

import keyword
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire import GenericObjectMeta
from ignite_wire._protocol.binary_object import BinaryObjectBase
from ignite_wire._protocol.object_init import GENERATED_MARK
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


@given(
    names=st.lists(_names, min_size=0, max_size=6, unique=True),
    positional=st.lists(st.integers(), max_size=8),
    keywords=st.dictionaries(_names, st.one_of(st.none(), st.integers()), max_size=6),
)
def test_every_call_builds_what_the_generic_init_builds(
    names: list[str], positional: list[int], keywords: dict[str, Any]
) -> None:
    cls = _class(names)
    generic = BinaryObjectBase.__init__

    def by_generic() -> BinaryObjectBase:
        obj = cls.__new__(cls)
        generic(obj, *positional, **keywords)
        return obj

    assert _outcome(lambda: cls(*positional, **keywords)) == _outcome(by_generic)


def test_identifier_names_get_a_generated_init_and_others_the_generic() -> None:
    assert getattr(_class(["id", "name"]).__init__, GENERATED_MARK, False)
    for odd in ("first-name", "class", "_U", "__x", "\ufb01eld"):
        assert _class(["id", odd]).__init__ is BinaryObjectBase.__init__


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
