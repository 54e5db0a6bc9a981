"""The basic key-value path on both clients, against the session node."""

from __future__ import annotations

from typing import Any


def test_put_get_and_missing_key(cache: Any) -> None:
    cache.put("my key", 42)
    assert cache.get("my key") == 42
    assert cache.get("non-existent key") is None
    assert cache.get_all(["my key", "non-existent key"]) == {"my key": 42}


def test_scan_pages_through_everything(cache: Any) -> None:
    cache.put_all({f"key_{v}": v for v in range(20)})
    assert dict(cache.scan(page_size=3)) == {f"key_{v}": v for v in range(20)}


def test_sql_returns_field_names_first(any_client: Any) -> None:
    rows = list(any_client.sql("SELECT 1 AS ONE, 'x' AS TWO", include_field_names=True))
    assert rows == [["ONE", "TWO"], [1, "x"]]
