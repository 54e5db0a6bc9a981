"""The CLI's output formats (pure)."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

import pytest

from ignite_wire.cli._commands import _split, parse_node
from ignite_wire.cli._render import render


def test_table_aligns_and_counts() -> None:
    text = render(["A", "LONGER"], [[1, None], ["wide value", "x\ny"]])
    assert text.splitlines() == [
        "A           LONGER",
        "----------  ------",
        "1           NULL",
        "wide value  x\\ny",
        "(2 rows)",
    ]
    assert render(["A"], []).splitlines()[-1] == "(0 rows)"


def test_json_keeps_types_and_exact_values() -> None:
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    ident = uuid.UUID(int=5)
    row = [decimal.Decimal("1.10"), when, b"\x00\xff", ident, True, None, [1, "a"]]
    out = json.loads(render(list("ABCDEFG"), [row], "json"))
    assert out == [
        {
            "A": "1.10",
            "B": "2024-05-06T07:08:09+00:00",
            "C": "00ff",
            "D": str(ident),
            "E": True,
            "F": None,
            "G": [1, "a"],
        }
    ]


def test_csv_quotes_and_nulls() -> None:
    assert render(["A", "B"], [['x, "y"', None]], "csv") == 'A,B\n"x, ""y""",'


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("127.0.0.1:10801", ("127.0.0.1", 10801)),
        ("localhost", ("localhost", 10800)),
        ("[::1]:10802", ("::1", 10802)),
        ("::1", ("::1", 10800)),
    ],
)
def test_parse_node(text: str, node: tuple[str, int]) -> None:
    assert parse_node(text) == node


@pytest.mark.parametrize("text", ["host:port", "h:0", "h:70000", ":10800"])
def test_parse_node_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="host:port"):
        parse_node(text)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("city", (None, "CITY")),
        ("public.City", ("PUBLIC", "CITY")),
        ('"MySchema"."odd.name"', ("MySchema", "odd.name")),
        ('"with ""quote"""', (None, 'with "quote"')),
        ('s."Order"', ("S", "Order")),
    ],
)
def test_table_names_as_sql_reads_them(text: str, parts: tuple[str | None, str]) -> None:
    assert _split(text) == parts


@pytest.mark.parametrize("text", ['"open', "a.b.c", ".t"])
def test_bad_table_names(text: str) -> None:
    with pytest.raises(ValueError, match=r"quotes|TABLE"):
        _split(text)
