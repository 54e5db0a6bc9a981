"""The cache-configuration codec (reference section 4), checked against an independent oracle.

``FakeServer`` below plays the server's side with its own tables, written from the
reference rather than from the codec: it reads the property-coded create request (ops
1053/1054) the way ``ClientCacheConfigurationSerializer.read`` does and answers
GET_CONFIGURATION (op 1055) in the fixed order of its ``write``.  A configuration that
goes through ``encode -> FakeServer -> decode`` must come back equal to what was set.
"""

from __future__ import annotations

import contextlib
import struct
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ignite_wire._protocol.cache_config import decode_cache_config, encode_cache_config
from ignite_wire._protocol.cache_props import CacheProperty
from ignite_wire._protocol.codec import NeedBinaryType, decode_value, encode_value
from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.features import (
    SUPPORTED_VERSIONS,
    V1_1_0,
    V1_2_0,
    V1_5_0,
    V1_6_0,
    V1_7_0,
    ProtocolVersion,
)
from ignite_wire.datatypes import prop_codes
from ignite_wire.datatypes.cache_config import (
    CacheAtomicityMode,
    CacheMode,
    IndexType,
    PartitionLossPolicy,
    RebalanceMode,
    WriteSynchronizationMode,
)
from ignite_wire.datatypes.expiry_policy import ExpiryPolicy
from ignite_wire.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER,
    PROP_CACHE_ATOMICITY_MODE,
    PROP_CACHE_KEY_CONFIGURATION,
    PROP_CACHE_MODE,
    PROP_COPY_ON_READ,
    PROP_DATA_REGION_NAME,
    PROP_DEFAULT_LOCK_TIMEOUT,
    PROP_EXPIRY_POLICY,
    PROP_NAME,
    PROP_QUERY_ENTITIES,
    PROP_QUERY_PARALLELISM,
    PROP_READ_FROM_BACKUP,
    PROP_REBALANCE_DELAY,
    PROP_SQL_SCHEMA,
)
from ignite_wire.exceptions import (
    EncodeError,
    NotSupportedByClusterError,
    ParameterError,
    ParseError,
)


def h(text: str) -> bytes:
    return bytes.fromhex("".join(text.split()))


def framed(body_hex: str) -> bytes:
    """``i32 length`` + body, the length being the bytes after it."""
    body = h(body_hex)
    return struct.pack("<i", len(body)) + body


def encode(cfg: dict[Any, Any], version: ProtocolVersion = V1_7_0) -> bytes:
    return encode_cache_config(cfg, version, CodecContext())


# -- the oracle -----------------------------------------------------------------------------

STR, I32, I64, BOOL, ENTITIES, KEYS, EXPIRY = "str", "i32", "i64", "bool", "qe", "keys", "exp"

#: code -> value kind, as in the reference's table (section 4)
KIND = {
    0: STR, 1: I32, 2: I32, 3: I32, 4: I32, 5: BOOL, 6: BOOL,
    100: STR, 101: BOOL,
    200: ENTITIES, 201: I32, 202: I32, 203: STR, 204: I32, 205: BOOL, 206: I32,
    300: I32, 301: I64, 302: I64, 303: I32, 304: I64, 305: I32, 306: I64,
    400: STR, 401: KEYS, 402: I64, 403: I32, 404: I32, 405: BOOL, 406: BOOL, 407: EXPIRY,
}  # fmt: skip

#: GET_CONFIGURATION's order, from the reference (expiry policy follows from 1.6.0)
ORDER = [2, 3, 1, 5, 100, 405, 406, 400, 402, 403, 206, 0, 101, 404, 202, 201, 6,
         303, 304, 301, 300, 305, 306, 302, 205, 204, 203, 4, 401, 200]  # fmt: skip

#: what the fake server holds for properties nobody set (Ignite's defaults, roughly)
DEFAULTS: dict[int, Any] = {
    0: None, 1: 2, 2: 1, 3: 0, 4: 2, 5: True, 6: True, 100: None, 101: False,
    200: [], 201: 1, 202: 0, 203: None, 204: -1, 205: False, 206: 1024,
    300: 1, 301: 0, 302: 10000, 303: 524288, 304: 3, 305: 0, 306: 0,
    400: None, 401: [], 402: 0, 403: 500, 404: 4, 405: True, 406: False, 407: None,
}  # fmt: skip


class Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> Any:
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return value

    def text(self) -> str | None:
        code = self.take("<b")
        if code == 101:
            return None
        assert code == 9
        n = self.take("<i")
        self.pos += n
        return self.data[self.pos - n : self.pos].decode()

    def raw_object(self) -> bytes:
        start = self.pos
        _, self.pos = decode_value(self.data, start, CodecContext())
        return self.data[start : self.pos]


