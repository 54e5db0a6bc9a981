/* The optional compiled SQL page decoder (issue 12): rows of scalar values into lists;
 * also the binary-object header hash and the encoder of objects of scalar fields.
 *
 * ignite_wire is pure Python; this module only makes a few loops cheaper, first the one that
 * turns a SQL page (rows x columns of typed values) into Python rows.  It is built by
 * hatch_build.py when a C compiler is present and skipped otherwise; rows.py uses it
 * when it imports and falls back to the generated pure-Python decoders when it does not.
 * IGNITE_WIRE_PURE=1 in the environment makes the import fail on purpose (pure path).
 *
 * The rule that keeps both paths identical: this code decodes only the happy path of a
 * handful of scalar types.  Whatever else it meets (another type code, a bad length,
 * bytes that are not UTF-8, a timestamp out of datetime's range or with nanoseconds
 * below the microsecond, a decimal of more than 8 magnitude bytes, too few bytes left)
 * is handed to `general(buf, pos, count)`, the pure path's decode_values, which decodes
 * it or raises the pure path's error with its offset.  So values and errors are the pure
 * path's by construction; tests/wire/protocol/test_rows_accel.py checks both on the same
 * bytes.  Every read is bounds-checked against the buffer's length before it happens.
 *
 * It also holds the binary-object header hash (hashing.py uses it when it imports, one
 * build for both): Java's Arrays.hashCode over signed bytes, h = 31*h + b from h = 1,
 * wrapping at 32 bits.  About 0.3 ns a byte against ~10 ns for the best pure-Python form
 * (int(digits, 31)); it is most of the cost of encoding a string-heavy object.  Its
 * results are the pure functions' by test (tests/wire/protocol/test_hash_accel.py).
 *
 * And the encoder of binary objects whose fields are all scalars (object_writer, used by
 * encoder_accel.py): the same rule the other way round, it writes only what the pure
 * generated encoder writes as is and returns False, having written nothing, for anything
 * else (tests/wire/protocol/test_encode_accel.py).
 *
 * And the put_all body's loop (write_pairs, used by codec.write_pairs): it writes the
 * pairs whose key and value it can hand to their writers as the pure loop would, and
 * leaves the first one it cannot (or whose writer raises) to the pure loop, having
 * written nothing of it (tests/wire/protocol/test_batch_encoding.py runs both).
 * And the loop that splits a batch by node (split_keys, for _routing.KeyRoute.split):
 * int keys placed inline, every other key by the pure path's function
 * (tests/wire/pool/test_routing.py runs both); put_all's batch is a flat list of keys
 * and values (flat_items makes it from a dict), never a tuple per entry.
 * Object columns (a plain or wrapped binary object of a class the page has met): when
 * the caller passes the page's `specs` ({type id: (schema id, spec)}, filled by rows.py
 * as the general path reads the first object of each class), they are read by
 * _objects_accel.c's object_value, the code of scan pages (its C API, imported through
 * a capsule on first use), under the same rule: what it does not take goes to
 * `general` (tests/wire/protocol/test_rows_accel.py runs both on pages of objects).
 * And the answer of a single-key get (decode_answer, used by _cache_calls.answer_value):
 * the same happy-path values as a row's, plus byte arrays, else NotImplemented and the
 * pure path decodes (tests/wire/protocol/test_answer_accel.py runs both).
 */
#include "_accel_scalars.h" /* Python.h, datetime.h, UNPACK4/8, the scalar builders */
#include "_accel_objects_api.h" /* object_value, from _objects_accel.c */
#include <stddef.h>
#include <stdlib.h>

#if PY_VERSION_HEX < 0x030B0000
#define PACK4(x, p) _PyFloat_Pack4((x), (unsigned char *)(p), 1)
#define PACK8(x, p) _PyFloat_Pack8((x), (unsigned char *)(p), 1)
#else
#define PACK4(x, p) PyFloat_Pack4((x), (char *)(p), 1)
#define PACK8(x, p) PyFloat_Pack8((x), (char *)(p), 1)
#endif

/* Decode the value whose type code is at b[p] (p < n).  Returns a new reference and sets
 * *end; NULL with an error set on a real failure (memory); NULL without an error when
 * the general path must take this value. */
static PyObject *decode_one(const unsigned char *b, Py_ssize_t n, Py_ssize_t p,
                            Py_ssize_t *end) {
    Py_ssize_t left = n - p - 1; /* bytes after the type code */
    const unsigned char *v = b + p + 1;
    Py_ssize_t size;
    switch (b[p]) {
    case T_NULL: *end = p + 1; Py_RETURN_NONE;
    case T_DATE:
        if (left < 8) return NULL;
        *end = p + 9;
        return datetime_of(i64(v), 0);
    case T_TIME: {
        if (left < 8) return NULL;
        int64_t ms = i64(v);
        if (ms < 0 || ms >= 86400000) return NULL; /* a timedelta: the pure path */
        *end = p + 9;
        return PyDateTimeAPI->Time_FromTime((int)(ms / 3600000), (int)(ms / 60000 % 60),
                                            (int)(ms / 1000 % 60), (int)(ms % 1000) * 1000,
                                            Py_None, PyDateTimeAPI->TimeType);
    }
    default: {
        PyObject *value = scalar_payload(b[p], v, left, &size);
        if (value) *end = p + 1 + size;
        return value;
    }
    }
}

/* general(buf, pos, count) -> (list of count values, end), checked. */
static PyObject *call_general(PyObject *general, PyObject *buf, Py_ssize_t p,
                              Py_ssize_t count, Py_ssize_t n, Py_ssize_t *end) {
    PyObject *r = PyObject_CallFunction(general, "Onn", buf, p, count);
    if (!r) return NULL;
    PyObject *values = NULL;
    if (PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 2 &&
        PyList_CheckExact(PyTuple_GET_ITEM(r, 0)) &&
        PyList_GET_SIZE(PyTuple_GET_ITEM(r, 0)) == count) {
        *end = PyLong_AsSsize_t(PyTuple_GET_ITEM(r, 1));
        if (*end > p && *end <= n) {
            values = PyTuple_GET_ITEM(r, 0);
            Py_INCREF(values);
        } else if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError, "general decoder: end out of bounds");
        }
    } else {
        PyErr_SetString(PyExc_SystemError, "general decoder: not (list, end)");
    }
    Py_DECREF(r);
    return values;
}

