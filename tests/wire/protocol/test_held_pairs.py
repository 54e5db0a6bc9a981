"""Held pairs (issue 12): the compiled page decoder keeps a cursor page's pairs out of the
garbage collector until ``hand_out`` returns them (``_accel_held.h``).

What must hold: the values are exactly the pure decoder's (same bytes, same values and
errors); every pair and object ``hand_out`` returns is tracked by the collector again, as
any other object; pairs are held only where it is safe (fresh pairs of the compiled path)
and only when asked (``held=True``: the cursors' pages, never ``get_all``'s).
"""

from __future__ import annotations

import gc
import struct
import weakref
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_codec_generated import outcome
from test_objects_accel import HINTS, VALUES, damage, decoders, every_class, exact
from test_read_pages import pages, registry_of

from ignite_wire import datatypes as dt
from ignite_wire._protocol import object_decoder, read_pages
from ignite_wire._protocol.binary_types import NeedBinaryType
from ignite_wire._protocol.codec import CodecContext, encode_value
from ignite_wire.binary import GenericObjectMeta


def handed_out(body: bytes, count: int, kinds: list[Any], held: bool) -> Any:
    """The page decoded (held or not), read through hand_out; every pair and object it
    returns must be tracked again."""
    ctx = CodecContext(registry_of(*kinds))
    try:
        items, end = read_pages.decode_pairs(b"head" + body, 4, count, ctx, held=held)
    except NeedBinaryType as exc:
        return NeedBinaryType, exc.type_id
    out = []
    for pair in object_decoder.hand_out(items):
        key, value = pair
        if hasattr(value, "__ignite_info__"):
            assert gc.is_tracked(pair)
            assert gc.is_tracked(value)
        out.append((exact(key), exact(value)))
    return out, end


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(pages(), st.data())
def test_held_pages_decode_as_the_pure_decoder(page: Any, data: st.DataObject) -> None:
    body, count, kinds = page
    if data.draw(st.booleans()) and body:
        body = damage(body, data.draw)
    with decoders(kinds, accelerated=False):
        pure = outcome(lambda: handed_out(body, count, kinds, held=False))
    with decoders(kinds, accelerated=True):
        held = outcome(lambda: handed_out(body, count, kinds, held=True))
    assert held == pure


def usual_page(n: int) -> tuple[bytes, Any]:
    cls = every_class()
    obj = cls(*VALUES)
    data = encode_value(obj, ctx=CodecContext())
    entry = (
        encode_value(7, dt.LongObject, ctx=CodecContext())
        + struct.pack("<bi", 27, len(data))
        + data
        + struct.pack("<i", 0)
    )
    return entry * n, cls


def test_pairs_are_held_until_handed_out() -> None:
    body, cls = usual_page(5)
    ctx = CodecContext(registry_of(cls))
    items, _ = read_pages.decode_pairs(body, 0, 5, ctx, held=True)
    # the first object of a page is read the usual way (it teaches the page its class)
    assert gc.is_tracked(items[0])
    assert gc.is_tracked(items[0][1])
    assert not any(gc.is_tracked(p) or gc.is_tracked(p[1]) for p in items[1:])
    it = object_decoder.hand_out(items)
    assert it.__length_hint__() == 5  # type: ignore[attr-defined]
    for n, pair in enumerate(it, 1):
        assert gc.is_tracked(pair)
        assert gc.is_tracked(pair[1])
        assert it.__length_hint__() == 5 - n  # type: ignore[attr-defined]
    assert all(gc.is_tracked(p) and gc.is_tracked(p[1]) for p in items)


def test_pairs_are_not_held_unless_asked() -> None:
    """get_all's answer and any other caller of decode_pairs get ordinary objects."""
    body, cls = usual_page(5)
    items, _ = read_pages.decode_pairs(body, 0, 5, CodecContext(registry_of(cls)))
    assert all(gc.is_tracked(p) and gc.is_tracked(p[1]) for p in items)


def test_a_handed_out_object_in_a_cycle_is_collected() -> None:
    body, cls = usual_page(3)
    items, _ = read_pages.decode_pairs(body, 0, 3, CodecContext(registry_of(cls)), held=True)
    pair = list(object_decoder.hand_out(items))[-1]
    del items
    value = pair[1]
    value.me = pair  # a cycle: object -> pair -> object
    ref = weakref.ref(value)
    del pair, value
    gc.collect()
    assert ref() is None


def test_a_page_dropped_before_its_end_frees_its_held_pairs() -> None:
    body, cls = usual_page(4)
    items, _ = read_pages.decode_pairs(body, 0, 4, CodecContext(registry_of(cls)), held=True)
    refs = [weakref.ref(p[1]) for p in items]
    it = object_decoder.hand_out(items)
    next(it)
    del items, it
    assert all(r() is None for r in refs)  # by reference counting, no collection needed


def test_hand_out_takes_only_a_list() -> None:
    with pytest.raises(TypeError):
        object_decoder.hand_out((1, 2))  # type: ignore[arg-type]
    assert list(object_decoder.hand_out([(1, 2), 3])) == [(1, 2), 3]


def test_objects_of_a_class_with_its_own_new_are_not_held() -> None:
    """A class's own ``__new__`` may keep or share what it returns: never held."""
    made: list[Any] = []

    def new(cls: Any, *args: Any, **kwargs: Any) -> Any:
        obj = object.__new__(cls)
        made.append(obj)
        return obj

    cls = GenericObjectMeta(
        "OwnNew",
        (),
        {"__new__": new},
        type_name="held.OwnNew",
        schema=OrderedDict((f"f{i}", h) for i, h in enumerate(HINTS)),
    )
    data = encode_value(cls(*VALUES), ctx=CodecContext())
    body = (encode_value(7, dt.LongObject, ctx=CodecContext()) + data) * 4
    made.clear()
    items, _ = read_pages.decode_pairs(body, 0, 4, CodecContext(registry_of(cls)), held=True)
    assert len(made) == 4  # the compiled path made them (through the class's __new__)
    assert all(gc.is_tracked(p) for p in items)
    assert all(gc.is_tracked(p[1]) for p in items)
