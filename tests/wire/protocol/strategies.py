"""Hypothesis strategies: one per Ignite type, each paired with its hint.

``typed_values()`` draws ``(value, hint, expected)``: the value to encode, the hint to
encode it with (``None`` for the default rules) and what decoding must give back (the
documented normalisations applied).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ignite_wire import datatypes as dt

I8 = st.integers(-(1 << 7), (1 << 7) - 1)
I16 = st.integers(-(1 << 15), (1 << 15) - 1)
I32 = st.integers(-(1 << 31), (1 << 31) - 1)
I64 = st.integers(-(1 << 63), (1 << 63) - 1)
F64 = st.floats(allow_nan=False)
F32 = st.floats(width=32, allow_nan=False)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
CHAR = st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",))
UUIDS = st.uuids()
AWARE = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(timezone.utc)
)
NAIVE = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))
DATES = st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30))
TIMES_MS = st.times().map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000))
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: -(1 << 31) < d.as_tuple().exponent < (1 << 31)  # type: ignore[operator]
)


def _ms(d: datetime) -> datetime:
    return d.replace(microsecond=d.microsecond // 1000 * 1000)


def _utc(d: datetime) -> datetime:
    return d.replace(tzinfo=timezone.utc) if d.tzinfo is None else d.astimezone(timezone.utc)


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


def _dec_norm(d: Decimal) -> Decimal:
    return d.copy_abs() if d.is_zero() else d


#: (strategy of values, hint, function value -> expected decoded value)
SCALARS: list[tuple[st.SearchStrategy[Any], Any, Any]] = [
    (I8, dt.ByteObject, None),
    (I16, dt.ShortObject, None),
    (I32, dt.IntObject, None),
    (I64, dt.LongObject, None),
    (I64, None, None),
    (F32, dt.FloatObject, None),
    (F64, dt.DoubleObject, None),
    (F64, None, None),
    (CHAR, dt.CharObject, None),
    (st.booleans(), dt.BoolObject, None),
    (st.booleans(), None, None),
    (TEXT, dt.String, None),
    (TEXT, None, None),
    (UUIDS, dt.UUIDObject, None),
    (UUIDS, None, None),
    (AWARE, dt.DateObject, _ms),
    (NAIVE, None, _utc),
    (AWARE, dt.TimestampObject, None),
    (DATES, None, _midnight),
    (TIMES_MS, dt.TimeObject, None),
    (TIMES_MS, None, None),
    (DECIMALS, dt.DecimalObject, _dec_norm),
    (DECIMALS, None, _dec_norm),
    (st.binary(max_size=64), dt.ByteArrayObject, None),
    (st.binary(max_size=64), None, None),
]

ARRAYS: list[tuple[st.SearchStrategy[Any], Any, Any]] = [
    (st.lists(I16, max_size=8), dt.ShortArrayObject, None),
    (st.lists(I32, max_size=8), dt.IntArrayObject, None),
    (st.lists(I64, max_size=8), dt.LongArrayObject, None),
    (st.lists(F32, max_size=8), dt.FloatArrayObject, None),
    (st.lists(F64, max_size=8), dt.DoubleArrayObject, None),
    (st.lists(CHAR, max_size=8), dt.CharArrayObject, None),
    (st.lists(st.booleans(), max_size=8), dt.BoolArrayObject, None),
    (st.lists(st.none() | TEXT, max_size=8), dt.StringArrayObject, None),
    (st.lists(st.none() | UUIDS, max_size=8), dt.UUIDArrayObject, None),
    (
        st.lists(st.none() | AWARE, max_size=8),
        dt.DateArrayObject,
        lambda xs: [None if x is None else _ms(x) for x in xs],
    ),
    (st.lists(st.none() | AWARE, max_size=8), dt.TimestampArrayObject, None),
    (st.lists(st.none() | TIMES_MS, max_size=8), dt.TimeArrayObject, None),
    (
        st.lists(st.none() | DECIMALS, max_size=8),
        dt.DecimalArrayObject,
        lambda xs: [None if x is None else _dec_norm(x) for x in xs],
    ),
]

# Values that decode to exactly themselves under the default rules.
LEAVES = st.none() | st.booleans() | I64 | F64 | TEXT | UUIDS | st.binary(max_size=16)
HASHABLE = st.none() | st.booleans() | I64 | TEXT | UUIDS


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return (
        st.lists(children, max_size=5)
        | st.dictionaries(HASHABLE, children, max_size=5)
        | st.dictionaries(HASHABLE, children, max_size=5).map(OrderedDict)
        | st.sets(HASHABLE, max_size=5)
    )


NESTED = st.recursive(LEAVES, _containers, max_leaves=20)


@st.composite
def typed_values(draw: st.DrawFn) -> tuple[Any, Any, Any]:
    """A ``(value, hint, expected)`` triple for any scalar or array type."""
    strategy, hint, norm = draw(st.sampled_from(SCALARS + ARRAYS))
    value = draw(strategy)
    return value, hint, norm(value) if norm else value


TIMEDELTAS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=23))