/* What a page's object columns need (specs NULL: none are read here). */
typedef struct {
    PyObject *specs;
    Last last;
} Objects;

static ObjectValueFn object_value;

/* One row of `columns` values at *pos. */
static PyObject *decode_row(PyObject *buf, const unsigned char *b, Py_ssize_t n,
                            Py_ssize_t *pos, Py_ssize_t columns, PyObject *general,
                            Objects *objects) {
    Py_ssize_t p = *pos, end;
    if (columns > n - p) /* the general path's own count check raises */
        return call_general(general, buf, p, columns, n, pos);
    PyObject *row = PyList_New(columns);
    if (!row) return NULL;
    for (Py_ssize_t c = 0; c < columns; c++) {
        if (p >= n) { /* the row runs out: its error is the general path's for the row */
            Py_DECREF(row);
            return call_general(general, buf, *pos, columns, n, pos);
        }
        PyObject *value = NULL;
        if (objects->specs && (b[p] == 103 || b[p] == 27)) {
            value = object_value(b, n, p, objects->specs, &objects->last, &end);
            if (!value && PyErr_Occurred()) goto fail;
        }
        if (!value) value = decode_one(b, n, p, &end);
        if (!value) {
            if (PyErr_Occurred()) goto fail;
            PyObject *one = call_general(general, buf, p, 1, n, &end);
            if (!one) goto fail;
            value = PyList_GET_ITEM(one, 0);
            Py_INCREF(value);
            Py_DECREF(one);
        }
        PyList_SET_ITEM(row, c, value);
        p = end;
    }
    *pos = p;
    return row;
fail:
    Py_DECREF(row);
    return NULL;
}

PyDoc_STRVAR(decode_rows_doc,
"decode_rows(buf, pos, rows, columns, general, specs=None) -> (rows as lists, end)\n\n"
"The SQL page body at pos; general(buf, pos, count) decodes what this code does not.\n"
"specs: {type id: (schema id, spec)} of the classes whose objects are read here.");

static PyObject *decode_rows(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *buf, *general, *specs = Py_None;
    Py_ssize_t pos, rows, columns;
    if (!PyArg_ParseTuple(args, "OnnnO|O:decode_rows", &buf, &pos, &rows, &columns, &general,
                          &specs))
        return NULL;
    if (specs != Py_None && !PyDict_Check(specs)) {
        PyErr_SetString(PyExc_TypeError, "decode_rows: specs is a dict or None");
        return NULL;
    }
    if (specs != Py_None && !object_value &&
        !(object_value = (ObjectValueFn)PyCapsule_Import(OBJECTS_API_CAPSULE, 0)))
        return NULL;
    Objects objects = {specs == Py_None ? NULL : specs, {NULL, 0, 0, NULL}};
    Py_buffer view;
    if (PyObject_GetBuffer(buf, &view, PyBUF_SIMPLE) < 0) return NULL;
    const unsigned char *b = view.buf;
    Py_ssize_t n = view.len;
    PyObject *out = NULL;
    /* The caller checked rows * max(columns, 1) against the bytes; checked again so that
     * the list allocated here is bounded by the bytes received whoever calls. */
    if (pos < 0 || pos > n || rows < 0 || columns < 0 ||
        rows > (n - pos) / (columns > 0 ? columns : 1)) {
        PyErr_SetString(PyExc_ValueError, "rows x columns exceed the buffer");
        goto done;
    }
    out = PyList_New(rows);
    if (!out) goto done;
    for (Py_ssize_t r = 0; r < rows; r++) {
        PyObject *row = decode_row(buf, b, n, &pos, columns, general, &objects);
        if (!row) { Py_CLEAR(out); goto done; }
        PyList_SET_ITEM(out, r, row);
    }
done:
    PyBuffer_Release(&view);
    Py_XDECREF(objects.last.entry);
    if (!out) return NULL;
    PyObject *result = Py_BuildValue("(Nn)", out, pos);
    return result;
}

/* The answer of a single-key get (_cache_calls.answer_value): the value at the start of
 * `buf` when it is one decode_one takes, or a byte array (bytes, as read_scalars'
 * _r_byte_arr makes it); NotImplemented for anything else, bytes that are not such a
 * value included: the pure path then decodes it, or raises its error. */
PyDoc_STRVAR(decode_answer_doc,
"decode_answer(buf, /)\n\n"
"The typed value at buf[0] when it is a scalar, a string, a date/time, a decimal or a\n"
"byte array (what the default readers make of it); NotImplemented otherwise.");

static PyObject *decode_answer(PyObject *self, PyObject *buf) {
    (void)self;
    Py_buffer view;
    if (PyObject_GetBuffer(buf, &view, PyBUF_SIMPLE) < 0) return NULL;
    const unsigned char *b = view.buf;
    Py_ssize_t n = view.len, end;
    PyObject *value = NULL;
    if (n >= 1) {
        if (b[0] == T_BYTE_ARR) {
            if (n >= 5) {
                int32_t len = i32(b + 1);
                if (len >= 0 && len <= n - 5)
                    value = PyBytes_FromStringAndSize((const char *)b + 5, len);
            }
        } else {
            value = decode_one(b, n, 0, &end);
        }
    }
    PyBuffer_Release(&view);
    if (!value && !PyErr_Occurred()) Py_RETURN_NOTIMPLEMENTED;
    return value;
}

/* -- the binary-object header hash ------------------------------------------------------ */

/* h = 31*h + (signed) b over n bytes from h = 1, mod 2**32.  Four bytes a step with the
 * powers of 31 (31**4 = 923521), so the multiply chain is a quarter as long. */
static uint32_t fold31(const unsigned char *p, Py_ssize_t n) {
    uint32_t h = 1;
    Py_ssize_t i = 0;
#define SB(x) ((uint32_t)(int32_t)(signed char)(x))
    for (; i + 4 <= n; i += 4)
        h = h * 923521u + SB(p[i]) * 29791u + SB(p[i + 1]) * 961u + SB(p[i + 2]) * 31u +
            SB(p[i + 3]);
    for (; i < n; i++) h = h * 31u + SB(p[i]);
#undef SB
    return h;
}

/* The fold of all of `data` (bytes, bytearray or any other buffer); -1 and an exception
 * when it is not a buffer. */
