"""Decoding: one reader per type code, dispatched through a 256-entry table.

This module fills :data:`READERS` (defined, with :func:`read_any`, in
:mod:`.reader_table`) from the reader families: :mod:`.read_scalars` (single values and
primitive arrays), :mod:`.read_containers` (arrays of values, collections, maps, enums,
handles, wrapped objects) and :mod:`.object_decoder` (complex objects).  The table below
is the whole map from type code to reader; replacing an entry changes how that code is
read everywhere, generated decoders included.

A reader is ``reader(buf, pos, ctx) -> (value, next_pos)`` where ``pos`` is just past the
type code.  Readers index into the caller's buffer (``bytes``, ``bytearray`` or
``memoryview``) and never slice it except to build a value.

Failure rules (hostile bytes):

* a length or count is checked against the bytes that remain *before* anything is
  allocated (every element takes at least one byte; :func:`.buffer.read_count`);
* nesting deeper than :data:`~.context.MAX_DEPTH` is an error;
* a handle (102) must point backwards, inside the value being decoded; the object it
  points to is decoded once and shared (as Java shares it), cycles included;
* :func:`read_any` turns the low-level exceptions a truncated or garbled buffer can
  cause (``struct.error``, ``IndexError``, ``OverflowError``...) into
  :class:`~ignite_wire.exceptions.ParseError` with the offset of the value being read.

What values become (see :mod:`.codec` for the whole table): integers of every width ->
``int``; float/double -> ``float``; char -> 1-character ``str``; Date/Timestamp -> aware
UTC ``datetime`` (a :class:`~.values.NanoDatetime` when a Timestamp has sub-microsecond
nanoseconds); Time -> ``datetime.time`` (``timedelta`` outside 0..24 h); Decimal ->
exact ``Decimal``; byte array -> ``bytes``; other typed arrays and Object[] -> ``list``;
collections -> ``list`` or, for the set kinds, ``set`` (``list`` if an element is
unhashable); HASH_MAP -> ``dict``, LINKED_HASH_MAP -> ``OrderedDict``; enums -> the
registered Python enum member or :class:`~.values.BinaryEnumValue`; complex objects ->
instances of their class (declared, or generated from metadata).
"""

from __future__ import annotations

from . import read_containers as _c
from . import read_scalars as _s
from .object_decoder import read_object
from .reader_table import READERS, Reader, read_any
from .type_codes import TypeCode

__all__ = ["READERS", "Reader", "read_any"]

READERS[0xFE] = _s._r_optimized  # -2 as an unsigned byte
READERS[TypeCode.BYTE] = _s._r_byte
READERS[TypeCode.SHORT] = _s._r_short
READERS[TypeCode.INT] = _s._r_int
READERS[TypeCode.LONG] = _s._r_long
READERS[TypeCode.FLOAT] = _s._r_float
READERS[TypeCode.DOUBLE] = _s._r_double
READERS[TypeCode.CHAR] = _s._r_char
READERS[TypeCode.BOOL] = _s._r_bool
READERS[TypeCode.STRING] = _s._r_string
READERS[TypeCode.UUID] = _s._r_uuid
READERS[TypeCode.DATE] = _s._r_date
READERS[TypeCode.TIMESTAMP] = _s._r_timestamp
READERS[TypeCode.TIME] = _s._r_time
READERS[TypeCode.DECIMAL] = _s._r_decimal
READERS[TypeCode.BYTE_ARR] = _s._r_byte_arr
READERS[TypeCode.SHORT_ARR] = _s.prim_array("h", 2, "short array element")
READERS[TypeCode.INT_ARR] = _s.prim_array("i", 4, "int array element")
READERS[TypeCode.LONG_ARR] = _s.prim_array("q", 8, "long array element")
READERS[TypeCode.FLOAT_ARR] = _s.prim_array("f", 4, "float array element")
READERS[TypeCode.DOUBLE_ARR] = _s.prim_array("d", 8, "double array element")
READERS[TypeCode.CHAR_ARR] = _s._r_char_arr
READERS[TypeCode.BOOL_ARR] = _s._r_bool_arr
READERS[TypeCode.STRING_ARR] = _c.typed_array(TypeCode.STRING)
READERS[TypeCode.UUID_ARR] = _c.typed_array(TypeCode.UUID)
READERS[TypeCode.DATE_ARR] = _c.typed_array(TypeCode.DATE)
READERS[TypeCode.TIMESTAMP_ARR] = _c.typed_array(TypeCode.TIMESTAMP)
READERS[TypeCode.TIME_ARR] = _c.typed_array(TypeCode.TIME)
READERS[TypeCode.DECIMAL_ARR] = _c.typed_array(TypeCode.DECIMAL)
READERS[TypeCode.OBJ_ARR] = _c._r_obj_arr
READERS[TypeCode.ENUM_ARR] = _c._r_enum_arr
READERS[TypeCode.COLLECTION] = _c._r_collection
READERS[TypeCode.MAP] = _c._r_map
READERS[TypeCode.ENUM] = _c._r_enum
READERS[TypeCode.BINARY_ENUM] = _c._r_enum
READERS[TypeCode.NULL] = _s._r_null
READERS[TypeCode.HANDLE] = _c._r_handle
READERS[TypeCode.BINARY_OBJ] = _c._r_wrapped
READERS[TypeCode.COMPLEX_OBJ] = read_object
