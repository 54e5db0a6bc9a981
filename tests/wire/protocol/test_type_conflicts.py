"""A class cannot write a known binary type's field with another type than the cluster's."""

from __future__ import annotations

from collections import OrderedDict

import pytest

from ignite_wire import GenericObjectMeta
from ignite_wire._protocol.codec import encode_value
from ignite_wire._protocol.context import CodecContext
from ignite_wire.datatypes import IntObject, String
from ignite_wire.exceptions import BinaryTypeError


def test_same_field_names_with_another_type_are_refused() -> None:
    class First(
        metaclass=GenericObjectMeta,
        type_name="ConflictProbe",
        schema=OrderedDict([("id", IntObject), ("name", String)]),
    ):
        pass

    class Second(
        metaclass=GenericObjectMeta,
        type_name="ConflictProbe",
        schema=OrderedDict([("id", String), ("name", String)]),
    ):
        pass

    ctx = CodecContext()
    encode_value(First(id=1, name="a"), ctx=ctx)
    for bt in ctx.take_pending():  # what a flow does after registering them (op 3003)
        ctx.registry.add_type(bt)
    # The schema ids are equal (they cover field ids only), so only the types tell.
    assert First.schema_id == Second.schema_id
    with pytest.raises(BinaryTypeError, match=r"field 'id'.*type code 9.*type code 3"):
        encode_value(Second(id="x", name="b"), ctx=CodecContext(ctx.registry))
    # The class that matches the cluster still writes.
    assert encode_value(First(id=2, name="b"), ctx=CodecContext(ctx.registry))