class Writer:
    def __init__(self) -> None:
        self.out = bytearray()

    def put(self, fmt: str, value: Any) -> None:
        self.out += struct.pack(fmt, value)

    def text(self, value: str | None) -> None:
        if value is None:
            self.out.append(101)
        else:
            data = value.encode()
            self.put("<b", 9)
            self.put("<i", len(data))
            self.out += data


class FakeServer:
    """One cache's configuration, as a server stores and reports it."""

    def __init__(self, version: ProtocolVersion) -> None:
        self.version = version
        self.state = dict(DEFAULTS)

    @property
    def precision(self) -> bool:
        return self.version >= V1_2_0

    def create(self, request: bytes) -> None:
        c = Cursor(request)
        assert c.take("<i") == len(request) - 4
        for _ in range(c.take("<h")):
            code = c.take("<h")
            self.state[code] = self._read(c, KIND[code])
        assert c.pos == len(request), "trailing bytes after the last property"

    def get_configuration(self) -> bytes:
        w = Writer()
        for code in ORDER:
            self._write(w, KIND[code], self.state[code])
        if self.version >= V1_6_0:
            self._write(w, EXPIRY, self.state[407])
        return struct.pack("<i", len(w.out)) + bytes(w.out)

    def _read(self, c: Cursor, kind: str) -> Any:
        if kind == STR:
            return c.text()
        if kind in (I32, I64, BOOL):
            return c.take({I32: "<i", I64: "<q", BOOL: "<?"}[kind])
        if kind == KEYS:
            return [(c.text(), c.text()) for _ in range(c.take("<i"))]
        if kind == EXPIRY:
            return (c.take("<q"), c.take("<q"), c.take("<q")) if c.take("<?") else None
        entities = []
        for _ in range(c.take("<i")):
            names = [c.text() for _ in range(5)]
            fields = []
            for _ in range(c.take("<i")):
                field = [c.text(), c.text(), c.take("<?"), c.take("<?"), c.raw_object()]
                field += [c.take("<i"), c.take("<i")] if self.precision else [-1, -1]
                fields.append(field)
            aliases = [(c.text(), c.text()) for _ in range(c.take("<i"))]
            indexes = []
            for _ in range(c.take("<i")):
                name, kind_, inline = c.text(), c.take("<b"), c.take("<i")
                idx_fields = [(c.text(), c.take("<?")) for _ in range(c.take("<i"))]
                indexes.append((name, kind_, inline, idx_fields))
            entities.append((names, fields, aliases, indexes))
        return entities

    def _write(self, w: Writer, kind: str, value: Any) -> None:
        if kind == STR:
            w.text(value)
        elif kind in (I32, I64, BOOL):
            w.put({I32: "<i", I64: "<q", BOOL: "<?"}[kind], value)
        elif kind == KEYS:
            w.put("<i", len(value))
            for type_name, field in value:
                w.text(type_name)
                w.text(field)
        elif kind == EXPIRY:
            w.put("<?", value is not None)
            if value is not None:
                w.out += struct.pack("<qqq", *value)
        else:
            w.put("<i", len(value))
            for names, fields, aliases, indexes in value:
                for name in names:
                    w.text(name)
                w.put("<i", len(fields))
                for name, type_name, is_key, not_null, default, precision, scale in fields:
                    w.text(name)
                    w.text(type_name)
                    w.put("<?", is_key)
                    w.put("<?", not_null)
                    w.out += default
                    if self.precision:
                        w.put("<i", precision)
                        w.put("<i", scale)
                w.put("<i", len(aliases))
                for field_name, alias in aliases:
                    w.text(field_name)
                    w.text(alias)
                w.put("<i", len(indexes))
                for name, kind_, inline, idx_fields in indexes:
                    w.text(name)
                    w.put("<b", kind_)
                    w.put("<i", inline)
                    w.put("<i", len(idx_fields))
                    for field_name, descending in idx_fields:
                        w.text(field_name)
                        w.put("<?", descending)


def round_trip(cfg: dict[Any, Any], version: ProtocolVersion) -> dict[int, Any]:
    server = FakeServer(version)
    server.create(encode(cfg, version))
    body = server.get_configuration()
    decoded, end = decode_cache_config(body, 0, version, CodecContext())
    assert end == len(body)
    return decoded


# -- golden bytes -------------------------------------------------------------------------------


def test_golden_small_config() -> None:
    cfg = {
        PROP_NAME: "c",
        PROP_CACHE_MODE: CacheMode.PARTITIONED,
        PROP_BACKUPS_NUMBER: 1,
        PROP_READ_FROM_BACKUP: False,
        PROP_REBALANCE_DELAY: 5,
    }
    expected = h(
        """
        23000000 0500
        0000 09 01000000 63
        0100 02000000
        0300 01000000
        0600 00
        2d01 0500000000000000
        """
    )
    assert encode(cfg) == expected


