"""The pure SQL-text helpers, on plain data: quoting identifiers, finding a leading clause
of a ``select()`` condition by token, and the DECIMAL limits of ``Precision``.

The live-server side of the same rules is in test_orm_names.py and test_orm_values.py.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_orm._sql_names import (
    identifier_problem,
    normalize_identifier,
    qualified_name,
    quote_identifier,
)
from ignite_orm._where import append_condition, leading_clause
from ignite_orm.fields import decimal_problem

BASE = 'SELECT _KEY, _VAL FROM "PUBLIC"."T"'


@given(st.text(min_size=1).filter(lambda s: identifier_problem(s) is None))
def test_a_quoted_identifier_reads_back_as_the_normalised_name(name: str) -> None:
    quoted = quote_identifier(name)
    assert quoted == '"' + normalize_identifier(name) + '"'
    assert normalize_identifier(name) == name.upper()


def test_qualified_names_quote_each_part() -> None:
    assert qualified_name("Order", "Group") == '"ORDER"."GROUP"'
    assert identifier_problem('a "b"') is not None
    assert identifier_problem(" ") is not None
    assert identifier_problem("ok name.$") is None


@pytest.mark.parametrize(
    ("condition", "clause"),
    [
        ("ORDER BY id", True),
        ("  order\n  by id", True),
        ("LIMIT 5", True),
        ("offset 3", True),
        ("-- note\nORDER BY id", True),
        ("/* c */ LIMIT 1", True),
        ("GROUP BY id", True),
        ("limited_edition = TRUE", False),
        ("limit_qty > ?", False),
        ("order_total > ?", False),
        ('"ORDER" = 1', False),
        ("orderby = 1", False),
        ("order = 1", False),
        ("offsets > 2", False),
        ("age > ? ORDER BY name", False),
    ],
)
def test_a_leading_clause_is_found_by_token(condition: str, clause: bool) -> None:
    assert leading_clause(condition) is clause
    glued = append_condition(BASE, condition)
    assert glued == BASE + (" " if clause else " WHERE ") + condition


@given(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True).filter(
        lambda w: w.upper() not in {"ORDER", "LIMIT", "OFFSET", "FETCH", "GROUP"}
    ),
    st.sampled_from([" = ?", " > 3", " IS NULL", " LIKE 'x%'"]),
)
def test_a_condition_starting_with_any_other_word_gets_where(word: str, rest: str) -> None:
    assert append_condition(BASE, word + rest) == f"{BASE} WHERE {word}{rest}"


def test_an_empty_condition_adds_nothing() -> None:
    assert append_condition(BASE, "  ") == BASE


@pytest.mark.parametrize(
    ("value", "fits"),
    [
        ("999.99", True),
        ("-999.99", True),
        ("0.01", True),
        ("1234.5", False),
        ("1.234", False),
        ("1E+3", False),
        ("1.20", True),
        ("NaN", False),
    ],
)
def test_decimal_limits_are_read_as_sql_reads_them(value: str, fits: bool) -> None:
    assert (decimal_problem(Decimal(value), 5, 2) is None) is fits


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-999, max_value=999))
def test_every_value_of_the_declared_range_fits(value: Decimal) -> None:
    assert decimal_problem(value, 5, 2) is None