static int fold_whole(PyObject *data, uint32_t *h) {
    if (PyBytes_CheckExact(data)) {
        *h = fold31((const unsigned char *)PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data));
        return 0;
    }
    if (PyByteArray_CheckExact(data)) {
        *h = fold31((const unsigned char *)PyByteArray_AS_STRING(data),
                    PyByteArray_GET_SIZE(data));
        return 0;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) return -1;
    *h = fold31((const unsigned char *)view.buf, view.len);
    PyBuffer_Release(&view);
    return 0;
}

/* A slice bound as Python slicing takes it: None, or an int clipped to Py_ssize_t.
 * 0 when it is neither (the caller then slices in Python, which raises alike). */
static int bound(PyObject *o, Py_ssize_t none_value, Py_ssize_t *out) {
    if (o == Py_None) { *out = none_value; return 1; }
    if (!PyLong_CheckExact(o)) return 0;
    *out = PyNumber_AsSsize_t(o, NULL); /* clips, never fails for an int */
    return 1;
}

PyDoc_STRVAR(bytes_hash_doc,
"bytes_hash(data, start=0, end=None, /) -> int\n\n"
"Java ``h = 31*h + b`` over the signed bytes ``data[start:end]`` from ``h = 1``, as a\n"
"signed int32 (Python slice semantics for the bounds).");

static PyObject *bytes_hash(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 1 || nargs > 3) {
        PyErr_Format(PyExc_TypeError, "bytes_hash expected 1 to 3 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *data = args[0];
    uint32_t h;
    PyObject *so = nargs > 1 ? args[1] : Py_None, *eo = nargs > 2 ? args[2] : Py_None;
    Py_ssize_t start, stop;
    int bytes = PyBytes_CheckExact(data), array = PyByteArray_CheckExact(data);
    if ((bytes || array) && bound(so, 0, &start) && bound(eo, PY_SSIZE_T_MAX, &stop)) {
        const char *p = bytes ? PyBytes_AS_STRING(data) : PyByteArray_AS_STRING(data);
        Py_ssize_t n = bytes ? PyBytes_GET_SIZE(data) : PyByteArray_GET_SIZE(data);
        PySlice_AdjustIndices(n, &start, &stop, 1);
        h = fold31((const unsigned char *)p + start, stop > start ? stop - start : 0);
        return PyLong_FromLong((long)(int32_t)h);
    }
    /* Anything else exactly as the pure function: bytes(data[start:end]). */
    PyObject *slice = PySlice_New(so, eo, NULL);
    if (!slice) return NULL;
    PyObject *part = PyObject_GetItem(data, slice);
    Py_DECREF(slice);
    if (!part) return NULL;
    PyObject *copy = PyBytes_FromObject(part);
    Py_DECREF(part);
    if (!copy) return NULL;
    h = fold31((const unsigned char *)PyBytes_AS_STRING(copy), PyBytes_GET_SIZE(copy));
    Py_DECREF(copy);
    return PyLong_FromLong((long)(int32_t)h);
}

PyDoc_STRVAR(bytes_hash_u32_doc,
"bytes_hash_u32(data, /) -> int\n\n"
"``bytes_hash`` of all of ``data`` (any buffer) as an unsigned 32-bit value.");

static PyObject *bytes_hash_u32(PyObject *self, PyObject *data) {
    uint32_t h;
    if (fold_whole(data, &h) < 0) return NULL;
    return PyLong_FromUnsignedLong((unsigned long)h);
}

/* -- the binary-object encoder of scalar fields ----------------------------------------- */

/* What object_encoder.py's generated encoder writes for a class whose fields are all
 * scalars, in one call: header (with the hash), fields, footer.  The rule is the page
 * decoder's: only the happy path is taken here, and on any doubt (a missing field, a
 * value of another type, an int out of range, a float32 overflow, a string with a lone
 * surrogate, raw data, a length over 2**31-1) nothing is written and False is returned:
 * the caller then runs the pure general encoder, which writes the object or raises its
 * own error with the field path.  None is written as the general encoder writes it (the
 * null code 101).  The bytes are the pure encoders' (tests/wire/protocol/
 * test_encode_accel.py, hypothesis). */

enum { MAX_FIELDS = 200 };
enum { F_USER = 0x01, F_SCHEMA = 0x02, F_ONE = 0x08, F_TWO = 0x10, F_COMPACT = 0x20 };

typedef struct {
    int code;                 /* type code written (T_NULL for None) */
    unsigned char fixed[16];  /* payload of a fixed-size value, little-endian */
    Py_ssize_t size;          /* payload bytes after the type code */
    const char *data;         /* payload of a String / byte[] (after its i32 length) */
    PyObject *tmp;            /* the UTF-8 bytes of a non-ASCII string (owned) */
} Field;

static inline void put_le(unsigned char *p, uint64_t v, int n) {
#if PY_LITTLE_ENDIAN
    /* The low n bytes of v are its first n in memory: one copy, no loop (the loop
     * below was a tenth of a put_all's encoding instructions). */
    switch (n) {
    case 1: *p = (unsigned char)v; return;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); return; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); return; }
    case 8: memcpy(p, &v, 8); return;
    default: break;
    }
#endif
    for (int i = 0; i < n; i++) { p[i] = (unsigned char)v; v >>= 8; }
}

/* 1 when the value was taken, 0 when the general encoder must (no error set), -1 on a
 * real failure (error set). */
