"""``ignite_wire.binary.fields_view`` and ``from_fields``: the small hook ignite_orm builds
models and entries with (issue 12, W7).  Objects made by ``from_fields`` are the objects
the constructor makes (equal, same hash, same bytes); ``fields_view`` is the object's own
mapping, one entry per field for an ordinary object."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value
from ignite_wire.binary import GenericObjectMeta, fields_of, fields_view, from_fields
from ignite_wire.datatypes import DoubleObject, LongObject, String


class HookPoint(
    metaclass=GenericObjectMeta,
    type_name="HookPoint",
    schema=OrderedDict([("x", LongObject), ("label", String), ("w", DoubleObject)]),
):
    pass


@given(
    x=st.integers(-(2**63), 2**63 - 1),
    label=st.none() | st.text(st.characters(blacklist_categories=("Cs",))),
    w=st.floats(allow_nan=False),
)
def test_from_fields_makes_what_the_constructor_makes(x: int, label: str, w: float) -> None:
    made = from_fields(HookPoint, {"x": x, "label": label, "w": w})
    built = HookPoint(x=x, label=label, w=w)
    assert type(made) is HookPoint
    assert made == built
    assert hash(made) == hash(built)
    assert encode_value(made, ctx=CodecContext()) == encode_value(built, ctx=CodecContext())
    assert fields_view(made) == fields_of(built) == {"x": x, "label": label, "w": w}


def test_fields_view_is_the_objects_own_mapping_after_decoding() -> None:
    ctx = CodecContext()
    data = encode_value(HookPoint(x=1, label="a", w=0.5), ctx=ctx)
    for bt in ctx.take_pending():
        ctx.registry.add_type(bt)
    decoded = decode_value(data, 0, CodecContext(ctx.registry))[0]
    view = fields_view(decoded)
    assert view == {"x": 1, "label": "a", "w": 0.5}
    assert view is fields_view(decoded)  # no copy
    assert fields_of(decoded) is not fields_of(decoded)


def test_the_compiled_fields_view_is_bound_and_looks_up_what_the_python_one_does() -> None:
    """With the accelerator built (the test environment has a compiler) ``fields_view``
    is its C twin, for ignite_orm's per-row call: the object's own ``__dict__``, and the
    same error for what has none."""
    from ignite_wire._protocol import _objects_accel

    assert fields_view is _objects_accel.fields_view
    made = from_fields(HookPoint, {"x": 1, "label": None, "w": 2.0})
    assert fields_view(made) is made.__dict__
    for odd in (None, 5, "text"):
        with pytest.raises(AttributeError, match="__dict__"):
            fields_view(odd)  # type: ignore[arg-type]
