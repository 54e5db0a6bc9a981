"""``ignite_wire.binary.write_as``: instances of a class of one's own written as objects
of a binary-object class, their fields read from the instance's ``__dict__`` (issue 12,
W7: ignite_orm writes models this way instead of copying each into a binary object).

The bytes (and the errors) are those of the binary object ``from_fields`` builds from
the same values, on every path a value is written by: one value, a ``put_all`` batch
, pyignite's value tables.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.codec import CodecContext, encode_value, write_pairs
from ignite_wire._protocol.pyignite_values import PYIGNITE_READERS, PYIGNITE_WRITERS
from ignite_wire.binary import GenericObjectMeta, from_fields, write_as
from ignite_wire.datatypes import DoubleObject, LongObject, String
from ignite_wire.exceptions import EncodeError


class AsPoint(
    metaclass=GenericObjectMeta,
    type_name="WriteAsPoint",
    schema=OrderedDict([("x", LongObject), ("label", String), ("w", DoubleObject)]),
):
    pass


class Source:
    """A plain class holding the fields (and one more) in its ``__dict__``."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class Unregistered:
    pass


write_as(Source, AsPoint)

#: Values the compiled encoder takes, and ones it leaves to the general encoder (which
#: writes them, or raises its error): big ints, a str for a double, bytes, lists.
_values = (
    st.none()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
    | st.binary(max_size=8)
    | st.lists(st.integers(0, 9), max_size=3)
)


def _outcome(value: object, ctx: CodecContext) -> bytes | str:
    try:
        return encode_value(value, ctx=ctx)
    except EncodeError as exc:
        return f"EncodeError: {exc}"


def _pairs(pairs: list[tuple[Any, Any]]) -> bytes | str:
    out = bytearray()
    try:
        write_pairs(out, pairs, CodecContext())
    except EncodeError as exc:
        return f"EncodeError: {exc}"
    return bytes(out)


@given(x=_values, label=_values, w=_values, other=_values)
def test_an_instance_is_written_as_the_object_from_fields_builds(
    x: object, label: object, w: object, other: object
) -> None:
    source = Source(x=x, label=label, w=w, other=other)  # "other" is not a field
    built = from_fields(AsPoint, {"x": x, "label": label, "w": w})
    for tables in ({}, {"readers": PYIGNITE_READERS, "writers": PYIGNITE_WRITERS}):
        assert _outcome(source, CodecContext(**tables)) == _outcome(built, CodecContext(**tables))
    assert _pairs([(1, built), (2, built)]) == _pairs([(1, source), (2, source)])


def test_a_missing_field_is_written_as_null_and_only_the_exact_class_is_taken() -> None:
    assert encode_value(Source(x=1, w=0.5), ctx=CodecContext()) == encode_value(
        AsPoint(x=1, w=0.5), ctx=CodecContext()
    )

    class Sub(Source):
        pass

    with pytest.raises(EncodeError, match="no Ignite type"):
        encode_value(Sub(x=1), ctx=CodecContext())
    with pytest.raises(EncodeError, match="no Ignite type"):
        encode_value(Unregistered(), ctx=CodecContext())


def test_classes_with_an_ignite_type_are_refused() -> None:
    class Number(int):
        pass

    for source in (int, dict, Number, AsPoint):
        with pytest.raises(TypeError, match="write_as"):
            write_as(source, AsPoint)
    with pytest.raises(TypeError, match="not a binary-object class"):
        write_as(Unregistered, Source)  # type: ignore[arg-type]
    assert encode_value(7, ctx=CodecContext()) == encode_value(7, ctx=CodecContext())


def test_registering_again_replaces_the_binary_class() -> None:
    class Other(
        metaclass=GenericObjectMeta,
        type_name="WriteAsOther",
        schema=OrderedDict([("x", LongObject)]),
    ):
        pass

    class Moving:
        def __init__(self, x: int) -> None:
            self.x = x

    write_as(Moving, AsPoint)
    first = encode_value(Moving(3), ctx=CodecContext())
    assert first == encode_value(AsPoint(x=3), ctx=CodecContext())
    write_as(Moving, Other)
    assert encode_value(Moving(3), ctx=CodecContext()) == encode_value(
        Other(x=3), ctx=CodecContext()
    )
