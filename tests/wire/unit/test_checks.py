"""The argument checks of ``ignite_wire._checks``, with plain data (no node needed).

The sweep in ``tests/reliability/test_bad_input.py`` calls every public method with bad
values against a real node; these tests pin each check's contract: which values pass,
which error class the others raise, and that the message names the argument without
printing what must not be printed (a secret, an int too long for ``str``).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire import _checks as arg
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire.datatypes import IntObject, ShortObject, String
from ignite_wire.exceptions import (
    EncodeError,
    IgniteError,
    ParameterError,
    ParameterTypeError,
    SocketError,
)
from ignite_wire.index_query import eq

HUGE = 10**5000
SURROGATE = "x\ud800y"


class Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


def refusal(call: Any, *args: Any, **kwargs: Any) -> ParameterError:
    with pytest.raises(ParameterError) as caught:
        call(*args, **kwargs)
    assert isinstance(caught.value, IgniteError)
    return caught.value


# -- shown ---------------------------------------------------------------------------------


def test_shown_never_raises_and_stays_short() -> None:
    class BadRepr:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert arg.shown(HUGE) == f"an int of {HUGE.bit_length()} bits"
    assert arg.shown(BadRepr()) == "a BadRepr"
    assert len(arg.shown("x" * 10_000)) == 80
    assert arg.shown(5) == "5"


# -- text ----------------------------------------------------------------------------------


def test_text_refuses_wrong_types_as_type_errors() -> None:
    for value in (None, 5, HUGE, Opaque(), b"bytes"):
        error = refusal(arg.text, value, "tx_start(): label")
        assert isinstance(error, ParameterTypeError)
        assert isinstance(error, TypeError)
        assert str(error).startswith("tx_start(): label must be a str, got ")


def test_text_names_the_surrogate_position() -> None:
    error = refusal(arg.text, SURROGATE, "atomic_long(): name")
    assert str(error) == "atomic_long(): name has a lone surrogate at index 1: no UTF-8 form"
    assert not isinstance(error, TypeError)
    assert error.__context__ is None  # no UnicodeEncodeError holding the value


def test_text_refuses_empty_unless_allowed() -> None:
    assert "must not be empty" in str(refusal(arg.text, "", "index_query(): value_type"))
    assert arg.text("", "host", empty=True) == ""
    assert arg.optional_text(None, "label") is None
    assert arg.optional_text("é", "label") == "é"


def test_a_secret_is_never_shown() -> None:
    password = "hunter2-\ud800-secret"
    error = refusal(arg.text, password, "password", secret=True)
    assert "hunter2" not in str(error)
    assert "hunter2" not in repr(error.args)
    error = refusal(arg.text, b"hunter2", "password", secret=True)
    assert "hunter2" not in str(error)
    assert "a bytes" in str(error)


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF)))
def test_text_accepts_exactly_the_strings_with_a_utf8_form(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(ParameterError, match="lone surrogate"):
            arg.text(value, "name", empty=True)
    else:
        assert arg.text(value, "name", empty=True) is value


# -- numbers -------------------------------------------------------------------------------


def test_integer_bounds_and_types() -> None:
    assert arg.integer(5, "n", 0, 10) == 5
    for wrong in (True, "1", 1.0, None, Opaque()):
        assert isinstance(refusal(arg.integer, wrong, "sql(): cache", 0, 10), ParameterTypeError)
    for out in (-1, 11, 2**64, HUGE):
        error = refusal(arg.integer, out, "get_binary_type(): type_id", 0, 10)
        assert not isinstance(error, TypeError)
        assert str(error).startswith("get_binary_type(): type_id must be an int in 0..10, got ")
    assert "bits" in str(refusal(arg.integer, HUGE, "n", 0, 10))


def test_seconds() -> None:
    assert arg.seconds(0, "t") == 0.0
    assert arg.seconds(2.5, "t") == 2.5
    assert arg.optional_seconds(None, "t") is None
    for bad in (math.nan, math.inf, -1.0, HUGE, 2**65):
        error = refusal(arg.seconds, bad, "get(): timeout")
        assert "get(): timeout" in str(error)
    for wrong in (True, "1", None, Opaque()):
        assert isinstance(refusal(arg.seconds, wrong, "t"), ParameterTypeError)


# -- collections ---------------------------------------------------------------------------


def test_iterable() -> None:
    assert arg.iterable((1, 2), "keys") == [1, 2]
    assert arg.iterable(iter([3]), "keys") == [3]
    for wrong in (None, 5, "ab", b"ab", Opaque()):
        error = refusal(arg.iterable, wrong, "select_row(): query_args")
        assert isinstance(error, ParameterTypeError)
        assert "select_row(): query_args must be an iterable" in str(error)


def test_partitions() -> None:
    arg.partitions(None, "p")
    arg.partitions([0, 65535], "p")
    assert "at least one" in str(refusal(arg.partitions, [], "sql(): partitions"))
    for bad in ([-5], [65536], [HUGE], [Opaque()], 5, Opaque()):
        assert "sql(): partitions" in str(refusal(arg.partitions, bad, "sql(): partitions"))
    assert "partitions[1]" in str(refusal(arg.partitions, [1, -1], "partitions"))


def test_peek_modes() -> None:
    for good in (None, 0, 5, [0, 1], (2,)):
        arg.peek_modes(good, "peek_modes")
    for bad in (Opaque(), HUGE, -1, 99, [Opaque()], [HUGE], "1"):
        assert "get_size(): peek_modes" in str(
            refusal(arg.peek_modes, bad, "get_size(): peek_modes")
        )


# -- keys, values, hints -------------------------------------------------------------------


def test_hint() -> None:
    for good in (None, IntObject, String, 3):
        arg.hint(good, "key_hint")
    for bad in ("no such hint", Opaque(), HUGE, 12345, int):
        error = refusal(arg.hint, bad, "put(): key_hint")
        assert isinstance(error, ParameterTypeError)
        assert str(error).startswith("put(): key_hint: ")


def test_encodable_names_the_argument_and_keeps_the_path() -> None:
    arg.encodable({"a": [1, "b"]}, "value")
    arg.encodable(5, "value", ShortObject)
    error = refusal(arg.encodable, {"k": [1, Opaque()]}, "put(): value")
    assert isinstance(error, EncodeError)
    assert str(error).startswith("put(): value: no Ignite type for a value of type Opaque")
    assert error.path == "['k'][1]"
    assert "put(): value" in str(refusal(arg.encodable, HUGE, "put(): value"))
    assert "put(): value" in str(refusal(arg.encodable, SURROGATE, "put(): value"))
    assert "put(): value" in str(refusal(arg.encodable, 70000, "put(): value", ShortObject))
    error = refusal(arg.encodable, 1, "put(): value", "no such hint")
    assert str(error).startswith("put(): value_hint: ")


def test_encodable_items() -> None:
    arg.encodable_items(None, "query_args")
    arg.encodable_items([1, "a"], "query_args")
    error = refusal(arg.encodable_items, [1, SURROGATE], "sql(): query_args")
    assert str(error).startswith("sql(): query_args[1]: ")
    assert isinstance(refusal(arg.encodable_items, 5, "sql(): query_args"), ParameterTypeError)


def test_node_attributes() -> None:
    arg.node_attributes(None, "attributes")
    arg.node_attributes({"role": "db", "n": 1}, "attributes")
    for bad in (5, Opaque(), {Opaque(): 1}, {SURROGATE: 1}, {"": 1}, {"a": Opaque()}):
        error = refusal(arg.node_attributes, bad, "node_ids(): attributes")
        assert "node_ids(): attributes" in str(error)


# -- binary types, caches, criteria, endpoints ---------------------------------------------


def test_binary_type_and_schema_refs() -> None:
    arg.binary_type_ref("Person", "binary_type")
    arg.binary_type_ref(-5, "binary_type")
    for bad in (None, Opaque(), SURROGATE, HUGE, 2**31, ""):
        assert "binary_type" in str(refusal(arg.binary_type_ref, bad, "binary_type"))
    for good in (None, 7, {"name": String, "age": IntObject}):
        arg.schema_ref(good, "schema")
    for bad in (Opaque(), SURROGATE, HUGE, {Opaque(): 1}, {SURROGATE: 1}, {"a": "x"}):
        assert "schema" in str(refusal(arg.schema_ref, bad, "schema"))


def test_cache_ref() -> None:
    for good in (None, "c", 5, -(2**31), Opaque()):  # other forms: the caller's business
        arg.cache_ref(good, "sql(): cache")
    for bad in (SURROGATE, 2**64, HUGE, ""):
        assert "sql(): cache" in str(refusal(arg.cache_ref, bad, "sql(): cache"))


def test_binary_class_and_criteria() -> None:
    import enum

    class Colour(enum.Enum):
        RED = 1

    arg.binary_class(Colour, "cls")
    for bad in (None, 5, int, Opaque()):
        assert "register_binary_type(): cls" in str(
            refusal(arg.binary_class, bad, "register_binary_type(): cls")
        )
    arg.criteria([eq("a", 1)], "criteria")
    arg.criteria((), "criteria")
    for bad in (None, 5, Opaque(), [Opaque()], [eq("", 1)], [eq(SURROGATE, 1)]):
        assert "index_query(): criteria" in str(
            refusal(arg.criteria, bad, "index_query(): criteria")
        )


def test_endpoint_args() -> None:
    for good in ((), ("h",), ("h", 1), ([("h", 1), "g"],), ("",)):
        arg.endpoint_args(good)
    for bad in ((SURROGATE, 1), ("h", HUGE), ("h", 0), ("h", 70000), (Opaque(), 1)):
        assert "connect(): " in str(refusal(arg.endpoint_args, bad))
    assert "node 1 port" in str(refusal(arg.endpoint_args, ([("h", 1), ("g", -1)],)))


# -- naming codec errors after the fact ----------------------------------------------------

CODEC_FAILURE = EncodeError("string with a lone surrogate has no UTF-8 form")


def named(call: Any, *args: Any, **kwargs: Any) -> str:
    """The message of the named error ``call`` raises."""
    return str(refusal(call, *args, **kwargs))


def test_method_of() -> None:
    assert arg.method_of(OpCode.CACHE_GET_AND_PUT_IF_ABSENT) == "get_and_put_if_absent"
    assert arg.method_of(OpCode.CACHE_GET_ALL) == "get_all"


def test_raise_named_value_finds_the_culprit() -> None:
    put = OpCode.CACHE_PUT
    message = named(arg.raise_named_value, CODEC_FAILURE, put, [(1, None), (SURROGATE, None)])
    assert message.startswith("put(): value: string with a lone surrogate")
    message = named(arg.raise_named_value, CODEC_FAILURE, put, [(Opaque(), None), (2, None)])
    assert message.startswith("put(): key: no Ignite type for a value of type Opaque")
    # str() of a huge int hint raised a plain ValueError in the codec: named all the same
    plain = ValueError("Exceeds the limit (4300 digits) for integer string conversion")
    message = named(arg.raise_named_value, plain, put, [(1, None), (2, HUGE)])
    assert message.startswith("put(): value_hint: an int of")
    replace = OpCode.CACHE_REPLACE_IF_EQUALS
    args = [(1, None), (2, "no such hint"), (3, None)]
    assert named(arg.raise_named_value, CODEC_FAILURE, replace, args).startswith(
        "replace_if_equals(): sample_hint: "
    )
    get = OpCode.CACHE_GET
    assert named(arg.raise_named_value, CODEC_FAILURE, get, [(HUGE, None)]).startswith(
        "get(): key: an int of"
    )


def test_raise_named_value_leaves_other_errors_alone() -> None:
    put = OpCode.CACHE_PUT
    # not an encoding failure, even with a bad key: returns, the caller re-raises
    arg.raise_named_value(SocketError("node gone"), put, [(Opaque(), None), (2, None)])
    # a codec failure whose culprit is not among the arguments: returns too
    arg.raise_named_value(CODEC_FAILURE, put, [(1, None), (2, None)])
    arg.raise_named_value(KeyError("x"), put, [(1, None), (2, None)])


def test_raise_named_items() -> None:
    get_all, put_all = OpCode.CACHE_GET_ALL, OpCode.CACHE_PUT_ALL
    message = named(arg.raise_named_items, CODEC_FAILURE, get_all, "keys", [1, 2, SURROGATE])
    assert message.startswith("get_all(): keys[2]: string with a lone surrogate")
    # pairs as put_all holds them: one flat list, key, value, key, value...
    pairs = [1, 2, 3, Opaque()]
    message = named(arg.raise_named_items, CODEC_FAILURE, put_all, "pairs", pairs, pairs=True)
    assert message.startswith("put_all(): pairs, value 1: no Ignite type")
    pairs = [HUGE, 1]
    message = named(arg.raise_named_items, CODEC_FAILURE, put_all, "pairs", pairs, pairs=True)
    assert message.startswith("put_all(): pairs, key 0: an int of")
    arg.raise_named_items(CODEC_FAILURE, get_all, "keys", [1, 2])
    arg.raise_named_items(SocketError("gone"), get_all, "keys", [Opaque()])


def test_a_named_codec_error_keeps_its_class_and_path() -> None:
    with pytest.raises(EncodeError) as caught:
        arg.raise_named_value(
            CODEC_FAILURE, OpCode.CACHE_PUT, [(1, None), ({"a": [SURROGATE]}, None)]
        )
    assert caught.value.path == "['a'][0]"
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