def test_properties_go_in_the_callers_order_and_ints_equal_enums() -> None:
    a = encode({PROP_CACHE_MODE: 1, PROP_NAME: "c", PROP_COPY_ON_READ: 1})
    b = encode({PROP_CACHE_MODE: CacheMode.REPLICATED, PROP_NAME: "c", PROP_COPY_ON_READ: True})
    assert a == b == framed("0300 0100 01000000 0000 09 01000000 63 0500 01")


def test_optional_strings_may_be_null() -> None:
    assert encode({PROP_NAME: "c", PROP_SQL_SCHEMA: None}) == framed(
        "0200 0000 09 01000000 63 cb00 65"
    )


ENTITY = {
    "key_type_name": "K",
    "value_type_name": "V",
    "table_name": "T",
    "key_field_name": None,
    "value_field_name": None,
    "query_fields": [
        {
            "name": "a",
            "type_name": "java.lang.Integer",
            "is_key_field": True,
            "is_notnull_constraint_field": False,
            "default_value": 7,
            "precision": 10,
            "scale": 2,
        }
    ],
    "field_name_aliases": [{"field_name": "a", "alias": "b"}],
    "query_indexes": [
        {
            "index_name": "i",
            "index_type": IndexType.SORTED,
            "inline_size": 8,
            "fields": [{"name": "a", "is_descending": True}],
        }
    ],
}

INTEGER = "09 11000000" + b"java.lang.Integer".hex()
ENTITY_HEAD = "09 01000000 4b  09 01000000 56  09 01000000 54  65 65"
ENTITY_TAIL = """
    01000000 09 01000000 61 09 01000000 62
    01000000 09 01000000 69 00 08000000 01000000 09 01000000 61 01
"""


def test_golden_query_entity() -> None:
    # The default 7 is an int (03), not a long: the field's Java type says Integer.
    expected = framed(
        f"""
        0200 0000 09 01000000 71
        c800 01000000 {ENTITY_HEAD}
        01000000 09 01000000 61 {INTEGER} 01 00 03 07000000 0a000000 02000000
        {ENTITY_TAIL}
        """
    )
    assert encode({PROP_NAME: "q", PROP_QUERY_ENTITIES: [ENTITY]}) == expected


def test_golden_query_entity_before_1_2_has_no_precision_or_scale() -> None:
    field = {"name": "a", "type_name": "java.lang.Integer", "is_key_field": True}
    entity = {**ENTITY, "query_fields": [{**field, "default_value": 7}]}
    expected = framed(
        f"""
        0200 0000 09 01000000 71
        c800 01000000 {ENTITY_HEAD}
        01000000 09 01000000 61 {INTEGER} 01 00 03 07000000
        {ENTITY_TAIL}
        """
    )
    assert encode({PROP_NAME: "q", PROP_QUERY_ENTITIES: [entity]}, V1_1_0) == expected


def test_query_entity_defaults_for_missing_keys() -> None:
    entity = {"table_name": "T", "query_fields": [{"name": "a", "type_name": "X"}]}
    expected = framed(
        """
        0200 0000 09 01000000 71
        c800 01000000 65 65 09 01000000 54 65 65
        01000000 09 01000000 61 09 01000000 58 00 00 65 ffffffff ffffffff
        00000000 00000000
        """
    )
    assert encode({PROP_NAME: "q", PROP_QUERY_ENTITIES: [entity]}) == expected
    index = {"fields": [{"name": "a"}]}
    assert encode({PROP_NAME: "q", PROP_QUERY_ENTITIES: [{"query_indexes": [index]}]}) == framed(
        """
        0200 0000 09 01000000 71
        c800 01000000 65 65 65 65 65 00000000 00000000
        01000000 65 00 ffffffff 01000000 09 01000000 61 00
        """
    )


def test_golden_key_configuration() -> None:
    cfg = {
        PROP_NAME: "c",
        PROP_CACHE_KEY_CONFIGURATION: [{"type_name": "P", "affinity_key_field_name": "k"}],
    }
    assert encode(cfg) == framed(
        "0200 0000 09 01000000 63 9101 01000000 09 01000000 50 09 01000000 6b"
    )


