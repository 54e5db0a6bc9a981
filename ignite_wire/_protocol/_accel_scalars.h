/* Scalar reads shared by the optional C accelerators (issue 12): little-endian integers,
 * Timestamps, UUIDs and Decimals built exactly as the pure-Python readers build them.
 *
 * Each helper decodes only the happy path and returns NULL *without* an error when the
 * pure path must decide (it builds a NanoDatetime, repairs or raises); NULL *with* an
 * error means a real failure (memory).  The caller has checked that the bytes are there.
 * Included by _objects_accel.c (and meant for _rows_accel.c, which still has its own copy
 * of these helpers).  Call accel_scalars_init() once from the module's init function.
 */
#ifndef IGNITE_WIRE_ACCEL_SCALARS_H
#define IGNITE_WIRE_ACCEL_SCALARS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Little-endian IEEE floats exactly as struct.unpack reads them (public since 3.11). */
#if PY_VERSION_HEX < 0x030B0000
#define UNPACK4(p) _PyFloat_Unpack4((const unsigned char *)(p), 1)
#define UNPACK8(p) _PyFloat_Unpack8((const unsigned char *)(p), 1)
#else
#define UNPACK4(p) PyFloat_Unpack4((const char *)(p), 1)
#define UNPACK8(p) PyFloat_Unpack8((const char *)(p), 1)
#endif

/* Type codes (ignite_wire/_protocol/type_codes.py). */
enum {
    T_BYTE = 1, T_SHORT = 2, T_INT = 3, T_LONG = 4, T_FLOAT = 5, T_DOUBLE = 6,
    T_BOOL = 8, T_STRING = 9, T_UUID = 10, T_DATE = 11, T_BYTE_ARR = 12, T_DECIMAL = 30,
    T_TIMESTAMP = 33, T_TIME = 36, T_NULL = 101
};

/* Python objects looked up once, at import. */
static PyObject *Decimal;       /* decimal.Decimal */
static PyObject *UUID;          /* uuid.UUID */
static PyObject *SAFE_UNKNOWN;  /* uuid.SafeUUID.unknown (what UUID(int=...) stores) */
static PyObject *UTC;           /* datetime.timezone.utc */
static PyObject *NAME_INT, *NAME_IS_SAFE, *SIXTY_FOUR, *EMPTY;

