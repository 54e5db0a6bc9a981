"""Operation codes of the Ignite 2.x thin-client protocol (protocol notes, section 2).

Every request frame carries one of these as its ``i16`` op code, and a notification frame
carries the code of the event it reports (2007, 6001).  The list is the server's full
dispatch table as of Ignite 2.17/2.18, including operations this client does not implement
yet: knowing every code lets logs and errors name any operation, and lets a test server
recognise requests it was not written for.

Several operations exist only behind a feature bit negotiated in the handshake (see
:mod:`.features`); the comments say which.  Sending such an op to a server that did not
agree to the bit gets status 2 (``INVALID_OP_CODE``) or a malformed-request failure.

``OpCode.name`` is what errors and logs report as ``op``; :func:`op_name` also accepts
codes that are not in this table (a newer server, a notification we do not know).
"""

from __future__ import annotations

import types
from enum import IntEnum

__all__ = ["NOTIFICATION_OPS", "OP", "OpCode", "op_name"]


class OpCode(IntEnum):
    """Op codes, grouped as the server groups them."""

    # -- general ----------------------------------------------------------------------------
    RESOURCE_CLOSE = 0  # i64 resource id: closes a cursor, continuous query, ...
    HEARTBEAT = 1  # feature bit 11, empty request and response
    GET_IDLE_TIMEOUT = 2  # -> i64 ms

    # -- key-value --------------------------------------------------------------------------
    CACHE_GET = 1000
    CACHE_PUT = 1001
    CACHE_PUT_IF_ABSENT = 1002
    CACHE_GET_ALL = 1003
    CACHE_PUT_ALL = 1004
    CACHE_GET_AND_PUT = 1005
    CACHE_GET_AND_REPLACE = 1006
    CACHE_GET_AND_REMOVE = 1007
    CACHE_GET_AND_PUT_IF_ABSENT = 1008
    CACHE_REPLACE = 1009
    CACHE_REPLACE_IF_EQUALS = 1010
    CACHE_CONTAINS_KEY = 1011
    CACHE_CONTAINS_KEYS = 1012
    CACHE_CLEAR = 1013
    CACHE_CLEAR_KEY = 1014
    CACHE_CLEAR_KEYS = 1015
    CACHE_REMOVE_KEY = 1016
    CACHE_REMOVE_IF_EQUALS = 1017
    CACHE_REMOVE_KEYS = 1018
    CACHE_REMOVE_ALL = 1019
    CACHE_GET_SIZE = 1020
    CACHE_LOCAL_PEEK = 1021
    CACHE_PUT_ALL_CONFLICT = 1022  # feature bit 12
    CACHE_REMOVE_ALL_CONFLICT = 1023  # feature bit 12
    CACHE_INVOKE = 1024  # feature bit 17
    CACHE_INVOKE_ALL = 1025  # feature bit 17

    # -- cache management -------------------------------------------------------------------
    CACHE_GET_NAMES = 1050
    CACHE_CREATE_WITH_NAME = 1051
    CACHE_GET_OR_CREATE_WITH_NAME = 1052
    CACHE_CREATE_WITH_CONFIGURATION = 1053
    CACHE_GET_OR_CREATE_WITH_CONFIGURATION = 1054
    CACHE_GET_CONFIGURATION = 1055
    CACHE_DESTROY = 1056

    # -- affinity ---------------------------------------------------------------------------
    CACHE_NODE_PARTITIONS = 1100  # deprecated since protocol 1.3.0
    CACHE_PARTITIONS = 1101

    # -- queries ----------------------------------------------------------------------------
    QUERY_SCAN = 2000
    QUERY_SCAN_CURSOR_GET_PAGE = 2001
    QUERY_SQL = 2002
    QUERY_SQL_CURSOR_GET_PAGE = 2003
    QUERY_SQL_FIELDS = 2004
    QUERY_SQL_FIELDS_CURSOR_GET_PAGE = 2005
    QUERY_CONTINUOUS = 2006
    QUERY_CONTINUOUS_EVENT_NOTIFICATION = 2007  # server -> client notification only
    QUERY_INDEX = 2008  # feature bit 14
    QUERY_INDEX_CURSOR_GET_PAGE = 2009

    # -- binary types -----------------------------------------------------------------------
    BINARY_TYPE_NAME_GET = 3000
    BINARY_TYPE_NAME_PUT = 3001
    BINARY_TYPE_GET = 3002
    BINARY_TYPE_PUT = 3003
    BINARY_CONFIGURATION_GET = 3004  # feature bit 8

    # -- transactions (protocol >= 1.5.0) ---------------------------------------------------
    TX_START = 4000
    TX_END = 4001

    # -- cluster ----------------------------------------------------------------------------
    CLUSTER_GET_STATE = 5000
    CLUSTER_CHANGE_STATE = 5001
    CLUSTER_CHANGE_WAL_STATE = 5002
    CLUSTER_GET_WAL_STATE = 5003
    CLUSTER_GROUP_GET_NODE_IDS = 5100  # feature bit 4
    CLUSTER_GROUP_GET_NODE_INFO = 5101  # feature bit 4
    CLUSTER_GROUP_GET_NODE_ENDPOINTS = 5102  # feature bit 3

    # -- compute and services ---------------------------------------------------------------
    COMPUTE_TASK_EXECUTE = 6000  # feature bit 1
    COMPUTE_TASK_FINISHED = 6001  # server -> client notification only
    SERVICE_INVOKE = 7000  # feature bit 5
    SERVICE_GET_DESCRIPTORS = 7001  # feature bit 9
    SERVICE_GET_DESCRIPTOR = 7002  # feature bit 9
    SERVICE_GET_TOPOLOGY = 7003  # feature bit 16

    # -- data streamer ----------------------------------------------------------------------
    DATA_STREAMER_START = 8000
    DATA_STREAMER_ADD_DATA = 8001

    # -- data structures: AtomicLong --------------------------------------------------------
    ATOMIC_LONG_CREATE = 9000
    ATOMIC_LONG_REMOVE = 9001
    ATOMIC_LONG_EXISTS = 9002
    ATOMIC_LONG_VALUE_GET = 9003
    ATOMIC_LONG_VALUE_ADD_AND_GET = 9004
    ATOMIC_LONG_VALUE_GET_AND_SET = 9005
    ATOMIC_LONG_VALUE_COMPARE_AND_SET = 9006
    ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET = 9007

    # -- data structures: IgniteSet ---------------------------------------------------------
    SET_GET_OR_CREATE = 9010
    SET_CLOSE = 9011
    SET_EXISTS = 9012
    SET_VALUE_ADD = 9013
    SET_VALUE_ADD_ALL = 9014
    SET_VALUE_REMOVE = 9015
    SET_VALUE_REMOVE_ALL = 9016
    SET_VALUE_CONTAINS = 9017
    SET_VALUE_CONTAINS_ALL = 9018
    SET_VALUE_RETAIN_ALL = 9019
    SET_SIZE = 9020
    SET_CLEAR = 9021
    SET_ITERATOR_START = 9022
    SET_ITERATOR_GET_PAGE = 9023


#: Op codes that only ever arrive in server-to-client notification frames.
NOTIFICATION_OPS: frozenset[OpCode] = frozenset(
    {OpCode.QUERY_CONTINUOUS_EVENT_NOTIFICATION, OpCode.COMPUTE_TASK_FINISHED}
)

_NAMES: dict[int, str] = {op.value: op.name for op in OpCode}

#: The same codes as plain ints (``OP.CACHE_GET == OpCode.CACHE_GET``), for the calls
#: made once per operation (the cache handle's): reading an ``IntEnum`` member costs
#: 0.3 us through the enum's class, and a member packs into a frame 0.2 us slower than an
#: int (issue 12).  Every table keyed by op code finds either.
OP = types.SimpleNamespace(**{op.name: op.value for op in OpCode})


def op_name(op: int) -> str:
    """The name errors and logs use for ``op``: the enum name, or ``"OP_<n>"`` if unknown."""
    name = _NAMES.get(op)
    return name if name is not None else f"OP_{op}"