def test_golden_expiry_policy() -> None:
    cfg = {PROP_NAME: "c", PROP_EXPIRY_POLICY: ExpiryPolicy(create=timedelta(seconds=1), update=-1)}
    expected = framed(
        "0200 0000 09 01000000 63 9701 01 e803000000000000 ffffffffffffffff feffffffffffffff"
    )
    assert encode(cfg) == expected
    # pyignite's ExpiryPolicy (-2 = unchanged, timedelta allowed) encodes by its attributes
    duck = SimpleNamespace(create=timedelta(seconds=1), update=-1, access=-2)
    assert encode({PROP_NAME: "c", PROP_EXPIRY_POLICY: duck}) == expected
    assert encode({PROP_NAME: "c", PROP_EXPIRY_POLICY: None}) == framed(
        "0200 0000 09 01000000 63 9701 00"
    )


# -- what the negotiated version can carry ------------------------------------------------------


@pytest.mark.parametrize("version", [V1_1_0, V1_5_0])
def test_expiry_policy_needs_1_6(version: ProtocolVersion) -> None:
    with pytest.raises(NotSupportedByClusterError, match="PROP_EXPIRY_POLICY"):
        encode({PROP_NAME: "c", PROP_EXPIRY_POLICY: ExpiryPolicy(create=1)}, version)
    # "no policy" is what an old server has anyway: left out, not an error
    assert encode({PROP_NAME: "c", PROP_EXPIRY_POLICY: None}, version) == encode(
        {PROP_NAME: "c"}, version
    )


def test_precision_needs_1_2() -> None:
    field = {"name": "a", "type_name": "java.math.BigDecimal", "precision": 10}
    cfg = {PROP_NAME: "q", PROP_QUERY_ENTITIES: [{"query_fields": [field]}]}
    with pytest.raises(NotSupportedByClusterError, match="precision"):
        encode(cfg, V1_1_0)
    encode(cfg, V1_2_0)


# -- bad input -------------------------------------------------------------------------------------

FIELD = {"name": "a", "type_name": "java.lang.Integer"}


def entities(**entity: Any) -> dict[Any, Any]:
    return {PROP_NAME: "c", PROP_QUERY_ENTITIES: [entity]}