static int take(Field *f, int code, PyObject *v) {
    f->tmp = NULL;
    f->data = NULL;
    if (v == Py_None) { f->code = T_NULL; f->size = 0; return 1; }
    f->code = code;
    switch (code) {
    case T_BYTE: case T_SHORT: case T_INT: case T_LONG: {
        if (!PyLong_CheckExact(v)) return 0;
        int overflow;
        long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow) return 0;
        if (x == -1 && PyErr_Occurred()) return -1;
        int n = code == T_BYTE ? 1 : code == T_SHORT ? 2 : code == T_INT ? 4 : 8;
        if (n < 8) {
            long long lim = 1LL << (8 * n - 1);
            if (x < -lim || x >= lim) return 0;
        }
        put_le(f->fixed, (uint64_t)x, n);
        f->size = n;
        return 1;
    }
    case T_FLOAT: case T_DOUBLE: {
        if (!PyFloat_CheckExact(v)) return 0;
        double x = PyFloat_AS_DOUBLE(v);
        int r = code == T_FLOAT ? PACK4(x, f->fixed) : PACK8(x, f->fixed);
        if (r < 0) {  /* a float32 overflow: struct raises, so the general path decides */
            if (!PyErr_ExceptionMatches(PyExc_OverflowError)) return -1;
            PyErr_Clear();
            return 0;
        }
        f->size = code == T_FLOAT ? 4 : 8;
        return 1;
    }
    case T_BOOL:
        if (!PyBool_Check(v)) return 0;
        f->fixed[0] = v == Py_True;
        f->size = 1;
        return 1;
    case T_UUID: {
        if (Py_TYPE(v) != (PyTypeObject *)UUID) return 0;
        PyObject *value = PyObject_GetAttr(v, NAME_INT);
        if (!value) return -1;
        int ok = 0;
        if (PyLong_CheckExact(value) && _PyLong_Sign(value) >= 0 &&
            _PyLong_NumBits(value) <= 128) {
            uint64_t lo = PyLong_AsUnsignedLongLongMask(value);
            PyObject *hi_obj = PyNumber_Rshift(value, SIXTY_FOUR);
            if (!hi_obj) { Py_DECREF(value); return -1; }
            uint64_t hi = PyLong_AsUnsignedLongLong(hi_obj);
            Py_DECREF(hi_obj);
            if (PyErr_Occurred()) { Py_DECREF(value); return -1; }
            put_le(f->fixed, hi, 8);
            put_le(f->fixed + 8, lo, 8);
            f->size = 16;
            ok = 1;
        }
        Py_DECREF(value);
        return ok;
    }
    case T_STRING: {
        if (!PyUnicode_CheckExact(v)) return 0;
        Py_ssize_t n;
        if (PyUnicode_IS_ASCII(v)) {
            f->data = (const char *)PyUnicode_DATA(v);
            n = PyUnicode_GET_LENGTH(v);
        } else {
            f->tmp = PyUnicode_AsUTF8String(v);
            if (!f->tmp) {  /* a lone surrogate: the general path raises its error */
                if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return -1;
                PyErr_Clear();
                return 0;
            }
            f->data = PyBytes_AS_STRING(f->tmp);
            n = PyBytes_GET_SIZE(f->tmp);
        }
        if (n > INT32_MAX) return 0;
        put_le(f->fixed, (uint64_t)n, 4);
        f->size = 4 + n;
        return 1;
    }
    case T_BYTE_ARR:
        if (!PyBytes_CheckExact(v)) return 0;
        if (PyBytes_GET_SIZE(v) > INT32_MAX) return 0;
        f->data = PyBytes_AS_STRING(v);
        put_le(f->fixed, (uint64_t)PyBytes_GET_SIZE(v), 4);
        f->size = 4 + PyBytes_GET_SIZE(v);
        return 1;
    default:
        return 0;
    }
}

/* Validates the plan of a class (names, codes, ids: what object_encoder.py computes). */
static int check_plan(PyObject *names, PyObject *codes, PyObject *ids) {
    if (!PyTuple_CheckExact(names) || !PyBytes_CheckExact(codes) || !PyTuple_CheckExact(ids)) {
        PyErr_SetString(PyExc_TypeError, "object_writer: bad plan types");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    if (n < 1 || n > MAX_FIELDS || PyBytes_GET_SIZE(codes) != n || PyTuple_GET_SIZE(ids) != n) {
        PyErr_SetString(PyExc_ValueError, "object_writer: bad plan");
        return -1;
    }
    return 0;
}

/* Whether the dict d holds exactly the fields `names`, in that order, each key the exact
 * str of its name (the usual instance: its __init__ stored the fields in field order):
 * then found[i] is field i's value (borrowed) and the raw-bytes attribute is not there,
 * with no hashing and no lookup.  0 for anything else (the caller looks each name up,
 * which gives the same values for any dict). */
static int in_order(PyObject *d, PyObject *names, PyObject *raw_name, PyObject **found) {
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    if (PyDict_GET_SIZE(d) != n) return 0;
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    while (i < n && PyDict_Next(d, &pos, &key, &value)) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        if (!PyUnicode_CheckExact(key)) return 0;
        if (key != name) {
            if (!PyUnicode_CheckExact(key) || !PyUnicode_CheckExact(name) ||
                PyUnicode_Compare(key, name) != 0) {
                PyErr_Clear();
                return 0;
            }
        }
        if (key == raw_name || (PyUnicode_GET_LENGTH(key) == PyUnicode_GET_LENGTH(raw_name) &&
                                PyUnicode_Compare(key, raw_name) == 0))
            return 0;  /* a field named like the raw-bytes attribute: the lookups decide */
        found[i++] = value;
    }
    return i == n;
}

/* 1 when the object was appended to out, 0 (nothing written, no error) when the general
 * encoder must write it, -1 with an error set.  The plan was checked (check_plan). */