static inline uint64_t u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static inline int64_t i64(const unsigned char *p) { return (int64_t)u64(p); }
static inline int32_t i32(const unsigned char *p) {
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

/* Floor division and modulo (Python's divmod) for a positive divisor. */
static inline int64_t floordiv(int64_t a, int64_t b, int64_t *mod) {
    int64_t q = a / b, r = a % b;
    if (r < 0) { r += b; q -= 1; }
    *mod = r;
    return q;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's civil_from_days). */
static void civil(int64_t days, int *y, int *m, int *d) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* datetime.min and datetime.max as days since the epoch. */
#define FIRST_DAY (-719162)
#define LAST_DAY 2932896

/* The aware UTC datetime of epoch milliseconds + nanoseconds (read_scalars.datetime_of),
 * or NULL without an error when the pure path must decide. */
static PyObject *datetime_of(int64_t ms, int32_t nanos) {
    if (nanos < 0 || nanos > 999999 || nanos % 1000) return NULL;
    int64_t msr, sod;
    int64_t sec = floordiv(ms, 1000, &msr);
    int64_t days = floordiv(sec, 86400, &sod);
    if (days < FIRST_DAY || days > LAST_DAY) return NULL;
    int y, m, d;
    civil(days, &y, &m, &d);
    return PyDateTimeAPI->DateTime_FromDateAndTime(
        y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
        (int)(msr * 1000 + nanos / 1000), UTC, PyDateTimeAPI->DateTimeType);
}

/* A UUID as UUID(int=...) builds it, without the keyword parsing. */
static PyObject *make_uuid(const unsigned char *p) {
    PyObject *hi = PyLong_FromUnsignedLongLong(u64(p));
    PyObject *lo = PyLong_FromUnsignedLongLong(u64(p + 8));
    PyObject *shifted = hi ? PyNumber_Lshift(hi, SIXTY_FOUR) : NULL;
    PyObject *value = shifted && lo ? PyNumber_Or(shifted, lo) : NULL;
    Py_XDECREF(hi);
    Py_XDECREF(lo);
    Py_XDECREF(shifted);
    if (!value) return NULL;
    PyObject *u = PyBaseObject_Type.tp_new((PyTypeObject *)UUID, EMPTY, NULL);
    if (u && (PyObject_GenericSetAttr(u, NAME_INT, value) < 0 ||
              PyObject_GenericSetAttr(u, NAME_IS_SAFE, SAFE_UNKNOWN) < 0)) {
        Py_CLEAR(u);
    }
    Py_DECREF(value);
    return u;
}

/* A Decimal of at most 8 magnitude bytes: Decimal("<unscaled>E<-scale>"), the exact form
 * (Decimal(unscaled).scaleb(-scale, EXACT) gives the same digits and exponent).  The text
 * is written by hand (snprintf and its locale machinery cost more than the parse). */
static PyObject *make_decimal(int32_t scale, const unsigned char *mag, int32_t n) {
    uint64_t u = 0;
    for (int32_t i = 0; i < n; i++) u = (u << 8) | mag[i];
    int negative = n > 0 && (mag[0] & 0x80);
    if (negative) u &= ~((uint64_t)1 << (8 * n - 1)); /* sign and magnitude */
    char text[48], digits[24];
    int len = 0, k = 0;
    if (negative && u) text[len++] = '-';
    do {
        digits[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (k) text[len++] = digits[--k];
    text[len++] = 'E';
    uint64_t e = scale > 0 ? (uint64_t)scale : (uint64_t)(-(int64_t)scale);
    if (scale > 0) text[len++] = '-';
    do {
        digits[k++] = (char)('0' + e % 10);
        e /= 10;
    } while (e);
    while (k) text[len++] = digits[--k];
    PyObject *s = PyUnicode_FromStringAndSize(text, len);
    if (!s) return NULL;
    PyObject *dec = PyObject_CallOneArg(Decimal, s);
    Py_DECREF(s);
    return dec;
}

/* The value of the scalar whose payload (after its type code) is at v, payload bytes
 * limited to `room`; sets *size to the payload's length.  Both compiled decoders take
 * these codes the same way (their callers add the codes only they take).  NULL without
 * an error: another code, a short payload, bad UTF-8 -- the pure path decides; NULL with
 * an error only on a real failure (memory). */
static PyObject *scalar_payload(int code, const unsigned char *v, Py_ssize_t room,
                                Py_ssize_t *size) {
#define NEED(k) if (room < (k)) return NULL; *size = (k)
    switch (code) {
    case T_BYTE: NEED(1); return PyLong_FromLong((signed char)v[0]);
    case T_SHORT: NEED(2); return PyLong_FromLong((int16_t)(v[0] | v[1] << 8));
    case T_INT: NEED(4); return PyLong_FromLong(i32(v));
    case T_LONG: NEED(8); return PyLong_FromLongLong(i64(v));
    case T_FLOAT: NEED(4); {
        double x = UNPACK4(v);
        return x == -1.0 && PyErr_Occurred() ? NULL : PyFloat_FromDouble(x);
    }
    case T_DOUBLE: NEED(8); {
        double x = UNPACK8(v);
        return x == -1.0 && PyErr_Occurred() ? NULL : PyFloat_FromDouble(x);
    }
    case T_BOOL: NEED(1); return PyBool_FromLong(v[0] != 0);
    case T_UUID: NEED(16); return make_uuid(v);
    case T_TIMESTAMP: NEED(12); return datetime_of(i64(v), i32(v + 8));
    case T_STRING: {
        if (room < 4) return NULL;
        int32_t len = i32(v);
        if (len < 0 || len > room - 4) return NULL;
        *size = 4 + (Py_ssize_t)len;
        PyObject *s = PyUnicode_DecodeUTF8((const char *)v + 4, len, NULL);
        if (!s && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) PyErr_Clear();
        return s; /* bad UTF-8: the pure path repairs or raises */
    }
    case T_DECIMAL: {
        if (room < 8) return NULL;
        int32_t len = i32(v + 4);
        if (len < 0 || len > 8 || len > room - 8) return NULL;
        *size = 8 + (Py_ssize_t)len;
        return make_decimal(i32(v), v + 8, len);
    }
    default: return NULL;
    }
#undef NEED
}

static PyObject *attr_of(const char *module_name, const char *name) {
    PyObject *m = PyImport_ImportModule(module_name);
    if (!m) return NULL;
    PyObject *a = PyObject_GetAttrString(m, name);
    Py_DECREF(m);
    return a;
}

/* IGNITE_WIRE_PURE=1 refuses the import (the pure path), then the lookups; -1 on error. */
static int accel_scalars_init(void) {
    const char *pure = getenv("IGNITE_WIRE_PURE");
    if (pure && *pure && strcmp(pure, "0") != 0) {
        PyErr_SetString(PyExc_ImportError, "IGNITE_WIRE_PURE is set: the pure-Python path");
        return -1;
    }
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) return -1;
    PyObject *safe = NULL, *tz = NULL;
    if (!(Decimal = attr_of("decimal", "Decimal")) || !(UUID = attr_of("uuid", "UUID")) ||
        !(safe = attr_of("uuid", "SafeUUID")) ||
        !(SAFE_UNKNOWN = PyObject_GetAttrString(safe, "unknown")) ||
        !(tz = attr_of("datetime", "timezone")) ||
        !(UTC = PyObject_GetAttrString(tz, "utc")) ||
        !(NAME_INT = PyUnicode_InternFromString("int")) ||
        !(NAME_IS_SAFE = PyUnicode_InternFromString("is_safe")) ||
        !(SIXTY_FOUR = PyLong_FromLong(64)) || !(EMPTY = PyTuple_New(0))) {
        Py_XDECREF(safe);
        Py_XDECREF(tz);
        return -1;
    }
    Py_DECREF(safe);
    Py_DECREF(tz);
    if (!PyType_Check(UUID)) {
        PyErr_SetString(PyExc_ImportError, "uuid.UUID is not a class");
        return -1;
    }
    return 0;
}

#endif