BAD_VALUES: list[tuple[dict[Any, Any], str]] = [
    ({PROP_NAME: None}, "PROP_NAME"),
    ({PROP_NAME: 5}, "PROP_NAME"),
    ({PROP_NAME: "\ud800"}, "PROP_NAME"),
    ({PROP_NAME: "c", PROP_BACKUPS_NUMBER: -1}, "PROP_BACKUPS_NUMBER"),
    ({PROP_NAME: "c", PROP_BACKUPS_NUMBER: 1 << 31}, "PROP_BACKUPS_NUMBER"),
    ({PROP_NAME: "c", PROP_BACKUPS_NUMBER: 1.0}, "PROP_BACKUPS_NUMBER"),
    ({PROP_NAME: "c", PROP_BACKUPS_NUMBER: True}, "PROP_BACKUPS_NUMBER"),
    ({PROP_NAME: "c", PROP_QUERY_PARALLELISM: -(1 << 31) - 1}, "PROP_QUERY_PARALLELISM"),
    ({PROP_NAME: "c", PROP_REBALANCE_DELAY: 1 << 63}, "PROP_REBALANCE_DELAY"),
    ({PROP_NAME: "c", PROP_DEFAULT_LOCK_TIMEOUT: -1}, "PROP_DEFAULT_LOCK_TIMEOUT"),
    ({PROP_NAME: "c", PROP_CACHE_MODE: 7}, "PROP_CACHE_MODE"),
    ({PROP_NAME: "c", PROP_CACHE_MODE: "PARTITIONED"}, "PROP_CACHE_MODE"),
    ({PROP_NAME: "c", PROP_CACHE_MODE: CacheAtomicityMode.ATOMIC}, "PROP_CACHE_MODE"),
    ({PROP_NAME: "c", PROP_CACHE_ATOMICITY_MODE: None}, "PROP_CACHE_ATOMICITY_MODE"),
    ({PROP_NAME: "c", PROP_COPY_ON_READ: 2}, "PROP_COPY_ON_READ"),
    ({PROP_NAME: "c", PROP_COPY_ON_READ: "yes"}, "PROP_COPY_ON_READ"),
    ({PROP_NAME: "c", PROP_DATA_REGION_NAME: 5}, "PROP_DATA_REGION_NAME"),
    ({PROP_NAME: "c", PROP_QUERY_ENTITIES: {"table_name": "T"}}, "PROP_QUERY_ENTITIES"),
    ({PROP_NAME: "c", PROP_QUERY_ENTITIES: ["T"]}, "PROP_QUERY_ENTITIES[0]"),
    (entities(table="T"), "PROP_QUERY_ENTITIES[0]"),
    (entities(table_name=1), "PROP_QUERY_ENTITIES[0]['table_name']"),
    (entities(query_fields=[{"type_name": "x"}]), "PROP_QUERY_ENTITIES[0]['query_fields'][0]"),
    (
        entities(query_fields=[{**FIELD, "is_key": True}]),
        "PROP_QUERY_ENTITIES[0]['query_fields'][0]",
    ),
    (
        entities(query_fields=[FIELD, {**FIELD, "is_key_field": "no"}]),
        "PROP_QUERY_ENTITIES[0]['query_fields'][1]['is_key_field']",
    ),
    (
        entities(query_fields=[{**FIELD, "default_value": "seven"}]),
        "PROP_QUERY_ENTITIES[0]['query_fields'][0]['default_value']",
    ),
    (
        entities(query_fields=[{**FIELD, "default_value": 1 << 40}]),
        "PROP_QUERY_ENTITIES[0]['query_fields'][0]['default_value']",
    ),
    (
        entities(query_fields=[{**FIELD, "precision": -2}]),
        "PROP_QUERY_ENTITIES[0]['query_fields'][0]['precision']",
    ),
    (
        entities(field_name_aliases=[{"field_name": "a"}]),
        "PROP_QUERY_ENTITIES[0]['field_name_aliases'][0]",
    ),
    (
        entities(query_indexes=[{"index_type": 9}]),
        "PROP_QUERY_ENTITIES[0]['query_indexes'][0]['index_type']",
    ),
    (
        entities(query_indexes=[{"inline_size": "x"}]),
        "PROP_QUERY_ENTITIES[0]['query_indexes'][0]['inline_size']",
    ),
    (
        entities(query_indexes=[{"fields": [{"is_descending": True}]}]),
        "PROP_QUERY_ENTITIES[0]['query_indexes'][0]['fields'][0]",
    ),
    (
        {PROP_NAME: "c", PROP_CACHE_KEY_CONFIGURATION: [{"type_name": "P"}]},
        "PROP_CACHE_KEY_CONFIGURATION[0]['affinity_key_field_name']",
    ),
    (
        {PROP_NAME: "c", PROP_CACHE_KEY_CONFIGURATION: [{"type": "P"}]},
        "PROP_CACHE_KEY_CONFIGURATION[0]",
    ),
    ({PROP_NAME: "c", PROP_EXPIRY_POLICY: {"create": 1}}, "PROP_EXPIRY_POLICY"),
    (
        {PROP_NAME: "c", PROP_EXPIRY_POLICY: SimpleNamespace(create=-5, update=1, access=1)},
        "PROP_EXPIRY_POLICY.create",
    ),
    (
        {PROP_NAME: "c", PROP_EXPIRY_POLICY: SimpleNamespace(create=1, update=1, access=1.5)},
        "PROP_EXPIRY_POLICY.access",
    ),
]


@pytest.mark.parametrize(("cfg", "path"), BAD_VALUES)
def test_bad_values_name_the_property(cfg: dict[Any, Any], path: str) -> None:
    with pytest.raises(EncodeError) as info:
        encode(cfg)
    assert info.value.path == path
    assert path in str(info.value)


@pytest.mark.parametrize(
    ("cfg", "needle"),
    [
        ({PROP_NAME: "c", 999: 1}, "999"),
        ({PROP_NAME: "c", -1: 1}, "-1"),
        ({PROP_NAME: "c", "backups": 1}, "'backups'"),
        ({PROP_NAME: "c", True: 1}, "True"),
        ({PROP_BACKUPS_NUMBER: 1}, "PROP_NAME"),
        ({}, "PROP_NAME"),
    ],
)
def test_unknown_property_or_missing_name(cfg: dict[Any, Any], needle: str) -> None:
    with pytest.raises(ParameterError) as info:
        encode(cfg)
    assert needle in str(info.value)


def test_settings_must_be_a_mapping() -> None:
    with pytest.raises(ParameterError):
        encode_cache_config([(0, "c")], V1_7_0, CodecContext())  # type: ignore[arg-type]


# -- decoding -------------------------------------------------------------------------------

