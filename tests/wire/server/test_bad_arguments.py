"""Issue 9, defects 5 and 7: bad arguments become typed errors that name the argument.

Before the fix each of these escaped ``except IgniteError``: ``ValueError`` from turning
an int of more than 4,300 digits into text, ``UnicodeEncodeError`` from a lone surrogate
(whose ``repr`` carried the whole password), ``TypeError`` from deep inside ``put_all``;
and a password without a user name, or more SQL arguments than parameters, were
silently accepted.  After each refusal a good call on the same client works.
"""

from __future__ import annotations

from typing import Any

import pytest

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import IgniteError, ParameterError

HUGE = 10**5000
SURROGATE = "x\ud800y"


def _refused(call: Any, *names: str) -> IgniteError:
    with pytest.raises(IgniteError) as caught:
        call()
    message = str(caught.value)
    for name in names:
        assert name in message, message
    return caught.value


def test_huge_ints_are_encode_errors(cache: Any) -> None:
    _refused(lambda: cache.put(HUGE, 1), "bits")
    _refused(lambda: cache.put(1, -HUGE), "bits")
    _refused(lambda: cache.get(HUGE), "bits")
    _refused(lambda: cache.put_all({1: [HUGE]}), "bits")
    cache.put(1, 2)
    assert cache.get(1) == 2


def test_huge_ints_as_arguments_are_parameter_errors(any_client: Any, cache: Any) -> None:
    _refused(lambda: any_client.sql("select 1", page_size=HUGE), "page_size", "bits")
    _refused(lambda: cache.get_size(HUGE), "peek mode")
    assert list(any_client.sql("select 1")) == [[1]]


def test_lone_surrogates_in_names_and_text(any_client: Any) -> None:
    _refused(lambda: any_client.get_or_create_cache(SURROGATE), "cache name", "surrogate")
    _refused(lambda: any_client.get_cache(SURROGATE), "cache name")
    _refused(lambda: any_client.sql(f"select '{SURROGATE}'"), "query_str", "surrogate")
    _refused(lambda: any_client.sql("select 1", schema=SURROGATE), "schema", "surrogate")
    assert list(any_client.sql("select 1")) == [[1]]


def test_put_all_with_bad_items(cache: Any) -> None:
    _refused(lambda: cache.put_all([(1, 2), 3]), "pairs", "item 1")
    _refused(lambda: cache.put_all([(1, 2, 3)]), "pairs", "item 0")
    _refused(lambda: cache.put_all(None), "pairs")
    _refused(lambda: cache.put_all(5), "pairs")
    cache.put_all([(1, 2), [3, 4]])
    assert cache.get_all([1, 3]) == {1: 2, 3: 4}


def test_extra_sql_arguments_are_refused(any_client: Any) -> None:
    _refused(lambda: any_client.sql("select ?", query_args=[1, 2]), "2 query_args", "1")
    _refused(lambda: any_client.sql("select 1 -- ?", query_args=[1]), "query_args")
    _refused(lambda: any_client.sql("select '?'", query_args=[1]), "query_args")
    assert list(any_client.sql("select ?, ?", query_args=[1, "a"])) == [[1, "a"]]
    assert list(any_client.sql("select ? /* ? */, 'it''s ?'", query_args=[5])) == [[5, "it's ?"]]


@pytest.mark.parametrize("cls", [Client, AioClient])
def test_credentials_are_checked_without_showing_the_password(cls: Any) -> None:
    secret = "hunter2-very-secret"
    error = _refused(lambda: cls(username="ignite", password=secret + "\udc00"), "password")
    for shown in (str(error), repr(error), repr(error.args)):
        assert secret not in shown
    assert error.__cause__ is None
    assert error.__context__ is None  # a UnicodeEncodeError there would hold the password
    _refused(lambda: cls(username=SURROGATE, password="p"), "username")
    error = _refused(lambda: cls(password=secret), "without a username")
    assert secret not in str(error)
    _refused(lambda: cls(timeout=float("inf")), "timeout")
    _refused(lambda: cls(heartbeat_interval=float("inf")), "heartbeat_interval")
    assert isinstance(error, ParameterError)