static int pack_object(PyObject *out, PyObject *d, PyObject *names, PyObject *codes,
                       PyObject *ids, long tid, long sid, int compact, PyObject *raw_name) {
    if (!PyByteArray_CheckExact(out) || !PyDict_CheckExact(d)) return 0;
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    PyObject *found[MAX_FIELDS];
    if (!in_order(d, names, raw_name, found)) {
        int raw = PyDict_Contains(d, raw_name);
        if (raw) return raw < 0 ? -1 : 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *v = PyDict_GetItemWithError(d, PyTuple_GET_ITEM(names, i));
            if (!v) return PyErr_Occurred() ? -1 : 0;  /* missing: general */
            found[i] = v;
        }
    }
    const unsigned char *code = (const unsigned char *)PyBytes_AS_STRING(codes);
    Field f[MAX_FIELDS];
    PyObject *values[MAX_FIELDS];
    Py_ssize_t nvalues = 0, data = 0;
    int result = 0;
    for (Py_ssize_t i = 0; i < n; i++) {  /* found[] are borrowed until held here */
        values[i] = found[i];
        Py_INCREF(found[i]);
        f[i].tmp = NULL;  /* released at done */
    }
    nvalues = n;
    for (Py_ssize_t i = 0; i < n; i++) {
        result = take(&f[i], code[i], values[i]);
        if (result <= 0) goto done;
        data += 1 + f[i].size;
    }
    Py_ssize_t last = 24 + data - 1 - f[n - 1].size;  /* the last field's offset */
    int width = last < 0x100 ? 1 : last < 0x10000 ? 2 : 4;
    Py_ssize_t total = 24 + data + n * (compact ? width : 4 + width);
    if (total > INT32_MAX) { result = 0; goto done; }
    Py_ssize_t start = PyByteArray_GET_SIZE(out);
    if (PyByteArray_Resize(out, start + total) < 0) {
        if (PyErr_ExceptionMatches(PyExc_BufferError)) { PyErr_Clear(); result = 0; }
        else result = -1;
        goto done;
    }
    unsigned char *base = (unsigned char *)PyByteArray_AS_STRING(out) + start;
    unsigned char *p = base + 24, *foot = base + 24 + data;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t offset = p - base;
        if (compact) {
            put_le(foot, (uint64_t)offset, width);
            foot += width;
        } else {
            long fid = PyLong_AsLong(PyTuple_GET_ITEM(ids, i));
            if (fid == -1 && PyErr_Occurred()) { result = -1; goto undo; }
            put_le(foot, (uint64_t)(uint32_t)fid, 4);
            put_le(foot + 4, (uint64_t)offset, width);
            foot += 4 + width;
        }
        *p++ = (unsigned char)f[i].code;
        if (f[i].data) {
            memcpy(p, f[i].fixed, 4);
            memcpy(p + 4, f[i].data, (size_t)(f[i].size - 4));
        } else {
            memcpy(p, f[i].fixed, (size_t)f[i].size);
        }
        p += f[i].size;
    }
    int flags = F_USER | F_SCHEMA | (width == 1 ? F_ONE : width == 2 ? F_TWO : 0) |
                (compact ? F_COMPACT : 0);
    base[0] = 103;
    base[1] = 1;
    put_le(base + 2, (uint64_t)flags, 2);
    put_le(base + 4, (uint64_t)(uint32_t)tid, 4);
    put_le(base + 8, fold31(base + 24, data), 4);
    put_le(base + 12, (uint64_t)total, 4);
    put_le(base + 16, (uint64_t)(uint32_t)sid, 4);
    put_le(base + 20, (uint64_t)(24 + data), 4);
    result = 1;
    goto done;
undo:
    PyByteArray_Resize(out, start);
done:
    for (Py_ssize_t i = 0; i < nvalues; i++) {  /* f[i] is set for every value held */
        Py_XDECREF(f[i].tmp);
        Py_DECREF(values[i]);
    }
    return result;
}

/* The whole per-class writer (encoder_accel.writer) as one callable object, so
 * that a put's value costs no Python frame: writer(out, obj, ctx) checks the registry as
 * the Python closure did (check(ctx) unless ctx.registry is checked[0]), packs
 * obj.__dict__ (pack_object) and calls general(out, obj, ctx) when pack_object declines. */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *names, *codes, *ids, *checked, *check, *general, *raw;
    long tid, sid;
} Writer;

static PyObject *NAME_REGISTRY, *NAME_COMPACT, *NAME_DICT;

static PyObject *NAME_DEPTH, *ZERO;

/* obj.__dict__ (a new reference; NULL with an error set): read from the instance's dict
 * pointer when the attribute is the type's own __dict__ descriptor under the generic
 * attribute lookup -- what PyObject_GetAttr would run to the same pointer, less the
 * generic lookup (about 140 instructions per W4 object, callgrind); through
 * PyObject_GetAttr otherwise (a __getattribute__ of the class's own, no dict yet, CPython
 * 3.13+, whose private dict pointer API this does not rely on). */
static PyObject *instance_dict(PyObject *obj) {
#if PY_VERSION_HEX < 0x030D0000
    PyTypeObject *tp = Py_TYPE(obj);
    if (tp->tp_getattro == PyObject_GenericGetAttr) {
        PyObject *descr = _PyType_Lookup(tp, NAME_DICT);  /* borrowed */
        if (descr && Py_IS_TYPE(descr, &PyGetSetDescr_Type)) {
            PyObject **where = _PyObject_GetDictPtr(obj);
            if (where && *where && PyDict_CheckExact(*where)) {
                Py_INCREF(*where);
                return *where;
            }
        }
    }
#endif
    return PyObject_GetAttr(obj, NAME_DICT);
}

/* The writer's work for (out, obj, ctx), ctx's registry and compact_footer already read
 * (write_pairs reads them once per batch): 0 done, -1 error set.  ctx.depth is set to 0
 * before any Python code that could read it (the registry check, the general encoder),
 * as write_value does before calling a writer. */
static int writer_write(Writer *w, PyObject *out, PyObject *obj, PyObject *ctx,
                        PyObject *registry, int compact) {
    int known = PyList_CheckExact(w->checked) && PyList_GET_SIZE(w->checked) > 0 &&
                PyList_GET_ITEM(w->checked, 0) == registry;
    if (!known) {
        if (PyObject_SetAttr(ctx, NAME_DEPTH, ZERO) < 0) return -1;
        PyObject *r = PyObject_CallOneArg(w->check, ctx);
        if (!r) return -1;
        Py_DECREF(r);
    }
    PyObject *d = instance_dict(obj);
    if (!d) return -1;
    int r = pack_object(out, d, w->names, w->codes, w->ids, w->tid, w->sid, compact, w->raw);
    Py_DECREF(d);
    if (r < 0) return -1;
    if (r == 0) {
        if (PyObject_SetAttr(ctx, NAME_DEPTH, ZERO) < 0) return -1;
        PyObject *call_args[3] = {out, obj, ctx};
        PyObject *g = PyObject_Vectorcall(w->general, call_args, 3, NULL);
        if (!g) return -1;
        Py_DECREF(g);
    }
    return 0;
}

/* ctx.registry (new reference) and whether ctx.compact_footer is true; NULL on error. */
static PyObject *context_of(PyObject *ctx, int *compact) {
    PyObject *registry = PyObject_GetAttr(ctx, NAME_REGISTRY);
    if (!registry) return NULL;
    PyObject *compact_obj = PyObject_GetAttr(ctx, NAME_COMPACT);
    *compact = compact_obj ? PyObject_IsTrue(compact_obj) : -1;
    Py_XDECREF(compact_obj);
    if (*compact < 0) { Py_DECREF(registry); return NULL; }
    return registry;
}

static PyObject *writer_call(PyObject *callable, PyObject *const *args, size_t nargsf,
                             PyObject *kwnames) {
    Writer *w = (Writer *)callable;
    if (PyVectorcall_NARGS(nargsf) != 3 || kwnames) {
        PyErr_SetString(PyExc_TypeError, "object writer expects (out, obj, ctx)");
        return NULL;
    }
    int compact;
    PyObject *registry = context_of(args[2], &compact);
    if (!registry) return NULL;
    int r = writer_write(w, args[0], args[1], args[2], registry, compact);
    Py_DECREF(registry);
    if (r < 0) return NULL;
    Py_RETURN_NONE;
}