FULL: dict[Any, Any] = {
    PROP_NAME: "full",
    PROP_CACHE_MODE: CacheMode.REPLICATED,
    PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL,
    PROP_BACKUPS_NUMBER: 3,
    prop_codes.PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
    PROP_COPY_ON_READ: False,
    PROP_READ_FROM_BACKUP: False,
    PROP_DATA_REGION_NAME: "region",
    prop_codes.PROP_IS_ONHEAP_CACHE_ENABLED: True,
    PROP_QUERY_ENTITIES: [ENTITY],
    PROP_QUERY_PARALLELISM: 4,
    prop_codes.PROP_QUERY_DETAIL_METRIC_SIZE: 5,
    PROP_SQL_SCHEMA: "S",
    prop_codes.PROP_SQL_INDEX_INLINE_MAX_SIZE: 64,
    prop_codes.PROP_SQL_ESCAPE_ALL: True,
    prop_codes.PROP_MAX_QUERY_ITERATORS: 7,
    prop_codes.PROP_REBALANCE_MODE: RebalanceMode.NONE,
    PROP_REBALANCE_DELAY: 1 << 40,
    prop_codes.PROP_REBALANCE_TIMEOUT: 9,
    prop_codes.PROP_REBALANCE_BATCH_SIZE: 10,
    prop_codes.PROP_REBALANCE_BATCHES_PREFETCH_COUNT: 11,
    prop_codes.PROP_REBALANCE_ORDER: -12,
    prop_codes.PROP_REBALANCE_THROTTLE: 13,
    prop_codes.PROP_GROUP_NAME: "g",
    PROP_CACHE_KEY_CONFIGURATION: [{"type_name": "P", "affinity_key_field_name": "k"}],
    PROP_DEFAULT_LOCK_TIMEOUT: 14,
    prop_codes.PROP_MAX_CONCURRENT_ASYNC_OPERATIONS: 15,
    prop_codes.PROP_PARTITION_LOSS_POLICY: PartitionLossPolicy.READ_WRITE_SAFE,
    prop_codes.PROP_EAGER_TTL: False,
    prop_codes.PROP_STATISTICS_ENABLED: True,
    PROP_EXPIRY_POLICY: ExpiryPolicy(create=1, update=2, access=timedelta(minutes=1)),
}


def test_full_round_trip() -> None:
    decoded = round_trip(FULL, V1_7_0)
    assert decoded == FULL
    assert list(decoded) == sorted(decoded)
    assert all(type(k) is CacheProperty for k in decoded)
    assert type(decoded[PROP_CACHE_MODE]) is CacheMode
    assert type(decoded[PROP_QUERY_ENTITIES][0]["query_indexes"][0]["index_type"]) is IndexType
    # what was read back can create a cache again
    assert encode(decoded) == encode(FULL)


def test_round_trip_fills_defaults_of_partial_entities() -> None:
    cfg = {PROP_NAME: "q", PROP_QUERY_ENTITIES: [{"query_fields": [FIELD]}]}
    (entity,) = round_trip(cfg, V1_7_0)[PROP_QUERY_ENTITIES]
    assert entity == {
        "key_type_name": None,
        "value_type_name": None,
        "table_name": None,
        "key_field_name": None,
        "value_field_name": None,
        "query_fields": [
            {
                **FIELD,
                "is_key_field": False,
                "is_notnull_constraint_field": False,
                "default_value": None,
                "precision": -1,
                "scale": -1,
            }
        ],
        "field_name_aliases": [],
        "query_indexes": [],
    }


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_fields_present_per_version(version: ProtocolVersion) -> None:
    cfg = {k: v for k, v in FULL.items() if k != PROP_EXPIRY_POLICY}
    field = {**ENTITY["query_fields"][0], "precision": -1, "scale": -1}  # type: ignore[index]
    cfg[PROP_QUERY_ENTITIES] = [{**ENTITY, "query_fields": [field]}]
    decoded = round_trip(cfg, version)
    assert (PROP_EXPIRY_POLICY in decoded) == (version >= V1_6_0)
    assert {k: v for k, v in decoded.items() if k != PROP_EXPIRY_POLICY} == cfg
    if version >= V1_6_0:
        assert decoded[PROP_EXPIRY_POLICY] is None


def response(version: ProtocolVersion = V1_7_0, **changes: Any) -> bytes:
    server = FakeServer(version)
    server.state[0] = "c"
    server.state.update({int(k[1:]): v for k, v in changes.items()})
    return server.get_configuration()


def test_unknown_enum_codes_are_kept_as_ints() -> None:
    decoded, _ = decode_cache_config(response(_1=9, _404=-3), 0, V1_7_0, CodecContext())
    assert decoded[PROP_CACHE_MODE] == 9
    assert type(decoded[PROP_CACHE_MODE]) is int
    assert decoded[prop_codes.PROP_PARTITION_LOSS_POLICY] == -3


def test_decoding_starts_at_pos_and_skips_fields_a_newer_server_appends() -> None:
    body = response()
    extended = struct.pack("<i", len(body) - 4 + 3) + body[4:] + b"\x01\x02\x03"
    data = b"\xaa\xbb" + extended + b"\xcc"
    decoded, end = decode_cache_config(data, 2, V1_7_0, CodecContext())
    assert end == len(data) - 1
    assert decoded == decode_cache_config(body, 0, V1_7_0, CodecContext())[0]


