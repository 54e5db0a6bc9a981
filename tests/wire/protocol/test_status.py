"""Status codes and the exceptions they become (protocol notes, section 2)."""

from __future__ import annotations

import pytest

from ignite_wire._protocol.status import (
    StatusCode,
    error_class_for_status,
    make_status_error,
    status_name,
)
from ignite_wire.exceptions import (
    AuthenticationError,
    CacheCreationError,
    CacheDoesNotExistError,
    CacheError,
    ClusterError,
    IgniteError,
    NotSupportedByClusterError,
    QueryCacheDoesNotExistError,
    ServerError,
    SQLError,
    TransactionError,
)


def test_status_values_match_client_status() -> None:
    assert StatusCode.SUCCESS.value == 0
    assert StatusCode.FAILED.value == 1
    assert StatusCode.INVALID_OP_CODE.value == 2
    assert StatusCode.FUNCTIONALITY_DISABLED.value == 100
    assert StatusCode.CACHE_DOES_NOT_EXIST.value == 1000
    assert StatusCode.CACHE_EXISTS.value == 1001
    assert StatusCode.TOO_MANY_CURSORS.value == 1010
    assert StatusCode.RESOURCE_DOES_NOT_EXIST.value == 1011
    assert StatusCode.SECURITY_VIOLATION.value == 1012
    assert StatusCode.TX_LIMIT_EXCEEDED.value == 1020
    assert StatusCode.TX_NOT_FOUND.value == 1021
    assert StatusCode.TOO_MANY_COMPUTE_TASKS.value == 1030
    assert StatusCode.AUTH_FAILED.value == 2000


@pytest.mark.parametrize(
    ("status", "default", "expected"),
    [
        # generic failure: the operation decides
        (1, ServerError, ServerError),
        (1, CacheError, CacheError),
        (1, SQLError, SQLError),
        (1, TransactionError, TransactionError),
        (1, ClusterError, ClusterError),
        # specific codes win over a generic default
        (1000, CacheError, CacheDoesNotExistError),
        # ... by a query: both, since pyignite code catches SQLError for every query
        (1000, SQLError, QueryCacheDoesNotExistError),
        (1001, CacheError, CacheCreationError),
        (1010, CacheError, SQLError),
        (1011, ServerError, SQLError),
        (1020, CacheError, TransactionError),
        (1021, ServerError, TransactionError),
        (2000, ServerError, AuthenticationError),
        (2, CacheError, NotSupportedByClusterError),
        (100, ServerError, NotSupportedByClusterError),
        # codes without a class of their own, and unknown codes
        (1012, CacheError, CacheError),
        (1030, ServerError, ServerError),
        (10, ServerError, ServerError),
        (31337, SQLError, SQLError),
        (-5, CacheError, CacheError),
    ],
)
def test_error_class_for_status(
    status: int, default: type[IgniteError], expected: type[IgniteError]
) -> None:
    assert error_class_for_status(status, default) is expected
    error = make_status_error(status, "boom", default=default, op="CACHE_GET")
    assert type(error) is expected
    assert error.status == status
    assert error.op == "CACHE_GET"
    assert error.message == "boom"


def test_more_specific_default_is_kept() -> None:
    class TableExistsError(CacheCreationError):
        pass

    assert error_class_for_status(1001, TableExistsError) is TableExistsError


def test_message_and_context_in_text() -> None:
    error = make_status_error(1, "Table FOO not found", default=SQLError, op="QUERY_SQL_FIELDS")
    assert str(error) == "Table FOO not found [op=QUERY_SQL_FIELDS, status=1]"
    error = make_status_error(1000, None, default=CacheError, node="127.0.0.1:10800")
    assert "CACHE_DOES_NOT_EXIST" in str(error)
    assert error.node == "127.0.0.1:10800"


def test_auth_failure_on_a_response_keeps_the_op() -> None:
    error = make_status_error(2000, "denied", op="CACHE_PUT")
    assert isinstance(error, AuthenticationError)
    assert error.op == "CACHE_PUT"
    assert error.status == 2000


def test_status_name() -> None:
    assert status_name(1000) == "CACHE_DOES_NOT_EXIST"
    assert status_name(4242) == "STATUS_4242"