static int writer_traverse(PyObject *self, visitproc visit, void *arg) {
    Writer *w = (Writer *)self;
    Py_VISIT(w->names); Py_VISIT(w->codes); Py_VISIT(w->ids); Py_VISIT(w->checked);
    Py_VISIT(w->check); Py_VISIT(w->general); Py_VISIT(w->raw);
    return 0;
}

static int writer_clear(PyObject *self) {
    Writer *w = (Writer *)self;
    Py_CLEAR(w->names); Py_CLEAR(w->codes); Py_CLEAR(w->ids); Py_CLEAR(w->checked);
    Py_CLEAR(w->check); Py_CLEAR(w->general); Py_CLEAR(w->raw);
    return 0;
}

static void writer_dealloc(PyObject *self) {
    PyObject_GC_UnTrack(self);
    writer_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject WriterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ignite_wire._protocol._rows_accel.ObjectWriter",
    .tp_basicsize = sizeof(Writer),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_vectorcall_offset = offsetof(Writer, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_traverse = writer_traverse,
    .tp_clear = writer_clear,
    .tp_dealloc = writer_dealloc,
    .tp_doc = "A binary-object writer of scalar fields (object_writer).",
};

PyDoc_STRVAR(object_writer_doc,
"object_writer(names, codes, ids, type_id, schema_id, checked, check, general, raw, /)\n\n"
"The writer(out, obj, ctx) of a class of scalar fields: it packs obj.__dict__\n"
"after the registry check, general(out, obj, ctx) when it declines.");

static PyObject *object_writer(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 9) {
        PyErr_Format(PyExc_TypeError, "object_writer expected 9 arguments, got %zd", nargs);
        return NULL;
    }
    if (check_plan(args[0], args[1], args[2]) < 0) return NULL;
    long tid = PyLong_AsLong(args[3]), sid = PyLong_AsLong(args[4]);
    if (PyErr_Occurred()) return NULL;
    if (!PyList_CheckExact(args[5]) || !PyCallable_Check(args[6]) ||
        !PyCallable_Check(args[7]) || !PyUnicode_CheckExact(args[8])) {
        PyErr_SetString(PyExc_TypeError, "object_writer: bad arguments");
        return NULL;
    }
    Writer *w = PyObject_GC_New(Writer, &WriterType);
    if (!w) return NULL;
    w->vectorcall = writer_call;
    w->tid = tid;
    w->sid = sid;
    PyObject **slots[] = {&w->names, &w->codes, &w->ids, &w->checked, &w->check,
                          &w->general, &w->raw};
    int at[] = {0, 1, 2, 5, 6, 7, 8};
    for (int i = 0; i < 7; i++) {
        Py_INCREF(args[at[i]]);
        *slots[i] = args[at[i]];
    }
    PyObject_GC_Track((PyObject *)w);
    return (PyObject *)w;
}

/* The put_all body (codec.write_pairs): every (key, value) of a list of pairs written
 * as write_value writes each, without a Python frame per pair.  An int key in a Java
 * long's range is written as a LONG when `longs` (the context's int writer is the
 * default one); every other key and value goes to its writer in `writers` (by exact
 * type), ctx.depth reset before each call as write_value does.  It stops at the first
 * pair it does not take as is -- an item that is not a 2-tuple, a type with no writer in
 * the table, a writer that raises an Exception -- with `out` cut back to where that
 * pair began and the error cleared, and returns how many pairs it wrote: the pure loop
 * goes on from there and writes that pair, or raises its error, as if alone. */
/* What write_pairs reads of ctx once per batch, for the object writers it meets. */
typedef struct {
    PyObject *registry;  /* NULL until the first object writer (then owned) */
    int compact;
} BatchContext;

/* The default writer of bytes (write_arrays._w_byte_arr), registered by codec.py with
 * set_bytes_writer: a bytes value whose writer in the table is that one is written here
 * as it writes it (BYTE_ARR, i32 length, the bytes), without calling it (W2's put of a
 * 1 KB value, issue 12); a table that maps bytes elsewhere (pyignite's value mode) is
 * obeyed.  NULL: not registered, every bytes value goes to its writer. */
static PyObject *BYTES_WRITER;

static int write_one(PyObject *out, PyObject *x, PyObject *ctx, PyObject *writers,
                     BatchContext *batch) {
    PyObject *w = PyDict_GetItemWithError(writers, (PyObject *)Py_TYPE(x));
    if (!w) return PyErr_Occurred() ? -1 : 0;
    if (w == BYTES_WRITER && PyBytes_CheckExact(x) && PyBytes_GET_SIZE(x) <= INT32_MAX) {
        Py_ssize_t n = PyBytes_GET_SIZE(x), start = PyByteArray_GET_SIZE(out);
        if (PyByteArray_Resize(out, start + 5 + n) < 0) return -1;
        unsigned char *p = (unsigned char *)PyByteArray_AS_STRING(out) + start;
        uint32_t u = (uint32_t)n;
        p[0] = 12; /* TypeCode.BYTE_ARR */
        p[1] = (unsigned char)u;
        p[2] = (unsigned char)(u >> 8);
        p[3] = (unsigned char)(u >> 16);
        p[4] = (unsigned char)(u >> 24);
        memcpy(p + 5, PyBytes_AS_STRING(x), (size_t)n);
        return 1;
    }
    Py_INCREF(w);
    if (Py_TYPE(w) == &WriterType) {  /* a binary object of scalar fields: no call */
        if (!batch->registry && !(batch->registry = context_of(ctx, &batch->compact))) {
            Py_DECREF(w);
            return -1;
        }
        int r = writer_write((Writer *)w, out, x, ctx, batch->registry, batch->compact);
        Py_DECREF(w);
        return r < 0 ? -1 : 1;
    }
    if (PyObject_SetAttr(ctx, NAME_DEPTH, ZERO) < 0) { Py_DECREF(w); return -1; }
    PyObject *call_args[3] = {out, x, ctx};
    PyObject *r = PyObject_Vectorcall(w, call_args, 3, NULL);
    Py_DECREF(w);
    if (!r) return -1;
    Py_DECREF(r);
    return 1;
}