def test_fields_running_past_the_length_are_an_error() -> None:
    body = response()
    short = struct.pack("<i", len(body) - 5) + body[4:]
    with pytest.raises(ParseError) as info:
        decode_cache_config(short, 0, V1_7_0, CodecContext())
    assert info.value.offset is not None


@pytest.mark.parametrize("length", [-1, 1 << 30])
def test_impossible_length(length: int) -> None:
    body = response()
    with pytest.raises(ParseError) as info:
        decode_cache_config(struct.pack("<i", length) + body[4:], 0, V1_7_0, CodecContext())
    assert info.value.offset == 0


def test_invalid_expiry_durations_are_a_parse_error() -> None:
    with pytest.raises(ParseError, match="expiry"):
        decode_cache_config(response(_407=(-5, 0, 0)), 0, V1_7_0, CodecContext())


def test_expiry_sentinels_read_back() -> None:
    decoded, _ = decode_cache_config(response(_407=(-2, -1, 0)), 0, V1_7_0, CodecContext())
    assert decoded[PROP_EXPIRY_POLICY] == ExpiryPolicy(create=None, update=-1, access=0)


def test_default_value_of_an_unknown_binary_type_asks_for_the_type() -> None:
    from collections import OrderedDict

    from ignite_wire import datatypes as dt
    from ignite_wire.binary import GenericObjectMeta

    class Point(
        metaclass=GenericObjectMeta, type_name="CfgPoint", schema=OrderedDict(x=dt.IntObject)
    ):
        pass

    default = encode_value(Point(x=1), ctx=CodecContext())
    body = response(
        _200=[(["K", "V", "T", None, None], [["p", "CfgPoint", 0, 0, default, -1, -1]], [], [])]
    )
    with pytest.raises(NeedBinaryType):
        decode_cache_config(body, 0, V1_7_0, CodecContext())
    ctx = CodecContext()
    ctx.registry.add_type(Point.binary_type)
    decoded, _ = decode_cache_config(body, 0, V1_7_0, ctx)
    assert decoded[PROP_QUERY_ENTITIES][0]["query_fields"][0]["default_value"] == Point(x=1)


# -- properties ----------------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
OPT_TEXT = st.none() | TEXT
INT32 = st.integers(-(1 << 31), (1 << 31) - 1)
INT64 = st.integers(-(1 << 63), (1 << 63) - 1)
FLAG = st.booleans() | st.sampled_from([0, 1])
SIZE = st.integers(-1, (1 << 31) - 1)
DURATION = (
    st.none()
    | st.integers(-2, 1 << 62)
    | st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10_000))
)


def enum(cls: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(cls)) | st.sampled_from([int(m) for m in cls])


def query_field(with_precision: bool) -> st.SearchStrategy[dict[str, Any]]:
    default = st.one_of(
        st.tuples(st.just("java.lang.Integer"), st.none() | INT32),
        st.tuples(st.just("java.lang.String"), OPT_TEXT),
        st.tuples(TEXT, st.none()),
    )
    size = SIZE if with_precision else st.just(-1)
    return st.builds(
        lambda name, td, key, nn, p, s: {
            "name": name,
            "type_name": td[0],
            "is_key_field": key,
            "is_notnull_constraint_field": nn,
            "default_value": td[1],
            "precision": p,
            "scale": s,
        },
        TEXT,
        default,
        FLAG,
        FLAG,
        size,
        size,
    )


def query_entity(with_precision: bool) -> st.SearchStrategy[dict[str, Any]]:
    index = st.fixed_dictionaries(
        {
            "index_name": OPT_TEXT,
            "index_type": enum(IndexType),
            "inline_size": SIZE,
            "fields": st.lists(
                st.fixed_dictionaries({"name": TEXT, "is_descending": FLAG}), max_size=2
            ),
        }
    )
    return st.fixed_dictionaries(
        {
            "key_type_name": OPT_TEXT,
            "value_type_name": OPT_TEXT,
            "table_name": OPT_TEXT,
            "key_field_name": OPT_TEXT,
            "value_field_name": OPT_TEXT,
            "query_fields": st.lists(query_field(with_precision), max_size=3),
            "field_name_aliases": st.lists(
                st.fixed_dictionaries({"field_name": TEXT, "alias": TEXT}), max_size=2
            ),
            "query_indexes": st.lists(index, max_size=2),
        }
    )


