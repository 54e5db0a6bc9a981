"""The single-key short ways (``answers.py``) give what the general codec gives (issue 12).

``write_key``/``write_key_value`` write a get's key and a put's key and value, and
``decode_answer`` reads a get's answer, with fewer calls than ``codec.write_value`` and
``codec.decode_value``: the compiled calls of ``_rows_accel.c`` where they are built, the
object reader called directly for a wrapped object.  These tests run the compiled way,
the pure way (``accelerated=False``) and the general functions on the same values and
bytes -- every scalar and array type, objects of random classes, wrapped as a cache
answers, damaged answers and random bytes -- and demand the same bytes, values (types
included), binary types to register, errors (type, message, offset) and the same context
state afterwards.
"""

from __future__ import annotations

import struct
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import NESTED, typed_values
from test_codec_generated import describe
from test_read_pages import classes, instance, registry_of

from ignite_wire._protocol import answers
from ignite_wire._protocol.binary_types import BinaryTypeRegistry, NeedBinaryType
from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value, write_value
from ignite_wire._protocol.pyignite_values import PYIGNITE_READERS


def test_the_compiled_calls_are_built() -> None:
    """A C compiler is present wherever the suite runs: a broken build fails here."""
    assert answers.ACCELERATED


# -- answers ---------------------------------------------------------------------------------


def decoded(decode: Any, body: bytes, registry: BinaryTypeRegistry, readers: Any = None) -> Any:
    """What one way makes of ``body``: the value described (types included) or the error,
    and the context's depth and base afterwards."""
    kw = {} if readers is None else {"readers": readers}
    ctx = CodecContext(registry, **kw)
    try:
        value = describe(decode(body, ctx))
    except NeedBinaryType as exc:
        value = ("need", exc.type_id, exc.schema_id)
    except Exception as exc:
        value = ("error", type(exc), str(exc), getattr(exc, "offset", None))
    return value, ctx.depth, ctx.base, ctx.pending


def assert_same_answer(
    body: bytes, registry: BinaryTypeRegistry | None = None, readers: Any = None
) -> Any:
    registry = registry if registry is not None else BinaryTypeRegistry()
    general = decoded(lambda b, c: decode_value(b, 0, c)[0], body, registry, readers)
    compiled = decoded(answers.decode_answer, body, registry, readers)
    pure = decoded(
        lambda b, c: answers.decode_answer(b, c, accelerated=False), body, registry, readers
    )
    assert compiled == general
    assert pure == general
    return general


def wrapped(data: bytes, pad: int = 0) -> bytes:
    """``data`` as a cache answers an object: code 27, byte count, bytes, offset."""
    data = b"\x00" * pad + data
    return struct.pack("<bi", 27, len(data)) + data + struct.pack("<i", pad)


@given(typed_values())
def test_values_decode_as_decode_value_decodes_them(drawn: tuple[Any, Any, Any]) -> None:
    value, hint, _expected = drawn
    body = encode_value(value, hint, ctx=CodecContext())
    assert assert_same_answer(body)[0][0] != "error"
    assert_same_answer(body, readers=PYIGNITE_READERS)  # the pyignite value mode's tables


@given(NESTED)
def test_nested_values_decode_the_same(value: Any) -> None:
    try:
        body = encode_value(value, ctx=CodecContext())
    except Exception:
        return
    assert_same_answer(body)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_wrapped_objects_decode_the_same(data: st.DataObject) -> None:
    cls = data.draw(classes())
    obj = instance(data.draw, cls)
    try:
        body = encode_value(obj, ctx=CodecContext())
    except Exception:
        return
    pad = data.draw(st.integers(0, 3))
    answer = wrapped(body, pad)
    outcome = assert_same_answer(answer, registry_of(cls))
    assert outcome[0][0] not in ("error", "need")
    assert_same_answer(answer)  # the type unknown: NeedBinaryType both ways
    assert_same_answer(answer, registry_of(cls), readers=PYIGNITE_READERS)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A wrapped object, or a scalar, with bytes cut, replaced or a lying count/offset."""
    cls = draw(classes())
    try:
        body = encode_value(instance(draw, cls), ctx=CodecContext())
    except Exception:
        body = b"\x65"
    answer = bytearray(wrapped(body, draw(st.integers(0, 2))))
    how = draw(st.sampled_from(["cut", "byte", "count", "offset", "random"]))
    if how == "cut":
        answer = answer[: draw(st.integers(0, len(answer)))]
    elif how == "byte":
        answer[draw(st.integers(0, len(answer) - 1))] = draw(st.integers(0, 255))
    elif how == "count":
        answer[1:5] = struct.pack("<i", draw(st.integers(-(2**31), 2**31 - 1)))
    elif how == "offset":
        answer[-4:] = struct.pack("<i", draw(st.integers(-5, len(body) + 5)))
    else:
        return bytes([draw(st.integers(0, 255))]) + draw(st.binary(max_size=24))
    return bytes(answer)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(damaged(), st.data())
def test_damaged_answers_give_the_same_value_or_error(body: bytes, data: st.DataObject) -> None:
    assert_same_answer(body)
    assert_same_answer(body, readers=PYIGNITE_READERS)


def test_an_empty_answer_is_the_general_error() -> None:
    assert assert_same_answer(b"")[0][0] == "error"


# -- keys and values -------------------------------------------------------------------------


def written(write: Any, *items: Any) -> Any:
    """The bytes one way writes after a header, the binary types it asks to register, or
    its error."""
    out = bytearray(b"head")
    ctx = CodecContext()
    try:
        write(out, ctx, *items)
    except Exception as exc:
        return ("error", type(exc), str(exc))
    return bytes(out), [(t.type_id, t.type_name) for t in ctx.pending]


def general(out: bytearray, ctx: CodecContext, *items: Any) -> None:
    for item in items:
        write_value(out, item, ctx=ctx)


KEYS = st.one_of(
    st.integers(),  # beyond a long's range too: the general writer's error
    st.integers(-(2**63), 2**63 - 1),
    st.text(max_size=8),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.just(object()),  # no Ignite form: the same EncodeError
    typed_values().map(lambda t: t[0]),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(KEYS, st.one_of(KEYS, NESTED), st.data())
def test_keys_and_values_are_written_as_write_value_writes_them(
    key: Any, value: Any, data: st.DataObject
) -> None:
    if data.draw(st.booleans()):
        value = instance(data.draw, data.draw(classes()))
    assert written(lambda o, c, k: answers.write_key(o, k, c), key) == written(general, key)
    expected = written(general, key, value)
    for accelerated in (True, False):
        assert (
            written(
                lambda o, c, k, v: answers.write_key_value(o, k, v, c, accelerated=accelerated),  # noqa: B023
                key,
                value,
            )
            == expected
        )