/* A key that codec.key_hash encoded to route it: its bytes appended from the batch's
 * memo `encoded` (id(key) -> (key, bytes)).  1 appended, 0 not there, -1 error. */
static int append_encoded(PyObject *out, PyObject *key, PyObject *encoded) {
    PyObject *id = PyLong_FromVoidPtr(key);
    if (!id) return -1;
    PyObject *hit = PyDict_GetItemWithError(encoded, id);
    Py_DECREF(id);
    if (!hit) return PyErr_Occurred() ? -1 : 0;
    if (!PyTuple_CheckExact(hit) || PyTuple_GET_SIZE(hit) != 2 ||
        PyTuple_GET_ITEM(hit, 0) != key || !PyBytes_CheckExact(PyTuple_GET_ITEM(hit, 1)))
        return 0;
    PyObject *b = PyTuple_GET_ITEM(hit, 1);
    Py_ssize_t start = PyByteArray_GET_SIZE(out), size = PyBytes_GET_SIZE(b);
    if (PyByteArray_Resize(out, start + size) < 0) return -1;
    memcpy(PyByteArray_AS_STRING(out) + start, PyBytes_AS_STRING(b), (size_t)size);
    return 1;
}

PyDoc_STRVAR(write_pairs_doc,
"write_pairs(out, pairs, ctx, writers, longs, encoded, flat=False, /)\n\n"
"Append the pairs of the list `pairs` to the bytearray `out` as codec.write_pairs does;\n"
"how many it wrote (it stops, out cut back, before a pair the pure loop must write).\n"
"`encoded`: the batch's keys already encoded (ctx.encoded), or None.  `flat`: the list\n"
"is [key, value, key, value, ...] instead of (key, value) tuples.");

static PyObject *write_pairs(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if ((nargs != 6 && nargs != 7) || !PyList_CheckExact(args[1]) ||
        !PyDict_CheckExact(args[3]) || (args[5] != Py_None && !PyDict_CheckExact(args[5]))) {
        PyErr_SetString(PyExc_TypeError,
                        "write_pairs(out, list, ctx, dict, bool, dict|None, flat=False)");
        return NULL;
    }
    PyObject *out = args[0], *pairs = args[1], *ctx = args[2], *writers = args[3];
    PyObject *encoded = args[5] == Py_None ? NULL : args[5];
    int longs = PyObject_IsTrue(args[4]);
    if (longs < 0) return NULL;
    int flat = nargs == 7 ? PyObject_IsTrue(args[6]) : 0;
    if (flat < 0) return NULL;
    Py_ssize_t i = 0;
    if (!PyByteArray_CheckExact(out)) return PyLong_FromSsize_t(0);
    BatchContext batch = {NULL, 0};
    /* The list's size is read again for every pair: a writer (Python code) could change
     * it; the pair in hand is held by its own references meanwhile. */
    for (; flat ? 2 * i + 1 < PyList_GET_SIZE(pairs) : i < PyList_GET_SIZE(pairs); i++) {
        PyObject *key, *value;
        if (flat) {
            key = PyList_GET_ITEM(pairs, 2 * i);
            value = PyList_GET_ITEM(pairs, 2 * i + 1);
        } else {
            PyObject *item = PyList_GET_ITEM(pairs, i);
            if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 2) break;
            key = PyTuple_GET_ITEM(item, 0);
            value = PyTuple_GET_ITEM(item, 1);
        }
        Py_INCREF(key);  /* a writer could change the list */
        Py_INCREF(value);
        Py_ssize_t start = PyByteArray_GET_SIZE(out);
        int r = 0, overflow = 0;
        long long k = 0;
        if (longs && PyLong_CheckExact(key)) {
            k = PyLong_AsLongLongAndOverflow(key, &overflow);
            if (k == -1 && PyErr_Occurred()) r = -1;
        }
        if (r == 0 && longs && PyLong_CheckExact(key) && !overflow) {
            if (PyByteArray_Resize(out, start + 9) < 0) r = -1;
            else {
                unsigned char *p = (unsigned char *)PyByteArray_AS_STRING(out) + start;
                p[0] = 4;  /* TypeCode.LONG */
                put_le(p + 1, (uint64_t)k, 8);
                r = 1;
            }
        } else if (r == 0) {
            if (encoded) r = append_encoded(out, key, encoded);
            if (r == 0) r = write_one(out, key, ctx, writers, &batch);
        }
        if (r == 1) r = write_one(out, value, ctx, writers, &batch);
        Py_DECREF(key);
        Py_DECREF(value);
        if (r == 1) continue;
        if (r < 0 && !PyErr_ExceptionMatches(PyExc_Exception)) {
            Py_XDECREF(batch.registry);
            return NULL;
        }
        PyErr_Clear();
        if (PyByteArray_GET_SIZE(out) > start && PyByteArray_Resize(out, start) < 0) {
            Py_XDECREF(batch.registry);
            return NULL;
        }
        break;
    }
    Py_XDECREF(batch.registry);
    return PyLong_FromSsize_t(i);
}

/* The loop of a batch's split by node (_routing.KeyRoute.split): each item (a key, or
 * a (key, value) pair when `pairs` is 1) appended to buckets[index] (negative indexes
 * count from the end, as in Python); when `pairs` is 2 the list is flat, [key, value,
 * key, value, ...], and each key is appended with its value after it.  An exact int key's index is slots[partition] with the
 * partition of its Long.hashCode for a power-of-two count (`mask` = count - 1, > 0):
 * (h ^ h >>> 16) & mask, h = (int)(k ^ k >>> 32) -- what the pure loop inlines; any
 * other key's index is slow(key), the pure path's own function. */
PyDoc_STRVAR(split_keys_doc,
"split_keys(items, pairs, slots, mask, buckets, slow, /)\n\n"
"Append every item of the list `items` to buckets[its key's index] as\n"
"_routing.KeyRoute.split's pure loop does (int keys inline, others slow(key)).\n"
"`pairs`: 0 keys, 1 (key, value) pairs, 2 a flat [key, value, ...] list.");