@st.composite
def configs(draw: st.DrawFn) -> tuple[ProtocolVersion, dict[Any, Any]]:
    version = draw(st.sampled_from(SUPPORTED_VERSIONS))
    P = CacheProperty
    optional: dict[Any, st.SearchStrategy[Any]] = {
        P.CACHE_MODE: enum(CacheMode),
        P.CACHE_ATOMICITY_MODE: enum(CacheAtomicityMode),
        P.BACKUPS_NUMBER: st.integers(0, (1 << 31) - 1),
        P.WRITE_SYNCHRONIZATION_MODE: enum(WriteSynchronizationMode),
        P.COPY_ON_READ: FLAG,
        P.READ_FROM_BACKUP: FLAG,
        P.DATA_REGION_NAME: OPT_TEXT,
        P.IS_ONHEAP_CACHE_ENABLED: FLAG,
        P.QUERY_ENTITIES: st.lists(query_entity(version >= V1_2_0), max_size=2),
        P.QUERY_PARALLELISM: INT32,
        P.QUERY_DETAIL_METRIC_SIZE: INT32,
        P.SQL_SCHEMA: OPT_TEXT,
        P.SQL_INDEX_INLINE_MAX_SIZE: INT32,
        P.SQL_ESCAPE_ALL: FLAG,
        P.MAX_QUERY_ITERATORS: INT32,
        P.REBALANCE_MODE: enum(RebalanceMode),
        P.REBALANCE_DELAY: INT64,
        P.REBALANCE_TIMEOUT: st.integers(0, (1 << 63) - 1),
        P.REBALANCE_BATCH_SIZE: INT32,
        P.REBALANCE_BATCHES_PREFETCH_COUNT: INT64,
        P.REBALANCE_ORDER: INT32,
        P.REBALANCE_THROTTLE: INT64,
        P.GROUP_NAME: OPT_TEXT,
        P.CACHE_KEY_CONFIGURATION: st.lists(
            st.fixed_dictionaries({"type_name": TEXT, "affinity_key_field_name": TEXT}),
            max_size=2,
        ),
        P.DEFAULT_LOCK_TIMEOUT: st.integers(0, (1 << 63) - 1),
        P.MAX_CONCURRENT_ASYNC_OPERATIONS: INT32,
        P.PARTITION_LOSS_POLICY: enum(PartitionLossPolicy),
        P.EAGER_TTL: FLAG,
        P.STATISTICS_ENABLED: FLAG,
    }
    if version >= V1_6_0:
        optional[P.EXPIRY_POLICY] = st.none() | st.builds(
            lambda c, u, a: ExpiryPolicy(create=c, update=u, access=a), DURATION, DURATION, DURATION
        )
    cfg = draw(st.fixed_dictionaries({P.NAME: TEXT}, optional=optional))
    return version, cfg


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_what_is_set_reads_back_equal(case: tuple[ProtocolVersion, dict[Any, Any]]) -> None:
    version, cfg = case
    decoded = round_trip(cfg, version)
    assert {k: decoded[k] for k in cfg} == cfg
    expected_keys = set(KIND) if version >= V1_6_0 else set(KIND) - {407}
    assert set(decoded) == expected_keys


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_truncated_answers_are_parse_errors(case: tuple[ProtocolVersion, dict[Any, Any]]) -> None:
    version, cfg = case
    server = FakeServer(version)
    server.create(encode(cfg, version))
    body = server.get_configuration()
    for cut in range(len(body)):
        # cut as it arrives, and cut with a length that agrees with the cut
        for data in (body[:cut], struct.pack("<i", cut - 4) + body[4:cut] if cut >= 4 else b""):
            with pytest.raises(ParseError) as info:
                decode_cache_config(data, 0, version, CodecContext())
            assert info.value.offset is not None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SUPPORTED_VERSIONS),
    st.binary(max_size=300),
    st.integers(0, 400),
    st.integers(0, 255),
)
def test_garbled_answers_raise_only_parse_errors(
    version: ProtocolVersion, noise: bytes, at: int, byte: int
) -> None:
    body = bytearray(response(version, _200=[(["K", "V", None, None, None], [], [], [])]))
    body[at % len(body)] = byte
    for data in (bytes(body), noise, struct.pack("<i", len(noise)) + noise):
        with contextlib.suppress(ParseError, NeedBinaryType):
            decode_cache_config(data, 0, version, CodecContext())


# -- the public names ----------------------------------------------------------------------------


def test_prop_codes_are_the_cache_properties() -> None:
    names = [n for n in prop_codes.__all__ if n.startswith("PROP_")]
    assert len(names) == len(CacheProperty) == 31
    for name in names:
        value = getattr(prop_codes, name)
        assert value is CacheProperty[name[len("PROP_") :]]
        assert value.prop_name == name
    assert prop_codes.PROP_EXPIRY_POLICY == 407
    assert {0: "x"}[PROP_NAME] == "x"