static PyObject *split_keys(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 6 || !PyList_CheckExact(args[0]) || !PyTuple_CheckExact(args[2]) ||
        !PyList_CheckExact(args[4])) {
        PyErr_SetString(PyExc_TypeError, "split_keys(list, bool, tuple, int, list, slow)");
        return NULL;
    }
    PyObject *items = args[0], *slots = args[2], *buckets = args[4], *slow = args[5];
    long pairs = PyLong_AsLong(args[1]);
    if (pairs == -1 && PyErr_Occurred()) return NULL;
    if (pairs < 0 || pairs > 2) {
        PyErr_SetString(PyExc_ValueError, "split_keys: pairs is 0, 1 or 2");
        return NULL;
    }
    long mask = PyLong_AsLong(args[3]);
    if (mask == -1 && PyErr_Occurred()) return NULL;
    if (mask > 0 && PyTuple_GET_SIZE(slots) != mask + 1) {
        PyErr_SetString(PyExc_ValueError, "split_keys: mask does not match the slots");
        return NULL;
    }
    Py_ssize_t step = pairs == 2 ? 2 : 1;
    if (pairs == 2 && PyList_GET_SIZE(items) % 2) {
        PyErr_SetString(PyExc_ValueError, "split_keys: a flat list of pairs has an odd length");
        return NULL;
    }
    for (Py_ssize_t i = 0; i + step - 1 < PyList_GET_SIZE(items); i += step) {
        PyObject *item = PyList_GET_ITEM(items, i), *value = NULL;
        Py_INCREF(item);
        if (pairs == 2) {
            value = PyList_GET_ITEM(items, i + 1);
            Py_INCREF(value);
        }
        PyObject *key = pairs == 1 ? PySequence_GetItem(item, 0) : (Py_INCREF(item), item);
        Py_ssize_t index = -1;
        int rc = -1;
        if (!key) goto done;
        if (mask > 0 && PyLong_CheckExact(key)) {
            uint64_t u = PyLong_AsUnsignedLongLongMask(key);
            uint32_t h = (uint32_t)(u ^ (u >> 32));
            index = PyLong_AsSsize_t(PyTuple_GET_ITEM(slots, (h ^ (h >> 16)) & (uint32_t)mask));
        } else {
            PyObject *r = PyObject_CallOneArg(slow, key);
            if (!r) { Py_DECREF(key); goto done; }
            index = PyLong_AsSsize_t(r);
            Py_DECREF(r);
        }
        Py_DECREF(key);
        if (index == -1 && PyErr_Occurred()) goto done;
        Py_ssize_t n = PyList_GET_SIZE(buckets);
        if (index < 0) index += n;
        if (index < 0 || index >= n) {
            PyErr_SetString(PyExc_IndexError, "list index out of range");
            goto done;
        }
        PyObject *bucket = PyList_GET_ITEM(buckets, index);
        if (!PyList_Check(bucket)) {
            PyErr_SetString(PyExc_TypeError, "a bucket is a list");
            goto done;
        }
        rc = PyList_Append(bucket, item);
        if (rc == 0 && value) rc = PyList_Append(bucket, value);
    done:
        Py_DECREF(item);
        Py_XDECREF(value);
        if (rc < 0) return NULL;
    }
    Py_RETURN_NONE;
}

/* A dict's entries as one flat list [key, value, key, value, ...] in the dict's order
 * (_facade.pairs_param): put_all's batch without a (key, value) tuple per entry -- the
 * 10,000 tuples of list(d.items()) and the young collections they set off cost about
 * as much as encoding the entries' keys (issue 12, W4).  No Python code runs while it
 * walks the dict, so the dict cannot change under it. */
PyDoc_STRVAR(flat_items_doc,
"flat_items(d, /)\n\n"
"The items of the dict `d` as one list [key, value, key, value, ...] (its order).");

static PyObject *flat_items(PyObject *self, PyObject *d) {
    (void)self;
    if (!PyDict_CheckExact(d)) {
        PyErr_SetString(PyExc_TypeError, "flat_items(d: dict)");
        return NULL;
    }
    Py_ssize_t n = PyDict_GET_SIZE(d), pos = 0, i = 0;
    PyObject *result = PyList_New(2 * n), *key, *value;
    if (!result) return NULL;
    while (i < n && PyDict_Next(d, &pos, &key, &value)) {
        Py_INCREF(key);
        PyList_SET_ITEM(result, 2 * i, key);
        Py_INCREF(value);
        PyList_SET_ITEM(result, 2 * i + 1, value);
        i++;
    }
    if (i != n) {  /* cannot happen (no code runs meanwhile); never hand out NULL slots */
        Py_DECREF(result);
        PyErr_SetString(PyExc_RuntimeError, "flat_items: the dict changed size");
        return NULL;
    }
    return result;
}

PyDoc_STRVAR(set_bytes_writer_doc,
"set_bytes_writer(writer, /)\n\n"
"Register the default writer of bytes: write_pairs writes a bytes value whose writer\n"
"is this one itself, with the same bytes.");

static PyObject *set_bytes_writer(PyObject *self, PyObject *writer) {
    (void)self;
    Py_INCREF(writer);
    Py_XSETREF(BYTES_WRITER, writer);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"set_bytes_writer", set_bytes_writer, METH_O, set_bytes_writer_doc},
    {"decode_rows", decode_rows, METH_VARARGS, decode_rows_doc},
    {"bytes_hash", (PyCFunction)(void (*)(void))bytes_hash, METH_FASTCALL, bytes_hash_doc},
    {"bytes_hash_u32", bytes_hash_u32, METH_O, bytes_hash_u32_doc},
    {"object_writer", (PyCFunction)(void (*)(void))object_writer, METH_FASTCALL,
     object_writer_doc},
    {"write_pairs", (PyCFunction)(void (*)(void))write_pairs, METH_FASTCALL, write_pairs_doc},
    {"split_keys", (PyCFunction)(void (*)(void))split_keys, METH_FASTCALL, split_keys_doc},
    {"flat_items", flat_items, METH_O, flat_items_doc},
    {"decode_answer", decode_answer, METH_O, decode_answer_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_rows_accel",
    "Optional compiled SQL page decoder and header hash (see rows.py, hashing.py).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__rows_accel(void) {
    if (accel_scalars_init() < 0) return NULL;
    if (!(NAME_REGISTRY = PyUnicode_InternFromString("registry")) ||
        !(NAME_COMPACT = PyUnicode_InternFromString("compact_footer")) ||
        !(NAME_DICT = PyUnicode_InternFromString("__dict__")) ||
        !(NAME_DEPTH = PyUnicode_InternFromString("depth")) ||
        !(ZERO = PyLong_FromLong(0)) ||
        PyType_Ready(&WriterType) < 0)
        return NULL;
    return PyModule_Create(&module);
}
